#include "tlsrpt/render_text.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {
namespace {

TEST(RenderText, EscapesControlCharactersFromReports) {
  EXPECT_EQ(escape_for_terminal("250-mx\r\n250 \x1b[31mSIZE\x07\x7f"),
            "250-mx\\r\\n250 \\x1B[31mSIZE\\x07\\x7F");
  // C1 CSI (U+009B) as UTF-8.
  EXPECT_EQ(escape_for_terminal("a\xC2\x9B"
                                "31m"),
            "a\\u{9B}31m");
}

TEST(RenderText, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(escape_for_terminal("Caf\xC3\xA9 \xE2\x80\x93 ok"), "Caf\xC3\xA9 \xE2\x80\x93 ok");
  EXPECT_EQ(escape_for_terminal("bad\xFF\xC3("), "bad\\xFF\\xC3(");
  EXPECT_EQ(escape_for_terminal("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // a surrogate
  EXPECT_EQ(display_width("Caf\xC3\xA9"), 4u);
}

TEST(RenderText, NoRawEscapeReachesTheTerminalWithoutColour) {
  const auto summary =
      testing::run_cli({"summary", "--color", "never", testing::testdata("reports")});
  EXPECT_EQ(summary.out.find('\x1b'), std::string::npos);
  const auto show = testing::run_cli(
      {"show", "--color", "never", testing::testdata("reports/postfix-nopolicy.json")});
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos);
  EXPECT_NE(show.out.find("250-mx3.mail-example.net\\r\\n250-PIPELINING\\r\\n250 \\x1B[31mSIZE"),
            std::string::npos)
      << show.out;
}

TEST(RenderText, SummaryAlignsColumns) {
  const auto run = testing::run_cli({"summary", "--color", "never", testing::testdata("reports")});
  std::istringstream lines(run.out);
  std::string line;
  std::vector<std::size_t> ends;
  bool in_senders = false;
  while (std::getline(lines, line)) {
    if (line == "Senders") {
      in_senders = true;
      continue;
    }
    if (in_senders && line.empty()) break;
    if (in_senders) ends.push_back(line.size());
  }
  ASSERT_GE(ends.size(), 3u);
  for (const std::size_t end : ends) EXPECT_EQ(end, ends[0]);
}

TEST(RenderText, SummaryColoursOnlyWhenAsked) {
  const auto run = testing::run_cli({"summary", "--color", "always", testing::testdata("reports")});
  EXPECT_NE(run.out.find("\x1b[1mTLS-RPT summary\x1b[0m"), std::string::npos);
}

TEST(RenderText, ShowPrintsPolicyModeAndHints) {
  const auto run = testing::run_cli({"show", testing::testdata("reports/rfc-style.json")});
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("  MTA-STS mode:   testing\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  Failure 2: starttls-not-supported, 200 sessions\n"), std::string::npos);
  EXPECT_NE(run.out.find("    receiving IP:           203.0.113.56\n"), std::string::npos);
  EXPECT_NE(run.out.find("    do:    Enable STARTTLS on the MX"), std::string::npos);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// No byte below 0x20 but newline, no DEL, no UTF-8 C1 control (C2 80..9F) in `text`.
bool terminal_safe(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)
      return false;
  }
  return true;
}

TEST(RenderText, EscapesEveryHostileStringInShowAndSummary) {
  const std::string file = testing::testdata("hostile/escape-sequences.json");
  const auto show = testing::run_cli({"show", "--color", "never", file});
  EXPECT_TRUE(terminal_safe(show.out)) << show.out;
  EXPECT_NE(show.out.find("Apple\\x1B]0;pwned\\x07 \\x1B[2J Inc.\\r\\n"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("250-ok\\r\\n250 \\u{9B}31m"), std::string::npos);
  const auto summary = testing::run_cli({"summary", "--color", "never", "--verbose", file});
  EXPECT_TRUE(terminal_safe(summary.out)) << summary.out;
}

TEST(RenderText, EscapesFileNamesInDiagnostics) {
  const Diagnostic diagnostic{Severity::error, "mail/evil\n\x1b[2Jname\xff.eml", "byte 3",
                              "gzip: truncated", "input_error"};
  EXPECT_EQ(format_diagnostic_line(diagnostic),
            "tlsrpt: error: mail/evil\\n\\x1B[2Jname\\xFF.eml: byte 3: gzip: truncated; skipped");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Output is bounded: a report string of 10 MB prints as a thousand characters and a count.
TEST(RenderText, CutsAHugeStringWithAnEllipsis) {
  const std::string huge(10'000'000, 'x');
  const std::string shown = escape_for_terminal(huge);
  EXPECT_EQ(shown, std::string(kMaxShownColumns, 'x') + "\u2026 (9999000 more bytes)");
  EXPECT_EQ(escape_for_terminal("short"), "short");
}

}  // namespace
}  // namespace tlsrpt
