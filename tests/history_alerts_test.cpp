// Alerts (src/history_alerts.cpp).
#include <algorithm>

#include <gtest/gtest.h>

#include "history_fixtures.hpp"
#include "tlsrpt/history.hpp"

namespace tlsrpt {
namespace {

using namespace tlsrpt::testing;

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
  GateOptions options;
  History history;
  for (int d = 0; d < 7; ++d) {
    history.add(daily("G", "", kFirstDay + d, 97, {{"certificate-expired", "mx1.example.com", 3}}),
                {true});
  }
  EXPECT_EQ(summarize_history(history, options).alerts[0].level, AlertLevel::warning);
  history.add(daily("G", "", kFirstDay + 6, 0, {{"certificate-expired", "mx1.example.com", 300}}),
              {true});
  const HistorySummary summary = summarize_history(history, options);
  EXPECT_EQ(summary.alerts[0].code, "failure_rate");
  EXPECT_EQ(summary.alerts[0].level, AlertLevel::critical);
}

TEST(Alerts, ACleanRampRaisesNone) { EXPECT_TRUE(clean_ramp(30).finish().history.alerts.empty()); }

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
