// export --format prometheus: valid for a real promtool, labels escaped, senders bounded, and the
// alert rules of docs/prometheus.md pass promtool's own rule tests. The promtool steps skip with a
// message when Debian's prometheus package is absent (scripts/deps --test installs it).
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"

namespace tlsrpt {
namespace {

using testing::run_cli;
using testing::testdata;

testing::CliRun metrics(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{
      "export",     "--format",          "prometheus",     "--now",
      "2026-05-12", testdata("reports"), testdata("mail"), testdata("hostile/html-injection.json")};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

TEST(ExportPrometheus, SamplesAsTheSummarySaysThem) {
  const testing::CliRun run = metrics();
  EXPECT_EQ(run.status, kExitOk) << run.err;
  const std::string& out = run.out;
  EXPECT_NE(out.find("# TYPE tlsrpt_sessions gauge\n"), std::string::npos);
  EXPECT_NE(out.find("tlsrpt_sessions{policy_domain=\"other-example.org\"} 5655\n"),
            std::string::npos);
  EXPECT_NE(out.find("tlsrpt_failed_sessions{policy_domain=\"mail-example.net\"} 57\n"),
            std::string::npos);
  EXPECT_NE(out.find("tlsrpt_check_verdict{policy_domain=\"mail-example.net\",verdict=\"not_"
                     "ready\"} 1\n"),
            std::string::npos);
  // A sender name with quotes and a backslash-free script: the quotes escaped.
  EXPECT_NE(out.find("sender=\"<script>alert('org')</script>Evil \\\"Sender\\\"\""),
            std::string::npos);
  EXPECT_NE(out.find("result_type=\"starttls-not-supported\""), std::string::npos);
}

TEST(ExportPrometheus, SendersBeyondTopAreOther) {
  const std::string out = metrics({"--top", "2"}).out;
  std::set<std::string> senders;
  const std::regex sender("tlsrpt_sender_sessions\\{sender=\"([^\"]*)\"\\}");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), sender); it != std::sregex_iterator();
       ++it) {
    senders.insert((*it)[1].str());
  }
  EXPECT_EQ(senders, (std::set<std::string>{"Company-X", "Google Inc.", "other"}));
}

TEST(ExportPrometheus, PromtoolAcceptsTheMetricsAndTheRules) {
  if (!testing::have_program("promtool"))
    GTEST_SKIP() << "promtool not found (apt-get install prometheus)";
  const std::string path = ::testing::TempDir() + "tlsrpt.prom";
  std::ofstream(path) << metrics().out;
  int status = 0;
  const std::string lint =
      testing::run_command("promtool check metrics < " + path + " 2>&1", &status);
  EXPECT_EQ(status, 0) << lint;
  EXPECT_EQ(lint, "");
  const std::string docs = testdata("../docs");
  const std::string rules = testing::run_command(
      fmt::format("cd {} && promtool test rules prometheus-rules.test.yml 2>&1", docs), &status);
  EXPECT_EQ(status, 0) << rules;
  EXPECT_NE(rules.find("SUCCESS"), std::string::npos) << rules;
}

}  // namespace
}  // namespace tlsrpt
