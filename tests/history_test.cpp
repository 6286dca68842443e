#include "tlsrpt/history.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "tlsrpt/analyze.hpp"

namespace tlsrpt {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kFirstDay = 20500;  // 2026-02-16

struct Failure {
  std::string type;
  std::string mx;
  std::uint64_t count;
};

// One daily report from `org` for example.com on day `day` (days since the epoch).
Report daily(const std::string& org, const std::string& contact, std::int64_t day, std::uint64_t ok,
             std::vector<Failure> failures = {}, const std::string& mode = "testing",
             std::vector<std::string> mx = {"mx1.example.com", "mx2.example.com"}) {
  Report report;
  report.organization_name = org;
  report.contact_info = contact;
  report.report_id = org + std::to_string(day);
  report.date_range = {day * kDay, day * kDay + kDay - 1};
  Policy policy;
  policy.policy_type = PolicyType::sts;
  policy.policy_type_text = "sts";
  policy.policy_domain = "example.com";
  policy.policy_string = {"version: STSv1", "mode: " + mode, "max_age: 604800"};
  for (const std::string& pattern : mx) policy.policy_string.push_back("mx: " + pattern);
  policy.sts = parse_sts_policy(policy.policy_string);
  policy.total_successful_session_count = ok;
  for (const Failure& failure : failures) {
    FailureDetail detail;
    detail.result_type = parse_result_type(failure.type);
    detail.result_type_text = failure.type;
    detail.receiving_mx_hostname = failure.mx;
    detail.failed_session_count = failure.count;
    policy.total_failure_session_count += failure.count;
    policy.failure_details.push_back(detail);
  }
  report.policies.push_back(policy);
  return report;
}

// A clean ramp: the four major senders and a small one report every day for `days` days.
Tally clean_ramp(int days) {
  Tally tally;
  for (int d = 0; d < days; ++d) {
    const std::int64_t day = kFirstDay + d;
    tally.add(daily("Google Inc.", "smtp-tls-reporting@google.com", day, 5000,
                    {{"validation-failure", "mx1.example.com", 3}}),
              "g");
    tally.add(daily("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", day, 3000), "m");
    tally.add(daily("Yahoo", "tlsrpt@yahooinc.com", day, 1000), "y");
    tally.add(daily("Apple Inc.", "tls-reporting@apple.com", day, 800), "a");
    tally.add(daily("small.example", "postmaster@small.example", day, 20), "s");
  }
  return tally;
}

std::vector<std::string> codes(const std::vector<Alert>& alerts) {
  std::vector<std::string> list;
  for (const Alert& alert : alerts) list.push_back(alert.code);
  return list;
}

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
  const HistorySummary summary = history.finish(HistoryOptions{});
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
  const HistorySummary summary = history.finish(HistoryOptions{});
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
  const HistorySummary summary = history.finish(HistoryOptions{});
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
  const HistorySummary summary = history.finish(HistoryOptions{});
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

TEST(Check, ACleanThirtyDayRampIsReady) {
  const CheckResult check = clean_ramp(30).history().check(CheckOptions{});
  EXPECT_EQ(check.verdict, Verdict::ready);
  ASSERT_EQ(check.domains.size(), 1u);
  const DomainCheck& result = check.domains[0];
  EXPECT_EQ(result.domain, "example.com");
  EXPECT_EQ(result.days_covered, 30);
  for (const CheckItem& item : result.items)
    EXPECT_EQ(item.outcome, Verdict::ready) << item.message;
  ASSERT_EQ(result.major_senders.size(), 4u);
  EXPECT_TRUE(std::all_of(result.major_senders.begin(), result.major_senders.end(),
                          [](const CheckSender& s) { return s.seen && s.report_days == 30; }));
}

TEST(Check, TenDaysIsInsufficientData) {
  const CheckResult check = clean_ramp(10).history().check(CheckOptions{});
  EXPECT_EQ(check.verdict, Verdict::insufficient_data);
  const DomainCheck& result = check.domains.at(0);
  EXPECT_EQ(result.items.front().code, "days_covered");
  EXPECT_EQ(result.items.front().message,
            "reports cover 10 days of the 30-day window; at least 14 are needed");
}

TEST(Check, AMissingMajorSenderIsInsufficientData) {
  Tally tally;
  for (int d = 0; d < 20; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  const CheckResult check = tally.history().check(CheckOptions{});
  EXPECT_EQ(check.verdict, Verdict::insufficient_data);
  const auto& items = check.domains.at(0).items;
  const auto missing = std::find_if(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "major_sender_missing";
  });
  ASSERT_NE(missing, items.end());
  EXPECT_EQ(missing->message,
            "no reports from Microsoft, Yahoo, Apple in 2026-02-06 to 2026-03-07; a major "
            "sender's view is needed before enforcing (wait, or check that their reports reach "
            "you)");
  EXPECT_EQ(std::count_if(items.begin(), items.end(),
                          [](const CheckItem& item) { return item.code == "major_sender_missing"; }),
            1);
}

TEST(Check, APersistentCertificateMismatchAtAMajorSenderIsNotReady) {
  Tally tally = clean_ramp(30);
  for (int d = 20; d < 30; ++d) {
    Report report = daily("Google Inc.", "smtp-tls-reporting@google.com", kFirstDay + d, 10,
                          {{"certificate-host-mismatch", "mx2.example.com", 1}});
    report.report_id += "-b";  // a second report the same day: another rua
    tally.add(report, "g2");
  }
  const CheckResult check = tally.history().check(CheckOptions{});
  EXPECT_EQ(check.verdict, Verdict::not_ready);
  const DomainCheck& result = check.domains.at(0);
  ASSERT_EQ(result.blocking.size(), 1u);
  EXPECT_EQ(result.blocking[0].result_type, "certificate-host-mismatch");
  EXPECT_EQ(result.blocking[0].receiving_mx_hostname, "mx2.example.com");
  EXPECT_EQ(result.items.front().code, "persistent_failure");
  EXPECT_EQ(result.items.front().message,
            "certificate-host-mismatch at mx2.example.com, reported by Google Inc. in up to 10 "
            "report periods, last on 2026-03-17 (10 failed sessions): under enforce this mail "
            "would not be delivered");
}

TEST(Check, AMajorSenderAboveTheLimitIsNotReady) {
  Tally tally = clean_ramp(20);
  for (int d = 0; d < 20; ++d) {
    Report report = daily("Apple Inc.", "tls-reporting@apple.com", kFirstDay + d, 10,
                          {{"sts-policy-fetch-error", "", 90}});
    report.report_id += "-x";
    tally.add(report, "a2");
  }
  const CheckResult check = tally.history().check(CheckOptions{});
  EXPECT_EQ(check.verdict, Verdict::not_ready);
  const auto& items = check.domains.at(0).items;
  const auto apple = std::find_if(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "major_sender_rate" && item.message.starts_with("Apple");
  });
  ASSERT_NE(apple, items.end());
  EXPECT_EQ(apple->outcome, Verdict::not_ready);
}

