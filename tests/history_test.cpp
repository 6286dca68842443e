// History: adding reports, day spreading, series and trend, the time model.
#include "tlsrpt/history.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "history_fixtures.hpp"

namespace tlsrpt {
namespace {

using namespace tlsrpt::testing;

TEST(History, SpreadsAWeeklyReportOverItsDays) {
  const auto parts = spread_over_days(kFirstDay * kDay, (kFirstDay + 7) * kDay - 1, 10);
  ASSERT_EQ(parts.size(), 7u);
  std::uint64_t total = 0;
  for (const auto& [day, count] : parts) total += count;
  EXPECT_EQ(total, 10u);
  EXPECT_EQ(parts[0], (std::pair<std::int64_t, std::uint64_t>{kFirstDay, 2}));
  EXPECT_EQ(parts[6], (std::pair<std::int64_t, std::uint64_t>{kFirstDay + 6, 1}));
}

TEST(History, TakesAPeriodEndingAtTheNextMidnightAsOneDay) {
  const auto parts = spread_over_days(kFirstDay * kDay, (kFirstDay + 1) * kDay, 61);
  EXPECT_EQ(parts, (std::vector<std::pair<std::int64_t, std::uint64_t>>{{kFirstDay, 61}}));
}

TEST(History, BuildsAPerDaySeriesWithGaps) {
  History history;
  history.add(daily("G", "", kFirstDay, 90, {{"certificate-expired", "mx1.example.com", 10}}),
              {true});
  history.add(daily("G", "", kFirstDay + 2, 100), {true});
  const HistorySummary summary = summarize_history(history);
  ASSERT_EQ(summary.overall.days.size(), 3u);
  EXPECT_EQ(summary.overall.days[0].failed, 10u);
  EXPECT_EQ(summary.overall.reported, (std::vector<bool>{true, false, true}));
  ASSERT_EQ(summary.senders.size(), 1u);
  ASSERT_EQ(summary.domains.size(), 1u);
  EXPECT_EQ(summary.domains[0].name, "example.com");
}

TEST(History, ComparesTheRecentWindowWithTheOneBefore) {
  History history;
  for (int d = 0; d < 14; ++d) {
    const std::uint64_t failed = d < 7 ? 0 : 50;
    history.add(daily("G", "", kFirstDay + d, 1000 - failed,
                      {{"certificate-expired", "mx1.example.com", failed}}),
                {true});
  }
  const HistorySummary summary = summarize_history(history);
  ASSERT_TRUE(summary.trend);
  EXPECT_DOUBLE_EQ(summary.trend->overall.previous_rate, 0.0);
  EXPECT_DOUBLE_EQ(summary.trend->overall.recent_rate, 0.05);
  EXPECT_EQ(summary.trend->recent_first_day, kFirstDay + 7);
  ASSERT_EQ(summary.trend->failure_types.size(), 1u);
  EXPECT_DOUBLE_EQ(summary.trend->failure_types[0].recent_rate, 0.05);
}

TEST(History, TellsPersistentFromTransient) {
  History history;
  for (int d = 0; d < 4; ++d) {
    history.add(
        daily("G", "", kFirstDay + d, 100, {{"certificate-host-mismatch", "mx2.example.com", 2}}),
        {true});
  }
  history.add(
      daily("G", "", kFirstDay + 4, 100, {{"starttls-not-supported", "mx1.example.com", 1}}),
      {true});
  const HistorySummary summary = summarize_history(history);
  ASSERT_EQ(summary.failures.size(), 2u);
  EXPECT_TRUE(summary.failures[0].persistent);
  EXPECT_EQ(summary.failures[0].periods, 4u);
  EXPECT_EQ(summary.failures[0].failed, 8u);
  EXPECT_EQ(summary.failures[0].first_seen, kFirstDay * kDay);
  EXPECT_EQ(summary.failures[0].last_seen, (kFirstDay + 4) * kDay - 1);
  EXPECT_FALSE(summary.failures[1].persistent);
}

TEST(History, OrdersEqualFailuresBySenderTypeAndHost) {
  History history;
  // Names first seen in the reverse of their order, so that ids and names disagree.
  history.add(daily("Zeta", "", kFirstDay, 100,
                    {{"validation-failure", "mx2.example.com", 5},
                     {"certificate-expired", "mx2.example.com", 5},
                     {"certificate-expired", "mx1.example.com", 5}}),
              {true});
  history.add(daily("Alpha", "", kFirstDay, 100, {{"validation-failure", "mx9.example.com", 5}}),
              {true});
  history.add(daily("Alpha", "", kFirstDay + 1, 100, {{"dane-required", "mx9.example.com", 9}}),
              {true});
  const HistorySummary summary = summarize_history(history);
  std::vector<std::string> order;
  for (const PersistentFailure& failure : summary.failures) {
    order.push_back(failure.sender + " " + failure.result_type + " " +
                    failure.receiving_mx_hostname);
  }
  // By failed sessions, then (ties) by sender, result type and host name.
  EXPECT_EQ(order, (std::vector<std::string>{
                       "Alpha dane-required mx9.example.com",
                       "Alpha validation-failure mx9.example.com",
                       "Zeta certificate-expired mx1.example.com",
                       "Zeta certificate-expired mx2.example.com",
                       "Zeta validation-failure mx2.example.com",
                   }));
}

// Windows end now: reports that stopped arriving are stale, never judged as current.
TEST(Time, ReportsThatStoppedArrivingAreInsufficientDataAndAnAlert) {
  const Tally tally = clean_ramp(30);  // days kFirstDay .. kFirstDay + 29
  const std::int64_t fresh = (kFirstDay + 30) * kDay + 3600;
  EXPECT_EQ(check_enforce(tally.history(), at(fresh)).verdict, Verdict::ready);
  EXPECT_TRUE(summarize_history(tally.history(), at(fresh)).alerts.empty());

  const std::int64_t later = (kFirstDay + 230) * kDay;  // 200 days on
  const CheckResult check = check_enforce(tally.history(), at(later));
  EXPECT_EQ(check.verdict, Verdict::insufficient_data);
  const DomainCheck& domain = check.domains.at(0);
  EXPECT_EQ(domain.items.front().code, "no_recent_reports");
  EXPECT_EQ(domain.items.size(), 1u);  // nothing in the window: the one reason, not its echoes
  EXPECT_TRUE(
      domain.items.front().message.starts_with("no report since 2026-03-17 (200 days before now)"))
      << domain.items.front().message;
  const HistorySummary summary = summarize_history(tally.history(), at(later));
  // One alert says it; no sender_silent per sender.
  EXPECT_EQ(codes(summary.alerts), std::vector<std::string>{"no_recent_reports"});
  EXPECT_EQ(summary.alerts[0].level, AlertLevel::critical);
  EXPECT_FALSE(summary.trend);  // nothing in either window
}

TEST(Time, StaleDaysIsConfigurable) {
  const Tally tally = clean_ramp(30);
  GateOptions options = at((kFirstDay + 34) * kDay);  // 4 days and 1 s after the last
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::insufficient_data);
  options.time.stale_days = 5;
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::ready);
}

