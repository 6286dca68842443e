// The live domain check against real servers started here (tests/live/servers.py): unbound with
// DNSSEC-signed and unsigned test zones, an HTTPS policy host, SMTP servers with STARTTLS and good,
// expired, wrong-name and self-signed certificates, one without STARTTLS, one that drips its
// banner, one that answers STARTTLS with garbage. All on 127.0.0.1, unprivileged, in a temporary
// directory; skipped with a message when the servers' packages are absent (scripts/deps --test).
#include "tlsrpt/live.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"
#include "tlsrpt/text.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_cli;
using testing::testdata;

class LiveServers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* command : {"unbound", "ldns-signzone", "ldns-keygen", "drill"}) {
      if (!testing::have_program(command)) {
        skip_ = fmt::format("{} not found (scripts/deps --test installs it); skipped", command);
        return;
      }
    }
    if (std::system("/usr/bin/python3 -c 'import aiosmtpd, cryptography' 2>/dev/null") != 0) {
      skip_ =
          "python3-aiosmtpd or python3-cryptography not installed (scripts/deps --test); "
          "skipped";
      return;
    }
    dir_ = fs::temp_directory_path() / fmt::format("tlsrpt-live-{}", getpid());
    fs::create_directories(dir_);
    server_ = std::make_unique<testing::ServerProcess>(testdata("../tests/live/servers.py"),
                                                       std::vector<std::string>{dir_.string()});
    // One JSON line when they listen (key generation and zone signing first).
    const std::string line = server_->read_line(60);
    ASSERT_FALSE(line.empty()) << "the test servers did not start; see " << dir_ << "/unbound.log";
    const json config = json::parse(line);
    ipv6_ = config["ipv6"].get<bool>();
    args_ = {"--resolver",     config["resolver"].get<std::string>(),
             "--trust-anchor", config["trust_anchor"].get<std::string>(),
             "--ca-file",      config["ca_file"].get<std::string>(),
             "--timeout",      "3"};
    for (const auto& entry : config["connect_to"]) {
      args_.push_back("--connect-to");
      args_.push_back(entry.get<std::string>());
    }
  }

  static void TearDownTestSuite() {
    server_.reset();  // stops the servers
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }

  // `tlsrpt COMMAND ARGS... <server options> --format json`, parsed.
  static json run_json(const std::vector<std::string>& command, int expected_status) {
    std::vector<std::string> args = command;
    args.insert(args.end(), args_.begin(), args_.end());
    args.insert(args.end(), {"--format", "json"});
    const testing::CliRun run = run_cli(args);
    EXPECT_EQ(run.status, expected_status) << run.out << run.err;
    return json::parse(run.out);
  }

  // The findings of `check` about `subject` (or every subject when ""), as "severity result_type".
  static std::vector<std::string> findings(const json& output, const std::string& check,
                                           const std::string& subject = "") {
    std::vector<std::string> list;
    for (const auto& finding : output["findings"]) {
      if (finding["check"] != check) continue;
      if (!subject.empty() && finding["subject"] != subject) continue;
      list.push_back(fmt::format(
          "{} {}", finding["severity"].get<std::string>(),
          finding["result_type"].is_null() ? "-" : finding["result_type"].get<std::string>()));
    }
    return list;
  }

  static std::string message(const json& output, const std::string& check,
                             const std::string& subject) {
    for (const auto& finding : output["findings"]) {
      if (finding["check"] == check && finding["subject"] == subject) return finding["message"];
    }
    return "";
  }

  static inline std::string skip_;
  static inline fs::path dir_;
  static inline std::unique_ptr<testing::ServerProcess> server_;
  static inline std::vector<std::string> args_;
  static inline bool ipv6_ = false;  // the machine has IPv6 on loopback: mx6.good.example exists
};

using Findings = std::vector<std::string>;

