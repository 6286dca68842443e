#include "tlsrpt/history.hpp"

#include <algorithm>
#include <map>
#include <limits>
#include <set>
#include <stdexcept>

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
// A trend row with fewer sessions than this in both windows is listed after the others.
constexpr std::uint64_t kTrendMinSessions = 100;

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

// Sums of a day map over [first, last].
DayCounts sum_days(const DayMap<DayCounts>& days, std::int64_t first, std::int64_t last) {
  DayCounts total;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it) {
    total.successful += it->second.successful;
    total.failed += it->second.failed;
  }
  return total;
}

std::uint64_t sum_days(const DayMap<std::uint64_t>& days, std::int64_t first, std::int64_t last) {
  std::uint64_t total = 0;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it)
    total += it->second;
  return total;
}

Series make_series(const std::string& name, const DayMap<DayCounts>& days, std::int64_t first,
                   std::int64_t last) {
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
bool reports_regularly(const std::vector<std::int64_t>& days) {
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

namespace {

// Calls visit(day, part) for each part of spread_over_days(start, end, count), without building
// the list for the usual report of one day.
template <typename Visit>
void for_each_day(std::int64_t start, std::int64_t end, std::uint64_t count, Visit visit) {
  const std::int64_t stop = exclusive_end(end);
  const std::int64_t last = last_day_of(start, end);
  if (stop <= start || day_of(start) == last) {
    visit(last, count);
    return;
  }
  for (const auto& [day, part] : spread_over_days(start, end, count)) visit(day, part);
}

// Inserts `value` into the sorted, distinct `list` (usually at its end).
template <typename T>
void insert_sorted(std::vector<T>& list, const T& value) {
  if (list.empty() || list.back() < value) {
    list.push_back(value);
    return;
  }
  const auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

}  // namespace

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
    const std::string entry(trim(std::string_view(list).substr(pos, comma - pos)));
    pos = comma + 1;
    const std::size_t equals = entry.find('=');
    MajorSender sender;
    sender.name = std::string(trim(std::string_view(entry).substr(0, equals)));
    if (sender.name.empty()) {
      throw std::invalid_argument(fmt::format(
          "\"{}\" has an empty entry: write NAME or NAME=match|match, separated by commas",
          list));
    }
    sender.matches.push_back(lowercase(sender.name));
    if (equals != std::string::npos) {
      std::size_t at = equals + 1;
      while (at <= entry.size()) {
        const std::size_t bar = std::min(entry.find('|', at), entry.size());
        const std::string_view match = trim(std::string_view(entry).substr(at, bar - at));
        if (match.empty()) {
          throw std::invalid_argument(
              fmt::format("\"{}\" has an empty match for {}", list, sender.name));
        }
        sender.matches.push_back(lowercase(match));
        at = bar + 1;
      }
    }
    senders.push_back(std::move(sender));
  }
  return senders;
}

void History::add(const Report& report, const std::vector<bool>& counted,
                  const std::string& submitter, AddedIds* ids, bool dated) {
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  const std::uint32_t sender = sender_names_.id(sender_label(report));
  if (sender == senders_.size()) senders_.emplace_back();
  if (!dated) {  // its names only, for the caller's ids: nothing about time
    ++undated_;
    if (ids != nullptr) {
      ids->sender = sender;
      ids->domains.assign(report.policies.size(), 0);
      ids->types.clear();
    }
    for (std::size_t i = 0; i < report.policies.size(); ++i) {
      if (!counted[i]) continue;
      const std::uint32_t domain =
          domain_names_.id(domain_label(report.policies[i], scratch_));
      if (domain == domain_days_.size()) {
        domain_days_.emplace_back();
        domain_policies_.emplace_back();
        domain_last_end_.push_back(std::numeric_limits<std::int64_t>::min());
      }
      if (ids != nullptr) ids->domains[i] = domain;
      for (const FailureDetail& detail : report.policies[i].failure_details) {
        const std::uint32_t type = type_names_.id(result_type_label(detail));
        if (type == type_days_.size()) type_days_.emplace_back();
        if (ids != nullptr) ids->types.push_back(type);
      }
    }
    return;
  }
  newest_end_ = newest_end_ ? std::max(*newest_end_, end) : end;
  SenderInfo& info = senders_[sender];
  if (ids != nullptr) {
    ids->sender = sender;
    ids->domains.assign(report.policies.size(), 0);
    ids->types.clear();
  }
  const auto merge_contact = [&](const std::string& name, std::string& last) {
    if (name.empty() || name == last) return;
    last = name;
    const std::string_view lower = lowercase_view(name, scratch_);
    if (info.contact.find(lower) == std::string::npos) (info.contact += ' ') += lower;
  };
  merge_contact(report.contact_info, info.last_contact);
  merge_contact(submitter, info.last_submitter);
  insert_sorted(info.days, day_of(start));
  info.last_end = std::max(info.last_end, end);
  ++info.reports;
  ++reports_by_last_day_[last_day_of(start, end)];
  spread_ = spread_ || day_of(start) != last_day_of(start, end);

  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    if (!counted[i]) continue;
    const Policy& policy = report.policies[i];
    const std::uint32_t domain = domain_names_.id(domain_label(policy, scratch_));
    if (domain == domain_days_.size()) {
      domain_days_.emplace_back();
      domain_policies_.emplace_back();
      domain_last_end_.push_back(end);
    }
    domain_last_end_[domain] = std::max(domain_last_end_[domain], end);
    if (ids != nullptr) ids->domains[i] = domain;
    DayMap<DayCounts>& domain_sender = domain_sender_days_[pair_key(domain, sender)];
    const auto add_days = [&](std::uint64_t count, bool failed) {
      for_each_day(start, end, count, [&](std::int64_t day, std::uint64_t part) {
        for (DayMap<DayCounts>* days :
             {&overall_, &info.day_counts, &domain_days_[domain], &domain_sender}) {
          DayCounts& counts = (*days)[day];
          counts.day = day;
          (failed ? counts.failed : counts.successful) += part;
        }
      });
    };
    add_days(policy.total_successful_session_count, false);
    add_days(policy.total_failure_session_count, true);
    for (const FailureDetail& detail : policy.failure_details) {
      const std::uint32_t type = type_names_.id(result_type_label(detail));
      if (type == type_days_.size()) type_days_.emplace_back();
      if (ids != nullptr) ids->types.push_back(type);
      auto& sender_type_days = sender_type_days_[pair_key(sender, type)];
      for_each_day(start, end, detail.failed_session_count,
                   [&](std::int64_t day, std::uint64_t failed) {
                     type_days_[type][day] += failed;
                     sender_type_days[day] += failed;
                   });
      const std::uint32_t mx =
          mx_names_.id(detail.receiving_mx_hostname.empty()
                           ? std::string_view("(not given)")
                           : lowercase_view(detail.receiving_mx_hostname, scratch_));
      FailureAgg& agg = failures_[FailureKey{sender, type, mx, domain}];
      if (agg.periods.empty() || start < agg.first) agg.first = start;
      agg.last = std::max(agg.last, end);
      insert_sorted(agg.periods, std::pair(start, end));
      agg.failed += detail.failed_session_count;
    }
    if (policy.sts) {
      const std::uint32_t shape = shape_of(*policy.sts);
      auto& applied = domain_policies_[domain];
      const auto known = std::find_if(applied.begin(), applied.end(),
                                      [&](const PolicyApplied& p) { return p.shape == shape; });
      if (known == applied.end()) {
        applied.push_back(PolicyApplied{shape, start});
      } else {
        known->first = std::min(known->first, start);
      }
      const auto [seen, inserted] =
          sender_policy_.try_emplace(pair_key(domain, sender), PolicySeen{end, shape});
      if (!inserted && seen->second.end <= end) seen->second = PolicySeen{end, shape};
    }
  }
}

