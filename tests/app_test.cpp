// The application layer (app.hpp): one gate on every face. For the same reports and the same
// settings — from a configuration file or from options — check, summary (text, JSON, HTML),
// alerts and the Prometheus export give the same verdict and the same numbers; the exit status
// puts the answer before skipped inputs.
#include "tlsrpt/app.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::run_cli;

// 20 days of the major senders; Google sees 30 validation failures a day (2.9% of its sessions,
// 0.74% of all): not ready at the default 1%, ready at 3%. The default alert thresholds fire
// nothing; with 0.5% to warn and 1% critical, 0.74% is a warning.
std::string ramp() {
  static const std::string dir =
      testing::write_ramp("gate", 20, testing::kMajors, "validation-failure", 30);
  return dir;
}
constexpr const char* kNow = "2026-03-08";  // the day after the ramp

const std::vector<std::string> kGateOptions{"--max-failure-rate", "3%", "--warn-rate", "0.5%",
                                            "--critical-rate",    "1%", "--min-days",  "10"};
const char* const kGateConfig =
    "# the gate, once, for every command\n"
    "max-failure-rate = \"3%\"\n"
    "[gate]\n"
    "warn-rate = \"0.5%\"\n"
    "critical-rate = \"1%\"\n"
    "min-days = 10\n";

// What each face says about the verdict and the alerts, read from its own output.
struct Faces {
  std::string check;       // check --format json: "verdict"
  std::string summary;     // summary --format json: "check"."verdict"
  std::string html;        // summary --format html: data-verdict of the overall verdict
  std::string prometheus;  // export --format prometheus: the verdict whose sample is 1
  std::vector<std::string> summary_alerts;
  std::vector<std::string> alerts;  // alerts --format json
  std::string prometheus_alerts;    // tlsrpt_alerts samples
  int check_status = -1;
  int alerts_status = -1;
  std::map<std::string, std::string> outputs;  // command → stdout, to compare byte for byte
};

std::vector<std::string> alert_codes(const json& list) {
  std::vector<std::string> codes;
  for (const json& alert : list) codes.push_back(alert["level"].get<std::string>() + ":" +
                                                 alert["code"].get<std::string>());
  return codes;
}

Faces faces(const std::vector<std::string>& settings) {
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), settings.begin(), settings.end());
    args.insert(args.end(), {"--now", kNow, ramp()});
    return run_cli(args);
  };
  Faces faces;
  const auto check = run({"check", "--format", "json"});
  faces.check = json::parse(check.out)["verdict"];
  faces.check_status = check.status;
  const auto summary = run({"summary", "--format", "json"});
  const json doc = json::parse(summary.out);
  faces.summary = doc["check"]["verdict"];
  faces.summary_alerts = alert_codes(doc["alerts"]);
  const auto html = run({"summary", "--format", "html"});
  std::smatch match;
  if (std::regex_search(html.out, match, std::regex("id=\"overall-verdict\" data-verdict=\"(\\w+)\"")))
    faces.html = match[1];
  const auto metrics = run({"export", "--format", "prometheus"});
  if (std::regex_search(metrics.out, match,
                        std::regex("tlsrpt_check_verdict\\{policy_domain=\"example.com\","
                                   "verdict=\"(\\w+)\"\\} 1\n")))
    faces.prometheus = match[1];
  std::istringstream lines(metrics.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("tlsrpt_alerts{")) faces.prometheus_alerts += line + "\n";
  }
  const auto alerts = run({"alerts", "--format", "json"});
  faces.alerts = alert_codes(json::parse(alerts.out)["alerts"]);
  faces.alerts_status = alerts.status;
  faces.outputs = {{"check", check.out},     {"summary", summary.out}, {"html", html.out},
                   {"metrics", metrics.out}, {"alerts", alerts.out}};
  return faces;
}

