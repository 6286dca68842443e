#include "tlsrpt/mail.hpp"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {
namespace {

using testing::read_bytes;
using testing::testdata;

MailScan scan(const std::string& relative) {
  return scan_message(parse_message(read_bytes(testdata(relative))));
}

TEST(Mail, FindsTheGzipAttachmentAndKeepsProvenance) {
  const MailScan result = scan("mail/google-report.eml");
  ASSERT_EQ(result.parts.size(), 1u);
  const ReportPart& part = result.parts[0];
  EXPECT_EQ(part.number, "2");
  EXPECT_EQ(part.media_type, "application/tlsrpt+gzip");
  EXPECT_EQ(part.filename, "google.com!mail-example.net!1778284800!1778371199!001.json.gz");
  EXPECT_TRUE(part.body.starts_with("\x1f\x8b"));
  const Provenance& provenance = result.provenance;
  EXPECT_EQ(provenance.message_id, "<000000000000a1b2c3@google.com>");
  EXPECT_EQ(provenance.from, "noreply-smtp-tls-reporting@google.com");
  EXPECT_EQ(provenance.subject,
            "Report Domain: mail-example.net Submitter: google.com Report-ID: "
            "<2026.05.09T00.00.00Z+mail-example.net@google.com>");
  EXPECT_EQ(provenance.tls_report_domain, "mail-example.net");
  EXPECT_EQ(provenance.tls_report_submitter, "google.com");
  EXPECT_EQ(provenance.date, "Fri, 09 May 2026 22:12:44 -0700");
  EXPECT_EQ(provenance.dkim, DkimVerdict::pass);
  EXPECT_EQ(provenance.dkim_domain, "google.com");
  EXPECT_EQ(provenance.authserv_id, "mx.mail-example.net");
}

TEST(Mail, ReadsRfc2231FileNameAndHtmlOnlyHumanPart) {
  const MailScan result = scan("mail/microsoft-report.eml");
  ASSERT_EQ(result.parts.size(), 1u);
  EXPECT_EQ(result.parts[0].filename,
            "microsoft.com!mail-example.net!1778284800!1778371199!134228729600000000.json.gz");
  EXPECT_EQ(result.provenance.dkim, DkimVerdict::pass);
}

TEST(Mail, FindsReportsByContentWhateverTheMediaType) {
  EXPECT_EQ(scan("mail/nested-mixed-octet-stream.eml").parts.size(), 1u);
  EXPECT_EQ(scan("mail/two-attachments.eml").parts.size(), 2u);
  EXPECT_EQ(scan("mail/zip-attachment.eml").parts[0].media_type, "application/zip");
  EXPECT_EQ(scan("mail/whole-body-qp.eml").parts[0].number, "1");
}

TEST(Mail, SaysWhyAMessageIsNotATlsReport) {
  EXPECT_EQ(scan("mail/bounce.eml").not_report_reason,
            "a delivery status notification (bounce), not a TLS report");
  EXPECT_EQ(scan("mail/ordinary.eml").not_report_reason,
            "a message without a report attachment (text/plain), not a TLS report");
  // The DMARC zip is a candidate by content; the pipeline finds XML inside.
  EXPECT_EQ(scan("mail/dmarc-zip.eml").parts.size(), 1u);
}

TEST(Mail, DkimPassForAnotherDomainIsNotAPass) {
  const MailScan result = scan("forged/forged-google.eml");
  EXPECT_EQ(result.provenance.dkim, DkimVerdict::fail);
  EXPECT_EQ(result.provenance.dkim_domain, "");
}

TEST(Mail, TrustsOnlyTheTopmostAuthenticationServer) {
  Headers headers;
  headers.add("Authentication-Results", "mx.mine.example; spf=pass");
  headers.add("Authentication-Results", "evil.example; dkim=pass header.d=google.com");
  std::string domain, server;
  EXPECT_EQ(dkim_verdict(headers, "google.com", domain, server), DkimVerdict::fail);
  EXPECT_EQ(server, "mx.mine.example");
  headers.add("Authentication-Results", "mx.mine.example; dkim=pass header.i=@mail.google.com");
  EXPECT_EQ(dkim_verdict(headers, "google.com", domain, server), DkimVerdict::pass);
  EXPECT_EQ(domain, "mail.google.com");
  EXPECT_EQ(dkim_verdict(Headers{}, "google.com", domain, server), DkimVerdict::none);
}

TEST(Mail, ParsesTheReportFileNameConvention) {
  const auto parts =
      parse_report_filename("dir/google.com!Example.com!1667520000!1667606399!001.json.gz");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->submitter, "google.com");
  EXPECT_EQ(parts->policy_domain, "example.com");
  EXPECT_EQ(parts->begin, 1667520000);
  EXPECT_EQ(parts->end, 1667606399);
  EXPECT_EQ(parts->unique_id, "001");
  EXPECT_TRUE(parse_report_filename("a!b!1!2.json"));
  EXPECT_FALSE(parse_report_filename("report.json.gz"));
  EXPECT_FALSE(parse_report_filename("a!b!x!2.json"));
}