std::uint32_t History::shape_of(const StsPolicy& sts) {
  // Senders repeat the policy as published, so the text as given finds the shape on the usual
  // path; the shape itself (mode and sorted, lower-cased mx patterns) is worked out once per text.
  const auto append = [](std::string& key, std::string_view part) {
    (key += std::to_string(part.size())) += ':';
    key += part;
  };
  scratch_.clear();
  append(scratch_, sts.mode_text);
  for (const std::string& pattern : sts.mx) append(scratch_, pattern);
  if (const auto found = shapes_by_text_.find(scratch_); found != shapes_by_text_.end())
    return found->second;
  const std::string text = scratch_;
  std::vector<std::string> mx;
  for (const std::string& pattern : sts.mx) mx.push_back(lowercase(pattern));
  std::sort(mx.begin(), mx.end());
  std::string key;
  append(key, sts.mode_text);
  for (const std::string& pattern : mx) append(key, pattern);
  const std::uint32_t shape = shape_keys_.id(key);
  if (shape == policy_shapes_.size())
    policy_shapes_.push_back(PolicyShape{sts.mode_text, std::move(mx)});
  shapes_by_text_.emplace(text, shape);
  return shape;
}

const History::PolicyApplied* History::newest_policy(std::uint32_t domain) const {
  const PolicyApplied* newest = nullptr;
  for (const PolicyApplied& applied : domain_policies_[domain]) {
    // The latest first-applied; on a tie the smaller (mode, mx list), as a sorted map gave.
    const auto shape = [this](const PolicyApplied& p) {
      const PolicyShape& s = policy_shapes_[p.shape];
      return std::tie(s.mode, s.mx);
    };
    if (newest == nullptr || applied.first > newest->first ||
        (applied.first == newest->first && shape(applied) < shape(*newest))) {
      newest = &applied;
    }
  }
  return newest;
}

