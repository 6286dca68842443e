// Time: per-day series, trend between two windows, persistent vs transient failures, alerts, and
// the enforce-readiness verdict. Fed report by report (memory grows with days, senders, domains
// and failure keys, never with reports); `finish` and `check` look back from the newest report.
//
// Rules (docs/history.md):
// - a report's counts are spread over the UTC days its period covers, in proportion to the
//   seconds of each day it covers (largest remainder, so the parts add up to the count); an end at
//   hh:59:59 counts as the end of that second;
// - windows end "now": the caller's clock (the CLI's wall clock or --now), so that reports that
//   stopped arriving are seen as stale, never judged as if they were current; a library caller
//   that leaves `now` unset replays a fixed set as of the end of its newest report.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tlsrpt/intern.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct DayCounts {
  std::int64_t day = 0;  // days since 1970-01-01 (UTC)
  std::uint64_t successful = 0;
  std::uint64_t failed = 0;
};

// Values by day, kept in one sorted vector: reports arrive roughly in day order, so a lookup is
// usually the last element, and a sender's month of days sits in one cache line or two.
template <typename T>
class DayMap {
 public:
  using value_type = std::pair<std::int64_t, T>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  T& operator[](std::int64_t day) {
    if (days_.empty() || days_.back().first < day) return days_.emplace_back(day, T{}).second;
    const auto it = days_.begin() + (lower_bound(day) - days_.cbegin());
    if (it != days_.end() && it->first == day) return it->second;
    return days_.emplace(it, day, T{})->second;
  }
  bool empty() const { return days_.empty(); }
  const_iterator begin() const { return days_.begin(); }
  const_iterator end() const { return days_.end(); }
  const value_type& front() const { return days_.front(); }
  const value_type& back() const { return days_.back(); }
  const_iterator lower_bound(std::int64_t day) const {
    return std::lower_bound(
        days_.begin(), days_.end(), day,
        [](const value_type& entry, std::int64_t d) { return entry.first < d; });
  }
  const_iterator find(std::int64_t day) const {
    const auto it = lower_bound(day);
    return it != days_.end() && it->first == day ? it : days_.end();
  }

 private:
  std::vector<value_type> days_;
};

// A named series (overall, a sender, a domain) over the days from the first to the last day seen;
// days without reports are present with zero counts and `reported` false.
struct Series {
  std::string name;
  std::vector<DayCounts> days;
  std::vector<bool> reported;
};

struct TrendRow {
  std::string name;
  double recent_rate = 0;
  double previous_rate = 0;
  std::uint64_t recent_sessions = 0;
  std::uint64_t previous_sessions = 0;
  std::uint64_t recent_failed = 0;
  std::uint64_t previous_failed = 0;
};

struct Trend {
  std::int64_t recent_first_day = 0;  // inclusive
  std::int64_t recent_last_day = 0;
  std::int64_t previous_first_day = 0;
  std::int64_t previous_last_day = 0;
  TrendRow overall;
  std::vector<TrendRow> senders;
  std::vector<TrendRow> failure_types;  // rate = the type's failures / all sessions in the window
};

struct PersistentFailure {
  std::string sender;
  std::string result_type;
  std::string receiving_mx_hostname;  // "(not given)" when the details had none
  std::string policy_domain;
  std::uint64_t periods = 0;  // distinct report periods it appeared in
  bool persistent = false;
  std::int64_t first_seen = 0;  // unix seconds: start of the first period, end of the last
  std::int64_t last_seen = 0;
  std::uint64_t failed = 0;
};

enum class AlertLevel { warning, critical };

struct Alert {
  AlertLevel level = AlertLevel::warning;
  std::string code;  // no_reports, no_recent_reports, failure_rate, new_failure_type,
                     // sender_silent, stale_policy, mx_not_in_policy
  std::string message;
};

// When "now" is and how old data may be: shared by the summary, alerts and check.
struct TimeOptions {
  std::optional<std::int64_t> now;  // unix seconds; unset: the end of the newest report
  int stale_days = 2;               // the newest report older than this: data is stale
  // Why no report is left, said when none is ("19 reports read, all outside --since ...");
  // empty: "no TLS reports found in the inputs".
  std::string nothing_left;
};

struct HistoryOptions {
  TimeOptions time;
  int window_days = 7;  // the recent window for trend and alerts
  // The per-day series cover the last `series_days` days up to now, or [series_since,
  // series_until] when set (the --since/--until filter), and never days after the newest report.
  int series_days = 30;
  std::optional<std::int64_t> series_since;
  std::optional<std::int64_t> series_until;
  std::uint64_t persistent_periods = 3;
  double warn_rate = 0.02;
  double critical_rate = 0.05;
  int silent_days = 7;
};

