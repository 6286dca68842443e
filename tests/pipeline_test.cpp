#include "tlsrpt/pipeline.hpp"

#include <sstream>

#include <gtest/gtest.h>

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
  run_pipeline(
      paths, Limits{}, in,
      PipelineSinks{
          [&](DecodedReport&& r) { collected.reports.push_back(testing::relative_paths(r.file)); },
          [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  return collected;
}

TEST(Pipeline, DecodesEveryValidReportNextToBrokenOnes) {
  const Collected collected = run({testdata("reports"), testdata("bad"), testdata("other")});
  EXPECT_EQ(
      collected.reports,
      (std::vector<std::string>{
          "testdata/reports/apple-report", "testdata/reports/concatenated-members.json.gz",
          "testdata/reports/duplicate-of-google.json",
          "testdata/reports/google.com!mail-example.net!1778198400!1778284799.json.gz",
          "testdata/reports/mailru-nextday.json", "testdata/reports/microsoft-sts-tlsa.json.gz",
          "testdata/reports/postfix-nopolicy.json", "testdata/reports/rfc-style.json",
          "testdata/reports/socketlabs-split.gz", "testdata/reports/yahoo-weekly-quirks.json"}));
  const std::vector<std::string> errors = collected.of(Severity::error);
  EXPECT_EQ(errors.size(), 20u);
  EXPECT_EQ(
      errors.front(),
      "testdata/bad/absurd-count.json: policies[0].summary.total-successful-session-count: count "
      "9.999999999999999e+22 is absurdly large (over 9007199254740992)");
  EXPECT_EQ(
      collected.of(Severity::note),
      (std::vector<std::string>{
          "testdata/other/array.json: JSON array, not a TLS report (an object)",
          "testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a TLS report",
          "testdata/other/empty.json: empty, not a TLS report",
          "testdata/other/notes.txt: neither JSON nor gzip, not a TLS report"}));
}

TEST(Pipeline, NamesFileAndPlaceOfEachError) {
  const Collected collected = run({testdata("bad/truncated.json.gz"), testdata("nope")});
  EXPECT_EQ(collected.of(Severity::error),
            (std::vector<std::string>{"testdata/bad/truncated.json.gz: byte 244: gzip: truncated "
                                      "data (the file ends before the end of the stream)",
                                      "testdata/nope: no such file or directory"}));
}

TEST(Pipeline, ReadsStandardInput) {
  const Collected collected =
      run({"-"}, testing::read_bytes(testdata("reports/microsoft-sts-tlsa.json.gz")));
  EXPECT_EQ(collected.reports, std::vector<std::string>{"-"});
}

TEST(Pipeline, AppliesTheInflateLimit) {
  Collected collected;
  std::istringstream in;
  Limits limits;
  limits.max_inflated_bytes = 100;
  run_pipeline(
      {testdata("reports/microsoft-sts-tlsa.json.gz")}, limits, in,
      PipelineSinks{[&](DecodedReport&&) { collected.reports.emplace_back("report"); },
                    [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  EXPECT_TRUE(collected.reports.empty());
  ASSERT_EQ(collected.of(Severity::error).size(), 1u);
  EXPECT_NE(collected.of(Severity::error)[0].find("gzip: inflates to more than 100 bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Pipeline, ReadsAMixedMailboxMessageByMessage) {
  const Collected collected = run({testdata("mbox/postmaster.mbox")});
  // google, microsoft, and google again (the duplicate is the tally's business).
  EXPECT_EQ(collected.reports.size(), 3u);
  EXPECT_EQ(collected.of(Severity::error),
            std::vector<std::string>{
                "testdata/mbox/postmaster.mbox: message 4 <000000000000a1b2c3@google.com>: part 2 "
                "(google.com!mail-example.net!1778284800!1778371199!001.json.gz): byte 362: gzip: "
                "truncated data "
                "(the file ends before the end of the stream)"});
  EXPECT_EQ(
      collected.of(Severity::note),
      (std::vector<std::string>{
          "testdata/mbox/postmaster.mbox: message 2 <dmarc-1234567890123456789@google.com>: part 1 "
          "(google.com!mail-example.net!1778284800!1778371199.zip): zip entry "
          "google.com!mail-example.net!1778284800!1778371199.xml: a DMARC aggregate report (XML), "
          "not a TLS report",
          "testdata/mbox/postmaster.mbox: message 3 <lunch@mail-example.net>: a message without a "
          "report "
          "attachment (text/plain), not a TLS report",
          "testdata/mbox/postmaster.mbox: message 7 <bounce-1@mx.mail-example.net>: a delivery "
          "status "
          "notification (bounce), not a TLS report"}));
}

TEST(Pipeline, KeepsProvenanceOfMailboxReports) {
  std::vector<DecodedReport> reports;
  std::istringstream in;
  run_pipeline({testdata("mbox/postmaster.mbox")}, Limits{}, in,
               PipelineSinks{[&](DecodedReport&& r) { reports.push_back(std::move(r)); },
                             [](Diagnostic&&) {}});
  ASSERT_EQ(reports.size(), 3u);
  const Provenance& microsoft = reports[1].provenance;
  EXPECT_EQ(testing::relative_paths(microsoft.mailbox), "testdata/mbox/postmaster.mbox");
  EXPECT_EQ(microsoft.message_index, 5u);
  EXPECT_EQ(microsoft.message_id, "<134228729600000000+mail-example.net@mail-example.net>");
  EXPECT_EQ(microsoft.part, "2");
  EXPECT_EQ(microsoft.dkim, DkimVerdict::pass);
  ASSERT_TRUE(microsoft.filename_parts);
  EXPECT_EQ(microsoft.filename_parts->submitter, "microsoft.com");
  EXPECT_EQ(reports[1].report.organization_name, "Microsoft Corporation");
  EXPECT_EQ(reports[1].where,
            "message 5 <134228729600000000+mail-example.net@mail-example.net>: part 2 "
            "(microsoft.com!mail-example.net!1778284800!1778371199!134228729600000000.json.gz)");
}

TEST(Pipeline, WalksAMaildirSkippingTmpAndServerFiles) {
  const Collected collected = run({testdata("mail/Maildir")});
  EXPECT_EQ(collected.reports,
            (std::vector<std::string>{"testdata/mail/Maildir/.Reports/cur/1778547600.M3P1.host:2,S",
                                      "testdata/mail/Maildir/new/1778461200.M1P1.host"}));
  EXPECT_EQ(collected.of(Severity::note),
            std::vector<std::string>{
                "testdata/mail/Maildir/cur/1778374800.M2P1.host:2,S: a message without a report "
                "attachment (text/plain), not a TLS report"});
  EXPECT_TRUE(collected.of(Severity::error).empty());
}

TEST(Pipeline, ReadsEveryMimeShapeInTheMailFixtures) {
  const Collected collected = run({testdata("mail")});
  EXPECT_EQ(collected.reports,
            (std::vector<std::string>{
                "testdata/mail/Maildir/.Reports/cur/1778547600.M3P1.host:2,S",
                "testdata/mail/Maildir/new/1778461200.M1P1.host", "testdata/mail/google-report.eml",
                "testdata/mail/microsoft-report.eml", "testdata/mail/nested-mixed-octet-stream.eml",
                "testdata/mail/raw-json-no-closing-boundary.eml",
                "testdata/mail/two-attachments.eml", "testdata/mail/two-attachments.eml",
                "testdata/mail/whole-body-qp.eml", "testdata/mail/zip-attachment.eml"}));
  EXPECT_TRUE(collected.of(Severity::error).empty());
}

TEST(Pipeline, NamesTheMimePartOfABrokenAttachment) {
  const Collected collected =
      run({testdata("bad/mail-bad-base64.eml"), testdata("bad/mail-nested-1000-deep.eml")});
  EXPECT_EQ(collected.of(Severity::error),
            (std::vector<std::string>{"testdata/bad/mail-bad-base64.eml: part 1 (r.json.gz): byte "
                                      "12: base64: invalid character 0x21",
                                      "testdata/bad/mail-nested-1000-deep.eml: part "
                                      "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1: multiparts nested "
                                      "deeper than 16 levels"}));
}

TEST(Pipeline, ReportsAnOversizedMailboxMessageAndReadsTheRest) {
  Collected collected;
  std::istringstream in;
  Limits limits;
  limits.max_file_bytes = 1200;  // the report messages are larger, the other mail smaller
  run_pipeline(
      {testdata("mbox/postmaster.mbox")}, limits, in,
      PipelineSinks{[&](DecodedReport&& r) { collected.reports.push_back(r.file); },
                    [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  const auto errors = collected.of(Severity::error);
  ASSERT_EQ(errors.size(), 4u);  // the four report messages
  EXPECT_EQ(errors[0],
            "testdata/mbox/postmaster.mbox: message 1: byte 0: message larger than 1200 bytes (the "
            "limit; raise it "
            "with --max-file-size if the message is genuine)");
  EXPECT_EQ(collected.of(Severity::note).size(),
            3u);  // the DMARC, ordinary and bounce mail are still read
}

}  // namespace
}  // namespace tlsrpt
