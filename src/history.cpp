#include "tlsrpt/history.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/sts_policy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

constexpr std::int64_t kDay = 86400;
// A period longer than this is not spread day by day: it all goes to its last day.
constexpr std::int64_t kMaxSpreadDays = 400;

__extension__ typedef unsigned __int128 Wide;

std::int64_t day_of(std::int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / kDay : (unix_seconds - kDay + 1) / kDay;
}

// End of a period as an exclusive bound: "23:59:59" means the day is covered to its end.
std::int64_t exclusive_end(std::int64_t end) { return (end + 1) % kDay == 0 ? end + 1 : end; }

// The last day a period covers.
std::int64_t last_day_of(std::int64_t start, std::int64_t end) {
  const std::int64_t stop = exclusive_end(end);
  return stop > start ? day_of(stop - 1) : day_of(start);
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100); }

double rate(std::uint64_t failed, std::uint64_t sessions) {
  return sessions == 0 ? 0.0 : static_cast<double>(failed) / static_cast<double>(sessions);
}

void add_day(std::map<std::int64_t, DayCounts>& days, std::int64_t day, std::uint64_t successful,
             std::uint64_t failed) {
  DayCounts& counts = days[day];
  counts.day = day;
  counts.successful += successful;
  counts.failed += failed;
}

// Sums of a day map over [first, last].
DayCounts sum_days(const std::map<std::int64_t, DayCounts>& days, std::int64_t first,
                   std::int64_t last) {
  DayCounts total;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it) {
    total.successful += it->second.successful;
    total.failed += it->second.failed;
  }
  return total;
}

std::uint64_t sum_days(const std::map<std::int64_t, std::uint64_t>& days, std::int64_t first,
                       std::int64_t last) {
  std::uint64_t total = 0;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it)
    total += it->second;
  return total;
}

Series make_series(const std::string& name, const std::map<std::int64_t, DayCounts>& days,
                   std::int64_t first, std::int64_t last) {
  Series series;
  series.name = name;
  for (std::int64_t day = first; day <= last; ++day) {
    const auto it = days.find(day);
    series.days.push_back(it == days.end() ? DayCounts{day, 0, 0} : it->second);
    series.reported.push_back(it != days.end());
  }
  return series;
}

TrendRow trend_row(const std::string& name, const DayCounts& recent, const DayCounts& previous) {
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

std::string join(const std::vector<std::string>& list) {
  std::string text;
  for (const std::string& item : list) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "(none)" : text;
}

// Failure types that make mail undeliverable once the policy is enforced (RFC 8461 §5): the
// policy cannot be fetched or validated, the MX certificate fails, STARTTLS is missing, or the MX
// is not in the policy. validation-failure is too general to block by itself: it counts in the
// failure rates.
bool blocks_enforce(std::string_view type) {
  return type.starts_with("sts-") || type.starts_with("certificate-") ||
         type == "starttls-not-supported" || type == "mx-mismatch";
}

// A sender reports regularly when it reported on at least 3 days with a median gap of at most a
// week between them: a sporadic sender going quiet is no news.
bool reports_regularly(const std::set<std::int64_t>& days) {
  if (days.size() < 3) return false;
  std::vector<std::int64_t> gaps;
  for (auto it = std::next(days.begin()); it != days.end(); ++it)
    gaps.push_back(*it - *std::prev(it));
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                   gaps.end());
  return gaps[gaps.size() / 2] <= 7;
}

}  // namespace

std::vector<std::pair<std::int64_t, std::uint64_t>> spread_over_days(std::int64_t start,
                                                                     std::int64_t end,
                                                                     std::uint64_t count) {
  const std::int64_t stop = exclusive_end(end);
  const std::int64_t first = day_of(start);
  const std::int64_t last = last_day_of(start, end);
  if (stop <= start || first == last || last - first >= kMaxSpreadDays) return {{last, count}};
  std::vector<std::pair<std::int64_t, std::uint64_t>> parts;
  std::vector<std::pair<Wide, std::size_t>> remainders;
  const auto total = static_cast<Wide>(stop - start);
  std::uint64_t given = 0;
  for (std::int64_t day = first; day <= last; ++day) {
    const std::int64_t from = std::max(start, day * kDay);
    const std::int64_t to = std::min(stop, (day + 1) * kDay);
    const Wide share = static_cast<Wide>(count) * static_cast<Wide>(to - from);
    parts.emplace_back(day, static_cast<std::uint64_t>(share / total));
    remainders.emplace_back(share % total, parts.size() - 1);
    given += parts.back().second;
  }
  // Largest remainder: the parts add up to `count`; ties go to the earlier day.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < count; ++i, ++given) ++parts[remainders[i].second].second;
  return parts;
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return "ready";
    case Verdict::not_ready:
      return "not_ready";
    case Verdict::insufficient_data:
      return "insufficient_data";
  }
  return "insufficient_data";
}

