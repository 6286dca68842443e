// The enforce-readiness verdict, per policy domain (docs/history.md).
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

CheckResult History::check(const CheckOptions& options) const {
  CheckResult result;
  const std::int64_t now = now_of(options.time);
  result.now = now;
  const std::int64_t last = day_of(now);
  const std::int64_t first = last - std::max(1, options.window_days) + 1;
  result.window_first_day = first;
  result.window_last_day = last;
  if (!newest_end_ || overall_.empty()) {
    result.items.push_back(
        CheckItem{Verdict::insufficient_data, "no_reports", nothing_left_text(options.time)});
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
  for (const auto* entry : failures_by_name())
    context.failures[entry->first.domain].push_back(entry);
  for (const MajorSender& major : options.major_senders) {
    std::vector<std::uint32_t>& matching = context.majors.emplace_back();
    for (std::uint32_t sender = 0; sender < senders_.size(); ++sender) {
      const std::string name = lowercase(names_->senders.name(sender));
      const std::string& contact = senders_[sender].contact;
      if (std::any_of(major.matches.begin(), major.matches.end(), [&](const std::string& m) {
            return name.find(m) != std::string::npos || contact.find(m) != std::string::npos;
          })) {
        matching.push_back(sender);
      }
    }
  }
  for (const std::uint32_t domain : names_->domains.by_name()) {
    if (names_->domains.name(domain) == "(none)") continue;  // no policy domain: nothing to enforce
    if (domain_days_[domain].empty()) continue;  // only in reports with implausible dates
    result.domains.push_back(check_domain(domain, options, context, first, last, now));
  }
  if (result.domains.empty()) {
    result.items.push_back(
        CheckItem{Verdict::insufficient_data, "no_policy_domain",
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
  result.domain = names_->domains.name(domain);
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

  if (now - domain_last_end_[domain] > static_cast<std::int64_t>(options.time.stale_days) * kDay) {
    items.push_back(CheckItem{
        Verdict::insufficient_data, "no_recent_reports",
        fmt::format("no report since {}: the verdict needs current reports (check the rua= of "
                    "_smtp._tls.{} and the mailbox they go to)",
                    age_text(domain_last_end_[domain], now), result.domain)});
    // Nothing in the window at all: that is the one reason; days covered and missing senders
    // would only repeat it.
    if (totals.successful + totals.failed == 0 && result.days_covered == 0) {
      result.verdict = Verdict::insufficient_data;
      return result;
    }
  }
  const double total_rate = rate(totals.failed, totals.successful + totals.failed);
  if (totals.successful + totals.failed > 0)
    items.push_back(CheckItem{
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
    const std::string& type = names_->types.name(key.type);
    if (!blocks_enforce(type) || agg.last < recent * kDay) continue;
    std::uint64_t periods = 0;
    for (const auto& period : agg.periods) periods += period.second >= first * kDay ? 1 : 0;
    if (periods < options.persistent_periods) continue;
    if (type == "starttls-not-supported" && starttls_senders[{key.type, key.mx}].size() < 2)
      continue;
    const std::string& sender = names_->senders.name(key.sender);
    const std::string& mx = names_->mx.name(key.mx);
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