TEST(Time, NoReportAtAllIsAnAlertAndInsufficientData) {
  const History history;
  GateOptions options = at(kFirstDay * kDay);
  EXPECT_EQ(codes(summarize_history(history, options).alerts), std::vector<std::string>{"no_reports"});
  EXPECT_TRUE(
      summarize_history(history, options).alerts[0].message.starts_with("no TLS reports found in the inputs"));
  options.time.nothing_left = "19 reports read, all left out: 19 ended before --since 2026-05-12";
  EXPECT_TRUE(summarize_history(history, options).alerts[0].message.starts_with(options.time.nothing_left));
  GateOptions check = at(kFirstDay * kDay);
  check.time.nothing_left = options.time.nothing_left;
  const CheckResult result = check_enforce(history, check);
  EXPECT_EQ(result.verdict, Verdict::insufficient_data);
  ASSERT_EQ(result.items.size(), 1u);
  EXPECT_EQ(result.items[0].message, options.time.nothing_left);
  EXPECT_EQ(result.window_last_day, kFirstDay);  // the window still ends now, never in 1970
}

// The per-day series cover the analysis window, not the oldest report.
TEST(Time, SeriesAreBoundedByTheWindow) {
  Tally tally = clean_ramp(30);
  tally.add(daily("Old Sender", "", 16900, 50), "old");       // 2016-04-09
  tally.add(daily("Far Future", "", 2900000, 50), "future");  // year 9909
  const HistorySummary summary = tally.finish(at((kFirstDay + 30) * kDay)).history;
  ASSERT_TRUE(summary.series_first_day);
  EXPECT_EQ(*summary.series_first_day, kFirstDay + 1);  // 30 days up to now
  EXPECT_EQ(*summary.series_last_day, kFirstDay + 29);  // the newest report before now
  EXPECT_EQ(summary.overall.days.size(), 29u);
  for (const Series& series : summary.senders) EXPECT_EQ(series.days.size(), 29u) << series.name;
  EXPECT_EQ(summary.reports_before_series, 6u);  // the old one and day 0's five
  EXPECT_EQ(summary.reports_after_now, 1u);
  SeriesOptions narrow;
  narrow.days = 7;
  EXPECT_EQ(tally.finish(at((kFirstDay + 30) * kDay), narrow).history.overall.days.size(),
            6u);  // today has no report yet
  SeriesOptions since = narrow;
  since.since = (kFirstDay + 10) * kDay;
  since.until = (kFirstDay + 12) * kDay + kDay - 1;
  EXPECT_EQ(tally.finish(at((kFirstDay + 30) * kDay), since).history.overall.days.size(), 3u);
}

TEST(Time, NoTrendWithoutABeforeWindow) {
  const Tally tally = clean_ramp(5);
  EXPECT_FALSE(tally.finish(at((kFirstDay + 5) * kDay)).history.trend);
  const Tally longer = clean_ramp(14);
  EXPECT_TRUE(longer.finish(at((kFirstDay + 14) * kDay)).history.trend);
}

// The trend lists the largest changes in failed sessions first; a sender below 100 sessions in
// both windows comes after the others, whatever its rate.
TEST(Time, TrendRanksByFailedSessionsGainedOrLost) {
  Tally tally = clean_ramp(14);
  for (int d = 7; d < 14; ++d) {
    Report tiny = daily("tiny.example", "", kFirstDay + d, 3,
                        {{"certificate-expired", "mx1.example.com", 2}});
    tally.add(tiny, "t");
    Report yahoo =
        daily("Yahoo", "", kFirstDay + d, 0, {{"certificate-expired", "mx1.example.com", 40}});
    yahoo.report_id += "-f";
    tally.add(yahoo, "y");
  }
  const auto trend = tally.finish(at((kFirstDay + 14) * kDay)).history.trend;
  ASSERT_TRUE(trend);
  ASSERT_GE(trend->senders.size(), 2u);
  EXPECT_EQ(trend->senders.front().name, "Yahoo");
  EXPECT_EQ(trend->senders.back().name, "tiny.example");
}

}  // namespace
}  // namespace tlsrpt