std::vector<const History::Failures::value_type*> History::failures_by_name() const {
  std::vector<const Failures::value_type*> list;
  list.reserve(failures_.size());
  for (const auto& entry : failures_) list.push_back(&entry);
  const std::vector<std::uint32_t> senders = sender_names_.ranks();
  const std::vector<std::uint32_t> types = type_names_.ranks();
  const std::vector<std::uint32_t> mx = mx_names_.ranks();
  const std::vector<std::uint32_t> domains = domain_names_.ranks();
  std::sort(list.begin(), list.end(), [&](const auto* a, const auto* b) {
    const FailureKey& x = a->first;
    const FailureKey& y = b->first;
    return std::tie(senders[x.sender], types[x.type], mx[x.mx], domains[x.domain]) <
           std::tie(senders[y.sender], types[y.type], mx[y.mx], domains[y.domain]);
  });
  return list;
}

std::int64_t History::now_of(const TimeOptions& time) const {
  return time.now ? *time.now : newest_end_.value_or(0);
}

namespace {

// "2026-05-13 (17 days before now)"
std::string age_text(std::int64_t end, std::int64_t now) {
  const std::int64_t age = now - end;
  if (age < 3 * kDay) return fmt::format("{} ({} h before now)", format_date(end), age / 3600);
  return fmt::format("{} ({} days before now)", format_date(end), age / kDay);
}

std::string nothing_left_text(const TimeOptions& time) {
  return time.nothing_left.empty() ? "no TLS reports found in the inputs" : time.nothing_left;
}

}  // namespace

