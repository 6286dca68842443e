// The man page and the shell completions come from the command definitions: every option --help
// shows is in the page, the page renders without warnings, and bash completes as expected.
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

const std::vector<std::string> kDocumented{"summary", "alerts", "check", "export",     "show",
                                           "config",  "domain", "fetch", "completion", "man"};

TEST(CliDocs, ManPageHasEveryOptionThatHelpShows) {
  const std::string page = run_cli({"man"}).out;
  for (const std::string& command : kDocumented) {
    EXPECT_NE(page.find(fmt::format(".SS \"tlsrpt {}", command)), std::string::npos) << command;
    const std::string help = run_cli({command, "--help"}).out;
    const std::regex option("(^|[ ,])(--[a-z][a-z0-9-]*)");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(help.begin(), help.end(), option);
         it != std::sregex_iterator(); ++it) {
      names.insert((*it)[2].str());
    }
    EXPECT_FALSE(names.empty()) << command;
    // The section of this command: from its heading to the next one.
    const auto start = page.find(fmt::format(".SS \"tlsrpt {}", command));
    const auto end = page.find(".SS ", start + 1);
    const std::string section = page.substr(start, end - start);
    for (const std::string& name : names) {
      std::string roff = name;
      for (std::size_t at = 0; (at = roff.find('-', at)) != std::string::npos; at += 2) {
        roff.insert(at, "\\");
      }
      EXPECT_NE(section.find("\\fB" + roff + "\\fR"), std::string::npos)
          << command << " " << name << " is in --help but not in the man page";
    }
  }
  for (const char* part : {".SH EXIT STATUS", ".SH FILES", ".SH ENVIRONMENT", ".SH EXAMPLES",
                           "TLSRPT_IMAP_PASSWORD", "config.toml"}) {
    EXPECT_NE(page.find(part), std::string::npos) << part;
  }
}

TEST(CliDocs, ManPageRendersWithoutWarnings) {
  if (testing::run_command("command -v groff").empty()) GTEST_SKIP() << "groff not installed";
  const std::string path = testing::write_temp_file("tlsrpt.1", run_cli({"man"}).out);
  const std::string warnings =
      testing::run_command(fmt::format("groff -ww -man -Tutf8 {} 2>&1 >/dev/null", path));
  EXPECT_EQ(warnings, "");
  const std::string text = testing::run_command(fmt::format("MANWIDTH=80 man -l {} 2>&1", path));
  EXPECT_NE(text.find("tlsrpt summary [OPTIONS] PATH..."), std::string::npos)
      << text.substr(0, 800);
}

TEST(CliDocs, BashCompletesCommandsOptionsAndValues) {
  if (testing::run_command("command -v bash").empty()) GTEST_SKIP() << "bash not installed";
  const std::string script =
      testing::write_temp_file("tlsrpt.bash", run_cli({"completion", "bash"}).out);
  const std::string driver = testing::write_temp_file("drive.bash", fmt::format(R"(source {}
c() {{ COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); COMPREPLY=(); _tlsrpt; echo "${{COMPREPLY[*]}}"; }}
c tlsrpt su
c tlsrpt ch
c tlsrpt summary --for
c tlsrpt summary --format ""
c tlsrpt check --color a
c tlsrpt domain --no
c tlsrpt completion ""
complete -p tlsrpt
)",
                                                                                script));
  EXPECT_EQ(testing::run_command("bash " + driver),
            "summary\n"
            "check\n"
            "--format\n"
            "text json html\n"
            "auto always\n"
            "--now --no-smtp\n"
            "bash zsh fish\n"
            "complete -o bashdefault -o filenames -F _tlsrpt tlsrpt\n");
}

TEST(CliDocs, ZshAndFishNameEveryCommandAndFormat) {
  const std::string zsh = run_cli({"completion", "zsh"}).out;
  const std::string fish = run_cli({"completion", "fish"}).out;
  EXPECT_TRUE(zsh.starts_with("#compdef tlsrpt"));
  for (const std::string& command : kDocumented) {
    EXPECT_NE(zsh.find("'" + command + ":"), std::string::npos) << command;
    EXPECT_NE(fish.find("-a " + command + " "), std::string::npos) << command;
  }
  EXPECT_NE(zsh.find(":value:(text json html)"), std::string::npos);
  EXPECT_NE(fish.find("-l format -x -a 'text json html'"), std::string::npos);
  EXPECT_EQ(run_cli({"completion", "tcsh"}).status, kExitUsage);
}

TEST(CliDocs, VersionNamesTheCommit) {
  const std::string version = run_cli({"--version"}).out;
  EXPECT_TRUE(std::regex_search(version, std::regex("^tlsrpt [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit "
                                                    "([0-9a-f]{12}(-modified)?|unknown)\\)\n$")))
      << version;
}

}  // namespace
}  // namespace tlsrpt
