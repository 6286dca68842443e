// Runs the real-world samples in ../shared/samples (not part of this repository; skipped when
// absent) and checks each JSON/gzip one is summarized or rejected with a precise reason.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;

json show(const std::string& name) {
  const auto run =
      testing::run_cli({"show", "--format", "json", testing::samples_dir() + "/" + name});
  EXPECT_EQ(run.status, 0) << name << ": " << run.err;
  return run.status == 0 ? json::parse(run.out)["reports"][0] : json();
}

std::uint64_t failures(const json& report) {
  std::uint64_t total = 0;
  for (const json& policy : report["policies"]) {
    if (policy["counted"].get<bool>())
      total += policy["total_failure_session_count"].get<std::uint64_t>();
  }
  return total;
}

std::uint64_t successes(const json& report) {
  std::uint64_t total = 0;
  for (const json& policy : report["policies"]) {
    if (policy["counted"].get<bool>())
      total += policy["total_successful_session_count"].get<std::uint64_t>();
  }
  return total;
}

class Samples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::samples_dir().empty()) GTEST_SKIP() << "../shared/samples not present";
  }
};

TEST_F(Samples, ReadsEveryJsonReportWithItsTotals) {
  // name → successful, failed (from SOURCES.md)
  const std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> expected{
      {"google.com!example.com!1667520000!1667606399!001.json", {2, 0}},
      {"parsedmarc__smtp_tls.json", {0, 3}},
      {"parsedmarc__mail.ru.json", {0, 1}},
      {"mta-sts-exporter__microsoft-2.json", {7, 0}},
      {"tls-rpt-monitor__microsoft-report.json.gz", {2, 0}},
      {"tls-rpt-monitor__microsoft-report-edited.json", {2, 2}},
      {"tlsrpt_processor__sample.json", {5326, 303}},
      {"tls_reporting__example.gz", {5326, 303}},
      {"tls_reporting__no-policies.json", {0, 0}},
      {"tls_reporting__missing_required_field.json", {5326, 303}},
      {"mail-auth__rpt03.json", {2, 0}},
  };
  for (const auto& [name, counts] : expected) {
    const json report = show(name);
    if (report.is_null()) continue;
    EXPECT_EQ(successes(report), counts.first) << name;
    EXPECT_EQ(failures(report), counts.second) << name;
  }
}

TEST_F(Samples, ReadsEveryEmailWithTheTotalsOfTheReportItCarries) {
  // name → successful, failed, DKIM verdict (from SOURCES.md and each message's headers)
  struct Expected {
    std::uint64_t successful, failed;
    const char* dkim;
  };
  const std::map<std::string, Expected> expected{
      {"parsedmarc__google.com_smtp_tls_report.eml", {48, 0, "none"}},
      {"mox__google-example.eml", {3, 0, "pass"}},
      {"tlsrpt-rs__google1.eml", {1, 0, "none"}},
      {"mail-tls-rpt__google-email.eml", {343, 0, "pass"}},
      {"tlsrpt-digest__success_google_1.eml", {1, 0, "pass"}},
      {"email-report-processor__tlsrpt-report.eml", {1, 0, "pass"}},
      {"mail-auth__rpt02.eml", {23, 1, "none"}},
      {"mox__microsoft.eml", {2, 0, "pass"}},
      {"tlsrpt-rs__microsoft1.eml", {2, 0, "none"}},  // sts and tlsa: the same 2 sessions
      {"tlsrpt-digest__success_microsoft.eml", {2, 0, "pass"}},
      {"tlsrpt-rs__mail.ru.eml", {0, 1, "fail"}},
      {"mail-auth__rpt01.eml", {5326, 303, "none"}},
      {"tlsrpt-be__test.eml", {5326, 303, "none"}},
  };
  for (const auto& [name, counts] : expected) {
    const json report = show(name);
    if (report.is_null()) continue;
    EXPECT_EQ(successes(report), counts.successful) << name;
    EXPECT_EQ(failures(report), counts.failed) << name;
    EXPECT_EQ(report["provenance"]["dkim"], counts.dkim) << name;
    EXPECT_EQ(report["provenance"]["part"], "2") << name;
  }
}

TEST_F(Samples, SkipsMailThatCarriesNoTlsReport) {
  const std::map<std::string, std::string> expected{
      {"email-report-processor__dmarc-report-not-tlsrpt.eml",
       "part 1 (google.com!example.com!1705363200!1705449599.zip): zip entry "
       "google.com!example.com!1705363200!1705449599.xml: a DMARC aggregate report (XML), not a "
       "TLS report"},
      {"tlsrpt-rs__empty-not-a-report.eml",
       "a message without a report attachment (text/plain), not a TLS report"},
  };
  for (const auto& [name, message] : expected) {
    const auto run =
        testing::run_cli({"summary", "--format", "json", testing::samples_dir() + "/" + name});
    EXPECT_EQ(run.status, 0) << name;
    const json summary = json::parse(run.out);
    EXPECT_EQ(summary["not_reports"], 1) << name;
    ASSERT_EQ(summary["notes"].size(), 1u) << name;
    EXPECT_EQ(summary["notes"][0]["where"].is_null()
                  ? summary["notes"][0]["message"].get<std::string>()
                  : summary["notes"][0]["where"].get<std::string>() + ": " +
                        summary["notes"][0]["message"].get<std::string>(),
              message);
  }
  const auto mbox = testing::run_cli(
      {"summary", "--format", "json",
       testing::samples_dir() + "/email-report-processor__romain-no-reports.mbox"});
  EXPECT_EQ(mbox.status, 0);
  EXPECT_EQ(json::parse(mbox.out)["not_reports"], 10);
}

