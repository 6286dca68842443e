// What the time-based views keep of the reports: counts by day per sender, policy domain, pair and
// failure type, failure keys with their report periods, and the MTA-STS policies senders applied.
// `History` is fed report by report (memory grows with days, senders, domains and failure keys,
// never with reports) and builds one `HistoryData`; the views (judge.hpp: series, trend,
// persistent failures, alerts, the enforce check) each read that aggregate and never change it.
//
// Rules (docs/history.md):
// - a report's counts are spread over the UTC days its period covers, in proportion to the
//   seconds of each day it covers (largest remainder, so the parts add up to the count); an end at
//   hh:59:59 counts as the end of that second;
// - windows end "now": the caller's clock (the CLI's wall clock or --now), so that reports that
//   stopped arriving are seen as stale, never judged as if they were current; a library caller
//   that leaves `now` unset replays a fixed set as of the end of its newest report.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tlsrpt/gate.hpp"
#include "tlsrpt/intern.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct DayCounts {
  std::int64_t day = 0;  // days since 1970-01-01 (UTC)
  std::uint64_t successful = 0;
  std::uint64_t failed = 0;
};

// Values by day, kept in one sorted vector: reports arrive roughly in day order, so a lookup is
// usually the last element, and a sender's month of days sits in one cache line or two.
template <typename T>
class DayMap {
 public:
  using value_type = std::pair<std::int64_t, T>;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  T& operator[](std::int64_t day) {
    if (days_.empty() || days_.back().first < day) return days_.emplace_back(day, T{}).second;
    const auto it = days_.begin() + (lower_bound(day) - days_.cbegin());
    if (it != days_.end() && it->first == day) return it->second;
    return days_.emplace(it, day, T{})->second;
  }
  bool empty() const { return days_.empty(); }
  const_iterator begin() const { return days_.begin(); }
  const_iterator end() const { return days_.end(); }
  const value_type& front() const { return days_.front(); }
  const value_type& back() const { return days_.back(); }
  const_iterator lower_bound(std::int64_t day) const {
    return std::lower_bound(
        days_.begin(), days_.end(), day,
        [](const value_type& entry, std::int64_t d) { return entry.first < d; });
  }
  const_iterator find(std::int64_t day) const {
    const auto it = lower_bound(day);
    return it != days_.end() && it->first == day ? it : days_.end();
  }

 private:
  std::vector<value_type> days_;
};

// The aggregate the views read. Ids are those of `names` (shared with the tally).
struct HistoryData {
  struct SenderInfo {
    std::string contact;         // contact-info and submitters seen, lower-cased, space-separated
    std::string last_contact;    // the contact-info and submitter last merged into `contact`,
    std::string last_submitter;  // as given (most reports repeat them)
    std::vector<std::int64_t> days;  // sorted, distinct: days with a report starting
    std::int64_t last_end = 0;
    std::uint64_t reports = 0;
    DayMap<DayCounts> day_counts;
  };
  // A failure as the views group it: who reported which type at which MX for which domain.
  struct FailureKey {
    std::uint32_t sender = 0, type = 0, mx = 0, domain = 0;
    bool operator==(const FailureKey&) const = default;
  };
  struct FailureKeyHash {
    std::size_t operator()(const FailureKey& key) const {
      return (std::size_t{key.sender} * 0x9E3779B97F4A7C15ull) ^ (std::size_t{key.type} << 48) ^
             (std::size_t{key.mx} * 0xC2B2AE3D27D4EB4Full) ^ (std::size_t{key.domain} << 24);
    }
  };
  struct FailureAgg {
    std::vector<std::pair<std::int64_t, std::int64_t>> periods;  // sorted, distinct
    std::int64_t first = 0, last = 0;
    std::uint64_t failed = 0;
  };
  using Failures = std::unordered_map<FailureKey, FailureAgg, FailureKeyHash>;
  using FailureEntry = Failures::value_type;
  // An MTA-STS policy as a sender applied it: the mode and the sorted, lower-cased mx patterns.
  struct PolicyShape {
    std::string mode;
    std::vector<std::string> mx;
  };
  struct PolicyApplied {
    std::uint32_t shape = 0;  // index in policy_shapes
    std::int64_t first = 0;   // start of the first report that applied it
  };
  struct PolicySeen {
    std::int64_t end = 0;
    std::uint32_t shape = 0;
  };

