#include "tlsrpt/filter.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

Report sample() {
  Report report;
  report.organization_name = "Google Inc.";
  report.contact_info = "smtp-tls-reporting@google.com";
  report.date_range = {1778284800, 1778371199};  // 2026-05-09
  report.policies.resize(2);
  report.policies[0].policy_domain = "Example.com";
  report.policies[1].policy_domain = "other.example";
  return report;
}

TEST(Filter, ParsesDatesAndDateTimes) {
  EXPECT_EQ(parse_filter_time("2026-05-09", false), 1778284800);
  EXPECT_EQ(parse_filter_time("2026-05-09", true), 1778371199);
  EXPECT_EQ(parse_filter_time("2026-05-09T12:00:00Z", true), 1778328000);
  EXPECT_FALSE(parse_filter_time("yesterday", false));
}

TEST(Filter, KeepsReportsOverlappingTheRange) {
  Report report = sample();
  EXPECT_TRUE(apply_filter(
      ReportFilter{
          parse_filter_time("2026-05-09", false), parse_filter_time("2026-05-09", true), {}, {}, {}, {}},
      report));
  EXPECT_FALSE(apply_filter(
      ReportFilter{parse_filter_time("2026-05-10", false), std::nullopt, {}, {}, {}, {}}, report));
  EXPECT_FALSE(apply_filter(
      ReportFilter{std::nullopt, parse_filter_time("2026-05-08", true), {}, {}, {}, {}}, report));
}

TEST(Filter, MatchesSendersByNameOrContact) {
  Report report = sample();
  EXPECT_TRUE(apply_filter(ReportFilter{{}, {}, {}, {"google"}, {}, {}}, report));
  EXPECT_TRUE(apply_filter(ReportFilter{{}, {}, {}, {"google.com"}, {}, {}}, report));
  EXPECT_FALSE(apply_filter(ReportFilter{{}, {}, {}, {"microsoft"}, {}, {}}, report));
}

TEST(Filter, KeepsOnlyPoliciesOfTheDomain) {
  Report report = sample();
  EXPECT_TRUE(apply_filter(ReportFilter{{}, {}, {"example.com"}, {}, {}, {}}, report));
  ASSERT_EQ(report.policies.size(), 1u);
  EXPECT_EQ(report.policies[0].policy_domain, "Example.com");
  Report other = sample();
  EXPECT_FALSE(apply_filter(ReportFilter{{}, {}, {"nowhere.example"}, {}, {}, {}}, other));
}

}  // namespace
}  // namespace tlsrpt
