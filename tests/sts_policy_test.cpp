#include "tlsrpt/sts_policy.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(StsPolicy, ParsesLinesInAnyOrderWithTrailingSpaces) {
  const StsPolicy policy = parse_sts_policy({"mode: enforce ", "version: STSv1", "max_age: 604800",
                                             "mx: mx1.example.com", "mx: *.backup.example.com\r"});
  EXPECT_EQ(policy.version, "STSv1");
  EXPECT_EQ(policy.mode, StsMode::enforce);
  EXPECT_EQ(policy.mx, (std::vector<std::string>{"mx1.example.com", "*.backup.example.com"}));
  ASSERT_TRUE(policy.max_age);
  EXPECT_EQ(*policy.max_age, 604800u);
  EXPECT_TRUE(policy.problems.empty());
}

TEST(StsPolicy, ListsProblemsWithoutFailing) {
  const StsPolicy policy =
      parse_sts_policy({"version: STSv2", "mode: strict", "max_age: soon", "garbage"});
  EXPECT_EQ(policy.mode, StsMode::unknown);
  EXPECT_EQ(policy.mode_text, "strict");
  EXPECT_EQ(policy.problems,
            (std::vector<std::string>{
                "line 2: unknown mode \"strict\"", "line 3: max_age is not a number",
                "line 4: no \"key: value\"", "no \"version: STSv1\"", "no mx", "no max_age"}));
}

TEST(StsPolicy, FlagsMaxAgeAboveOneYear) {
  const StsPolicy policy =
      parse_sts_policy({"version: STSv1", "mode: testing", "mx: a.example", "max_age: 31557601"});
  EXPECT_EQ(policy.problems, (std::vector<std::string>{"line 4: max_age above 31557600"}));
}

TEST(StsPolicy, WildcardMatchesExactlyOneLabel) {
  EXPECT_TRUE(mx_pattern_matches("*.example.com", "mx1.example.com"));
  EXPECT_TRUE(mx_pattern_matches("*.example.com", "MX1.Example.COM."));
  EXPECT_FALSE(mx_pattern_matches("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(mx_pattern_matches("*.example.com", "example.com"));
  EXPECT_TRUE(mx_pattern_matches("mail.example.com", "mail.example.com"));
  EXPECT_FALSE(mx_pattern_matches("mail.example.com", "mail2.example.com"));
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(StsPolicy, ModeNoneNeedsNoMxLines) {
  EXPECT_TRUE(
      parse_sts_policy({"version: STSv1", "mode: none", "max_age: 86400"}).problems.empty());
  const StsPolicy testing = parse_sts_policy({"version: STSv1", "mode: testing", "max_age: 1"});
  ASSERT_EQ(testing.problems.size(), 1u);
  EXPECT_EQ(testing.problems[0], "no mx");
}

}  // namespace
}  // namespace tlsrpt