  static std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    return (std::uint64_t{a} << 32) | b;
  }
  // The newest policy of `domain`, or nullptr when no sender reported an STS policy for it.
  const PolicyApplied* newest_policy(std::uint32_t domain) const;
  // `failures` ordered by (sender, type, mx, domain) name, for reproducible output.
  std::vector<const FailureEntry*> failures_by_name() const;
  // The time windows end at: the caller's now, else the end of the newest report.
  std::int64_t now_of(const TimeOptions& time) const {
    return time.now ? *time.now : newest_end.value_or(0);
  }
  // No report with plausible dates was added.
  bool empty() const { return !newest_end || overall.empty(); }

  std::shared_ptr<ReportNames> names = std::make_shared<ReportNames>();
  std::vector<SenderInfo> senders;             // by sender id
  std::vector<DayMap<DayCounts>> domain_days;  // by domain id
  std::vector<std::int64_t> domain_last_end;   // by domain id: the newest report's end
  std::unordered_map<std::uint64_t, DayMap<DayCounts>>
      domain_sender_days;                     // pair_key(domain, sender) → counts by day
  DayMap<std::uint64_t> reports_by_last_day;  // reports by the last day they cover
  bool spread = false;                        // some report covered more than one day
  std::uint64_t undated = 0;                  // reports added with implausible dates
  std::vector<DayMap<std::uint64_t>> type_days;  // failures per day, by type id
  std::unordered_map<std::uint64_t, DayMap<std::uint64_t>>
      sender_type_days;  // pair_key(sender, type) → failures per day
  DayMap<DayCounts> overall;
  Failures failures;
  std::vector<PolicyShape> policy_shapes;
  std::vector<std::vector<PolicyApplied>> domain_policies;     // by domain id
  std::unordered_map<std::uint64_t, PolicySeen> sender_policy;  // pair_key(domain, sender): latest
  std::optional<std::int64_t> newest_end;
};

class History {
 public:
  History() = default;
  // A history whose names are kept in `names`, shared with whoever else keys by them.
  explicit History(std::shared_ptr<ReportNames> names) { data_.names = std::move(names); }

  // The ids add() gave the report's names, for a caller keeping aggregates of its own by them.
  struct AddedIds {
    std::uint32_t sender = 0;
    std::vector<std::uint32_t> domains;  // per policy (counted ones only)
    std::vector<std::uint32_t> types;    // per failure detail of the counted policies, in order
  };
  // `counted[i]` says whether policy i counts (the tlsa/sts rule, report.hpp); `submitter` is the
  // mail's TLS-Report-Submitter, if any. `dated` false: a report whose dates are implausible
  // (before 2016, or after now): its names are interned for `ids`, nothing else is kept (it stays
  // out of series, trend, alerts and check).
  void add(const Report& report, const std::vector<bool>& counted,
           const std::string& submitter = "", AddedIds* ids = nullptr, bool dated = true);

  const HistoryData& data() const { return data_; }

 private:
  std::uint32_t sender_of(const Report& report, const std::string& submitter, bool dated);
  std::uint32_t domain_of(const Policy& policy);
  std::uint32_t type_of(const FailureDetail& detail);
  void add_sessions(const Report& report, const Policy& policy, std::uint32_t sender,
                    std::uint32_t domain);
  void add_failure(const Report& report, const FailureDetail& detail, std::uint32_t sender,
                   std::uint32_t type, std::uint32_t domain);
  void add_policy(const Report& report, const StsPolicy& sts, std::uint32_t sender,
                  std::uint32_t domain);
  // The policy_shapes id of an STS policy.
  std::uint32_t shape_of(const StsPolicy& sts);

  HistoryData data_;
  NameTable shape_keys_;                     // the shapes' canonical texts
  StringMap<std::uint32_t> shapes_by_text_;  // mode and mx patterns as given → shape id
  std::string scratch_;
};

// Splits `count` over the UTC days of [start, end] in proportion to the seconds of each day
// covered; the parts add up to `count`.
std::vector<std::pair<std::int64_t, std::uint64_t>> spread_over_days(std::int64_t start,
                                                                     std::int64_t end,
                                                                     std::uint64_t count);

}  // namespace tlsrpt
