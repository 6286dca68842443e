// The documents that tell users what to run: the recipes of docs/ci.md do what they say, run as
// they are written against reports that are ready, not ready, too few and unreadable.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include <unistd.h>

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;

// The ```sh block after "<!-- recipe: NAME -->" in docs/ci.md.
std::string recipe(const std::string& name) {
  const std::string text = testing::read_bytes(std::string(TLSRPT_SOURCE_DIR) + "/docs/ci.md");
  const std::string marker = "<!-- recipe: " + name + " -->\n```sh\n";
  const std::size_t start = text.find(marker);
  if (start == std::string::npos) return "";
  const std::size_t body = start + marker.size();
  return text.substr(body, text.find("```", body) - body);
}

// A directory with the built tlsrpt and a `mail` that records what it was given on the PATH, and
// a configuration file that fixes "now" to the day after the test ramps.
class Recipes : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("tlsrpt-recipes-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
    fs::create_directories(root_ / "config" / "tlsrpt");
    std::ofstream(root_ / "bin" / "tlsrpt") << "#!/bin/sh\nexec '" << TLSRPT_BINARY << "' \"$@\"\n";
    std::ofstream(root_ / "bin" / "mail")
        << "#!/bin/sh\n{ echo \"mail $*\"; cat; } >> '" << (root_ / "mailed").string() << "'\n";
    fs::permissions(root_ / "bin" / "tlsrpt", fs::perms::owner_all);
    fs::permissions(root_ / "bin" / "mail", fs::perms::owner_all);
    std::ofstream(root_ / "config" / "tlsrpt" / "config.toml") << "now = \"2026-03-18\"\n";
  }

  // Runs the recipe with REPORTS set; returns its output, its status in `status`.
  std::string run(const std::string& name, const std::string& reports, int& status) {
    const std::string script = (root_ / (name + ".sh")).string();
    std::ofstream(script) << recipe(name);
    return testing::run_command(
        "cd '" + root_.string() + "' && PATH='" + (root_ / "bin").string() +
            "':\"$PATH\" XDG_CONFIG_HOME='" + (root_ / "config").string() + "' REPORTS='" +
            reports + "' sh '" + script + "' 2>&1",
        &status);
  }
  std::string mailed() const { return testing::read_bytes((root_ / "mailed").string()); }

  fs::path root_;
};

TEST_F(Recipes, TheGatePassesOnlyWhatMayEnforce) {
  ASSERT_NE(recipe("gate"), "");
  int status = -1;
  const std::string ready =
      run("gate", testing::write_ramp("recipe-ready", 30, testing::kMajors), status);
  EXPECT_EQ(status, 0) << ready;
  EXPECT_NE(ready.find("ready: switch the policy to mode: enforce"), std::string::npos) << ready;
  const std::string blocked = run(
      "gate", testing::write_ramp("recipe-blocked", 30, testing::kMajors, "certificate-expired"),
      status);
  EXPECT_NE(status, 0) << blocked;
  EXPECT_NE(blocked.find("not ready"), std::string::npos) << blocked;
  const std::string early =
      run("gate", testing::write_ramp("recipe-early", 5, testing::kMajors), status);
  EXPECT_EQ(status, 0) << early;
  EXPECT_NE(early.find("not enough data yet"), std::string::npos) << early;
  // Ready by the reports read, with one that could not be read: the gate does not pass.
  const std::string dir = testing::write_ramp("recipe-skipped", 30, testing::kMajors);
  fs::copy_file(testing::testdata("bad/truncated.json.gz"), fs::path(dir) / "truncated.json.gz");
  const std::string skipped = run("gate", dir, status);
  EXPECT_NE(status, 0) << skipped;
  EXPECT_NE(skipped.find("some could not be read"), std::string::npos) << skipped;
}

TEST_F(Recipes, TheAlertMailGoesOutOnlyWhenAnAlertFired) {
  ASSERT_NE(recipe("alert-mail"), "");
  int status = -1;
  run("alert-mail", testing::write_ramp("recipe-quiet", 30, testing::kMajors), status);
  EXPECT_EQ(mailed(), "");
  // An unreadable file alone is no alert: no mail every hour for it.
  const std::string dir = testing::write_ramp("recipe-quiet-skipped", 30, testing::kMajors);
  fs::copy_file(testing::testdata("bad/truncated.json.gz"), fs::path(dir) / "truncated.json.gz");
  run("alert-mail", dir, status);
  EXPECT_EQ(mailed(), "");
  // Failures above the warning rate: one mail, with the alert and the skipped input in it.
  const std::string failing =
      testing::write_ramp("recipe-failing", 30, testing::kMajors, "validation-failure", 200);
  fs::copy_file(testing::testdata("bad/truncated.json.gz"),
                fs::path(failing) / "truncated.json.gz");
  run("alert-mail", failing, status);
  const std::string mail = mailed();
  EXPECT_TRUE(mail.starts_with("mail -s TLS reports: alerts postmaster\nAlerts\n")) << mail;
  EXPECT_NE(mail.find("failure rate"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Skipped:   1 input could not be read"), std::string::npos) << mail;
}

}  // namespace
}  // namespace tlsrpt