TEST_F(Samples, FlagsTheirQuirksAsWarnings) {
  const auto codes = [](const json& report) {
    std::vector<std::string> list;
    for (const json& warning : report["warnings"]) list.push_back(warning["code"]);
    return list;
  };
  EXPECT_EQ(codes(show("mta-sts-exporter__microsoft-2.json")),
            (std::vector<std::string>{"datetime_without_zone", "datetime_without_zone"}));
  EXPECT_EQ(codes(show("parsedmarc__mail.ru.json")),
            std::vector<std::string>{"detail_sum_exceeds_total"});
  EXPECT_EQ(codes(show("tlsrpt_processor__sample.json")),
            (std::vector<std::string>{"leading_whitespace", "string_not_array", "key_alias"}));
  EXPECT_EQ(codes(show("mail-auth__rpt03.json")),
            (std::vector<std::string>{"missing_count", "unknown_policy_type", "missing_field",
                                      "missing_count"}));
}

TEST_F(Samples, RejectsBrokenOnesWithAPreciseReason) {
  const std::map<std::string, std::string> expected{
      {"tls_reporting__truncated.gz",
       "byte 12: gzip: truncated data (the file ends before the end of the stream); skipped"},
      {"tls_reporting__date_error.json",
       "date-range.start-datetime: expected an RFC 3339 date-time, got the string \"April fools\"; "
       "skipped"},
  };
  for (const auto& [name, message] : expected) {
    const std::string path = testing::samples_dir() + "/" + name;
    const auto run = testing::run_cli({"show", path});
    EXPECT_EQ(run.status, 3) << name;
    EXPECT_EQ(run.err, "tlsrpt: error: " + path + ": " + message + "\n");
  }
}

TEST_F(Samples, SummarizesTheWholeFolderCountingDuplicatesOnce) {
  const auto run = testing::run_cli({"summary", "--format", "json", testing::samples_dir()});
  EXPECT_EQ(run.status, 3);  // the truncated gzip and the "April fools" date
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["errors"].size(), 2u);
  // RFC example key: rpt01.eml is read first; tls_reporting__example.gz, tlsrpt-be__test.eml and
  // tlsrpt_processor__sample.json are the same report, missing_required_field and no-policies
  // conflict. Microsoft josh.scot: the edited copy conflicts.
  EXPECT_EQ(summary["duplicates"], 6);
  EXPECT_EQ(summary["conflicting_duplicates"], 3);
  EXPECT_EQ(summary["reports"], 18);
  // The DMARC mail, the cron mail, the ten Riemann alerts, and SOURCES.md.
  EXPECT_EQ(summary["not_reports"], 13);
  EXPECT_EQ(summary["authentication"]["dkim_pass"], 6);
  // The 2016 example reports add no empty days: tens of KB, not megabytes.
  EXPECT_LT(run.out.size(), 100'000u);
}

// The first screen is the answer: the verdicts, the failure types with where and what to do.
TEST_F(Samples, TheFirst25LinesSayWhatIsWrongAndWhatToDo) {
  const auto run = testing::run_cli(
      {"summary", "--color", "never", "--now", "2026-05-14", testing::samples_dir()});
  std::string head;
  std::size_t at = 0;
  for (int line = 0; line < 25 && at < run.out.size(); ++line) {
    const std::size_t end = run.out.find('\n', at);
    head += run.out.substr(at, end - at + 1);
    at = end + 1;
  }
  for (const char* needed : {"Failure rate: 5.12%", "Enforce:   INSUFFICIENT DATA for 8 domains",
                             "starttls-not-supported: 200 failed", "Do: Enable STARTTLS",
                             "certificate-expired: 100 failed", "Do: Renew it"}) {
    EXPECT_NE(head.find(needed), std::string::npos) << needed << "\n" << head;
  }
  // Months later, the first thing said is that reports stopped arriving.
  const auto later = testing::run_cli(
      {"summary", "--color", "never", "--now", "2026-11-30", testing::samples_dir()});
  EXPECT_NE(later.out.find("Alerts (1)\n  CRITICAL  no report since 2026-05-13 (200 days before"),
            std::string::npos)
      << later.out;
}

}  // namespace
}  // namespace tlsrpt
