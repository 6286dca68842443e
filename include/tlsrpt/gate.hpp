// The gate: every setting that decides a verdict or an alert, with its one set of defaults. Every
// face that shows a verdict (check, summary in text, JSON and HTML, alerts, the Prometheus
// metrics, the live check) takes the whole group, so that the same reports and the same settings
// give the same answer everywhere (docs/history.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

// When "now" is and how old data may be.
struct TimeOptions {
  std::optional<std::int64_t> now;  // unix seconds; unset: the end of the newest report
  int stale_days = 2;               // the newest report older than this: data is stale
  // Why no report is left, said when none is ("19 reports read, all outside --since ...");
  // empty: "no TLS reports found in the inputs".
  std::string nothing_left;
};

struct MajorSender {
  std::string name;                  // as shown, e.g. "Google"
  std::vector<std::string> matches;  // lower-case substrings of organization-name or contact domain
};

// Google, Microsoft, Yahoo, Apple, with their organization names and reporting domains.
std::vector<MajorSender> default_major_senders();
// "Google,Example=example.net" → each entry a name, optionally "=" extra match strings
// ("|"-separated). Throws std::invalid_argument for an empty entry or match.
std::vector<MajorSender> parse_major_senders(const std::string& list);
// The list as parse_major_senders reads it: "Google,Microsoft,Yahoo,Apple" for the defaults.
std::string major_senders_text(const std::vector<MajorSender>& senders);

struct GateOptions {
  TimeOptions time;
  // The enforce check (RFC8460.md, deployment ramp).
  double max_failure_rate = 0.01;  // over the window, per domain and per major sender
  int min_days = 14;               // days of the window with a report
  int window_days = 30;            // days looked at, ending now
  std::uint64_t persistent_periods = 3;  // report periods a failure must appear in to persist
  std::vector<MajorSender> major_senders = default_major_senders();
  // Alerts and the trend.
  double warn_rate = 0.02;     // failure rate of the recent window that warns
  double critical_rate = 0.05;  // and that is critical
  int alert_window_days = 7;    // the recent window, compared with the one before it
  int silent_days = 7;          // a regular sender silent this long is an alert
};

// What the per-day tables and series show (not a gate setting: it changes no verdict). They cover
// the last `days` days up to now, or [since, until] when set (the --since/--until filter).
struct SeriesOptions {
  int days = 30;
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
};

// The verdict of the check, best to worst: ready < insufficient_data < not_ready.
enum class Verdict { ready, not_ready, insufficient_data };

std::string_view verdict_name(Verdict verdict);
// The worse of two verdicts: not_ready over insufficient_data over ready.
Verdict worse(Verdict a, Verdict b);
// For sorting, worst first: not_ready 0, insufficient_data 1, ready 2.
int verdict_rank(Verdict verdict);

}  // namespace tlsrpt
