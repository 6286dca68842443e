#include "tlsrpt/text.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(Text, LowercasesAsciiOnly) {
  EXPECT_EQ(lowercase("Mail-Example.NET"), "mail-example.net");
  EXPECT_EQ(lowercase("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // É stays: domains are ASCII
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
}

// Copies only when there is something to lower: the tally's hot path relies on that.
TEST(Text, LowercasesIntoScratchOnlyWhenNeeded) {
  std::string scratch = "untouched";
  const std::string lower = "mx1.example.net";
  const std::string_view same = lowercase_view(lower, scratch);
  EXPECT_EQ(same.data(), lower.data());
  EXPECT_EQ(scratch, "untouched");
  EXPECT_EQ(lowercase_view("MX1.Example.NET", scratch), "mx1.example.net");
  EXPECT_EQ(scratch, "mx1.example.net");
  EXPECT_EQ(lowercase_view("\xC3\x89T", scratch), "\xC3\x89t");
}

TEST(Text, TrimsSpacesTabsAndLineEnds) {
  EXPECT_EQ(trim(" \t mode: enforce \r\n"), "mode: enforce");
  EXPECT_EQ(trim(" \r\n"), "");
}

TEST(Text, TrimsNothingFromTextWithoutSpaceAtItsEnds) {
  EXPECT_EQ(trim("a b"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\t\t\tx"), "x");
}

TEST(Text, FindsTheFirstCharacterOfASet) {
  EXPECT_EQ(find_any("dkim=pass (2048-bit)", " \t("), 9u);
  EXPECT_EQ(find_any("dkim=pass (2048-bit)", "(", 3), 10u);
  EXPECT_EQ(find_any("header.d=example.com", " \t;()"), std::string_view::npos);
  EXPECT_EQ(find_any("a;b", ";", 2), std::string_view::npos);
  EXPECT_EQ(find_any("", ";"), std::string_view::npos);
}

TEST(Text, MeasuresUtf8Sequences) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xE2\x80\x93", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x93\xA7", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("\xFF", 0), 0u);              // never valid
  EXPECT_EQ(utf8_sequence_length("\xC3", 0), 0u);              // truncated
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong
  EXPECT_EQ(utf8_sequence_length("\xED\xA0\x80", 0), 0u);      // surrogate
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // past U+10FFFF
}

TEST(Text, GroupsDigits) {
  EXPECT_EQ(group_digits(0), "0");
  EXPECT_EQ(group_digits(999), "999");
  EXPECT_EQ(group_digits(1000), "1,000");
  EXPECT_EQ(group_digits(18446744073709551615ull), "18,446,744,073,709,551,615");
}

TEST(Text, PercentDecodeKeepsAndFlagsWhatIsNotAnEscape) {
  bool malformed = false;
  EXPECT_EQ(percent_decode("TLS%20Reports%2f2026", &malformed), "TLS Reports/2026");
  EXPECT_FALSE(malformed);
  EXPECT_EQ(percent_decode("100%zz%4", &malformed), "100%zz%4");
  EXPECT_TRUE(malformed);
  EXPECT_EQ(hex_value('f'), 15);
  EXPECT_EQ(hex_value('g'), -1);
}

}  // namespace
}  // namespace tlsrpt
