// Configuration files: settings an operator writes once, the command line winning, every mistake
// named with its file and line, and `tlsrpt config` saying where each setting came from.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_cli;
using testing::testdata;

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

double max_rate(const testing::CliRun& run) {
  return json::parse(run.out)["limits"]["max_failure_rate"].get<double>();
}

TEST(CliConfig, SettingsApplyAndTheCommandLineWins) {
  const std::string file = write_config("c1.toml",
                                        "# thresholds set once\n"
                                        "[check]\n"
                                        "max-failure-rate = \"0.5%\"\n"
                                        "min-days = 7\n");
  const std::vector<std::string> base{"check",    "--now", "2026-05-12",
                                      "--format", "json",  testdata("reports")};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--config", file});
  EXPECT_DOUBLE_EQ(max_rate(run_cli(args)), 0.005);
  EXPECT_EQ(json::parse(run_cli(args).out)["limits"]["min_days"], 7);
  args.insert(args.end(), {"--max-failure-rate", "2%"});
  EXPECT_DOUBLE_EQ(max_rate(run_cli(args)), 0.02);
  // --config may stand anywhere, before the command too.
  std::vector<std::string> before{"--config", file};
  before.insert(before.end(), base.begin(), base.end());
  EXPECT_DOUBLE_EQ(max_rate(run_cli(before)), 0.005);
}

TEST(CliConfig, TheUsersFileIsReadFromXdgConfigHome) {
  const fs::path home = fs::path(::testing::TempDir()) / "xdg-config";
  fs::create_directories(home / "tlsrpt");
  std::ofstream(home / "tlsrpt" / "config.toml") << "[summary]\nformat = \"json\"\n";
  const char* old = std::getenv("XDG_CONFIG_HOME");
  const std::string saved = old ? old : "";
  setenv("XDG_CONFIG_HOME", home.c_str(), 1);
  const testing::CliRun run = run_cli({"summary", "--now", "2026-05-12", testdata("reports")});
  const testing::CliRun text =
      run_cli({"summary", "--format", "text", "--now", "2026-05-12", testdata("reports")});
  const testing::CliRun shown = run_cli({"config"});
  old ? setenv("XDG_CONFIG_HOME", saved.c_str(), 1) : unsetenv("XDG_CONFIG_HOME");
  EXPECT_TRUE(run.out.starts_with("{")) << run.out.substr(0, 100);
  EXPECT_TRUE(text.out.starts_with("TLS-RPT summary"));
  EXPECT_NE(
      shown.out.find("format = \"json\"  # " + (home / "tlsrpt" / "config.toml").string() + ":2"),
      std::string::npos)
      << shown.out;
}

TEST(CliConfig, TopLevelSettingsGoToEveryCommandThatTakesThem) {
  const std::string file =
      write_config("c2.toml", "trusted-authserv-id = [\"mx.example.com\"]\nstale-days = 3\n");
  // summary, check and export take both or one; fetch takes neither and is not bothered.
  EXPECT_EQ(run_cli({"check", "--config", file, "--now", "2026-05-12", "--format", "json",
                     testdata("reports")})
                .status,
            kExitNotReady);
  const testing::CliRun shown = run_cli({"config", "--config", file});
  EXPECT_NE(shown.out.find("[check]"), std::string::npos);
  EXPECT_NE(shown.out.find("stale-days = \"3\""), std::string::npos);
  EXPECT_EQ(run_cli({"export", "--config", file, testdata("reports/rfc-style.json")}).status,
            kExitOk);
  // The effective settings are themselves a valid configuration file.
  const std::string round_trip = write_config("c3.toml", shown.out);
  EXPECT_EQ(run_cli({"config", "--config", round_trip}).status, kExitOk);
}

TEST(CliConfig, MistakesNameTheFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"stale-days = 2\ncolour = \"always\"\n", "c4.toml:2: unknown setting \"colour\""},
      {"[chek]\ntop = 1\n", "[chek] is not a command"},
      {"[export]\n\ncolor = \"never\"\n", "c4.toml:3: tlsrpt export has no option --color"},
      {"[check]\nmax-failure-rate = \"abc\"\n",
       "\"abc\" is not a rate: write a percentage like 5% or a fraction like 0.05, between 0 and 1 "
       "(set in "},
  };
  for (const auto& [text, expected] : cases) {
    const std::string file = write_config("c4.toml", text);
    const testing::CliRun run = run_cli({"check", "--config", file, testdata("reports")});
    EXPECT_EQ(run.status, kExitUsage) << text;
    EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
  const testing::CliRun missing = run_cli({"check", "--config", "/nonexistent.toml", "x"});
  EXPECT_EQ(missing.status, kExitUsage);
  EXPECT_NE(missing.err.find("--config /nonexistent.toml: no such file"), std::string::npos);
}

}  // namespace
}  // namespace tlsrpt
