#include "tlsrpt/history.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/sts_policy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

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
          "\"{}\" has an empty entry: write NAME or NAME=match|match, separated by commas", list));
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
  const std::uint32_t sender = names_->senders.id(sender_label(report));
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
      const std::uint32_t domain = names_->domains.id(domain_label(report.policies[i], scratch_));
      if (domain == domain_days_.size()) {
        domain_days_.emplace_back();
        domain_policies_.emplace_back();
        domain_last_end_.push_back(std::numeric_limits<std::int64_t>::min());
      }
      if (ids != nullptr) ids->domains[i] = domain;
      for (const FailureDetail& detail : report.policies[i].failure_details) {
        const std::uint32_t type = names_->types.id(result_type_label(detail));
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
    const std::uint32_t domain = names_->domains.id(domain_label(policy, scratch_));
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
      const std::uint32_t type = names_->types.id(result_type_label(detail));
      if (type == type_days_.size()) type_days_.emplace_back();
      if (ids != nullptr) ids->types.push_back(type);
      auto& sender_type_days = sender_type_days_[pair_key(sender, type)];
      for_each_day(start, end, detail.failed_session_count,
                   [&](std::int64_t day, std::uint64_t failed) {
                     type_days_[type][day] += failed;
                     sender_type_days[day] += failed;
                   });
      const std::uint32_t mx =
          names_->mx.id(detail.receiving_mx_hostname.empty()
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
  const std::vector<std::uint32_t> senders = names_->senders.ranks();
  const std::vector<std::uint32_t> types = names_->types.ranks();
  const std::vector<std::uint32_t> mx = names_->mx.ranks();
  const std::vector<std::uint32_t> domains = names_->domains.ranks();
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

HistorySummary History::finish(const HistoryOptions& options) const {
  HistorySummary summary;
  const std::int64_t now = now_of(options.time);
  summary.now = now;
  summary.implausible_dates = undated_;
  if (!newest_end_ || overall_.empty()) {
    summary.alerts.push_back(
        Alert{AlertLevel::critical, "no_reports",
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
  finish_series(options, now, summary);
  const Trend trend = finish_trend(options, now);
  if (trend.overall.previous_sessions > 0 && trend.overall.recent_sessions > 0)
    summary.trend = trend;
  summary.failures = persistent_failures(options);
  summary.alerts = alerts(options, now, trend);
  return summary;
}

}  // namespace tlsrpt