struct HistorySummary {
  std::int64_t now = 0;
  std::optional<std::int64_t> newest_end;  // the end of the newest report
  // The days the series cover (none when no report falls in the analysis window).
  std::optional<std::int64_t> series_first_day;
  std::optional<std::int64_t> series_last_day;
  std::uint64_t reports_before_series = 0;  // reports that ended before the series' first day
  std::uint64_t reports_after_now = 0;      // reports that end after now (a sender's clock)
  std::uint64_t implausible_dates = 0;      // reports left out of all time views: see dated
  bool spread = false;                      // some report covered more than one day
  Series overall;
  std::vector<Series> senders;
  std::vector<Series> domains;
  std::optional<Trend> trend;  // only when the window before the recent one had sessions
  std::vector<PersistentFailure> failures;  // persistent first, then by failed
  std::vector<Alert> alerts;
};

// Why a check said what it said.
enum class Verdict { ready, not_ready, insufficient_data };

std::string_view verdict_name(Verdict verdict);

struct MajorSender {
  std::string name;                  // as shown, e.g. "Google"
  std::vector<std::string> matches;  // lower-case substrings of organization-name or contact domain
};

// Google, Microsoft, Yahoo, Apple, with their organization names and reporting domains.
std::vector<MajorSender> default_major_senders();
// "Google,Example=example.net" → each entry a name, optionally "=" extra match strings
// ("|"-separated).
std::vector<MajorSender> parse_major_senders(const std::string& list);

struct CheckOptions {
  TimeOptions time;
  double max_failure_rate = 0.01;
  int min_days = 14;
  int window_days = 30;
  std::uint64_t persistent_periods = 3;
  std::vector<MajorSender> major_senders = default_major_senders();
};

struct CheckSender {
  std::string name;
  bool seen = false;
  std::uint64_t report_days = 0;  // days in the window with a report from it
  std::uint64_t successful = 0;
  std::uint64_t failed = 0;
};

// One thing the check looked at: `outcome` is ready (passed), not_ready (blocks enforce) or
// insufficient_data (cannot tell yet).
struct CheckItem {
  Verdict outcome = Verdict::ready;
  std::string code;  // no_reports, no_recent_reports, failure_rate, major_sender_rate,
                     // persistent_failure, days_covered, major_sender_missing
  std::string message;
};

// The verdict for one policy domain, from its own senders, failures and days.
struct DomainCheck {
  std::string domain;
  Verdict verdict = Verdict::insufficient_data;
  std::vector<CheckItem> items;  // not_ready first, then insufficient_data, then ready
  std::optional<std::int64_t> newest_end;
  std::int64_t days_covered = 0;  // days of the window with a report for the domain
  std::uint64_t successful = 0;
  std::uint64_t failed = 0;
  std::vector<CheckSender> major_senders;
  std::vector<PersistentFailure> blocking;  // persistent failures that would block under enforce
};

struct CheckResult {
  Verdict verdict = Verdict::insufficient_data;  // the worst of the domains' verdicts
  std::vector<CheckItem> items;  // about the run as a whole (no report at all, no domain)
  std::int64_t now = 0;
  std::optional<std::int64_t> newest_end;
  std::int64_t window_first_day = 0;
  std::int64_t window_last_day = 0;
  std::uint64_t successful = 0;  // all domains, in the window
  std::uint64_t failed = 0;
  std::vector<DomainCheck> domains;  // by name
};

class History {
 public:
  History() = default;
  // A history whose names are kept in `names`, shared with whoever else keys by them.
  explicit History(std::shared_ptr<ReportNames> names) : names_(std::move(names)) {}
  // `counted[i]` says whether policy i counts (the tlsa/sts rule, analyze.hpp); `submitter` is the
  // mail's TLS-Report-Submitter, if any.
  // The ids add() gave the report's names, for a caller keeping aggregates of its own by them.
  struct AddedIds {
    std::uint32_t sender = 0;
    std::vector<std::uint32_t> domains;  // per policy (counted ones only)
    std::vector<std::uint32_t> types;    // per failure detail of the counted policies, in order
  };
  // `dated` false: a report whose dates are implausible (before 2016, or after now): its names are
  // interned for `ids`, nothing else is kept (it stays out of series, trend, alerts and check).
  void add(const Report& report, const std::vector<bool>& counted,
           const std::string& submitter = "", AddedIds* ids = nullptr, bool dated = true);
  // Reports added with implausible dates.
  std::uint64_t undated() const { return undated_; }

  HistorySummary finish(const HistoryOptions& options) const;
  CheckResult check(const CheckOptions& options) const;