TEST_F(LiveServers, GoodDomainPassesWithDaneAndAnExpiryWarning) {
  const json out = run_json({"domain", "good.example"}, kExitOk);
  EXPECT_EQ(findings(out, "tlsrpt_record"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "sts_record"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "mx_covered"), Findings(ipv6_ ? 3 : 2, "ok -"));
  EXPECT_EQ(findings(out, "dane", "mx.good.example (127.0.0.1)"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "dane_precedence"), Findings{"info -"});
  // mx2's certificate expires in five days and a half: a warning, not a block.
  EXPECT_EQ(findings(out, "certificate_expiry", "mx2.good.example (127.0.0.1)"),
            Findings{"warning certificate-expired"});
  const json& state = out["live_domains"][0];
  EXPECT_EQ(state["policy"]["mode"], "testing");
  EXPECT_EQ(state["policy"]["max_age"], 604800);
  EXPECT_EQ(state["mx"][0]["host"], "mx.good.example");
  EXPECT_TRUE(state["mx"][0]["addresses_dnssec_secure"]);
  EXPECT_EQ(state["mx"][0]["tlsa"]["status"], "ok");
  const json& probe = state["mx"][0]["probes"][0];
  EXPECT_TRUE(probe["starttls_offered"]);
  EXPECT_TRUE(probe["trusted"]);
  EXPECT_TRUE(probe["name_matches"]);
  EXPECT_TRUE(probe["dane_matched"]);
  EXPECT_EQ(probe["chain"][0]["issuer"], "CN=tlsrpt test CA");
  if (ipv6_) {  // an MX with only an IPv6 address is probed over IPv6
    EXPECT_EQ(findings(out, "certificate", "mx6.good.example (::1)"), Findings{"ok -"});
    const json& ipv6 = state["mx"][2];
    EXPECT_EQ(ipv6["addresses"], json::array({"::1"}));
    EXPECT_TRUE(ipv6["probes"][0]["dialed"].get<std::string>().starts_with("[::1]:"));
  }
}

TEST_F(LiveServers, NoSmtpAndExpiryWarningDaysShapeTheProbes) {
  // --no-smtp: DNS and the policy only; no probe, no finding about a certificate.
  json out = run_json({"domain", "good.example", "--no-smtp"}, kExitOk);
  EXPECT_TRUE(out["live_domains"][0]["mx"][0]["probes"].empty());
  EXPECT_TRUE(findings(out, "certificate").empty());
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"ok -"});
  // mx2's certificate has five days and a half left: no warning under a 3-day threshold.
  out = run_json({"domain", "good.example", "--expiry-warning-days", "3"}, kExitOk);
  EXPECT_TRUE(findings(out, "certificate_expiry").empty());
  EXPECT_EQ(findings(out, "certificate", "mx2.good.example (127.0.0.1)"), Findings{"ok -"});
}

TEST_F(LiveServers, EveryCertificateAndStarttlsFailureIsItsOwnFinding) {
  const json out = run_json({"domain", "broken.example"}, kExitNotReady);
  // A TLSRPT record in two strings is one record; a TXT that is not v=STSv1 is discarded.
  EXPECT_EQ(findings(out, "tlsrpt_record"), Findings{"ok -"});
  EXPECT_EQ(out["live_domains"][0]["tlsrpt_record"]["records"][0]["rua"].size(), 2u);
  EXPECT_EQ(findings(out, "sts_record"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "certificate_expiry", "mx1.broken.example (127.0.0.1)"),
            Findings{"blocks certificate-expired"});
  EXPECT_EQ(findings(out, "certificate_name", "a.mail.broken.example (127.0.0.1)"),
            Findings{"blocks certificate-host-mismatch"});
  EXPECT_EQ(findings(out, "certificate_trust", "x.y.mail.broken.example (127.0.0.1)"),
            Findings{"blocks certificate-not-trusted"});
  EXPECT_EQ(findings(out, "starttls", "nostarttls.broken.example (127.0.0.1)"),
            Findings{"blocks starttls-not-supported"});
  // A server that answers STARTTLS with garbage: a handshake failure, not "no STARTTLS".
  EXPECT_EQ(findings(out, "tls_handshake", "garbage.broken.example (127.0.0.1)"),
            Findings{"blocks validation-failure"});
  // *.mail.broken.example covers a.mail but not x.y.mail (one label only, RFC 8461 §4.1).
  EXPECT_EQ(findings(out, "mx_covered", "a.mail.broken.example"), Findings{"ok -"});
  EXPECT_EQ(findings(out, "mx_covered", "x.y.mail.broken.example"), Findings{"blocks mx-mismatch"});
  EXPECT_EQ(out["live_domains"][0]["policy"]["max_age"], 86400);
  EXPECT_EQ(out["live_domains"][0]["policy"]["extensions"]["extension_key"], "kept");
  // An MX name that is a CNAME is noted; the policy and certificate are matched against the MX
  // name.
  EXPECT_EQ(findings(out, "mx_records", "alias.broken.example"), Findings{"info -"});
  EXPECT_EQ(findings(out, "mx_covered", "alias.broken.example"), Findings{"blocks mx-mismatch"});
}

