#include "tlsrpt/render_json.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/analyze.hpp"
#include "tlsrpt/pipeline.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::read_bytes;
using testing::relative_paths;
using testing::run_cli;
using testing::testdata;

// The JSON output is a contract: a difference here is a change of docs/json-output.md.
TEST(RenderJson, SummaryMatchesTheExpectedDocument) {
  const auto run = run_cli({"summary", "--format", "json", "--now", "2026-05-12",
                            testdata("reports"), testdata("other")});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(json::diff(json::parse(read_bytes(testdata("expected/summary.json"))),
                       json::parse(relative_paths(run.out))),
            json::array());
}

TEST(RenderJson, ShowMatchesTheExpectedDocument) {
  const auto run =
      run_cli({"show", "--format", "json", testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(json::diff(json::parse(read_bytes(testdata("expected/show-microsoft.json"))),
                       json::parse(relative_paths(run.out))),
            json::array());
}

TEST(RenderJson, HasTheDocumentedKeys) {
  const json summary =
      json::parse(run_cli({"summary", "--format", "json", testdata("reports")}).out);
  for (const char* key : {"schema_version", "reports", "duplicates", "totals", "senders", "domains",
                          "policy_types", "failure_types", "receiving_mx_hosts", "receiving_ips",
                          "sending_ips", "errors", "warnings", "notes"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
  for (const char* key : {"successful", "failed", "failure_rate"})
    EXPECT_TRUE(summary["totals"].contains(key));
  for (const char* key : {"organization_name", "successful", "failed", "failure_rate"}) {
    EXPECT_TRUE(summary["senders"][0].contains(key)) << key;
  }
  for (const char* key : {"policy_domain", "successful", "failed", "failure_rate"}) {
    EXPECT_TRUE(summary["domains"][0].contains(key)) << key;
  }
  for (const char* key : {"result_type", "failed", "hint"}) {
    EXPECT_TRUE(summary["failure_types"][0].contains(key)) << key;
  }
  const double rate = summary["totals"]["failure_rate"].get<double>();
  EXPECT_GE(rate, 0.0);
  EXPECT_LE(rate, 1.0);
}

TEST(RenderJson, RateIsZeroWithoutSessions) {
  const json summary = json::parse(run_cli({"summary", "--format", "json", testdata("other")}).out);
  EXPECT_EQ(summary["reports"], 0);
  EXPECT_EQ(summary["totals"]["failure_rate"], 0.0);
  EXPECT_TRUE(summary["period"].is_null());
}

TEST(RenderJson, OutputIsValidUtf8WhateverTheInput) {
  DecodedReport decoded;
  decoded.report.organization_name = "bad \xFF\xFE bytes";
  std::ostringstream out;
  write_report_json(decoded, out);
  const json parsed = json::parse(out.str());
  EXPECT_EQ(parsed["organization_name"], "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(RenderJson, StreamedSummaryIsTheSameDocumentByteForByte) {
  for (const std::vector<std::string>& paths :
       {std::vector<std::string>{testdata("reports"), testdata("mail"), testdata("bad")},
        std::vector<std::string>{testdata("other")}}) {
    Tally tally;
    std::istringstream in;
    run_pipeline(paths, Limits{}, in,
                 PipelineSinks{[&](DecodedReport&& r) {
                                 if (tally.add(r.report, r.file)) {
                                   for (Diagnostic& w : r.warnings)
                                     tally.add_diagnostic(std::move(w));
                                 }
                               },
                               [&](Diagnostic&& d) { tally.add_diagnostic(std::move(d)); }});
    const Summary summary = tally.finish();
    // The writer formats as nlohmann's dump(2) does (what scripts and the expected files were
    // written against): parsed and dumped again, the document is the same bytes.
    std::ostringstream streamed;
    write_summary_json(summary, streamed);
    const std::string again = nlohmann::ordered_json::parse(streamed.str()).dump(2) + "\n";
    EXPECT_EQ(streamed.str(), again);
  }
}

// The writer copies a day without reports from the first time it wrote it: every day of every
// series must still say its own date and counts.
TEST(RenderJson, WritesEverySeriesDayAsTheModelHasIt) {
  Tally tally;
  std::istringstream in;
  run_pipeline(
      {testdata("reports"), testdata("mail")}, Limits{}, in,
      PipelineSinks{[&](DecodedReport&& r) { tally.add(r.report, r.file); }, [](Diagnostic&&) {}});
  const Summary summary = tally.finish();
  std::ostringstream text;
  write_summary_json(summary, text);
  const nlohmann::json document = nlohmann::json::parse(text.str());
  std::size_t unreported = 0;
  const auto check = [&](const nlohmann::json& days, const Series& series) {
    ASSERT_EQ(days.size(), series.days.size()) << series.name;
    for (std::size_t i = 0; i < days.size(); ++i) {
      EXPECT_EQ(days[i]["date"], format_date(series.days[i].day * 86400)) << series.name;
      EXPECT_EQ(days[i]["reported"], static_cast<bool>(series.reported[i])) << series.name;
      EXPECT_EQ(days[i]["successful"], series.days[i].successful) << series.name;
      EXPECT_EQ(days[i]["failed"], series.days[i].failed) << series.name;
      unreported += series.reported[i] ? 0 : 1;
    }
  };
  check(document["days"], summary.history.overall);
  ASSERT_EQ(document["senders_by_day"].size(), summary.history.senders.size());
  for (std::size_t i = 0; i < summary.history.senders.size(); ++i) {
    EXPECT_EQ(document["senders_by_day"][i]["organization_name"], summary.history.senders[i].name);
    check(document["senders_by_day"][i]["days"], summary.history.senders[i]);
  }
  ASSERT_EQ(document["domains_by_day"].size(), summary.history.domains.size());
  for (std::size_t i = 0; i < summary.history.domains.size(); ++i) {
    check(document["domains_by_day"][i]["days"], summary.history.domains[i]);
  }
  EXPECT_GT(unreported, 20u);  // the copies were used, at two depths
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// A C1 control (U+009B acts as ESC [ on terminals) is escaped in every JSON output, like C0 ones.
TEST(RenderJson, EscapesC1Controls) {
  const std::string file = testing::testdata("hostile/string-with-nul.json");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"summary", "--format", "json", "--now", "2026-05-10", file},
        std::vector<std::string>{"show", "--format", "json", file},
        std::vector<std::string>{"export", file}}) {
    const auto run = testing::run_cli(args);
    EXPECT_EQ(run.out.find("\xC2\x9B"), std::string::npos) << args[0];
    EXPECT_NE(run.out.find("\\u009b31m"), std::string::npos) << args[0] << run.out;
    EXPECT_NE(run.out.find("Nul\\u0000Sender"), std::string::npos) << args[0];
  }
}

}  // namespace
}  // namespace tlsrpt
