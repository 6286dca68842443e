// The views of the history together, as the summary shows them.
#include "tlsrpt/judge.hpp"

#include "history_internal.hpp"

namespace tlsrpt {

using namespace history_detail;

HistorySummary summarize_history(const History& history, const GateOptions& gate,
                                 const SeriesOptions& series) {
  const HistoryData& data = history.data();
  HistorySummary summary;
  const std::int64_t now = data.now_of(gate.time);
  summary.now = now;
  summary.implausible_dates = data.undated;
  if (data.empty()) {
    summary.alerts.push_back(no_reports_alert(data, gate.time));
    return summary;
  }
  summary.newest_end = data.newest_end;
  summary.spread = data.spread;
  series_view(history, series, now, summary);
  const Trend trend = trend_view(history, gate, now);
  if (trend.overall.previous_sessions > 0 && trend.overall.recent_sessions > 0)
    summary.trend = trend;
  summary.failures = persistent_failures(history, gate);
  summary.alerts = alerts_view(history, gate, now, trend);
  return summary;
}

}  // namespace tlsrpt
