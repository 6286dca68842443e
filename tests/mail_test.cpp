#include "tlsrpt/mail.hpp"

#include <gtest/gtest.h>

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
