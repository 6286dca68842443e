// Alerts worth acting on, most severe first (docs/history.md lists the codes). One function per
// kind of alert, each reading the aggregate.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/sts_policy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

Alert history_detail::no_reports_alert(const HistoryData& data, const TimeOptions& time) {
  const std::string why =
      data.undated > 0
          ? fmt::format("no report with plausible dates: {} dated before 2016 or after now",
                        data.undated)
          : nothing_left_text(time);
  return Alert{AlertLevel::critical, "no_reports",
               why + "; check that reports reach you (the rua= of your _smtp._tls TXT record, the "
                     "mailbox and its filters)"};
}

namespace {

// The days of the trend's recent window, as the alerts name them.
std::string recent_window_text(const Trend& trend) {
  return fmt::format("{} to {}", format_day(trend.recent_first_day),
                     format_day(trend.recent_last_day));
}

bool stale(const HistoryData& data, const GateOptions& gate, std::int64_t now) {
  return now - *data.newest_end > static_cast<std::int64_t>(gate.time.stale_days) * kDay;
}

void no_recent_reports(const HistoryData& data, const GateOptions& gate, std::int64_t now,
                       std::vector<Alert>& alerts) {
  if (!stale(data, gate, now)) return;
  alerts.push_back(Alert{
      AlertLevel::critical, "no_recent_reports",
      fmt::format("no report since {}: reports that stop arriving usually mean a changed "
                  "rua= in the _smtp._tls TXT record, a full mailbox or a mail filter; check "
                  "them, then run again on fresh reports",
                  age_text(*data.newest_end, now))});
}

void failure_rate(const GateOptions& gate, const Trend& trend, std::vector<Alert>& alerts) {
  const double recent_rate = trend.overall.recent_rate;
  if (recent_rate <= gate.warn_rate && recent_rate <= gate.critical_rate) return;
  const bool critical = recent_rate > gate.critical_rate;
  alerts.push_back(Alert{
      critical ? AlertLevel::critical : AlertLevel::warning, "failure_rate",
      fmt::format("failure rate {} ({} of {} sessions) in the last {} days ({}) is above the "
                  "{} threshold of {}",
                  percent(recent_rate), group_digits(trend.overall.recent_failed),
                  group_digits(trend.overall.recent_sessions), std::max(1, gate.alert_window_days),
                  recent_window_text(trend), critical ? "critical" : "warning",
                  percent(critical ? gate.critical_rate : gate.warn_rate))});
}

// A failure type a sender with a history had not reported before the recent window.
void new_failure_types(const HistoryData& data, const Trend& trend, std::vector<Alert>& alerts) {
  const ReportNames& names = *data.names;
  const std::vector<std::uint32_t> types = names.types.by_name();
  for (const std::uint32_t sender : names.senders.by_name()) {
    const HistoryData::SenderInfo& info = data.senders[sender];
    // Only a sender with a history counts: it reported on at least 3 days before the window.
    const auto history_days =
        std::lower_bound(info.days.begin(), info.days.end(), trend.recent_first_day) -
        info.days.begin();
    if (history_days < 3) continue;
    for (const std::uint32_t type : types) {
      const auto found = data.sender_type_days.find(HistoryData::pair_key(sender, type));
      if (found == data.sender_type_days.end()) continue;
      const auto& days = found->second;
      const auto first_failure =
          std::find_if(days.begin(), days.end(), [](const auto& d) { return d.second > 0; });
      if (first_failure == days.end() || first_failure->first < trend.recent_first_day) continue;
      alerts.push_back(Alert{
          AlertLevel::warning, "new_failure_type",
          fmt::format("{}: {} first appeared on {} ({} failed sessions from {}); this sender had "
                      "not reported it before",
                      names.senders.name(sender), names.types.name(type),
                      format_day(first_failure->first),
                      sum_days(days, trend.recent_first_day, trend.recent_last_day),
                      recent_window_text(trend))});
    }
  }
}

// A sender that reported regularly and has gone quiet. When no report at all is recent, the
// no_recent_reports alert says it; a line per sender would bury it.
void silent_senders(const HistoryData& data, const GateOptions& gate, std::int64_t now,
                    std::vector<Alert>& alerts) {
  if (stale(data, gate, now)) return;
  const ReportNames& names = *data.names;
  for (const std::uint32_t sender : names.senders.by_name()) {
    const HistoryData::SenderInfo& info = data.senders[sender];
    const std::int64_t silent = now - info.last_end;
    if (!reports_regularly(info.days) ||
        silent <= static_cast<std::int64_t>(gate.silent_days) * kDay) {
      continue;
    }
    alerts.push_back(Alert{
        AlertLevel::warning, "sender_silent",
        fmt::format("{} reported on {} days until {} and has sent nothing since; check that its "
                    "reports still reach you",
                    names.senders.name(sender), info.days.size(), age_text(info.last_end, now))});
  }
}

// A sender still applying an older MTA-STS policy of a domain than the newest one reported.
void stale_policies(const HistoryData& data, const Trend& trend, std::vector<Alert>& alerts) {
  const ReportNames& names = *data.names;
  std::vector<std::pair<std::uint64_t, HistoryData::PolicySeen>> applying(
      data.sender_policy.begin(), data.sender_policy.end());
  const std::vector<std::uint32_t> domain_ranks = names.domains.ranks();
  const std::vector<std::uint32_t> sender_ranks = names.senders.ranks();
  const auto in_name_order = [&](std::uint64_t key) {  // (domain, sender)
    return std::pair(domain_ranks[static_cast<std::uint32_t>(key >> 32)],
                     sender_ranks[static_cast<std::uint32_t>(key)]);
  };
  std::sort(applying.begin(), applying.end(), [&](const auto& a, const auto& b) {
    return in_name_order(a.first) < in_name_order(b.first);
  });
  for (const auto& [key, seen] : applying) {
    const auto domain = static_cast<std::uint32_t>(key >> 32);
    const auto sender = static_cast<std::uint32_t>(key);
    const HistoryData::PolicyApplied* newest = data.newest_policy(domain);
    if (seen.end < trend.recent_first_day * kDay) continue;  // not applying anything recently
    if (seen.shape == newest->shape) continue;
    const HistoryData::PolicyShape& shape = data.policy_shapes[newest->shape];
    const HistoryData::PolicyShape& old = data.policy_shapes[seen.shape];
    const auto describe = [&](const HistoryData::PolicyShape& policy) {
      return old.mode == shape.mode ? fmt::format("mx {}", join(policy.mx))
                                    : fmt::format("mode {}, mx {}", policy.mode, join(policy.mx));
    };
    alerts.push_back(Alert{
        AlertLevel::warning, "stale_policy",
        fmt::format("{} still applies an older MTA-STS policy for {} ({}; newest, since {}: {}); "
                    "it refreshes after max_age or when the _mta-sts TXT id changes",
                    names.senders.name(sender), names.domains.name(domain), describe(old),
                    format_date(newest->first), describe(shape))});
  }
}

// MX hosts with recent failures that the newest policy does not cover: one alert per domain.
void uncovered_mx(const HistoryData& data, const Trend& trend, std::vector<Alert>& alerts) {
  const ReportNames& names = *data.names;
  std::map<std::string, std::map<std::string, std::uint64_t>> uncovered;  // domain → mx → failed
  for (const auto* entry : data.failures_by_name()) {
    const HistoryData::FailureKey& key = entry->first;
    const HistoryData::FailureAgg& agg = entry->second;
    const HistoryData::PolicyApplied* newest = data.newest_policy(key.domain);
    const std::string& mx = names.mx.name(key.mx);
    if (newest == nullptr || mx == "(not given)" || agg.last < trend.recent_first_day * kDay)
      continue;
    const std::vector<std::string>& patterns = data.policy_shapes[newest->shape].mx;
    const bool covered =
        std::any_of(patterns.begin(), patterns.end(),
                    [&](const std::string& pattern) { return mx_pattern_matches(pattern, mx); });
    if (!covered) uncovered[names.domains.name(key.domain)][mx] += agg.failed;
  }
  for (const auto& [domain_name, hosts] : uncovered) {
    const auto domain = static_cast<std::uint32_t>(names.domains.find(domain_name));
    std::vector<std::string> listed;
    for (const auto& [mx, failed] : hosts)
      listed.push_back(fmt::format("{} ({} failed)", mx, failed));
    const bool one = hosts.size() == 1;
    alerts.push_back(Alert{
        AlertLevel::warning, "mx_not_in_policy",
        fmt::format("{} {} not covered by {}'s MTA-STS mx patterns ({}): add {} to the policy or "
                    "remove {} from the MX records",
                    join(listed), one ? "is" : "are", domain_name,
                    join(data.policy_shapes[data.newest_policy(domain)->shape].mx),
                    one ? "it" : "them", one ? "it" : "them")});
  }
}

}  // namespace

std::vector<Alert> alerts_view(const History& history, const GateOptions& gate, std::int64_t now,
                               const Trend& trend) {
  const HistoryData& data = history.data();
  std::vector<Alert> alerts;
  if (data.empty()) {
    alerts.push_back(no_reports_alert(data, gate.time));
    return alerts;
  }
  no_recent_reports(data, gate, now, alerts);
  failure_rate(gate, trend, alerts);
  new_failure_types(data, trend, alerts);
  silent_senders(data, gate, now, alerts);
  stale_policies(data, trend, alerts);
  uncovered_mx(data, trend, alerts);
  std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
    return a.level == AlertLevel::critical && b.level != AlertLevel::critical;
  });
  return alerts;
}

}  // namespace tlsrpt