TEST(Mail, WarnsWhenMetadataContradictsTheReport) {
  Report report;
  report.date_range = {1778284800, 1778371199};
  report.policies.resize(1);
  report.policies[0].policy_domain = "Mail-Example.net";
  Provenance provenance;
  provenance.tls_report_domain = "other.example";
  provenance.filename = "g!mail-example.net!1778284800!1778371200.json";
  provenance.filename_parts = parse_report_filename(provenance.filename);
  std::vector<std::string> messages;
  for (const Diagnostic& warning : check_provenance(report, provenance))
    messages.push_back(format_location(warning));
  EXPECT_EQ(messages, std::vector<std::string>{
                          "TLS-Report-Domain: the message says the report is for other.example, "
                          "but its policies are for mail-example.net"});
  provenance.filename_parts->begin -= 86400;
  EXPECT_EQ(check_provenance(report, provenance).size(), 2u);
}

TEST(Mail, TakesTheDomainOfAnAddress) {
  EXPECT_EQ(address_domain("\"Json Sender\" <tlsrpt@JSON-sender.example>"), "json-sender.example");
  EXPECT_EQ(address_domain("noreply@google.com"), "google.com");
  EXPECT_EQ(address_domain("nobody"), "");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Times no date-time can be (or no 64-bit integer holds) in the file-name convention: flagged and
// ignored with a warning, never arithmetic on them (UBSan caught a signed overflow here).
TEST(Mail, FileNameTimesOutOfRangeAreIgnored) {
  for (const char* name :
       {"a!example.com!0!9223372036854775807.json", "a!example.com!-9223372036854775808!0.json",
        "a!example.com!0!99999999999999999999999.json", "a!example.com!-62167219201!0.json"}) {
    const auto parts = parse_report_filename(name);
    ASSERT_TRUE(parts) << name;
    EXPECT_TRUE(parts->times_out_of_range) << name;
    EXPECT_EQ(parts->begin, 0) << name;
    EXPECT_EQ(parts->end, 0) << name;
  }
  EXPECT_FALSE(parse_report_filename("a!example.com!0!0.json")->times_out_of_range);
  // Through the CLI: the report counts, with a warning naming the file.
  const std::string dir = ::testing::TempDir() + "tlsrpt-overflow/";
  std::filesystem::create_directories(dir);
  for (const char* name : {"a!mail-example.net!0!9223372036854775807.json",
                           "b!mail-example.net!-9223372036854775808!0.json"}) {
    std::filesystem::copy_file(testing::testdata("reports/mailru-nextday.json"), dir + name,
                               std::filesystem::copy_options::overwrite_existing);
  }
  const auto run = testing::run_cli({"summary", "--format", "json", "--now", "2026-05-12", dir});
  EXPECT_EQ(run.status, 0) << run.err;
  const auto summary = nlohmann::json::parse(run.out);
  EXPECT_EQ(summary["reports"], 1);  // the second is a duplicate of the first
  const auto show = testing::run_cli(
      {"show", "--format", "json", dir + "a!mail-example.net!0!9223372036854775807.json"});
  const auto shown = nlohmann::json::parse(show.out);
  EXPECT_TRUE(shown["reports"][0]["provenance"]["filename_parts"]["begin"].is_null());
  const auto& warnings = shown["reports"][0]["warnings"];
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const auto& w) {
    return w["message"].template get<std::string>().find("beyond the years 0000-9999") !=
           std::string::npos;
  })) << warnings.dump();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// --trusted-authserv-id: the verdict comes from the topmost header of one's own server, never
// from one a sender added itself.
TEST(Mail, ReadsTheDkimVerdictOfATrustedServer) {
  const std::string raw =
      "Authentication-Results: relay.sender.example; dkim=fail header.d=google.com\n"
      "Authentication-Results: MX.mail-example.net 1; dkim=pass header.d=google.com\n"
      "From: noreply-smtp-tls-reporting@google.com\n"
      "TLS-Report-Submitter: google.com\n"
      "Content-Type: application/tlsrpt+json\n\n{}";
  const auto verdict = [&](const std::vector<std::string>& trusted) {
    return scan_message(parse_message(raw), trusted).provenance;
  };
  EXPECT_EQ(verdict({}).dkim, DkimVerdict::fail);  // the topmost, the sender's own relay
  const Provenance trusted = verdict({"mx.mail-example.net"});
  EXPECT_EQ(trusted.dkim, DkimVerdict::pass);
  EXPECT_EQ(trusted.authserv_id, "mx.mail-example.net");
  EXPECT_EQ(verdict({"mx.elsewhere.example"}).dkim, DkimVerdict::none);
}

TEST(Mail, TrustedAuthservIdThroughTheCli) {
  const std::string dir = testing::samples_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/samples not present";
  const auto dkim = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"show", "--format", "json", dir + "/tlsrpt-rs__mail.ru.eml"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto shown = nlohmann::json::parse(testing::run_cli(args).out);
    return shown["reports"][0]["provenance"]["dkim"].get<std::string>();
  };
  EXPECT_EQ(dkim({}), "fail");  // Mail.ru's own relay's header, taken for the receiver's
  EXPECT_EQ(dkim({"--trusted-authserv-id", "mx.example.org"}), "none");
}

}  // namespace
}  // namespace tlsrpt