TEST_F(LiveServers, PolicyHostFailuresAreFoundAsASenderFetches) {
  json out = run_json({"domain", "redirect.example"}, kExitNotReady);
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"blocks sts-policy-fetch-error"});
  EXPECT_NE(message(out, "sts_policy", "https://mta-sts.redirect.example/.well-known/mta-sts.txt")
                .find("do not follow redirects"),
            std::string::npos);
  EXPECT_EQ(findings(out, "sts_record"), Findings{"blocks -"});  // id "r!"
  EXPECT_EQ(findings(out, "tlsrpt_record"), Findings{"warning -"});

  out = run_json({"domain", "huge.example"}, kExitNotReady);
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"blocks sts-policy-fetch-error"});
  EXPECT_NE(message(out, "sts_policy", "https://mta-sts.huge.example/.well-known/mta-sts.txt")
                .find("larger than 64 KiB"),
            std::string::npos);
  EXPECT_EQ(findings(out, "tlsrpt_record"), Findings{"warning -"});  // rua=ftp://
  EXPECT_EQ(findings(out, "mx_records"), Findings{"info -"});        // null MX
  EXPECT_TRUE(out["live_domains"][0]["null_mx"]);

  out = run_json({"domain", "wrongcert.example"}, kExitNotReady);
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"blocks sts-webpki-invalid"});

  out = run_json({"domain", "html.example"}, kExitOk);
  EXPECT_EQ(findings(out, "sts_policy_content_type"), Findings{"warning -"});
  EXPECT_EQ(findings(out, "sts_policy_max_age"), Findings{"warning -"});  // 3600 s, enforce
  EXPECT_EQ(findings(out, "tlsrpt_record"), Findings{"warning -"});       // two records
}

TEST_F(LiveServers, WhatCannotBeReachedIsCouldNotTellNeverAPass) {
  const auto start = std::chrono::steady_clock::now();
  const json out = run_json({"domain", "slow.example"}, kExitInsufficientData);
  // A banner dripped a byte a second costs the timeout (3 s), not the 40 s it would take.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  for (const char* subject : {"mx.slow.example (127.0.0.1)", "closed.slow.example (127.0.0.1)"}) {
    EXPECT_EQ(findings(out, "smtp", subject), Findings{"warning -"}) << subject;
  }
  for (const auto& finding : out["findings"]) {
    if (finding["check"] == "smtp") {
      EXPECT_TRUE(finding["could_not_tell"]);
    }
  }
}

TEST_F(LiveServers, HostileAnswersAreBoundedFindings) {
  const auto start = std::chrono::steady_clock::now();
  const json out = run_json({"domain", "hostile.example"}, kExitNotReady);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // 61 KB of TXT (over TCP after a truncated UDP answer) is one record with extensions.
  const json& tlsrpt = out["live_domains"][0]["tlsrpt_record"];
  EXPECT_EQ(tlsrpt["dns"]["status"], "ok");
  EXPECT_GT(tlsrpt["records"][0]["text"].get<std::string>().size(), 60000u);
  // 1,000 MX records: the 20 of lowest preference are looked at, and that is said.
  EXPECT_EQ(out["live_domains"][0]["mx"].size(), 20u);
  EXPECT_EQ(findings(out, "mx_records", "hostile.example"), Findings{"warning -"});
  // A gzip body is an invalid policy, its bytes never printed raw.
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"blocks sts-policy-invalid"});
  // A banner line that never ends is cut at 4 KiB.
  EXPECT_NE(message(out, "smtp", "endless.hostile.example (127.0.0.1)").find("longer than 4096"),
            std::string::npos);
}

TEST_F(LiveServers, DaneMismatchBogusTlsaAndUnusableUsages) {
  const json out = run_json({"domain", "dane.example"}, kExitNotReady);
  EXPECT_EQ(findings(out, "dane", "mx.dane.example (127.0.0.1)"), Findings{"blocks tlsa-invalid"});
  // A TLSA RRset whose signature is broken validates as bogus: its own finding, not "no DANE".
  EXPECT_EQ(findings(out, "dane_tlsa", "_25._tcp.mx2.dane.example"),
            Findings{"blocks dnssec-invalid"});
  EXPECT_EQ(findings(out, "dane_tlsa", "_25._tcp.mx3.dane.example"),
            Findings{"warning tlsa-invalid"});  // usage 1 only
  EXPECT_EQ(findings(out, "dane", "mx3.dane.example (127.0.0.1)"), Findings{});
}

