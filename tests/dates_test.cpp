// The plausible-date rule: report periods before 2016 or ending more than a week after now.
#include "tlsrpt/dates.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

constexpr std::int64_t kNow = 1778544000;  // 2026-05-12
constexpr std::int64_t kDay = 86400;

TEST(Dates, TodaysReportIsPlausible) {
  EXPECT_TRUE(plausible_period({kNow - kDay, kNow - 1}, kNow));
}

TEST(Dates, BeforeTwentySixteenIsNot) {
  EXPECT_TRUE(plausible_period({kEarliestPlausible, kEarliestPlausible + kDay}, kNow));
  EXPECT_FALSE(plausible_period({kEarliestPlausible - 1, kEarliestPlausible + kDay}, kNow));
  EXPECT_FALSE(plausible_period({0, kDay}, kNow));  // 1970: a sender that sent zeros
}

TEST(Dates, AWeekAheadIsTheLimit) {
  EXPECT_TRUE(plausible_period({kNow, kNow + 7 * kDay}, kNow));  // a clock a little ahead
  EXPECT_FALSE(plausible_period({kNow, kNow + 7 * kDay + 1}, kNow));
}

}  // namespace
}  // namespace tlsrpt
