// The per-day series of the analysis window, and the trend: the recent window against the one
// before it.
#include <algorithm>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

namespace {

// The days [first, last] cut to those from the first to the last day with a report; nullopt when
// none has one.
std::optional<std::pair<std::int64_t, std::int64_t>> reported_span(const DayMap<DayCounts>& days,
                                                                   std::int64_t first,
                                                                   std::int64_t last) {
  const auto first_reported = days.lower_bound(first);
  const auto after_last = days.lower_bound(last + 1);
  if (first_reported == days.end() || after_last == days.begin() ||
      first_reported == after_last) {
    return std::nullopt;
  }
  return std::pair(first_reported->first, std::prev(after_last)->first);
}

// The series of every name with sessions in [first, last], in name order.
template <typename DaysOf>
std::vector<Series> named_series(const NameTable& names, DaysOf days_of, std::int64_t first,
                                 std::int64_t last) {
  std::vector<Series> list;
  for (const std::uint32_t id : names.by_name()) {
    const DayMap<DayCounts>& days = days_of(id);
    const DayCounts counts = sum_days(days, first, last);
    if (counts.successful + counts.failed == 0) continue;
    list.push_back(make_series(names.name(id), days, first, last));
  }
  return list;
}

}  // namespace

void series_view(const History& history, const SeriesOptions& options, std::int64_t now,
                 HistorySummary& summary) {
  const HistoryData& data = history.data();
  const std::int64_t today = day_of(now);
  const std::int64_t days = std::max(1, options.days);
  const std::int64_t first = options.since ? day_of(*options.since) : today - days + 1;
  const std::int64_t last = options.until ? std::min(day_of(*options.until), today) : today;
  // From the first day with a report in the window to the last: a stray old report adds no
  // empty days. With none in it, and none given by --since/--until, the newest span of as many
  // days that holds reports, so that an archive still shows what it holds.
  std::optional<std::pair<std::int64_t, std::int64_t>> span = reported_span(data.overall, first, last);
  if (!span && !options.since && !options.until && !data.overall.empty() &&
      data.overall.back().first < first) {
    const std::int64_t newest = data.overall.back().first;
    span = reported_span(data.overall, newest - days + 1, newest);
    summary.series_outside_window = span.has_value();
  }
  const std::int64_t shown_first = span ? span->first : last + 1;
  for (const auto& [day, count] : data.reports_by_last_day) {
    if (day < shown_first) summary.reports_before_series += count;
    if (day > today) summary.reports_after_now += count;
  }
  if (!span) return;
  const auto [from, to] = *span;
  summary.series_first_day = from;
  summary.series_last_day = to;
  summary.overall = make_series("all", data.overall, from, to);
  summary.senders = named_series(
      data.names->senders, [&](std::uint32_t id) -> auto& { return data.senders[id].day_counts; },
      from, to);
  summary.domains = named_series(
      data.names->domains, [&](std::uint32_t id) -> auto& { return data.domain_days[id]; }, from,
      to);
}

namespace {

// The changes that matter most first: failed sessions gained or lost. A row below
// kTrendMinSessions in both windows goes last, whatever its rate (5 sessions at 40% is noise).
bool by_change(const TrendRow& a, const TrendRow& b) {
  const bool a_small = std::max(a.recent_sessions, a.previous_sessions) < kTrendMinSessions;
  const bool b_small = std::max(b.recent_sessions, b.previous_sessions) < kTrendMinSessions;
  if (a_small != b_small) return b_small;
  const auto gained = [](const TrendRow& row) {
    return row.recent_failed > row.previous_failed ? row.recent_failed - row.previous_failed
                                                   : row.previous_failed - row.recent_failed;
  };
  return gained(a) > gained(b);
}

}  // namespace

Trend trend_view(const History& history, const GateOptions& gate, std::int64_t now) {
  const HistoryData& data = history.data();
  const std::int64_t today = day_of(now);
  Trend trend;
  const std::int64_t window = std::max(1, gate.alert_window_days);
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
  const DayCounts recent_all = recent(data.overall);
  const DayCounts previous_all = previous(data.overall);
  trend.overall = trend_row("all", recent_all, previous_all);
  for (const std::uint32_t sender : data.names->senders.by_name()) {
    const auto& days = data.senders[sender].day_counts;
    TrendRow row = trend_row(data.names->senders.name(sender), recent(days), previous(days));
    if (row.recent_sessions + row.previous_sessions == 0) continue;
    trend.senders.push_back(std::move(row));
  }
  for (const std::uint32_t type : data.names->types.by_name()) {
    const auto& days = data.type_days[type];
    TrendRow row = trend_row(
        data.names->types.name(type),
        DayCounts{0, recent_all.successful + recent_all.failed - recent(days), recent(days)},
        DayCounts{0, previous_all.successful + previous_all.failed - previous(days),
                  previous(days)});
    if (row.recent_failed + row.previous_failed == 0) continue;
    trend.failure_types.push_back(std::move(row));
  }
  std::stable_sort(trend.senders.begin(), trend.senders.end(), by_change);
  std::stable_sort(trend.failure_types.begin(), trend.failure_types.end(), by_change);
  return trend;
}

}  // namespace tlsrpt
