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

std::uint32_t History::sender_of(const Report& report, const std::string& submitter, bool dated) {
  const std::uint32_t sender = data_.names->senders.id(sender_label(report));
  if (sender == data_.senders.size()) data_.senders.emplace_back();
  if (!dated) return sender;
  HistoryData::SenderInfo& info = data_.senders[sender];
  const auto merge_contact = [&](const std::string& name, std::string& last) {
    if (name.empty() || name == last) return;
    last = name;
    const std::string_view lower = lowercase_view(name, scratch_);
    if (info.contact.find(lower) == std::string::npos) (info.contact += ' ') += lower;
  };
  merge_contact(report.contact_info, info.last_contact);
  merge_contact(submitter, info.last_submitter);
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  insert_sorted(info.days, day_of(start));
  info.last_end = std::max(info.last_end, end);
  ++info.reports;
  return sender;
}

std::uint32_t History::domain_of(const Policy& policy) {
  const std::uint32_t domain = data_.names->domains.id(domain_label(policy, scratch_));
  if (domain == data_.domain_days.size()) {
    data_.domain_days.emplace_back();
    data_.domain_policies.emplace_back();
    data_.domain_last_end.push_back(std::numeric_limits<std::int64_t>::min());
  }
  return domain;
}

std::uint32_t History::type_of(const FailureDetail& detail) {
  const std::uint32_t type = data_.names->types.id(result_type_label(detail));
  if (type == data_.type_days.size()) data_.type_days.emplace_back();
  return type;
}

void History::add(const Report& report, const std::vector<bool>& counted,
                  const std::string& submitter, AddedIds* ids, bool dated) {
  AddedIds unused;
  AddedIds& added = ids != nullptr ? *ids : unused;
  added.sender = sender_of(report, submitter, dated);
  added.domains.assign(report.policies.size(), 0);
  added.types.clear();
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  if (dated) {
    data_.newest_end = data_.newest_end ? std::max(*data_.newest_end, end) : end;
    ++data_.reports_by_last_day[last_day_of(start, end)];
    data_.spread = data_.spread || day_of(start) != last_day_of(start, end);
  } else {
    ++data_.undated;  // its names only, for the caller's ids: nothing about time
  }
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    if (!counted[i]) continue;
    const Policy& policy = report.policies[i];
    const std::uint32_t domain = domain_of(policy);
    added.domains[i] = domain;
    if (dated) add_sessions(report, policy, added.sender, domain);
    for (const FailureDetail& detail : policy.failure_details) {
      const std::uint32_t type = type_of(detail);
      added.types.push_back(type);
      if (dated) add_failure(report, detail, added.sender, type, domain);
    }
    if (dated && policy.sts) add_policy(report, *policy.sts, added.sender, domain);
  }
}

void History::add_sessions(const Report& report, const Policy& policy, std::uint32_t sender,
                           std::uint32_t domain) {
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  data_.domain_last_end[domain] = std::max(data_.domain_last_end[domain], end);
  DayMap<DayCounts>& domain_sender =
      data_.domain_sender_days[HistoryData::pair_key(domain, sender)];
  const auto add_days = [&](std::uint64_t count, bool failed) {
    for_each_day(start, end, count, [&](std::int64_t day, std::uint64_t part) {
      for (DayMap<DayCounts>* days : {&data_.overall, &data_.senders[sender].day_counts,
                                      &data_.domain_days[domain], &domain_sender}) {
        DayCounts& counts = (*days)[day];
        counts.day = day;
        (failed ? counts.failed : counts.successful) += part;
      }
    });
  };
  add_days(policy.total_successful_session_count, false);
  add_days(policy.total_failure_session_count, true);
}

void History::add_failure(const Report& report, const FailureDetail& detail, std::uint32_t sender,
                          std::uint32_t type, std::uint32_t domain) {
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  auto& sender_type_days = data_.sender_type_days[HistoryData::pair_key(sender, type)];
  for_each_day(start, end, detail.failed_session_count,
               [&](std::int64_t day, std::uint64_t failed) {
                 data_.type_days[type][day] += failed;
                 sender_type_days[day] += failed;
               });
  const std::uint32_t mx = data_.names->mx.id(
      detail.receiving_mx_hostname.empty()
          ? std::string_view("(not given)")
          : lowercase_view(detail.receiving_mx_hostname, scratch_));
  HistoryData::FailureAgg& agg = data_.failures[HistoryData::FailureKey{sender, type, mx, domain}];
  if (agg.periods.empty() || start < agg.first) agg.first = start;
  agg.last = std::max(agg.last, end);
  insert_sorted(agg.periods, std::pair(start, end));
  agg.failed += detail.failed_session_count;
}

void History::add_policy(const Report& report, const StsPolicy& sts, std::uint32_t sender,
                         std::uint32_t domain) {
  const std::int64_t start = report.date_range.start;
  const std::int64_t end = report.date_range.end;
  const std::uint32_t shape = shape_of(sts);
  auto& applied = data_.domain_policies[domain];
  const auto known = std::find_if(applied.begin(), applied.end(),
                                  [&](const HistoryData::PolicyApplied& p) { return p.shape == shape; });
  if (known == applied.end()) {
    applied.push_back(HistoryData::PolicyApplied{shape, start});
  } else {
    known->first = std::min(known->first, start);
  }
  const auto [seen, inserted] = data_.sender_policy.try_emplace(
      HistoryData::pair_key(domain, sender), HistoryData::PolicySeen{end, shape});
  if (!inserted && seen->second.end <= end) seen->second = HistoryData::PolicySeen{end, shape};
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
  if (shape == data_.policy_shapes.size())
    data_.policy_shapes.push_back(HistoryData::PolicyShape{sts.mode_text, std::move(mx)});
  shapes_by_text_.emplace(text, shape);
  return shape;
}

const HistoryData::PolicyApplied* HistoryData::newest_policy(std::uint32_t domain) const {
  const PolicyApplied* newest = nullptr;
  for (const PolicyApplied& applied : domain_policies[domain]) {
    // The latest first-applied; on a tie the smaller (mode, mx list), as a sorted map gave.
    const auto shape = [this](const PolicyApplied& p) {
      const PolicyShape& s = policy_shapes[p.shape];
      return std::tie(s.mode, s.mx);
    };
    if (newest == nullptr || applied.first > newest->first ||
        (applied.first == newest->first && shape(applied) < shape(*newest))) {
      newest = &applied;
    }
  }
  return newest;
}

std::vector<const HistoryData::FailureEntry*> HistoryData::failures_by_name() const {
  std::vector<const FailureEntry*> list;
  list.reserve(failures.size());
  for (const auto& entry : failures) list.push_back(&entry);
  const std::vector<std::uint32_t> by_sender = names->senders.ranks();
  const std::vector<std::uint32_t> by_type = names->types.ranks();
  const std::vector<std::uint32_t> by_mx = names->mx.ranks();
  const std::vector<std::uint32_t> by_domain = names->domains.ranks();
  std::sort(list.begin(), list.end(), [&](const auto* a, const auto* b) {
    const FailureKey& x = a->first;
    const FailureKey& y = b->first;
    return std::tie(by_sender[x.sender], by_type[x.type], by_mx[x.mx], by_domain[x.domain]) <
           std::tie(by_sender[y.sender], by_type[y.type], by_mx[y.mx], by_domain[y.domain]);
  });
  return list;
}

}  // namespace tlsrpt
