// The enforce-readiness verdict, per policy domain (docs/history.md): one function per thing
// looked at (staleness, failure rate, days covered, major senders, persistent failures), each
// adding its items to the domain's list.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "history_internal.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace history_detail;

namespace {

// What the check works out once for all the domains it judges.
struct Context {
  const HistoryData& data;
  const GateOptions& gate;
  std::int64_t first = 0;  // the window's days
  std::int64_t last = 0;
  std::int64_t now = 0;
  std::vector<std::vector<const HistoryData::FailureEntry*>> failures;  // by domain, name order
  std::vector<std::vector<std::uint32_t>> majors;  // per major sender: the sender ids it matches

  std::string window_text() const { return fmt::format("{} to {}", format_day(first), format_day(last)); }
};

std::vector<std::uint32_t> senders_matching(const HistoryData& data, const MajorSender& major) {
  std::vector<std::uint32_t> matching;
  for (std::uint32_t sender = 0; sender < data.senders.size(); ++sender) {
    const std::string name = lowercase(data.names->senders.name(sender));
    const std::string& contact = data.senders[sender].contact;
    if (std::any_of(major.matches.begin(), major.matches.end(), [&](const std::string& m) {
          return name.find(m) != std::string::npos || contact.find(m) != std::string::npos;
        })) {
      matching.push_back(sender);
    }
  }
  return matching;
}

// The newest report is older than --stale-days. Returns true when nothing of the window is left
// to judge: that is then the one reason; days covered and missing senders would only repeat it.
bool stale(const Context& context, std::uint32_t domain, DomainCheck& result) {
  const std::int64_t last_end = context.data.domain_last_end[domain];
  if (context.now - last_end <= static_cast<std::int64_t>(context.gate.time.stale_days) * kDay) {
    return false;
  }
  result.items.push_back(CheckItem{
      Verdict::insufficient_data, "no_recent_reports",
      fmt::format("no report since {}: the verdict needs current reports (check the rua= of "
                  "_smtp._tls.{} and the mailbox they go to)",
                  age_text(last_end, context.now), result.domain)});
  return result.successful + result.failed == 0 && result.days_covered == 0;
}

// Whether a failure rate passes the limit, and the words for it.
Verdict rate_outcome(const Counts& counts, double limit) {
  return failure_rate(counts) > limit ? Verdict::not_ready : Verdict::ready;
}
std::string_view within_words(Verdict outcome) {
  return outcome == Verdict::not_ready ? "is above" : "is within";
}

void check_rate_and_days(const Context& context, DomainCheck& result) {
  const Counts totals{result.successful, result.failed};
  const double limit = context.gate.max_failure_rate;
  if (totals.successful + totals.failed > 0) {
    const Verdict outcome = rate_outcome(totals, limit);
    result.items.push_back(CheckItem{
        outcome, "failure_rate",
        fmt::format("failure rate {} ({} of {} sessions, {}) {} the limit of {}",
                    percent(failure_rate(totals)), group_digits(totals.failed),
                    group_digits(totals.successful + totals.failed), context.window_text(),
                    within_words(outcome), percent(limit))});
  }
  result.items.push_back(CheckItem{
      result.days_covered < context.gate.min_days ? Verdict::insufficient_data : Verdict::ready,
      "days_covered",
      fmt::format("reports cover {} day{} of the {}-day window; at least {} are needed",
                  result.days_covered, result.days_covered == 1 ? "" : "s",
                  context.gate.window_days, context.gate.min_days)});
}

// One major sender's sessions and days with a report for `domain` in the window.
CheckSender major_sender_row(const Context& context, std::uint32_t domain, std::size_t major) {
  CheckSender row;
  row.name = context.gate.major_senders[major].name;
  std::vector<std::int64_t> report_days;
  for (const std::uint32_t sender : context.majors[major]) {
    const auto found = context.data.domain_sender_days.find(HistoryData::pair_key(domain, sender));
    if (found == context.data.domain_sender_days.end()) continue;
    const DayMap<DayCounts>& days = found->second;
    for (auto it = days.lower_bound(context.first); it != days.end() && it->first <= context.last;
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
  return row;
}

// Each major sender's rate, and the major senders without a report in the window in one item.
void check_major_senders(const Context& context, std::uint32_t domain, DomainCheck& result) {
  std::vector<std::string> missing;
  for (std::size_t m = 0; m < context.gate.major_senders.size(); ++m) {
    CheckSender row = major_sender_row(context, domain, m);
    if (!row.seen) {
      missing.push_back(row.name);
    } else {
      const Counts counts{row.successful, row.failed};
      const Verdict outcome = rate_outcome(counts, context.gate.max_failure_rate);
      result.items.push_back(CheckItem{
          outcome, "major_sender_rate",
          fmt::format("{}: failure rate {} ({} of {} sessions) {} the limit", row.name,
                      percent(failure_rate(counts)), group_digits(counts.failed),
                      group_digits(counts.successful + counts.failed), within_words(outcome))});
    }
    result.major_senders.push_back(std::move(row));
  }
  if (missing.empty()) return;
  result.items.push_back(CheckItem{
      Verdict::insufficient_data, "major_sender_missing",
      fmt::format("no reports from {} in {}; a major sender's view is needed before enforcing "
                  "(wait, or check that {} reports reach you)",
                  join(missing), context.window_text(), missing.size() == 1 ? "its" : "their")});
}

// Persistent failures still happening that would block mail under enforce, one item per
// (type, MX) naming every sender that reports it. STARTTLS failures seen by one sender only are
// likely on its side (RFC8460.md §3): they do not block.
void check_persistent_failures(const Context& context, std::uint32_t domain,
                               DomainCheck& result) {
  const ReportNames& names = *context.data.names;
  const auto& failures = context.failures[domain];
  const std::int64_t first = context.first * kDay;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::set<std::uint32_t>>
      reporters;  // (type, mx) → senders with it in the window
  for (const auto* entry : failures) {
    if (entry->second.last >= first)
      reporters[{entry->first.type, entry->first.mx}].insert(entry->first.sender);
  }
  struct Group {
    std::vector<std::string> senders;
    std::uint64_t periods = 0;
    std::uint64_t failed = 0;
    std::int64_t last = 0;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;  // (type, mx) → senders
  const std::int64_t recent = std::max(context.first, context.last - 6);  // seen in the last week
  for (const auto* entry : failures) {
    const HistoryData::FailureKey& key = entry->first;
    const HistoryData::FailureAgg& agg = entry->second;
    const std::string& type = names.types.name(key.type);
    if (!blocks_enforce(type) || agg.last < recent * kDay) continue;
    const auto periods = static_cast<std::uint64_t>(
        std::count_if(agg.periods.begin(), agg.periods.end(),
                      [&](const auto& period) { return period.second >= first; }));
    if (periods < context.gate.persistent_periods) continue;
    if (type == "starttls-not-supported" && reporters[{key.type, key.mx}].size() < 2) continue;
    const std::string& sender = names.senders.name(key.sender);
    const std::string& mx = names.mx.name(key.mx);
    result.blocking.push_back(PersistentFailure{sender, type, mx, result.domain, periods, true,
                                                agg.first, agg.last, agg.failed});
    Group& group = groups[{type, mx}];
    group.senders.push_back(sender);
    group.periods = std::max(group.periods, periods);
    group.failed += agg.failed;
    group.last = std::max(group.last, agg.last);
  }
  for (const auto& [key, group] : groups) {
    result.items.push_back(CheckItem{
        Verdict::not_ready, "persistent_failure",
        fmt::format("{} at {}, reported by {} in up to {} report periods, last on {} ({} failed "
                    "sessions): under enforce this mail would not be delivered",
                    key.first, key.second, join(group.senders), group.periods,
                    format_date(group.last), group_digits(group.failed))});
  }
}

DomainCheck check_domain(const Context& context, std::uint32_t domain) {
  DomainCheck result;
  result.domain = context.data.names->domains.name(domain);
  result.newest_end = context.data.domain_last_end[domain];
  const DayMap<DayCounts>& days = context.data.domain_days[domain];
  const DayCounts totals = sum_days(days, context.first, context.last);
  result.successful = totals.successful;
  result.failed = totals.failed;
  for (auto it = days.lower_bound(context.first); it != days.end() && it->first <= context.last;
       ++it) {
    ++result.days_covered;
  }
  if (stale(context, domain, result)) {
    result.verdict = Verdict::insufficient_data;
    return result;
  }
  check_rate_and_days(context, result);
  check_major_senders(context, domain, result);
  check_persistent_failures(context, domain, result);
  std::stable_sort(result.items.begin(), result.items.end(),
                   [](const CheckItem& a, const CheckItem& b) {
                     return verdict_rank(a.outcome) < verdict_rank(b.outcome);
                   });
  result.verdict = result.items.front().outcome;
  return result;
}

}  // namespace

CheckResult check_enforce(const History& history, const GateOptions& gate) {
  const HistoryData& data = history.data();
  CheckResult result;
  result.gate = gate;
  const std::int64_t now = data.now_of(gate.time);
  result.now = now;
  const std::int64_t last = day_of(now);
  const std::int64_t first = last - std::max(1, gate.window_days) + 1;
  result.window_first_day = first;
  result.window_last_day = last;
  if (data.empty()) {
    result.items.push_back(
        CheckItem{Verdict::insufficient_data, "no_reports", nothing_left_text(gate.time)});
    return result;
  }
  result.newest_end = data.newest_end;
  const DayCounts totals = sum_days(data.overall, first, last);
  result.successful = totals.successful;
  result.failed = totals.failed;
  Context context{data, gate, first, last, now, {}, {}};
  context.failures.resize(data.domain_days.size());
  for (const auto* entry : data.failures_by_name())
    context.failures[entry->first.domain].push_back(entry);
  for (const MajorSender& major : gate.major_senders)
    context.majors.push_back(senders_matching(data, major));
  for (const std::uint32_t domain : data.names->domains.by_name()) {
    if (data.names->domains.name(domain) == "(none)") continue;  // no policy domain: no policy
    if (data.domain_days[domain].empty()) continue;  // only in reports with implausible dates
    result.domains.push_back(check_domain(context, domain));
  }
  if (result.domains.empty()) {
    result.items.push_back(
        CheckItem{Verdict::insufficient_data, "no_policy_domain",
                  "no report names a policy domain: there is no MTA-STS policy to judge"});
    return result;
  }
  result.verdict = Verdict::ready;
  for (const DomainCheck& domain : result.domains) result.verdict = worse(result.verdict, domain.verdict);
  return result;
}

}  // namespace tlsrpt
