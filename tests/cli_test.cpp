#include "tlsrpt/cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::run_cli;
using testing::testdata;

TEST(Cli, SummaryOfGoodReportsExitsZero) {
  const auto run = run_cli({"summary", testdata("reports")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("Reports:   9 (1 duplicate skipped)"), std::string::npos) << run.out;
}

TEST(Cli, SkippedInputsGiveExitThreeAndOneLineEach) {
  const auto run = run_cli({"summary", "--format", "json", testdata("reports"), testdata("bad/truncated.json.gz")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(testing::relative_paths(run.err),
            "tlsrpt: error: testdata/bad/truncated.json.gz: byte 244: gzip: truncated data (the file ends "
            "before the end of the stream); skipped\n");
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["reports"], 9);
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(testing::relative_paths(summary["errors"][0]["file"]), "testdata/bad/truncated.json.gz");
  EXPECT_EQ(summary["errors"][0]["where"], "byte 244");
}

TEST(Cli, JsonIsExactlyOneDocument) {
  const auto run = run_cli({"summary", "--format", "json", testdata("reports")});
  EXPECT_TRUE(json::accept(run.out));
  EXPECT_TRUE(run.out.ends_with("}\n"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).status, kExitUsage);
  EXPECT_EQ(run_cli({"summary"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"summary", "--format", "xml", "x"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"frobnicate"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"--help"}).status, kExitOk);
}

TEST(Cli, MaxInflatedSizeAcceptsSuffixes) {
  const auto run = run_cli({"summary", "--max-inflated-size", "4K", testdata("reports/rfc-style.json"),
                            testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(run.status, kExitOk) << run.err;  // 4 KiB is enough for that report
  const auto small = run_cli({"summary", "--max-inflated-size", "100", testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(small.status, kExitInputSkipped);
  EXPECT_NE(small.err.find("inflates to more than 100 bytes"), std::string::npos) << small.err;
}

TEST(Cli, ShowReadsStdin) {
  const auto run = run_cli({"show", "--format", "json", "-"}, testing::read_bytes(testdata("reports/rfc-style.json")));
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(json::parse(run.out)["reports"][0]["report_id"], "9a8b7c6d-1111-4222-8333-944455566677");
}

TEST(Cli, ShowOfSomethingElseSaysWhat) {
  const auto run = run_cli({"show", testdata("other/dmarc-aggregate.json")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(testing::relative_paths(run.err),
            "tlsrpt: note: testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a TLS "
            "report\ntlsrpt: error: testdata/other/dmarc-aggregate.json: no TLS report in it; skipped\n");
}

TEST(Cli, NotReportsAreNotErrors) {
  const auto run = run_cli({"summary", testdata("other")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.err, "");
}

}  // namespace
}  // namespace tlsrpt