HistorySummary History::finish(const HistoryOptions& options) const {
  HistorySummary summary;
  const std::int64_t now = now_of(options.time);
  summary.now = now;
  summary.implausible_dates = undated_;
  if (!newest_end_ || overall_.empty()) {
    summary.alerts.push_back(Alert{
        AlertLevel::critical, "no_reports",
        (undated_ > 0 ? fmt::format("no report with plausible dates: {} dated before 2016 or "
                                    "after now",
                                    undated_)
                      : nothing_left_text(options.time)) +
            "; check that reports reach you (the rua= of your _smtp._tls TXT record, the "
            "mailbox and its filters)"});
    return summary;
  }
  summary.newest_end = newest_end_;
  summary.spread = spread_;
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
  const std::vector<std::uint32_t> senders = sender_names_.by_name();
  if (first <= last) {
    summary.series_first_day = first;
    summary.series_last_day = last;
    summary.overall = make_series("all", overall_, first, last);
    summary.senders.reserve(senders.size());
    for (const std::uint32_t sender : senders) {
      if (sum_days(senders_[sender].day_counts, first, last).successful +
              sum_days(senders_[sender].day_counts, first, last).failed ==
          0) {
        continue;
      }
      summary.senders.push_back(
          make_series(sender_names_.name(sender), senders_[sender].day_counts, first, last));
    }
    for (const std::uint32_t domain : domain_names_.by_name()) {
      const DayCounts counts = sum_days(domain_days_[domain], first, last);
      if (counts.successful + counts.failed == 0) continue;
      summary.domains.push_back(
          make_series(domain_names_.name(domain), domain_days_[domain], first, last));
    }
  }

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
    TrendRow row = trend_row(sender_names_.name(sender), recent(days), previous(days));
    if (row.recent_sessions + row.previous_sessions == 0) continue;
    trend.senders.push_back(std::move(row));
  }
  for (const std::uint32_t type : type_names_.by_name()) {
    const auto& days = type_days_[type];
    TrendRow row = trend_row(
        type_names_.name(type),
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
  if (trend.overall.previous_sessions > 0 && trend.overall.recent_sessions > 0)
    summary.trend = trend;

  const auto failures = failures_by_name();
  // Persistent first, then by failed sessions; ties in name order. Ordered before the rows are
  // made, so that their strings are not moved around.
  const auto persistent = [&](const FailureAgg& agg) {
    return agg.periods.size() >= options.persistent_periods;
  };
  auto ordered = failures;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const auto* a, const auto* b) {
    if (persistent(a->second) != persistent(b->second)) return persistent(a->second);
    return a->second.failed > b->second.failed;
  });
  summary.failures.reserve(ordered.size());
  for (const auto* entry : ordered) {
    const FailureKey& key = entry->first;
    const FailureAgg& agg = entry->second;
    summary.failures.push_back(PersistentFailure{
        sender_names_.name(key.sender), type_names_.name(key.type), mx_names_.name(key.mx),
        domain_names_.name(key.domain), agg.periods.size(), persistent(agg), agg.first, agg.last,
        agg.failed});
  }

  // Alerts, most severe first.
  std::vector<Alert>& alerts = summary.alerts;
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
  const std::vector<std::uint32_t> types = type_names_.by_name();
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
                      sender_names_.name(sender), type_names_.name(type),
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
                      sender_names_.name(sender), info.days.size(),
                      age_text(info.last_end, now))});
    }
  }
  std::vector<std::pair<std::uint64_t, PolicySeen>> applying(sender_policy_.begin(),
                                                             sender_policy_.end());
  const std::vector<std::uint32_t> domain_ranks = domain_names_.ranks();
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
                    sender_names_.name(sender), domain_names_.name(domain), describe(old),
                    format_date(newest->first), describe(shape))});
  }
  // MX hosts with recent failures that the newest policy does not cover: one alert per domain.
  std::map<std::string, std::map<std::string, std::uint64_t>> uncovered;  // domain → mx → failed
  for (const auto* entry : failures) {
    const FailureKey& key = entry->first;
    const FailureAgg& agg = entry->second;
    const PolicyApplied* newest = newest_policy(key.domain);
    const std::string& mx = mx_names_.name(key.mx);
    if (newest == nullptr || mx == "(not given)" || agg.last < trend.recent_first_day * kDay)
      continue;
    const std::vector<std::string>& patterns = policy_shapes_[newest->shape].mx;
    const bool covered =
        std::any_of(patterns.begin(), patterns.end(),
                    [&](const std::string& pattern) { return mx_pattern_matches(pattern, mx); });
    if (!covered) uncovered[domain_names_.name(key.domain)][mx] += agg.failed;
  }
  for (const auto& [domain_name, hosts] : uncovered) {
    const auto domain = static_cast<std::uint32_t>(domain_names_.find(domain_name));
    std::vector<std::string> listed;
    for (const auto& [mx, failed] : hosts) listed.push_back(fmt::format("{} ({} failed)", mx, failed));
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
  return summary;
}