std::vector<MajorSender> default_major_senders() {
  return {{"Google", {"google", "gmail.com"}},
          {"Microsoft", {"microsoft", "outlook.com", "hotmail.com"}},
          {"Yahoo", {"yahoo", "aol.com"}},
          {"Apple", {"apple", "icloud.com"}}};
}

std::vector<MajorSender> parse_major_senders(const std::string& list) {
  std::vector<MajorSender> senders;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const std::size_t comma = std::min(list.find(',', pos), list.size());
    const std::string entry = list.substr(pos, comma - pos);
    pos = comma + 1;
    if (entry.empty()) continue;
    MajorSender sender;
    const std::size_t equals = entry.find('=');
    sender.name = entry.substr(0, equals);
    sender.matches.push_back(lowercase(sender.name));
    if (equals != std::string::npos) {
      std::size_t at = equals + 1;
      while (at <= entry.size()) {
        const std::size_t bar = std::min(entry.find('|', at), entry.size());
        if (bar > at) sender.matches.push_back(lowercase(entry.substr(at, bar - at)));
        at = bar + 1;
      }
    }
    senders.push_back(std::move(sender));
  }
  return senders;
}

void History::add(const Report& report, const std::vector<bool>& counted,
                  const std::string& submitter) {
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  newest_end_ = newest_end_ ? std::max(*newest_end_, end) : end;
  const std::string sender = sender_label(report);
  SenderInfo& info = senders_[sender];
  for (const std::string& name : {report.contact_info, submitter}) {
    const std::string lower = lowercase(name);
    if (!lower.empty() && info.contact.find(lower) == std::string::npos)
      info.contact += " " + lower;
  }
  info.days.insert(day_of(start));
  info.last_end = std::max(info.last_end, end);
  ++info.reports;

  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    if (!counted[i]) continue;
    const Policy& policy = report.policies[i];
    const std::string domain = domain_label(policy);
    for (const auto& [day, ok] :
         spread_over_days(start, end, policy.total_successful_session_count)) {
      add_day(overall_, day, ok, 0);
      add_day(sender_days_[sender], day, ok, 0);
      add_day(domain_days_[domain], day, ok, 0);
    }
    for (const auto& [day, failed] :
         spread_over_days(start, end, policy.total_failure_session_count)) {
      add_day(overall_, day, 0, failed);
      add_day(sender_days_[sender], day, 0, failed);
      add_day(domain_days_[domain], day, 0, failed);
    }
    for (const FailureDetail& detail : policy.failure_details) {
      const std::string type = result_type_label(detail);
      for (const auto& [day, failed] : spread_over_days(start, end, detail.failed_session_count)) {
        type_days_[type][day] += failed;
        sender_type_days_[{sender, type}][day] += failed;
      }
      const std::string mx = detail.receiving_mx_hostname.empty()
                                 ? "(not given)"
                                 : lowercase(detail.receiving_mx_hostname);
      FailureAgg& agg = failures_[FailureKey{sender, type, mx}];
      if (agg.periods.empty() || start < agg.first) agg.first = start;
      agg.last = std::max(agg.last, end);
      agg.periods.emplace(start, end);
      agg.failed += detail.failed_session_count;
      agg.domain = domain;
    }
    if (policy.sts) {
      PolicySeen seen{end, policy.sts->mode_text, {}};
      for (const std::string& mx : policy.sts->mx) seen.mx.push_back(lowercase(mx));
      std::sort(seen.mx.begin(), seen.mx.end());
      const auto [known, inserted] = policies_[domain].try_emplace({seen.mode, seen.mx}, start);
      if (!inserted) known->second = std::min(known->second, start);
      if (const auto it = sender_policy_.find({domain, sender});
          it == sender_policy_.end() || it->second.end <= end) {
        sender_policy_[{domain, sender}] = std::move(seen);
      }
    }
  }
}

