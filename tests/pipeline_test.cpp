#include "tlsrpt/pipeline.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "test_support.hpp"
#include "tlsrpt/analyze.hpp"

namespace tlsrpt {
namespace {

using testing::testdata;

struct Collected {
  std::vector<std::string> reports;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> of(Severity severity) const {
    std::vector<std::string> lines;
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == severity) lines.push_back(testing::relative_paths(format_location(d)));
    }
    return lines;
  }
};

Collected run(const std::vector<std::string>& paths, const std::string& input = "") {
  Collected collected;
  std::istringstream in(input);
  run_pipeline(paths, Limits{}, in,
               PipelineSinks{[&](DecodedReport&& r) { collected.reports.push_back(testing::relative_paths(r.file)); },
                             [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  return collected;
}

TEST(Pipeline, DecodesEveryValidReportNextToBrokenOnes) {
  const Collected collected = run({testdata("reports"), testdata("bad"), testdata("other")});
  EXPECT_EQ(collected.reports,
            (std::vector<std::string>{"testdata/reports/apple-report",
                                      "testdata/reports/concatenated-members.json.gz",
                                      "testdata/reports/duplicate-of-google.json",
                                      "testdata/reports/google.com!mail-example.net!1778198400!1778284799.json.gz",
                                      "testdata/reports/mailru-nextday.json",
                                      "testdata/reports/microsoft-sts-tlsa.json.gz",
                                      "testdata/reports/postfix-nopolicy.json",
                                      "testdata/reports/rfc-style.json",
                                      "testdata/reports/socketlabs-split.gz",
                                      "testdata/reports/yahoo-weekly-quirks.json"}));
  const std::vector<std::string> errors = collected.of(Severity::error);
  EXPECT_EQ(errors.size(), 17u);
  EXPECT_EQ(errors.front(),
            "testdata/bad/absurd-count.json: policies[0].summary.total-successful-session-count: count "
            "9.999999999999999e+22 is absurdly large (over 9007199254740992)");
  EXPECT_EQ(collected.of(Severity::note),
            (std::vector<std::string>{"testdata/other/array.json: JSON array, not a TLS report (an object)",
                                      "testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a TLS report",
                                      "testdata/other/empty.json: empty, not a TLS report",
                                      "testdata/other/notes.txt: neither JSON nor gzip, not a TLS report"}));
}

TEST(Pipeline, NamesFileAndPlaceOfEachError) {
  const Collected collected = run({testdata("bad/truncated.json.gz"), testdata("nope")});
  EXPECT_EQ(collected.of(Severity::error),
            (std::vector<std::string>{
                "testdata/bad/truncated.json.gz: byte 244: gzip: truncated data (the file ends before the end of the stream)",
                "testdata/nope: no such file or directory"}));
}

TEST(Pipeline, ReadsStandardInput) {
  const Collected collected = run({"-"}, testing::read_bytes(testdata("reports/microsoft-sts-tlsa.json.gz")));
  EXPECT_EQ(collected.reports, std::vector<std::string>{"-"});
}

TEST(Pipeline, AppliesTheInflateLimit) {
  Collected collected;
  std::istringstream in;
  Limits limits;
  limits.max_inflated_bytes = 100;
  run_pipeline({testdata("reports/microsoft-sts-tlsa.json.gz")}, limits, in,
               PipelineSinks{[&](DecodedReport&&) { collected.reports.emplace_back("report"); },
                             [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  EXPECT_TRUE(collected.reports.empty());
  ASSERT_EQ(collected.of(Severity::error).size(), 1u);
  EXPECT_NE(collected.of(Severity::error)[0].find("gzip: inflates to more than 100 bytes"), std::string::npos);
}

}  // namespace
}  // namespace tlsrpt