namespace {

int verdict_rank(Verdict v) {
  return v == Verdict::not_ready ? 0 : v == Verdict::insufficient_data ? 1 : 2;
}

}  // namespace

CheckResult History::check(const CheckOptions& options) const {
  CheckResult result;
  const std::int64_t now = now_of(options.time);
  result.now = now;
  const std::int64_t last = day_of(now);
  const std::int64_t first = last - std::max(1, options.window_days) + 1;
  result.window_first_day = first;
  result.window_last_day = last;
  if (!newest_end_ || overall_.empty()) {
    result.items.push_back(CheckItem{Verdict::insufficient_data, "no_reports",
                                     nothing_left_text(options.time)});
    return result;
  }
  result.newest_end = newest_end_;
  const DayCounts totals = sum_days(overall_, first, last);
  result.successful = totals.successful;
  result.failed = totals.failed;
  // Worked out once for all domains: the failures by domain in name order, and the senders each
  // major sender stands for.
  CheckContext context;
  context.failures.resize(domain_days_.size());
  for (const auto* entry : failures_by_name()) context.failures[entry->first.domain].push_back(entry);
  for (const MajorSender& major : options.major_senders) {
    std::vector<std::uint32_t>& matching = context.majors.emplace_back();
    for (std::uint32_t sender = 0; sender < senders_.size(); ++sender) {
      const std::string name = lowercase(sender_names_.name(sender));
      const std::string& contact = senders_[sender].contact;
      if (std::any_of(major.matches.begin(), major.matches.end(), [&](const std::string& m) {
            return name.find(m) != std::string::npos || contact.find(m) != std::string::npos;
          })) {
        matching.push_back(sender);
      }
    }
  }
  for (const std::uint32_t domain : domain_names_.by_name()) {
    if (domain_names_.name(domain) == "(none)") continue;  // no policy domain: nothing to enforce
    if (domain_days_[domain].empty()) continue;             // only in reports with implausible dates
    result.domains.push_back(check_domain(domain, options, context, first, last, now));
  }
  if (result.domains.empty()) {
    result.items.push_back(CheckItem{
        Verdict::insufficient_data, "no_policy_domain",
        "no report names a policy domain: there is no MTA-STS policy to judge"});
    return result;
  }
  result.verdict = Verdict::ready;
  for (const DomainCheck& domain : result.domains) {
    if (verdict_rank(domain.verdict) < verdict_rank(result.verdict))
      result.verdict = domain.verdict;
  }
  return result;
}