const std::pair<const std::pair<std::string, std::vector<std::string>>, std::int64_t>*
History::newest_policy(const std::string& domain) const {
  const auto found = policies_.find(domain);
  if (found == policies_.end() || found->second.empty()) return nullptr;
  const auto newest =
      std::max_element(found->second.begin(), found->second.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  return &*newest;
}

HistorySummary History::finish(const HistoryOptions& options) const {
  HistorySummary summary;
  if (!newest_end_ || overall_.empty()) return summary;
  summary.newest_end = newest_end_;
  const std::int64_t first = overall_.begin()->first;
  const std::int64_t last = overall_.rbegin()->first;
  summary.overall = make_series("all", overall_, first, last);
  for (const auto& [name, days] : sender_days_)
    summary.senders.push_back(make_series(name, days, first, last));
  for (const auto& [name, days] : domain_days_)
    summary.domains.push_back(make_series(name, days, first, last));

  Trend trend;
  const std::int64_t window = std::max(1, options.window_days);
  trend.recent_last_day = last;
  trend.recent_first_day = last - window + 1;
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
  for (const auto& [name, days] : sender_days_)
    trend.senders.push_back(trend_row(name, recent(days), previous(days)));
  for (const auto& [type, days] : type_days_) {
    TrendRow row = trend_row(
        type, DayCounts{0, recent_all.successful + recent_all.failed - recent(days), recent(days)},
        DayCounts{0, previous_all.successful + previous_all.failed - previous(days),
                  previous(days)});
    trend.failure_types.push_back(std::move(row));
  }
  const auto by_change = [](const TrendRow& a, const TrendRow& b) {
    return a.recent_rate - a.previous_rate > b.recent_rate - b.previous_rate;
  };
  std::stable_sort(trend.senders.begin(), trend.senders.end(), by_change);
  std::stable_sort(trend.failure_types.begin(), trend.failure_types.end(), by_change);
  summary.trend = trend;

  for (const auto& [key, agg] : failures_) {
    summary.failures.push_back(PersistentFailure{key.sender, key.type, key.mx, agg.periods.size(),
                                                 agg.periods.size() >= options.persistent_periods,
                                                 agg.first, agg.last, agg.failed});
  }
  std::stable_sort(summary.failures.begin(), summary.failures.end(),
                   [](const PersistentFailure& a, const PersistentFailure& b) {
                     if (a.persistent != b.persistent) return a.persistent;
                     return a.failed > b.failed;
                   });

  // Alerts, most severe first.
  std::vector<Alert>& alerts = summary.alerts;
  const std::string window_text =
      fmt::format("{} to {}", format_date(trend.recent_first_day * kDay),
                  format_date(trend.recent_last_day * kDay));
  const double recent_rate = trend.overall.recent_rate;
  if (recent_rate > options.critical_rate || recent_rate > options.warn_rate) {
    const bool critical = recent_rate > options.critical_rate;
    alerts.push_back(Alert{
        critical ? AlertLevel::critical : AlertLevel::warning, "failure_rate",
        fmt::format("failure rate {} ({} of {} sessions) from {} is above the {} threshold of {}",
                    percent(recent_rate), group_digits(trend.overall.recent_failed),
                    group_digits(trend.overall.recent_sessions), window_text,
                    critical ? "critical" : "warning",
                    percent(critical ? options.critical_rate : options.warn_rate))});
  }
  for (const auto& [key, days] : sender_type_days_) {
    const auto& [sender, type] = key;
    const auto first_failure =
        std::find_if(days.begin(), days.end(), [](const auto& d) { return d.second > 0; });
    if (first_failure == days.end() || first_failure->first < trend.recent_first_day) continue;
    const SenderInfo& info = senders_.at(sender);
    // Only a sender with a history counts: it reported on at least 3 days before the window.
    if (std::distance(info.days.begin(), info.days.lower_bound(trend.recent_first_day)) < 3)
      continue;
    alerts.push_back(Alert{
        AlertLevel::warning, "new_failure_type",
        fmt::format("{}: {} first appeared on {} ({} failed sessions from {}); this sender had "
                    "not reported it before",
                    sender, type, format_date(first_failure->first * kDay),
                    sum_days(days, trend.recent_first_day, trend.recent_last_day), window_text)});
  }
  for (const auto& [sender, info] : senders_) {
    const std::int64_t silent = *newest_end_ - info.last_end;
    if (reports_regularly(info.days) &&
        silent > static_cast<std::int64_t>(options.silent_days) * kDay) {
      alerts.push_back(Alert{
          AlertLevel::warning, "sender_silent",
          fmt::format("{} reported on {} days until {} and has sent nothing for {} days before the "
                      "newest report; check that its reports still reach you",
                      sender, info.days.size(), format_date(info.last_end), silent / kDay)});
    }
  }
  for (const auto& [key, seen] : sender_policy_) {
    const auto& [domain, sender] = key;
    const auto* newest = newest_policy(domain);
    if (seen.end < trend.recent_first_day * kDay) continue;  // not applying anything recently
    const auto& [mode, mx] = newest->first;
    if (seen.mode != mode || seen.mx != mx) {
      alerts.push_back(Alert{
          AlertLevel::warning, "stale_policy",
          fmt::format("{} still applies an older MTA-STS policy for {} (mode {}, mx {}) than the "
                      "newest seen (mode {}, mx {}, first applied on {}); it refreshes after "
                      "max_age or when the _mta-sts TXT id changes",
                      sender, domain, seen.mode, join(seen.mx), mode, join(mx),
                      format_date(newest->second))});
    }
  }
  std::map<std::pair<std::string, std::string>, std::uint64_t> uncovered;  // (domain, mx) → failed
  for (const auto& [key, agg] : failures_) {
    const auto* newest = newest_policy(agg.domain);
    if (newest == nullptr || key.mx == "(not given)" || agg.last < trend.recent_first_day * kDay)
      continue;
    const std::vector<std::string>& patterns = newest->first.second;
    const std::string& mx = key.mx;  // clang 14 cannot capture a structured binding
    const bool covered =
        std::any_of(patterns.begin(), patterns.end(),
                    [&](const std::string& pattern) { return mx_pattern_matches(pattern, mx); });
    if (!covered) uncovered[{agg.domain, key.mx}] += agg.failed;
  }
  for (const auto& [key, failed] : uncovered) {
    alerts.push_back(Alert{
        AlertLevel::warning, "mx_not_in_policy",
        fmt::format("{} failed {} sessions and is not covered by {}'s MTA-STS mx patterns ({}): "
                    "add it to the policy or remove it from the MX records",
                    key.second, failed, key.first, join(newest_policy(key.first)->first.second))});
  }
  std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
    return a.level == AlertLevel::critical && b.level != AlertLevel::critical;
  });
  return summary;
}

