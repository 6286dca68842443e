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
  const CheckResult result = clean_ramp(30).history().check(CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::ready);
  EXPECT_EQ(result.days_covered, 30);
  for (const CheckItem& item : result.items) EXPECT_EQ(item.outcome, Verdict::ready) << item.text;
  ASSERT_EQ(result.major_senders.size(), 4u);
  EXPECT_TRUE(std::all_of(result.major_senders.begin(), result.major_senders.end(),
                          [](const CheckSender& s) { return s.seen && s.reports == 30; }));
}

TEST(Check, TenDaysIsInsufficientData) {
  const CheckResult result = clean_ramp(10).history().check(CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::insufficient_data);
  EXPECT_EQ(result.items.front().code, "days_covered");
  EXPECT_EQ(result.items.front().text,
            "reports cover 10 days of the 30-day window; at least 14 are needed");
}

TEST(Check, AMissingMajorSenderIsInsufficientData) {
  Tally tally;
  for (int d = 0; d < 20; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  const CheckResult result = tally.history().check(CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::insufficient_data);
  EXPECT_EQ(
      std::count_if(result.items.begin(), result.items.end(),
                    [](const CheckItem& item) { return item.code == "major_sender_missing"; }),
      3);
}

TEST(Check, APersistentCertificateMismatchAtAMajorSenderIsNotReady) {
  Tally tally = clean_ramp(30);
  for (int d = 20; d < 30; ++d) {
    Report report = daily("Google Inc.", "smtp-tls-reporting@google.com", kFirstDay + d, 10,
                          {{"certificate-host-mismatch", "mx2.example.com", 1}});
    report.report_id += "-b";  // a second report the same day: another rua
    tally.add(report, "g2");
  }
  const CheckResult result = tally.history().check(CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::not_ready);
  ASSERT_EQ(result.blocking.size(), 1u);
  EXPECT_EQ(result.blocking[0].result_type, "certificate-host-mismatch");
  EXPECT_EQ(result.blocking[0].receiving_mx_hostname, "mx2.example.com");
  EXPECT_EQ(result.items.front().code, "persistent_failure");
  EXPECT_EQ(result.items.front().text,
            "Google Inc. reports certificate-host-mismatch at mx2.example.com in 10 report "
            "periods, last on "
            "2026-03-17 (10 failed sessions): under enforce this mail would not be delivered");
}

TEST(Check, AMajorSenderAboveTheLimitIsNotReady) {
  Tally tally = clean_ramp(20);
  for (int d = 0; d < 20; ++d) {
    Report report = daily("Apple Inc.", "tls-reporting@apple.com", kFirstDay + d, 10,
                          {{"sts-policy-fetch-error", "", 90}});
    report.report_id += "-x";
    tally.add(report, "a2");
  }
  const CheckResult result = tally.history().check(CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::not_ready);
  const auto apple =
      std::find_if(result.items.begin(), result.items.end(), [](const CheckItem& item) {
        return item.code == "major_sender_rate" && item.text.starts_with("Apple");
      });
  ASSERT_NE(apple, result.items.end());
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
            "Microsoft Corporation reported on 10 days until 2026-02-25 and has sent nothing for "
            "15 days before the "
            "newest report; check that its reports still reach you");
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
      "mx9.example.com failed 4 sessions and is not covered by example.com's MTA-STS mx patterns "
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