DomainCheck History::check_domain(std::uint32_t domain, const CheckOptions& options,
                                  const CheckContext& context, std::int64_t first,
                                  std::int64_t last, std::int64_t now) const {
  DomainCheck result;
  result.domain = domain_names_.name(domain);
  result.newest_end = domain_last_end_[domain];
  const DayMap<DayCounts>& days = domain_days_[domain];
  const DayCounts totals = sum_days(days, first, last);
  result.successful = totals.successful;
  result.failed = totals.failed;
  for (auto it = days.lower_bound(first); it != days.end() && it->first <= last; ++it)
    ++result.days_covered;
  const std::string window_text =
      fmt::format("{} to {}", format_date(first * kDay), format_date(last * kDay));
  std::vector<CheckItem>& items = result.items;

  if (now - domain_last_end_[domain] >
      static_cast<std::int64_t>(options.time.stale_days) * kDay) {
    items.push_back(CheckItem{
        Verdict::insufficient_data, "no_recent_reports",
        fmt::format("no report since {}: the verdict needs current reports (check the rua= of "
                    "_smtp._tls.{} and the mailbox they go to)",
                    age_text(domain_last_end_[domain], now), result.domain)});
  }
  const double total_rate = rate(totals.failed, totals.successful + totals.failed);
  if (totals.successful + totals.failed > 0) items.push_back(CheckItem{
      total_rate > options.max_failure_rate ? Verdict::not_ready : Verdict::ready, "failure_rate",
      fmt::format("failure rate {} ({} of {} sessions, {}) {} the limit of {}",
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

  std::vector<std::string> missing;  // major senders without a report in the window: one item
  for (std::size_t m = 0; m < options.major_senders.size(); ++m) {
    const MajorSender& major = options.major_senders[m];
    CheckSender row;
    row.name = major.name;
    std::vector<std::int64_t> report_days;
    for (const std::uint32_t sender : context.majors[m]) {
      const auto found = domain_sender_days_.find(pair_key(domain, sender));
      if (found == domain_sender_days_.end()) continue;
      const DayMap<DayCounts>& sender_days = found->second;
      for (auto it = sender_days.lower_bound(first); it != sender_days.end() && it->first <= last;
           ++it) {
        row.successful += it->second.successful;
        row.failed += it->second.failed;
        report_days.push_back(it->first);
      }
    }
    std::sort(report_days.begin(), report_days.end());
    row.report_days = static_cast<std::uint64_t>(
        std::unique(report_days.begin(), report_days.end()) - report_days.begin());
    row.seen = row.report_days > 0;
    if (!row.seen) {
      missing.push_back(major.name);
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
  if (!missing.empty()) {
    items.push_back(CheckItem{
        Verdict::insufficient_data, "major_sender_missing",
        fmt::format("no reports from {} in {}; a major sender's view is needed before enforcing "
                    "(wait, or check that {} reports reach you)",
                    join(missing), window_text, missing.size() == 1 ? "its" : "their")});
  }

  // Persistent failures still happening that would block mail under enforce, one item per
  // (type, MX) naming every sender that reports it. STARTTLS failures seen by one sender only are
  // likely on its side (RFC8460.md §3): they do not block.
  struct Blocking {
    std::vector<std::string> senders;
    std::uint64_t periods = 0;
    std::uint64_t failed = 0;
    std::int64_t last = 0;
  };
  std::map<std::pair<std::string, std::string>, Blocking> blocking;  // (type, mx) → senders
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::set<std::uint32_t>>
      starttls_senders;  // (type, mx) → senders
  const auto& failures = context.failures[domain];
  for (const auto* entry : failures) {
    if (entry->second.last >= first * kDay)
      starttls_senders[{entry->first.type, entry->first.mx}].insert(entry->first.sender);
  }
  const std::int64_t recent = std::max(first, last - 6);  // still seen in the last 7 days
  for (const auto* entry : failures) {
    const FailureKey& key = entry->first;
    const FailureAgg& agg = entry->second;
    const std::string& type = type_names_.name(key.type);
    if (!blocks_enforce(type) || agg.last < recent * kDay) continue;
    std::uint64_t periods = 0;
    for (const auto& period : agg.periods) periods += period.second >= first * kDay ? 1 : 0;
    if (periods < options.persistent_periods) continue;
    if (type == "starttls-not-supported" && starttls_senders[{key.type, key.mx}].size() < 2)
      continue;
    const std::string& sender = sender_names_.name(key.sender);
    const std::string& mx = mx_names_.name(key.mx);
    result.blocking.push_back(PersistentFailure{sender, type, mx, result.domain, periods, true,
                                                agg.first, agg.last, agg.failed});
    Blocking& group = blocking[{type, mx}];
    group.senders.push_back(sender);
    group.periods = std::max(group.periods, periods);
    group.failed += agg.failed;
    group.last = std::max(group.last, agg.last);
  }
  for (const auto& [key, group] : blocking) {
    items.push_back(CheckItem{
        Verdict::not_ready, "persistent_failure",
        fmt::format("{} at {}, reported by {} in up to {} report periods, last on {} ({} failed "
                    "sessions): under enforce this mail would not be delivered",
                    key.first, key.second, join(group.senders), group.periods,
                    format_date(group.last), group_digits(group.failed))});
  }

  std::stable_sort(items.begin(), items.end(), [](const CheckItem& a, const CheckItem& b) {
    return verdict_rank(a.outcome) < verdict_rank(b.outcome);
  });
  result.verdict = items.front().outcome;
  return result;
}

}  // namespace tlsrpt
