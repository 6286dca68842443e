// The per-day series of the analysis window, and the trend: the recent window against the one
// before it. Part of History::finish (history.cpp).
#include <algorithm>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

void History::finish_series(const HistoryOptions& options, std::int64_t now,
                            HistorySummary& summary) const {
  const std::int64_t today = day_of(now);
  // The series: the analysis window, cut to the days that have reports.
  std::int64_t first = options.series_since ? day_of(*options.series_since)
                                            : today - std::max(1, options.series_days) + 1;
  std::int64_t last = options.series_until ? std::min(day_of(*options.series_until), today) : today;
  // From the first day with a report in the window to the last: a stray old report adds no
  // empty days.
  const auto first_reported = overall_.lower_bound(first);
  const auto after_last = overall_.lower_bound(last + 1);
  if (first_reported == overall_.end() || after_last == overall_.begin()) {
    first = last + 1;  // nothing in the window
  } else {
    first = first_reported->first;
    last = std::prev(after_last)->first;
  }
  for (const auto& [day, count] : reports_by_last_day_) {
    if (day < first) summary.reports_before_series += count;
    if (day > today) summary.reports_after_now += count;
  }
  const std::vector<std::uint32_t> senders = names_->senders.by_name();
  if (first <= last) {
    summary.series_first_day = first;
    summary.series_last_day = last;
    summary.overall = make_series("all", overall_, first, last);
    summary.senders.reserve(senders.size());
    for (const std::uint32_t sender : senders) {
      const DayCounts counts = sum_days(senders_[sender].day_counts, first, last);
      if (counts.successful + counts.failed == 0) continue;
      summary.senders.push_back(
          make_series(names_->senders.name(sender), senders_[sender].day_counts, first, last));
    }
    for (const std::uint32_t domain : names_->domains.by_name()) {
      const DayCounts counts = sum_days(domain_days_[domain], first, last);
      if (counts.successful + counts.failed == 0) continue;
      summary.domains.push_back(
          make_series(names_->domains.name(domain), domain_days_[domain], first, last));
    }
  }
}

Trend History::finish_trend(const HistoryOptions& options, std::int64_t now) const {
  const std::int64_t today = day_of(now);
  const std::vector<std::uint32_t> senders = names_->senders.by_name();
  Trend trend;
  const std::int64_t window = std::max(1, options.window_days);
  trend.recent_last_day = today;
  trend.recent_first_day = today - window + 1;
  trend.previous_last_day = trend.recent_first_day - 1;
  trend.previous_first_day = trend.previous_last_day - window + 1;
  const auto recent = [&](const auto& days) {
    return sum_days(days, trend.recent_first_day, trend.recent_last_day);
  };
  const auto previous = [&](const auto& days) {
    return sum_days(days, trend.previous_first_day, trend.previous_last_day);
  };
  const DayCounts recent_all = recent(overall_);
  const DayCounts previous_all = previous(overall_);
  trend.overall = trend_row("all", recent_all, previous_all);
  for (const std::uint32_t sender : senders) {
    const auto& days = senders_[sender].day_counts;
    TrendRow row = trend_row(names_->senders.name(sender), recent(days), previous(days));
    if (row.recent_sessions + row.previous_sessions == 0) continue;
    trend.senders.push_back(std::move(row));
  }
  for (const std::uint32_t type : names_->types.by_name()) {
    const auto& days = type_days_[type];
    TrendRow row = trend_row(
        names_->types.name(type),
        DayCounts{0, recent_all.successful + recent_all.failed - recent(days), recent(days)},
        DayCounts{0, previous_all.successful + previous_all.failed - previous(days),
                  previous(days)});
    if (row.recent_failed + row.previous_failed == 0) continue;
    trend.failure_types.push_back(std::move(row));
  }
  // The changes that matter most first: failed sessions gained or lost. A sender below
  // kTrendMinSessions in both windows goes last, whatever its rate (5 sessions at 40% is noise).
  const auto by_change = [](const TrendRow& a, const TrendRow& b) {
    const bool a_small = std::max(a.recent_sessions, a.previous_sessions) < kTrendMinSessions;
    const bool b_small = std::max(b.recent_sessions, b.previous_sessions) < kTrendMinSessions;
    if (a_small != b_small) return b_small;
    const auto gained = [](const TrendRow& row) {
      return row.recent_failed > row.previous_failed ? row.recent_failed - row.previous_failed
                                                     : row.previous_failed - row.recent_failed;
    };
    return gained(a) > gained(b);
  };
  std::stable_sort(trend.senders.begin(), trend.senders.end(), by_change);
  std::stable_sort(trend.failure_types.begin(), trend.failure_types.end(), by_change);
  return trend;
}

}  // namespace tlsrpt
