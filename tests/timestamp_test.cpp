#include "tlsrpt/timestamp.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(Timestamp, ParsesUtcWithZ) {
  const auto parsed = parse_rfc3339("2026-05-08T00:00:00Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->unix_seconds, 1778198400);
  EXPECT_TRUE(parsed->had_zone);
}

TEST(Timestamp, AppliesNumericOffset) {
  const auto parsed = parse_rfc3339("2026-05-08T02:00:00+02:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->unix_seconds, 1778198400);
}

TEST(Timestamp, TakesZonelessMicrosoftTimesAsUtc) {
  const auto parsed = parse_rfc3339("2023-01-10T00:00:00");
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->had_zone);
  EXPECT_EQ(format_rfc3339(parsed->unix_seconds), "2023-01-10T00:00:00Z");
}

TEST(Timestamp, AcceptsFractionalSecondsAndLowercase) {
  const auto parsed = parse_rfc3339("2026-05-08t23:59:59.999z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_rfc3339(parsed->unix_seconds), "2026-05-08T23:59:59Z");
}

TEST(Timestamp, AcceptsBareDate) {
  const auto parsed = parse_rfc3339("2026-05-08");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->date_only);
  EXPECT_EQ(parsed->unix_seconds, 1778198400);
}

TEST(Timestamp, RejectsNonsenseAndImpossibleDates) {
  EXPECT_FALSE(parse_rfc3339("April fools"));
  EXPECT_FALSE(parse_rfc3339("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-05-08T24:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-05-08T00:00:00Zjunk"));
  EXPECT_FALSE(parse_rfc3339(""));
}

TEST(Timestamp, FormatsDatesBeforeEpoch) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_date(1778198400), "2026-05-08");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Times no date-time can be are shown as the ends of the years 0000-9999, without overflow.
TEST(Timestamp, FormatsExtremeTimesWithoutOverflow) {
  EXPECT_EQ(format_rfc3339(INT64_MAX), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(INT64_MIN), "0000-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(kLatestTime), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(kEarliestTime), "0000-01-01T00:00:00Z");
}

}  // namespace
}  // namespace tlsrpt