TEST(App, EveryFaceGivesTheSameVerdictFromTheSameSettings) {
  const std::string config = testing::write_temp_file("gate.toml", kGateConfig);
  const Faces from_file = faces({"--config", config});
  const Faces from_options = faces(kGateOptions);
  const Faces defaults = faces({});
  for (const Faces* each : {&from_file, &from_options}) {
    EXPECT_EQ(each->check, "ready");
    EXPECT_EQ(each->summary, "ready");
    EXPECT_EQ(each->html, "ready");
    EXPECT_EQ(each->prometheus, "ready");
    EXPECT_EQ(each->check_status, kExitOk);
    EXPECT_EQ(each->summary_alerts, std::vector<std::string>{"warning:failure_rate"});
    EXPECT_EQ(each->alerts, each->summary_alerts);
    EXPECT_EQ(each->prometheus_alerts,
              "tlsrpt_alerts{level=\"warning\"} 1\ntlsrpt_alerts{level=\"critical\"} 0\n");
    EXPECT_EQ(each->alerts_status, kExitAlerts);
  }
  // The same settings from the file and from options: the same bytes on every face.
  EXPECT_EQ(from_file.outputs, from_options.outputs);
  // And the defaults judge otherwise, on every face alike.
  for (const std::string& verdict :
       {defaults.check, defaults.summary, defaults.html, defaults.prometheus}) {
    EXPECT_EQ(verdict, "not_ready");
  }
  EXPECT_EQ(defaults.check_status, kExitNotReady);
  EXPECT_TRUE(defaults.alerts.empty());
  EXPECT_EQ(defaults.alerts_status, kExitOk);
}

// The answer first, then skipped inputs: a not-ready verdict is 1 whatever else; a ready one with
// an unreadable input is 3, and stdout says so under the verdict.
TEST(App, TheAnswerComesBeforeSkippedInputs) {
  const std::string bad = testing::testdata("bad/truncated.json.gz");
  const auto not_ready = run_cli({"check", "--now", kNow, ramp(), bad});
  EXPECT_EQ(not_ready.status, kExitNotReady);
  EXPECT_NE(not_ready.out.find("  Skipped:   1 input could not be read and was left out"),
            std::string::npos)
      << not_ready.out;
  const auto ready = run_cli({"check", "--max-failure-rate", "3%", "--now", kNow, ramp(), bad});
  EXPECT_EQ(ready.status, kExitInputSkipped);
  EXPECT_TRUE(ready.out.starts_with("MTA-STS enforce check: READY")) << ready.out;
  const auto json_run =
      run_cli({"check", "--format", "json", "--now", kNow, ramp(), bad});
  EXPECT_EQ(json::parse(json_run.out)["inputs_skipped"], 1);
  const auto alerts = run_cli({"alerts", "--warn-rate", "0.5%", "--now", kNow, ramp(), bad});
  EXPECT_EQ(alerts.status, kExitAlerts);
  const auto quiet = run_cli({"alerts", "--now", kNow, ramp(), bad});
  EXPECT_EQ(quiet.status, kExitInputSkipped);
  EXPECT_NE(quiet.out.find("Alerts\n  none\n  Skipped:   1 input"), std::string::npos)
      << quiet.out;
}

// The flow without the command line: a source of reports of the caller's own.
TEST(App, AnySourceOfReportsRunsTheSameFlow) {
  const ReportSource one_report = [](const PipelineSinks& sinks) {
    DecodedReport decoded;
    decoded.file = "memory";
    decoded.report.organization_name = "Google Inc.";
    decoded.report.report_id = "r1";
    decoded.report.date_range = {1772668800, 1772755199};  // 2026-03-05
    Policy policy;
    policy.policy_type = PolicyType::sts;
    policy.policy_domain = "example.com";
    policy.total_successful_session_count = 990;
    policy.total_failure_session_count = 10;
    decoded.report.policies.push_back(policy);
    decoded.identity = identify(decoded.report);
    sinks.report(std::move(decoded));
  };
  JudgeRequest request;
  request.gate.time.now = 1772841600;  // 2026-03-07
  std::ostringstream err;
  const Judgement judgement = judge(one_report, request, err);
  EXPECT_EQ(judgement.summary.reports, 1u);
  EXPECT_EQ(judgement.summary.totals.failed, 10u);
  EXPECT_EQ(judgement.summary.check.verdict, Verdict::insufficient_data);
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace tlsrpt
