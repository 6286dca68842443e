// Alerts worth acting on, most severe first (docs/history.md lists the codes). Part of
// History::finish (history.cpp).
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/sts_policy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

std::vector<Alert> History::alerts(const HistoryOptions& options, std::int64_t now,
                                   const Trend& trend) const {
  std::vector<Alert> alerts;
  const std::vector<std::uint32_t> senders = names_->senders.by_name();
  const auto failures = failures_by_name();
  const std::int64_t window = std::max(1, options.window_days);
  // Alerts, most severe first.
  const bool stale = now - *newest_end_ > static_cast<std::int64_t>(options.time.stale_days) * kDay;
  if (stale) {
    alerts.push_back(Alert{
        AlertLevel::critical, "no_recent_reports",
        fmt::format("no report since {}: reports that stop arriving usually mean a changed "
                    "rua= in the _smtp._tls TXT record, a full mailbox or a mail filter; check "
                    "them, then run again on fresh reports",
                    age_text(*newest_end_, now))});
  }
  const std::string window_text =
      fmt::format("{} to {}", format_date(trend.recent_first_day * kDay),
                  format_date(trend.recent_last_day * kDay));
  const double recent_rate = trend.overall.recent_rate;
  if (recent_rate > options.critical_rate || recent_rate > options.warn_rate) {
    const bool critical = recent_rate > options.critical_rate;
    alerts.push_back(Alert{
        critical ? AlertLevel::critical : AlertLevel::warning, "failure_rate",
        fmt::format("failure rate {} ({} of {} sessions) in the last {} days ({}) is above the "
                    "{} threshold of {}; the failure types below say what to fix",
                    percent(recent_rate), group_digits(trend.overall.recent_failed),
                    group_digits(trend.overall.recent_sessions), window, window_text,
                    critical ? "critical" : "warning",
                    percent(critical ? options.critical_rate : options.warn_rate))});
  }
  const std::vector<std::uint32_t> types = names_->types.by_name();
  for (const std::uint32_t sender : senders) {
    const SenderInfo& info = senders_[sender];
    // Only a sender with a history counts: it reported on at least 3 days before the window.
    const auto history_days =
        std::lower_bound(info.days.begin(), info.days.end(), trend.recent_first_day) -
        info.days.begin();
    if (history_days < 3) continue;
    for (const std::uint32_t type : types) {
      const auto found = sender_type_days_.find(pair_key(sender, type));
      if (found == sender_type_days_.end()) continue;
      const auto& days = found->second;
      const auto first_failure =
          std::find_if(days.begin(), days.end(), [](const auto& d) { return d.second > 0; });
      if (first_failure == days.end() || first_failure->first < trend.recent_first_day) continue;
      alerts.push_back(Alert{
          AlertLevel::warning, "new_failure_type",
          fmt::format("{}: {} first appeared on {} ({} failed sessions from {}); this sender had "
                      "not reported it before",
                      names_->senders.name(sender), names_->types.name(type),
                      format_date(first_failure->first * kDay),
                      sum_days(days, trend.recent_first_day, trend.recent_last_day), window_text)});
    }
  }
  // When no report at all is recent, that one alert says it; a line per sender would bury it.
  for (const std::uint32_t sender : stale ? std::vector<std::uint32_t>{} : senders) {
    const SenderInfo& info = senders_[sender];
    const std::int64_t silent = now - info.last_end;
    if (reports_regularly(info.days) &&
        silent > static_cast<std::int64_t>(options.silent_days) * kDay) {
      alerts.push_back(Alert{
          AlertLevel::warning, "sender_silent",
          fmt::format("{} reported on {} days until {} and has sent nothing since; check that its "
                      "reports still reach you",
                      names_->senders.name(sender), info.days.size(),
                      age_text(info.last_end, now))});
    }
  }
  std::vector<std::pair<std::uint64_t, PolicySeen>> applying(sender_policy_.begin(),
                                                             sender_policy_.end());
  const std::vector<std::uint32_t> domain_ranks = names_->domains.ranks();
  const std::vector<std::uint32_t> sender_ranks = NameTable::ranks(senders);
  std::sort(applying.begin(), applying.end(), [&](const auto& a, const auto& b) {
    const auto names = [&](std::uint64_t key) {  // (domain, sender), in name order
      return std::pair(domain_ranks[static_cast<std::uint32_t>(key >> 32)],
                       sender_ranks[static_cast<std::uint32_t>(key)]);
    };
    return names(a.first) < names(b.first);
  });
  for (const auto& [key, seen] : applying) {
    const auto domain = static_cast<std::uint32_t>(key >> 32);
    const auto sender = static_cast<std::uint32_t>(key);
    const PolicyApplied* newest = newest_policy(domain);
    if (seen.end < trend.recent_first_day * kDay) continue;  // not applying anything recently
    if (seen.shape == newest->shape) continue;
    const PolicyShape& shape = policy_shapes_[newest->shape];
    const PolicyShape& old = policy_shapes_[seen.shape];
    const auto describe = [&](const PolicyShape& policy) {
      return old.mode == shape.mode ? fmt::format("mx {}", join(policy.mx))
                                    : fmt::format("mode {}, mx {}", policy.mode, join(policy.mx));
    };
    alerts.push_back(Alert{
        AlertLevel::warning, "stale_policy",
        fmt::format("{} still applies an older MTA-STS policy for {} ({}; newest, since {}: {}); "
                    "it refreshes after max_age or when the _mta-sts TXT id changes",
                    names_->senders.name(sender), names_->domains.name(domain), describe(old),
                    format_date(newest->first), describe(shape))});
  }
  // MX hosts with recent failures that the newest policy does not cover: one alert per domain.
  std::map<std::string, std::map<std::string, std::uint64_t>> uncovered;  // domain → mx → failed
  for (const auto* entry : failures) {
    const FailureKey& key = entry->first;
    const FailureAgg& agg = entry->second;
    const PolicyApplied* newest = newest_policy(key.domain);
    const std::string& mx = names_->mx.name(key.mx);
    if (newest == nullptr || mx == "(not given)" || agg.last < trend.recent_first_day * kDay)
      continue;
    const std::vector<std::string>& patterns = policy_shapes_[newest->shape].mx;
    const bool covered =
        std::any_of(patterns.begin(), patterns.end(),
                    [&](const std::string& pattern) { return mx_pattern_matches(pattern, mx); });
    if (!covered) uncovered[names_->domains.name(key.domain)][mx] += agg.failed;
  }
  for (const auto& [domain_name, hosts] : uncovered) {
    const auto domain = static_cast<std::uint32_t>(names_->domains.find(domain_name));
    std::vector<std::string> listed;
    for (const auto& [mx, failed] : hosts)
      listed.push_back(fmt::format("{} ({} failed)", mx, failed));
    const bool one = hosts.size() == 1;
    alerts.push_back(Alert{
        AlertLevel::warning, "mx_not_in_policy",
        fmt::format("{} {} not covered by {}'s MTA-STS mx patterns ({}): add {} to the policy or "
                    "remove {} from the MX records",
                    join(listed), one ? "is" : "are", domain_name,
                    join(policy_shapes_[newest_policy(domain)->shape].mx), one ? "it" : "them",
                    one ? "it" : "them")});
  }
  std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
    return a.level == AlertLevel::critical && b.level != AlertLevel::critical;
  });
  return alerts;
}

}  // namespace tlsrpt
