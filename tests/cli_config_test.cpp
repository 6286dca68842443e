// Configuration files: settings an operator writes once, the command line winning, every mistake
// named with its file and line, and `tlsrpt config` saying where each setting came from.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
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
                                        "[gate]\n"
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
      {"[gate]\nmax-failure-rate = \"abc\"\n",
       "\"abc\" is not a rate: write a percentage like 1% or 0.5% (set in "},
      // A bare number could mean 0.5% or 50%: refused, in files as on the command line.
      {"max-failure-rate = 0.5\n",
       "\"0.5\" is not a rate: write it with %, like 0.5% (a bare number could mean a percentage "
       "or a fraction) (set in "},
      // Under [check] only, check would judge with it and summary, alerts and export without.
      {"[check]\n\nmax-failure-rate = \"2%\"\n",
       "c4.toml:3: max-failure-rate under [check] would make check judge differently from the "
       "other commands: set it at the top level or under [gate]"},
      {"[gate]\ntop = 3\n", "c4.toml:2: [gate] has no setting \"top\"; the gate's are now, "},
      {"[summary.deeper]\nformat = \"json\"\n", "[summary.deeper] nests too deep"},
      {"x = \"unterminated\n", "c4.toml:1: "},
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

// `tlsrpt config` shows each gate setting once, under [gate], with where it came from.
TEST(CliConfig, ShowsEachGateSettingOnce) {
  const std::string file = write_config("c5.toml", "[gate]\nmax-failure-rate = \"2%\"\n");
  const testing::CliRun shown = run_cli({"config", "--config", file});
  EXPECT_EQ(shown.status, kExitOk);
  const std::size_t first = shown.out.find("max-failure-rate = \"2%\"  # " + file + ":2");
  ASSERT_NE(first, std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("max-failure-rate", first + 1), std::string::npos) << shown.out;
  EXPECT_LT(shown.out.find("[gate]"), first);
  EXPECT_NE(shown.out.find("warn-rate = \"2%\"  # default"), std::string::npos);
}

// Configuration files of any shape are read in time and memory linear in their size: each 1 MB
// file below is answered (read or refused with its line) within a CPU second or two and 64 MiB,
// where CLI11's reader took minutes or exhausted the machine and toml++ alone overflowed its stack.
TEST(CliConfig, AnyShapeOfAMegabyteIsReadWithinBounds) {
  const auto repeat = [](const std::string& text, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += text;
    return out;
  };
  std::string keys;
  for (int i = 0; keys.size() < 1'000'000; ++i) keys += fmt::format("[s{}]\nk{} = \"v\"\n", i, i);
  const std::vector<std::pair<std::string, std::string>> shapes{
      {"deep-header", "[a" + repeat(".a", 499'000) + "]\n"},
      {"deep-key", "a" + repeat(".a", 499'000) + " = 1\n"},
      {"deep-inline", "x = {a = " + repeat("{a = ", 190'000) + "1" + repeat("}", 190'001) + "\n"},
      {"deep-array", "x = " + repeat("[", 490'000) + repeat("]", 490'000) + "\n"},
      {"wide-array", "x = [" + repeat("1,", 499'000) + "1]\n"},
      {"many-sections", keys},
      {"long-string", "x = \"" + std::string(999'000, 'a') + "\"\n"},
  };
  for (const auto& [name, text] : shapes) {
    const std::string file = write_config("shape-" + name + ".toml", text);
    const testing::BoundedRun run =
        testing::run_bounded({"config", "--config", file}, testing::kSanitized ? 20 : 2, 512);
    EXPECT_TRUE(run.exited) << name << ": killed (CPU time, memory or a crash)";
    EXPECT_EQ(run.status, kExitUsage) << name << ": " << run.err.substr(0, 300);
    EXPECT_NE(run.err.find(file + ":"), std::string::npos) << name << ": " << run.err.substr(0, 300);
    if (!testing::kSanitized) {
      EXPECT_LT(run.max_rss_kib - run.parent_rss_kib, 64 * 1024) << name;
    }
  }
}

}  // namespace
}  // namespace tlsrpt
