// The enforce check (src/history_check.cpp).
#include <algorithm>

#include <gtest/gtest.h>

#include "history_fixtures.hpp"
#include "tlsrpt/history.hpp"

namespace tlsrpt {
namespace {

using namespace tlsrpt::testing;

TEST(Check, ACleanThirtyDayRampIsReady) {
  const CheckResult check = check_enforce(clean_ramp(30).history());
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
  const CheckResult check = check_enforce(clean_ramp(10).history());
  EXPECT_EQ(check.verdict, Verdict::insufficient_data);
  const DomainCheck& result = check.domains.at(0);
  EXPECT_EQ(result.items.front().code, "days_covered");
  EXPECT_EQ(result.items.front().message,
            "reports cover 10 days of the 30-day window; at least 14 are needed");
}

TEST(Check, AMissingMajorSenderIsInsufficientData) {
  Tally tally;
  for (int d = 0; d < 20; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  const CheckResult check = check_enforce(tally.history());
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
  EXPECT_EQ(
      std::count_if(items.begin(), items.end(),
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
  const CheckResult check = check_enforce(tally.history());
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
  const CheckResult check = check_enforce(tally.history());
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
  EXPECT_EQ(check_enforce(tally.history()).verdict, Verdict::ready);
}

TEST(Check, MajorSendersAreConfigurable) {
  const auto senders = parse_major_senders("Google,Corp=corp.example|mail.corp");
  ASSERT_EQ(senders.size(), 2u);
  EXPECT_EQ(senders[1].name, "Corp");
  EXPECT_EQ(senders[1].matches, (std::vector<std::string>{"corp", "corp.example", "mail.corp"}));
  // A default sender named alone keeps its reporting domains; the list reads back as written.
  EXPECT_EQ(senders[0].matches, default_major_senders()[0].matches);
  EXPECT_EQ(major_senders_text(senders), "Google,Corp=corp.example|mail.corp");
  EXPECT_EQ(major_senders_text(default_major_senders()), "Google,Microsoft,Yahoo,Apple");
  GateOptions options;
  options.major_senders = parse_major_senders("Google");
  Tally tally;
  for (int d = 0; d < 20; ++d) tally.add(daily("Google Inc.", "", kFirstDay + d, 100), "g");
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::ready);
}

TEST(Check, RecognisesAMajorSenderByItsSubmitterDomain) {
  Tally tally;
  for (int d = 0; d < 20; ++d) {
    tally.add(daily("mail-relay-7", "", kFirstDay + d, 100), "m", DkimVerdict::pass, "gmail.com");
  }
  GateOptions options;
  options.major_senders = parse_major_senders("Google");  // its reporting domains come along
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::ready);
  options.major_senders = parse_major_senders("Corp=gmail.com");
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::ready);
  options.major_senders = parse_major_senders("Corp=corp.example");
  EXPECT_EQ(check_enforce(tally.history(), options).verdict, Verdict::insufficient_data);
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
  const CheckResult check = check_enforce(tally.history(), at((kFirstDay + 30) * kDay));
  EXPECT_EQ(check.verdict, Verdict::not_ready);  // the worst
  ASSERT_EQ(check.domains.size(), 2u);
  EXPECT_EQ(check.domains[0].domain, "example.com");
  EXPECT_EQ(check.domains[0].verdict, Verdict::ready);
  EXPECT_EQ(check.domains[1].domain, "other.example");
  EXPECT_EQ(check.domains[1].verdict, Verdict::not_ready);
  // Its own major senders: Yahoo and Apple never reported for other.example.
  const auto& items = check.domains[1].items;
  EXPECT_TRUE(std::any_of(items.begin(), items.end(), [](const CheckItem& item) {
    return item.code == "major_sender_missing" &&
           item.message.starts_with("no reports from Yahoo, Apple");
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
  EXPECT_TRUE(
      line->message.starts_with("starttls-not-supported at mx.other.example, reported by "
                                "Google Inc., Microsoft Corporation in up to 29"))
      << line->message;
}

}  // namespace
}  // namespace tlsrpt
