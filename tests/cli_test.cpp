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
  const auto run = run_cli(
      {"summary", "--format", "json", testdata("reports"), testdata("bad/truncated.json.gz")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(testing::relative_paths(run.err),
            "tlsrpt: error: testdata/bad/truncated.json.gz: byte 244: gzip: truncated data (the "
            "file ends "
            "before the end of the stream); skipped\n");
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["reports"], 9);
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(testing::relative_paths(summary["errors"][0]["file"]),
            "testdata/bad/truncated.json.gz");
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
  const auto run =
      run_cli({"summary", "--max-inflated-size", "4K", testdata("reports/rfc-style.json"),
               testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(run.status, kExitOk) << run.err;  // 4 KiB is enough for that report
  const auto small = run_cli(
      {"summary", "--max-inflated-size", "100", testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(small.status, kExitInputSkipped);
  EXPECT_NE(small.err.find("inflates to more than 100 bytes"), std::string::npos) << small.err;
}

TEST(Cli, ShowReadsStdin) {
  const auto run = run_cli({"show", "--format", "json", "-"},
                           testing::read_bytes(testdata("reports/rfc-style.json")));
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(json::parse(run.out)["reports"][0]["report_id"],
            "9a8b7c6d-1111-4222-8333-944455566677");
}

TEST(Cli, ShowOfSomethingElseSaysWhat) {
  const auto run = run_cli({"show", testdata("other/dmarc-aggregate.json")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(
      testing::relative_paths(run.err),
      "tlsrpt: note: testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a "
      "TLS "
      "report\ntlsrpt: error: testdata/other/dmarc-aggregate.json: no TLS report in it; skipped\n");
}

TEST(Cli, NotReportsAreNotErrors) {
  const auto run = run_cli({"summary", testdata("other")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.err, "");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, AuthenticatedOnlyLeavesOutReportsWithoutDkimPass) {
  const auto all = run_cli({"summary", "--format", "json", testdata("mail"), testdata("forged")});
  EXPECT_EQ(all.status, kExitOk);
  const json every = json::parse(all.out);
  EXPECT_EQ(every["reports"], 11);
  EXPECT_EQ(every["authentication"]["dkim_pass"], 2);
  EXPECT_EQ(every["authentication"]["dkim_fail"], 1);
  const auto run = run_cli({"summary", "--format", "json", "--authenticated-only", testdata("mail"),
                            testdata("forged")});
  const json only = json::parse(run.out);
  EXPECT_EQ(only["reports"], 2);
  EXPECT_EQ(only["authentication"]["left_out_unauthenticated"], 9);
  EXPECT_EQ(only["totals"]["failed"], 9);  // Google's 9; the forged 5000 are out
  const auto text =
      run_cli({"summary", "--authenticated-only", testdata("mail"), testdata("forged")});
  EXPECT_NE(text.out.find("Left out:  9 reports without a DKIM pass for the submitter's domain "
                          "(--authenticated-only)"),
            std::string::npos)
      << text.out;
}

TEST(Cli, ShowPrintsWhereAMailedReportCameFrom) {
  const auto run = run_cli({"show", testdata("mail/google-report.eml")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_NE(run.out.find("  Message-ID:     <000000000000a1b2c3@google.com>\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  Attachment:     part 2, "
                         "google.com!mail-example.net!1778284800!1778371199!001.json.gz\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("  DKIM:           pass for google.com (per mx.mail-example.net)\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("  File name:      submitter google.com, domain mail-example.net, "
                         "2026-05-09T00:00:00Z to "
                         "2026-05-09T23:59:59Z, id 001\n"),
            std::string::npos);
}

TEST(Cli, ShowOfAMailboxListsEveryReportAndItsErrors) {
  const auto run = run_cli({"show", "--format", "json", testdata("mbox/postmaster.mbox")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  const json document = json::parse(run.out);
  EXPECT_EQ(document["reports"].size(), 3u);
  EXPECT_EQ(document["errors"].size(), 1u);
  EXPECT_EQ(document["notes"].size(), 3u);
  EXPECT_EQ(document["reports"][1]["provenance"]["message_index"], 5);
}

TEST(Cli, MailboxSummaryCountsTheResentReportOnce) {
  const auto run = run_cli({"summary", "--format", "json", testdata("mbox/postmaster.mbox")});
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["reports"], 2);
  EXPECT_EQ(summary["duplicates"], 1);
  EXPECT_EQ(summary["not_reports"], 3);
  EXPECT_EQ(summary["errors_total"], 1);
}

}  // namespace
}  // namespace tlsrpt
