// The views of the history (history.hpp): the per-day series and the trend, persistent and
// transient failures, alerts, and the enforce-readiness verdict. Each reads the finished aggregate
// and returns its own result; none changes the aggregate or another view's state. Computing is
// apart from rendering: the results are plain structs with the sentences users read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlsrpt/gate.hpp"
#include "tlsrpt/history.hpp"

namespace tlsrpt {

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
  // Every report is older than the series' days: they show the newest span of that length
  // that holds reports instead, marked as outside the window.
  bool series_outside_window = false;
  Series overall;
  std::vector<Series> senders;
  std::vector<Series> domains;
  std::optional<Trend> trend;  // only when the window before the recent one had sessions
  std::vector<PersistentFailure> failures;  // persistent first, then by failed
  std::vector<Alert> alerts;
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
  GateOptions gate;  // the settings it was judged with
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

// The series of the analysis window (`series`), each name's days from the first to the last day
// with a report; when no report falls in it, the newest span of as many days that holds reports,
// marked outside the window. Fills the series fields of `summary`.
void series_view(const History& history, const SeriesOptions& series, std::int64_t now,
                 HistorySummary& summary);
// The recent window (gate.alert_window_days, ending now) against the one before it.
Trend trend_view(const History& history, const GateOptions& gate, std::int64_t now);
// Every failure key with its periods: persistent first (gate.persistent_periods), then by failed.
std::vector<PersistentFailure> persistent_failures(const History& history, const GateOptions& gate);
// Alerts worth acting on, most severe first (docs/history.md lists the codes).
std::vector<Alert> alerts_view(const History& history, const GateOptions& gate, std::int64_t now,
                               const Trend& trend);
// All of the above.
HistorySummary summarize_history(const History& history, const GateOptions& gate = {},
                                 const SeriesOptions& series = {});
// May MTA-STS move to mode: enforce? A verdict per policy domain (docs/history.md).
CheckResult check_enforce(const History& history, const GateOptions& gate = {});

}  // namespace tlsrpt