 private:
  struct SenderInfo {
    std::string contact;         // contact-info and submitters seen, lower-cased, space-separated
    std::string last_contact;    // the contact-info and submitter last merged into `contact`,
    std::string last_submitter;  // as given (most reports repeat them)
    std::vector<std::int64_t> days;  // sorted, distinct: days with a report starting
    std::int64_t last_end = 0;
    std::uint64_t reports = 0;
    DayMap<DayCounts> day_counts;
  };
  struct FailureKey {
    std::uint32_t sender = 0, type = 0, mx = 0, domain = 0;
    bool operator==(const FailureKey&) const = default;
  };
  struct FailureKeyHash {
    std::size_t operator()(const FailureKey& key) const {
      return (std::size_t{key.sender} * 0x9E3779B97F4A7C15ull) ^ (std::size_t{key.type} << 48) ^
             (std::size_t{key.mx} * 0xC2B2AE3D27D4EB4Full) ^ (std::size_t{key.domain} << 24);
    }
  };
  struct FailureAgg {
    std::vector<std::pair<std::int64_t, std::int64_t>> periods;  // sorted, distinct
    std::int64_t first = 0, last = 0;
    std::uint64_t failed = 0;
  };
  using Failures = std::unordered_map<FailureKey, FailureAgg, FailureKeyHash>;
  struct PolicyShape {
    std::string mode;
    std::vector<std::string> mx;  // sorted, lower-cased
  };
  struct PolicyApplied {
    std::uint32_t shape = 0;  // policy_shapes_ index
    std::int64_t first = 0;   // start of the first report that applied it
  };
  struct PolicySeen {
    std::int64_t end = 0;
    std::uint32_t shape = 0;
  };

  static std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    return (std::uint64_t{a} << 32) | b;
  }
  // The newest policy of the domain with id `domain`, or nullptr when no sender reported an STS
  // policy for it.
  const PolicyApplied* newest_policy(std::uint32_t domain) const;
  // The policy_shapes_ id of an STS policy.
  std::uint32_t shape_of(const StsPolicy& sts);
  // failures_ ordered by (sender, type, mx, domain) name, for reproducible output.
  std::vector<const Failures::value_type*> failures_by_name() const;
  std::int64_t now_of(const TimeOptions& time) const;
  // The parts of finish(), each in a file of its own: history_series.cpp (series and trend),
  // history_failures.cpp, history_alerts.cpp; check() is in history_check.cpp.
  void finish_series(const HistoryOptions& options, std::int64_t now,
                     HistorySummary& summary) const;
  Trend finish_trend(const HistoryOptions& options, std::int64_t now) const;
  std::vector<PersistentFailure> persistent_failures(const HistoryOptions& options) const;
  std::vector<Alert> alerts(const HistoryOptions& options, std::int64_t now,
                            const Trend& trend) const;
  // What check() works out once for all the domains it judges.
  struct CheckContext {
    std::vector<std::vector<const Failures::value_type*>> failures;  // by domain id, name order
    std::vector<std::vector<std::uint32_t>> majors;  // per major sender: the sender ids it matches
  };
  DomainCheck check_domain(std::uint32_t domain, const CheckOptions& options,
                           const CheckContext& context, std::int64_t first, std::int64_t last,
                           std::int64_t now) const;

  std::shared_ptr<ReportNames> names_ = std::make_shared<ReportNames>();
  NameTable shape_keys_;
  std::vector<SenderInfo> senders_;             // by sender id
  std::vector<DayMap<DayCounts>> domain_days_;  // by domain id
  std::vector<std::int64_t> domain_last_end_;   // by domain id: the newest report's end
  std::unordered_map<std::uint64_t, DayMap<DayCounts>>
      domain_sender_days_;                     // pair_key(domain, sender) → counts by day
  DayMap<std::uint64_t> reports_by_last_day_;  // reports by the last day they cover
  bool spread_ = false;                        // some report covered more than one day
  std::uint64_t undated_ = 0;
  std::vector<DayMap<std::uint64_t>> type_days_;  // failures per day, by type id
  std::unordered_map<std::uint64_t, DayMap<std::uint64_t>>
      sender_type_days_;  // pair_key(sender, type) → failures per day
  DayMap<DayCounts> overall_;
  Failures failures_;
  std::vector<PolicyShape> policy_shapes_;   // by shape_keys_ id
  StringMap<std::uint32_t> shapes_by_text_;  // mode and mx patterns as given → shape id
  std::vector<std::vector<PolicyApplied>> domain_policies_;      // by domain id
  std::unordered_map<std::uint64_t, PolicySeen> sender_policy_;  // pair_key(domain, sender): latest
  std::optional<std::int64_t> newest_end_;
  std::string scratch_;
};

// Splits `count` over the UTC days of [start, end] in proportion to the seconds of each day
// covered; the parts add up to `count`.
std::vector<std::pair<std::int64_t, std::uint64_t>> spread_over_days(std::int64_t start,
                                                                     std::int64_t end,
                                                                     std::uint64_t count);

}  // namespace tlsrpt
