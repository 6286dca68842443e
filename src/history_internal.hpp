// Shared by the history's views (series and trend, failures, alerts, the enforce check): day
// arithmetic, sums over day maps and the wording helpers. Internal to src/history*.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tlsrpt/history.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt::history_detail {

constexpr std::int64_t kDay = kSecondsPerDay;
// A period longer than this is not spread day by day: it all goes to its last day.
constexpr std::int64_t kMaxSpreadDays = 400;
// A trend row with fewer sessions than this in both windows is listed after the others.
constexpr std::uint64_t kTrendMinSessions = 100;

__extension__ typedef unsigned __int128 Wide;

// The last day a period covers.
inline std::int64_t last_day_of(std::int64_t start, std::int64_t end) {
  const std::int64_t stop = exclusive_end(end);
  return stop > start ? day_of(stop - 1) : day_of(start);
}

inline std::string percent(double fraction) { return format_percent(fraction); }

inline double rate(std::uint64_t failed, std::uint64_t sessions) {
  return failure_rate(Counts{sessions - failed, failed});
}

// Sums of a day map over [first, last].
inline DayCounts sum_days(const DayMap<DayCounts>& days, std::int64_t first, std::int64_t last) {
  DayCounts total;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it) {
    total.successful += it->second.successful;
    total.failed += it->second.failed;
  }
  return total;
}

inline std::uint64_t sum_days(const DayMap<std::uint64_t>& days, std::int64_t first,
                              std::int64_t last) {
  std::uint64_t total = 0;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it)
    total += it->second;
  return total;
}

inline Series make_series(const std::string& name, const DayMap<DayCounts>& days,
                          std::int64_t first, std::int64_t last) {
  Series series;
  series.name = name;
  series.days.reserve(static_cast<std::size_t>(last - first + 1));
  series.reported.reserve(static_cast<std::size_t>(last - first + 1));
  auto it = days.lower_bound(first);  // the days with reports, walked along with every day
  for (std::int64_t day = first; day <= last; ++day) {
    const bool reported = it != days.end() && it->first == day;
    series.days.push_back(reported ? it->second : DayCounts{day, 0, 0});
    series.reported.push_back(reported);
    if (reported) ++it;
  }
  return series;
}

inline TrendRow trend_row(const std::string& name, const DayCounts& recent,
                          const DayCounts& previous) {
  TrendRow row;
  row.name = name;
  row.recent_sessions = recent.successful + recent.failed;
  row.previous_sessions = previous.successful + previous.failed;
  row.recent_failed = recent.failed;
  row.previous_failed = previous.failed;
  row.recent_rate = rate(recent.failed, row.recent_sessions);
  row.previous_rate = rate(previous.failed, row.previous_sessions);
  return row;
}

// "a, b, c", or "(none)" for an empty list.
inline std::string join(const std::vector<std::string>& list) {
  return list.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(list, ", "));
}

// Failure types that make mail undeliverable once the policy is enforced (RFC 8461 §5): the
// policy cannot be fetched or validated, the MX certificate fails, STARTTLS is missing, or the MX
// is not in the policy. validation-failure is too general to block by itself: it counts in the
// failure rates.
inline bool blocks_enforce(std::string_view type) {
  return type.starts_with("sts-") || type.starts_with("certificate-") ||
         type == "starttls-not-supported" || type == "mx-mismatch";
}

// A sender reports regularly when it reported on at least 3 days with a median gap of at most a
// week between them: a sporadic sender going quiet is no news.
inline bool reports_regularly(const std::vector<std::int64_t>& days) {
  if (days.size() < 3) return false;
  std::vector<std::int64_t> gaps;
  for (auto it = std::next(days.begin()); it != days.end(); ++it)
    gaps.push_back(*it - *std::prev(it));
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                   gaps.end());
  return gaps[gaps.size() / 2] <= 7;
}

// "2026-05-13 (17 days before now)"
inline std::string age_text(std::int64_t end, std::int64_t now) {
  const std::int64_t age = now - end;
  if (age < 3 * kDay) return fmt::format("{} ({} h before now)", format_date(end), age / 3600);
  return fmt::format("{} ({} days before now)", format_date(end), age / kDay);
}

inline std::string nothing_left_text(const TimeOptions& time) {
  return time.nothing_left.empty() ? "no TLS reports found in the inputs" : time.nothing_left;
}

// The one alert of a history without a report with plausible dates.
Alert no_reports_alert(const HistoryData& data, const TimeOptions& time);

}  // namespace tlsrpt::history_detail
