#include "tlsrpt/render_json.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::read_bytes;
using testing::relative_paths;
using testing::run_cli;
using testing::testdata;

// The JSON output is a contract: a difference here is a change of docs/json-output.md.
TEST(RenderJson, SummaryMatchesTheExpectedDocument) {
  const auto run = run_cli({"summary", "--format", "json", testdata("reports"), testdata("other")});
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
  write_json(report_to_json(decoded), out);
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
    std::ostringstream whole, streamed;
    write_json(summary_to_json(summary), whole);
    write_summary_json(summary, streamed);
    EXPECT_EQ(streamed.str(), whole.str());
  }
}

}  // namespace
}  // namespace tlsrpt