CheckResult History::check(const CheckOptions& options) const {
  CheckResult result;
  if (!newest_end_ || overall_.empty()) {
    result.items.push_back(
        CheckItem{Verdict::insufficient_data, "no_reports", "no TLS reports were read"});
    return result;
  }
  const std::int64_t last = overall_.rbegin()->first;
  const std::int64_t first = last - std::max(1, options.window_days) + 1;
  result.window_first_day = first;
  result.window_last_day = last;
  const DayCounts totals = sum_days(overall_, first, last);
  result.successful = totals.successful;
  result.failed = totals.failed;
  const auto data_start = overall_.lower_bound(first);
  result.days_covered = data_start == overall_.end() ? 0 : last - data_start->first + 1;
  const std::string window_text =
      fmt::format("{} to {}", format_date(first * kDay), format_date(last * kDay));
  std::vector<CheckItem> items;
  for (const auto& [domain, days] : domain_days_) {
    const DayCounts counts = sum_days(days, first, last);
    if (counts.successful + counts.failed > 0) result.domains.push_back(domain);
  }

  const double total_rate = rate(totals.failed, totals.successful + totals.failed);
  items.push_back(CheckItem{
      total_rate > options.max_failure_rate ? Verdict::not_ready : Verdict::ready, "failure_rate",
      fmt::format("aggregate failure rate {} ({} of {} sessions, {}) {} the limit of {}",
                  percent(total_rate), group_digits(totals.failed),
                  group_digits(totals.successful + totals.failed), window_text,
                  total_rate > options.max_failure_rate ? "is above" : "is within",
                  percent(options.max_failure_rate))});
  items.push_back(CheckItem{
      result.days_covered < options.min_days ? Verdict::insufficient_data : Verdict::ready,
      "days_covered",
      fmt::format("reports cover {} day{} of the {}-day window; at least {} are needed",
                  result.days_covered, result.days_covered == 1 ? "" : "s", options.window_days,
                  options.min_days)});

  for (const MajorSender& major : options.major_senders) {
    CheckSender row;
    row.name = major.name;
    for (const auto& [sender, info] : senders_) {
      const std::string name = lowercase(sender);
      const std::string& contact = info.contact;  // clang 14 cannot capture a structured binding
      const bool match =
          std::any_of(major.matches.begin(), major.matches.end(), [&](const std::string& m) {
            return name.find(m) != std::string::npos || contact.find(m) != std::string::npos;
          });
      if (!match) continue;
      const DayCounts counts = sum_days(sender_days_.at(sender), first, last);
      const auto days = info.days.lower_bound(first);
      row.reports += static_cast<std::uint64_t>(std::distance(days, info.days.end()));
      row.successful += counts.successful;
      row.failed += counts.failed;
      row.seen = row.seen || counts.successful + counts.failed > 0 || days != info.days.end();
    }
    if (!row.seen) {
      items.push_back(
          CheckItem{Verdict::insufficient_data, "major_sender_missing",
                    fmt::format("no reports from {} in {}; a major sender's view is needed before "
                                "enforcing (wait, or check that its reports reach you)",
                                major.name, window_text)});
    } else {
      const double sender_rate = rate(row.failed, row.successful + row.failed);
      items.push_back(CheckItem{
          sender_rate > options.max_failure_rate ? Verdict::not_ready : Verdict::ready,
          "major_sender_rate",
          fmt::format("{}: failure rate {} ({} of {} sessions) {} the limit", major.name,
                      percent(sender_rate), group_digits(row.failed),
                      group_digits(row.successful + row.failed),
                      sender_rate > options.max_failure_rate ? "is above" : "is within")});
    }
    result.major_senders.push_back(row);
  }

  // Persistent failures still happening that would block mail under enforce. STARTTLS failures
  // seen by one sender only are likely on its side (RFC8460.md §3): they do not block.
  std::map<std::pair<std::string, std::string>, std::set<std::string>>
      starttls_senders;  // (type, mx) → senders
  for (const auto& [key, agg] : failures_) {
    if (agg.last >= first * kDay) starttls_senders[{key.type, key.mx}].insert(key.sender);
  }
  const std::int64_t recent = std::max(first, last - 6);  // still seen in the last 7 days
  for (const auto& [key, agg] : failures_) {
    if (!blocks_enforce(key.type) || agg.last < recent * kDay) continue;
    std::uint64_t periods = 0;
    for (const auto& period : agg.periods) periods += period.second >= first * kDay ? 1 : 0;
    if (periods < options.persistent_periods) continue;
    if (key.type == "starttls-not-supported" && starttls_senders[{key.type, key.mx}].size() < 2)
      continue;
    result.blocking.push_back(PersistentFailure{key.sender, key.type, key.mx, periods, true,
                                                agg.first, agg.last, agg.failed});
    items.push_back(CheckItem{
        Verdict::not_ready, "persistent_failure",
        fmt::format("{} reports {} at {} in {} report periods, last on {} ({} failed sessions): "
                    "under enforce this mail would not be delivered",
                    key.sender, key.type, key.mx, periods, format_date(agg.last),
                    group_digits(agg.failed))});
  }

  std::stable_sort(items.begin(), items.end(), [](const CheckItem& a, const CheckItem& b) {
    const auto rank = [](Verdict v) {
      return v == Verdict::not_ready ? 0 : v == Verdict::insufficient_data ? 1 : 2;
    };
    return rank(a.outcome) < rank(b.outcome);
  });
  result.verdict = items.front().outcome;
  result.items = std::move(items);
  return result;
}

}  // namespace tlsrpt