TEST(Check, StarttlsFailuresSeenByOneSenderOnlyDoNotBlock) {
  Tally tally = clean_ramp(20);
  for (int d = 0; d < 20; ++d) {
    Report report = daily("small.example", "", kFirstDay + d, 1,
                          {{"starttls-not-supported", "mx1.example.com", 1}});
    report.report_id += "-s";
    tally.add(report, "s2");
  }
  EXPECT_EQ(tally.history().check(CheckOptions{}).verdict, Verdict::ready);
}

TEST(Check, MajorSendersAreConfigurable) {
  const auto senders = parse_major_senders("Google,Corp=corp.example|mail.corp");
  ASSERT_EQ(senders.size(), 2u);
  EXPECT_EQ(senders[1].name, "Corp");
  EXPECT_EQ(senders[1].matches, (std::vector<std::string>{"corp", "corp.example", "mail.corp"}));
  CheckOptions options;
  options.major_senders = parse_major_senders("Google");
  Tally tally;
  for (int d = 0; d < 20; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  EXPECT_EQ(tally.history().check(options).verdict, Verdict::ready);
}

TEST(Check, RecognisesAMajorSenderByItsSubmitterDomain) {
  Tally tally;
  for (int d = 0; d < 20; ++d) {
    tally.add(daily("mail-relay-7", "", kFirstDay + d, 100), "m", DkimVerdict::pass, "gmail.com");
  }
  CheckOptions options;
  options.major_senders = parse_major_senders("Google");
  options.major_senders[0].matches.push_back("gmail.com");
  EXPECT_EQ(tally.history().check(options).verdict, Verdict::ready);
  options.major_senders = parse_major_senders("Google");
  EXPECT_EQ(tally.history().check(options).verdict, Verdict::insufficient_data);
}

TEST(Alerts, ASenderGoneSilentRaisesAnAlert) {
  Tally tally = clean_ramp(10);
  for (int d = 10; d < 25; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  const HistorySummary summary = tally.finish().history;
  const auto found =
      std::find_if(summary.alerts.begin(), summary.alerts.end(), [](const Alert& alert) {
        return alert.code == "sender_silent" && alert.message.starts_with("Microsoft Corporation");
      });
  ASSERT_NE(found, summary.alerts.end());
  EXPECT_EQ(found->message,
            "Microsoft Corporation reported on 10 days until 2026-02-25 (15 days before now) and "
            "has sent nothing since; check that its reports still reach you");
}

TEST(Alerts, ANewFailureTypeRaisesAnAlert) {
  Tally tally = clean_ramp(20);
  Report report = daily("Microsoft Corporation", "", kFirstDay + 19, 10,
                        {{"certificate-expired", "mx1.example.com", 7}});
  report.report_id += "-e";
  tally.add(report, "m2");
  const HistorySummary summary = tally.finish().history;
  EXPECT_EQ(codes(summary.alerts), std::vector<std::string>{"new_failure_type"});
  EXPECT_EQ(summary.alerts[0].message,
            "Microsoft Corporation: certificate-expired first appeared on 2026-03-07 (7 failed "
            "sessions from 2026-03-01 "
            "to 2026-03-07); this sender had not reported it before");
}

TEST(Alerts, AStaleCachedPolicyRaisesAnAlert) {
  Tally tally = clean_ramp(20);
  // The domain moved to enforce on the last day; Yahoo still applies the testing policy.
  Report google = daily("Google Inc.", "", kFirstDay + 20, 100, {}, "enforce");
  Report yahoo = daily("Yahoo", "", kFirstDay + 20, 100, {}, "testing");
  yahoo.report_id += "-late";
  tally.add(google, "g");
  tally.add(yahoo, "y");
  const HistorySummary summary = tally.finish().history;
  const auto stale = std::find_if(
      summary.alerts.begin(), summary.alerts.end(),
      [](const Alert& alert) { return alert.message.starts_with("Yahoo still applies"); });
  ASSERT_NE(stale, summary.alerts.end());
  EXPECT_EQ(stale->code, "stale_policy");
}

TEST(Alerts, AFailingMxOutsideThePolicyRaisesAnAlert) {
  Tally tally = clean_ramp(15);
  Report report = daily("Google Inc.", "", kFirstDay + 14, 10,
                        {{"starttls-not-supported", "mx9.example.com", 4}});
  report.report_id += "-mx";
  tally.add(report, "g");
  const HistorySummary summary = tally.finish().history;
  const auto mx = std::find_if(summary.alerts.begin(), summary.alerts.end(),
                               [](const Alert& alert) { return alert.code == "mx_not_in_policy"; });
  ASSERT_NE(mx, summary.alerts.end());
  EXPECT_EQ(
      mx->message,
      "mx9.example.com (4 failed) is not covered by example.com's MTA-STS mx patterns "
      "(mx1.example.com, mx2.example.com): add it to the policy or remove it from the MX records");
}

TEST(Alerts, AHighFailureRateIsWarningThenCritical) {
  HistoryOptions options;
  History history;
  for (int d = 0; d < 7; ++d) {
    history.add(daily("G", "", kFirstDay + d, 97, {{"certificate-expired", "mx1.example.com", 3}}),
                {true});
  }
  EXPECT_EQ(history.finish(options).alerts[0].level, AlertLevel::warning);
  history.add(daily("G", "", kFirstDay + 6, 0, {{"certificate-expired", "mx1.example.com", 300}}),
              {true});
  const HistorySummary summary = history.finish(options);
  EXPECT_EQ(summary.alerts[0].code, "failure_rate");
  EXPECT_EQ(summary.alerts[0].level, AlertLevel::critical);
}

TEST(Alerts, ACleanRampRaisesNone) { EXPECT_TRUE(clean_ramp(30).finish().history.alerts.empty()); }

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Alerts, ASporadicSenderGoingQuietIsNoNews) {
  Tally tally = clean_ramp(30);
  for (const int d : {0, 10, 19}) tally.add(daily("rare.example", "", kFirstDay + d, 5), "r");
  const HistorySummary summary = tally.finish().history;
  EXPECT_TRUE(std::none_of(summary.alerts.begin(), summary.alerts.end(), [](const Alert& alert) {
    return alert.message.starts_with("rare.example");
  }));
}

TEST(Alerts, ANewSendersFirstFailureIsNotANewFailureType) {
  Tally tally = clean_ramp(20);
  for (const int d : {17, 18, 19}) {
    tally.add(daily("newcomer.example", "", kFirstDay + d, 5,
                    {{"certificate-expired", "mx1.example.com", 1}}),
              "n");
  }
  EXPECT_TRUE(tally.finish().history.alerts.empty());
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

HistoryOptions at(std::int64_t now) {
  HistoryOptions options;
  options.time.now = now;
  return options;
}

CheckOptions check_at(std::int64_t now) {
  CheckOptions options;
  options.time.now = now;
  return options;
}

// Windows end now: reports that stopped arriving are stale, never judged as current.
TEST(Time, ReportsThatStoppedArrivingAreInsufficientDataAndAnAlert) {
  const Tally tally = clean_ramp(30);  // days kFirstDay .. kFirstDay + 29
  const std::int64_t fresh = (kFirstDay + 30) * kDay + 3600;
  EXPECT_EQ(tally.history().check(check_at(fresh)).verdict, Verdict::ready);
  EXPECT_TRUE(tally.history().finish(at(fresh)).alerts.empty());

  const std::int64_t later = (kFirstDay + 230) * kDay;  // 200 days on
  const CheckResult check = tally.history().check(check_at(later));
  EXPECT_EQ(check.verdict, Verdict::insufficient_data);
  const DomainCheck& domain = check.domains.at(0);
  EXPECT_EQ(domain.items.front().code, "no_recent_reports");
  EXPECT_TRUE(domain.items.front().message.starts_with(
      "no report since 2026-03-17 (200 days before now)"))
      << domain.items.front().message;
  const HistorySummary summary = tally.history().finish(at(later));
  // One alert says it; no sender_silent per sender.
  EXPECT_EQ(codes(summary.alerts), std::vector<std::string>{"no_recent_reports"});
  EXPECT_EQ(summary.alerts[0].level, AlertLevel::critical);
  EXPECT_FALSE(summary.trend);  // nothing in either window
}

TEST(Time, StaleDaysIsConfigurable) {
  const Tally tally = clean_ramp(30);
  CheckOptions options = check_at((kFirstDay + 34) * kDay);  // 4 days and 1 s after the last
  EXPECT_EQ(tally.history().check(options).verdict, Verdict::insufficient_data);
  options.time.stale_days = 5;
  EXPECT_EQ(tally.history().check(options).verdict, Verdict::ready);
}

TEST(Time, NoReportAtAllIsAnAlertAndInsufficientData) {
  const History history;
  HistoryOptions options = at(kFirstDay * kDay);
  EXPECT_EQ(codes(history.finish(options).alerts), std::vector<std::string>{"no_reports"});
  EXPECT_TRUE(history.finish(options).alerts[0].message.starts_with(
      "no TLS reports found in the inputs"));
  options.time.nothing_left = "19 reports read, all left out: 19 ended before --since 2026-05-12";
  EXPECT_TRUE(history.finish(options).alerts[0].message.starts_with(options.time.nothing_left));
  CheckOptions check = check_at(kFirstDay * kDay);
  check.time.nothing_left = options.time.nothing_left;
  const CheckResult result = history.check(check);
  EXPECT_EQ(result.verdict, Verdict::insufficient_data);
  ASSERT_EQ(result.items.size(), 1u);
  EXPECT_EQ(result.items[0].message, options.time.nothing_left);
  EXPECT_EQ(result.window_last_day, kFirstDay);  // the window still ends now, never in 1970
}

// The per-day series cover the analysis window, not the oldest report.
TEST(Time, SeriesAreBoundedByTheWindow) {
  Tally tally = clean_ramp(30);
  tally.add(daily("Old Sender", "", 16900, 50), "old");  // 2016-04-09
  tally.add(daily("Far Future", "", 2900000, 50), "future");  // year 9909
  const HistorySummary summary = tally.finish(at((kFirstDay + 30) * kDay)).history;
  ASSERT_TRUE(summary.series_first_day);
  EXPECT_EQ(*summary.series_first_day, kFirstDay + 1);  // 30 days up to now
  EXPECT_EQ(*summary.series_last_day, kFirstDay + 29);  // the newest report before now
  EXPECT_EQ(summary.overall.days.size(), 29u);
  for (const Series& series : summary.senders) EXPECT_EQ(series.days.size(), 29u) << series.name;
  EXPECT_EQ(summary.reports_before_series, 6u);  // the old one and day 0's five
  EXPECT_EQ(summary.reports_after_now, 1u);
  HistoryOptions narrow = at((kFirstDay + 30) * kDay);
  narrow.series_days = 7;
  EXPECT_EQ(tally.finish(narrow).history.overall.days.size(), 6u);  // today has no report yet
  HistoryOptions since = narrow;
  since.series_since = (kFirstDay + 10) * kDay;
  since.series_until = (kFirstDay + 12) * kDay + kDay - 1;
  EXPECT_EQ(tally.finish(since).history.overall.days.size(), 3u);
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
    Report tiny = daily("tiny.example", "", kFirstDay + d, 3, {{"certificate-expired", "mx1.example.com", 2}});
    tally.add(tiny, "t");
    Report yahoo = daily("Yahoo", "", kFirstDay + d, 0, {{"certificate-expired", "mx1.example.com", 40}});
    yahoo.report_id += "-f";
    tally.add(yahoo, "y");
  }
  const auto trend = tally.finish(at((kFirstDay + 14) * kDay)).history.trend;
  ASSERT_TRUE(trend);
  ASSERT_GE(trend->senders.size(), 2u);
  EXPECT_EQ(trend->senders.front().name, "Yahoo");
  EXPECT_EQ(trend->senders.back().name, "tiny.example");
}

// MTA-STS is per domain: each domain gets its own verdict from its own reports.
TEST(Check, JudgesEachPolicyDomainOnItsOwn) {
  Tally tally = clean_ramp(30);  // example.com: clean
  for (int d = 0; d < 30; ++d) {
    for (const char* sender : {"Google Inc.", "Microsoft Corporation"}) {
      Report report = daily(sender, "", kFirstDay + d, 100,
                            {{"starttls-not-supported", "mx.other.example", 50}});
      report.report_id += "-other";
      report.policies[0].policy_domain = "other.example";
      tally.add(report, "o");
    }
  }
  const CheckResult check = tally.history().check(check_at((kFirstDay + 30) * kDay));
  EXPECT_EQ(check.verdict, Verdict::not_ready);  // the worst
  ASSERT_EQ(check.domains.size(), 2u);
  EXPECT_EQ(check.domains[0].domain, "example.com");
  EXPECT_EQ(check.domains[0].verdict, Verdict::ready);
  EXPECT_EQ(check.domains[1].domain, "other.example");
  EXPECT_EQ(check.domains[1].verdict, Verdict::not_ready);
  // Its own major senders: Yahoo and Apple never reported for other.example.
  const auto& items = check.domains[1].items;
  EXPECT_TRUE(std::any_of(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "major_sender_missing" && item.message.starts_with("no reports from Yahoo, Apple");
  }));
  // One [blocks] line for the MX, naming both senders that report it.
  const auto blocks = std::count_if(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "persistent_failure";
  });
  EXPECT_EQ(blocks, 1);
  EXPECT_EQ(check.domains[1].blocking.size(), 2u);
  const auto line = std::find_if(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "persistent_failure";
  });
  EXPECT_TRUE(line->message.starts_with("starttls-not-supported at mx.other.example, reported by "
                                        "Google Inc., Microsoft Corporation in up to 29"))
      << line->message;
}

}  // namespace
}  // namespace tlsrpt