TEST_F(LiveServers, ReportedFailuresAreJudgedAgainstTheLiveState) {
  const json out = run_json({"domain", "good.example", "broken.example", "slow.example",
                             testdata("live"), "--now", "2026-05-12"},
                            kExitNotReady);
  std::vector<std::string> judged;
  for (const auto& failure : out["reported_failures"]) {
    judged.push_back(fmt::format("{} {} {} {}", failure["result_type"].get<std::string>(),
                                 failure["receiving_mx_hostname"].get<std::string>(),
                                 failure["failed"].get<int>(), failure["live"].get<std::string>()));
  }
  std::sort(judged.begin(), judged.end());
  EXPECT_EQ(judged, (std::vector<std::string>{
                        "certificate-expired gone.broken.example 2 fixed",
                        "certificate-expired mx.good.example 12 fixed",
                        "certificate-expired mx.slow.example 4 cannot-tell",
                        "mx-mismatch mx2.good.example 3 fixed",
                        "starttls-not-supported nostarttls.broken.example 7 still-failing",
                    }));
}

TEST_F(LiveServers, CheckLiveAddsTheLiveStateToTheGate) {
  // The reports alone: not ready (rate, days). The live state of broken.example blocks too; of
  // slow.example it could not be told.
  json out =
      run_json({"check", "--live", "broken.example", testdata("live"), "--now", "2026-05-12"},
               kExitNotReady);
  EXPECT_EQ(out["verdict"], "not_ready");
  EXPECT_FALSE(findings(out, "starttls").empty());
  bool live_item = false;
  for (const auto& item : out["items"]) live_item = live_item || item["code"] == "live_blocks";
  EXPECT_TRUE(live_item);
  for (const auto& failure : out["reported_failures"]) {
    EXPECT_EQ(failure["policy_domain"], "broken.example");  // only the domains checked live
  }
}

TEST_F(LiveServers, SummaryLiveEndsWithTheLiveState) {
  const json out = run_json(
      {"summary", "--live", "good.example", testdata("live"), "--now", "2026-05-12"}, kExitOk);
  EXPECT_EQ(out["totals"]["failed"], 28);  // the summary as without --live
  ASSERT_EQ(out["reported_failures"].size(), 2u);
  for (const auto& failure : out["reported_failures"]) EXPECT_EQ(failure["live"], "fixed");
  EXPECT_EQ(findings(out, "sts_policy"), Findings{"ok -"});
}

TEST_F(LiveServers, OutputValidatesAgainstTheDomainSchema) {
  if (std::system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-jsonschema not installed";
  }
  std::vector<std::string> files;
  for (const char* domain : {"good.example", "broken.example", "dane.example", "hostile.example"}) {
    std::vector<std::string> args{"domain",   domain, testdata("live"), "--now", "2026-05-12",
                                  "--format", "json"};
    args.insert(args.end(), args_.begin(), args_.end());
    files.push_back(::testing::TempDir() + fmt::format("domain-{}.json", domain));
    std::ofstream(files.back()) << run_cli(args).out;
  }
  const std::string command =
      fmt::format("/usr/bin/python3 {} {} {} 2>&1", testdata("../tests/schemas/validate.py"),
                  testdata("../docs/schemas/domain.schema.json"), fmt::join(files, " "));
  EXPECT_EQ(std::system(command.c_str()), 0);
}

TEST_F(LiveServers, TextOutputFitsEightyColumnsAndNamesWhatToDo) {
  std::vector<std::string> args = {"domain", "broken.example"};
  args.insert(args.end(), args_.begin(), args_.end());
  const testing::CliRun run = run_cli(args);
  EXPECT_EQ(run.status, kExitNotReady);
  EXPECT_NE(run.out.find("Live state of broken.example"), std::string::npos);
  EXPECT_NE(run.out.find("Do: Enable STARTTLS"), std::string::npos);
  std::size_t start = 0;
  while (start < run.out.size()) {
    const auto end = run.out.find('\n', start);
    const std::string line = run.out.substr(start, end - start);
    EXPECT_LE(display_width(line), 80u) << line;
    start = end + 1;
  }
}

}  // namespace
}  // namespace tlsrpt
