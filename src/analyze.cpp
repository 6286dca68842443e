#include "tlsrpt/analyze.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

bool checked_add(std::uint64_t& total, std::uint64_t value) {
  return !__builtin_add_overflow(total, value, &total);
}

void add_counts(CountsRow& row, const Counts& counts) {
  row.counts.successful += counts.successful;
  row.counts.failed += counts.failed;
}

// Rows by failed sessions, then by sessions, descending; ties in name order.
std::vector<CountsRow> sorted_rows(const NameTable& names, const std::vector<CountsRow>& rows) {
  std::vector<CountsRow> result;
  result.reserve(rows.size());
  for (const std::uint32_t id : names.by_name()) result.push_back(rows[id]);
  std::stable_sort(result.begin(), result.end(), [](const CountsRow& a, const CountsRow& b) {
    if (a.counts.failed != b.counts.failed) return a.counts.failed > b.counts.failed;
    return a.counts.successful + a.counts.failed > b.counts.successful + b.counts.failed;
  });
  return result;
}

// (name, count) by count, descending; ties in name order.
std::vector<std::pair<std::string, std::uint64_t>> sorted_counts(
    std::vector<std::pair<std::string, std::uint64_t>> counts) {
  std::sort(counts.begin(), counts.end());
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return counts;
}

void keep(std::vector<Diagnostic>& list, std::uint64_t& total, Diagnostic diagnostic) {
  ++total;
  if (list.size() < kMaxListedDiagnostics) list.push_back(std::move(diagnostic));
}

}  // namespace

void Tally::add_host(StringMap<HostAgg>& hosts, std::string_view host, std::uint32_t type,
                     std::uint64_t failed) {
  const std::string_view name = host.empty() ? "(not given)" : lowercase_view(host, scratch_);
  auto it = hosts.find(name);
  if (it == hosts.end()) it = hosts.emplace(std::string(name), HostAgg{}).first;
  HostAgg& agg = it->second;
  agg.failed += failed;
  const auto found = std::find_if(agg.types.begin(), agg.types.end(),
                                  [&](const auto& entry) { return entry.first == type; });
  if (found == agg.types.end()) {
    agg.types.emplace_back(type, failed);
  } else {
    found->second += failed;
  }
}

bool Tally::add(const Report& report, const std::string& file, DkimVerdict dkim,
                const std::string& submitter, const ReportIdentity* known_identity, bool dated) {
  const std::uint64_t raw = checked_sessions(report);
  const ReportIdentity identity = known_identity ? *known_identity : identify(report);
  if (duplicate(identity, file)) return false;
  dedup_.add(identity, file);
  raw_sessions_ = raw;
  ++reports_;
  ++dkim_[static_cast<std::size_t>(dkim)];
  if (!span_) {
    span_ = report.date_range;
  } else {
    span_->start = std::min(span_->start, report.date_range.start);
    span_->end = std::max(span_->end, report.date_range.end);
  }
  const std::vector<bool> counted = counted_policies(report);
  history_.add(report, counted, submitter, &ids_, dated);  // names to ids, once for both
  Counts report_counts;
  std::size_t next_type = 0;
  report_types_.clear();
  report_domains_.clear();
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    add_policy_type(policy);
    if (!counted[i]) continue;
    add_domain(policy, ids_.domains[i]);
    report_counts.successful += policy.total_successful_session_count;
    report_counts.failed += policy.total_failure_session_count;
    for (const FailureDetail& detail : policy.failure_details)
      add_detail(detail, ids_.types[next_type++]);
  }
  const std::uint32_t sender = ids_.sender;
  if (sender == senders_.size())
    senders_.push_back(CountsRow{report_names_->senders.name(sender), {}, 0});
  add_counts(senders_[sender], report_counts);
  ++senders_[sender].reports;
  totals_.successful += report_counts.successful;
  totals_.failed += report_counts.failed;
  return true;
}

std::uint64_t Tally::checked_sessions(const Report& report) const {
  // Every count goes into raw_sessions_; when that cannot overflow, no narrower sum can.
  std::uint64_t raw = raw_sessions_;
  for (const Policy& policy : report.policies) {
    bool ok = checked_add(raw, policy.total_successful_session_count) &&
              checked_add(raw, policy.total_failure_session_count);
    for (const FailureDetail& detail : policy.failure_details) {
      ok = ok && checked_add(raw, detail.failed_session_count);
    }
    if (!ok) {
      throw InputError("", "session counts would overflow the 64-bit totals; report not counted");
    }
  }
  return raw;
}

bool Tally::duplicate(const ReportIdentity& identity, const std::string& file) {
  const std::optional<SeenReport> seen = dedup_.find(identity);
  if (!seen) return false;
  ++duplicates_;
  if (seen->fingerprint != identity.fingerprint) {
    ++conflicting_duplicates_;
    add_diagnostic(Diagnostic{
        Severity::warning, file, "",
        fmt::format("conflicting duplicate: same organization-name, report-id and date-range as "
                    "{}, but different content; only the first one read is counted",
                    seen->source),
        "conflicting_duplicate"});
  } else {
    add_diagnostic(Diagnostic{Severity::note, file, "",
                              fmt::format("duplicate of {}; counted once", seen->source),
                              "duplicate"});
  }
  return true;
}

void Tally::add_policy_type(const Policy& policy) {
  const std::uint32_t type = policy_type_names_.id(policy_type_label(policy));
  if (type == policy_types_.size())
    policy_types_.push_back(CountsRow{policy_type_names_.name(type), {}, 0});
  add_counts(policy_types_[type],
             Counts{policy.total_successful_session_count, policy.total_failure_session_count});
  // Policy types and domains are counted once per report (a report has a few policies).
  if (std::find(report_types_.begin(), report_types_.end(), type) == report_types_.end()) {
    report_types_.push_back(type);
    ++policy_types_[type].reports;
  }
}

void Tally::add_domain(const Policy& policy, std::uint32_t domain) {
  if (domain == domains_.size())
    domains_.push_back(CountsRow{report_names_->domains.name(domain), {}, 0});
  add_counts(domains_[domain],
             Counts{policy.total_successful_session_count, policy.total_failure_session_count});
  if (std::find(report_domains_.begin(), report_domains_.end(), domain) == report_domains_.end()) {
    report_domains_.push_back(domain);
    ++domains_[domain].reports;
  }
}

void Tally::add_detail(const FailureDetail& detail, std::uint32_t type) {
  if (type == types_.size()) types_.emplace_back();
  TypeAgg& agg = types_[type];
  const std::uint64_t failed = detail.failed_session_count;
  agg.known = detail.result_type != ResultType::unknown;
  agg.type = detail.result_type;
  agg.failed += failed;
  if (auto reason = agg.reasons.find(detail.failure_reason_code); reason != agg.reasons.end()) {
    reason->second += failed;
  } else {
    agg.reasons.emplace(detail.failure_reason_code, failed);
  }
  failed_itemized_ += failed;
  add_host(mx_hosts_, detail.receiving_mx_hostname, type, failed);
  add_host(receiving_ips_, detail.receiving_ip, type, failed);
  add_host(sending_ips_, detail.sending_mta_ip, type, failed);
}

void Tally::add_diagnostic(Diagnostic diagnostic) {
  switch (diagnostic.severity) {
    case Severity::error:
      keep(errors_, errors_total_, std::move(diagnostic));
      break;
    case Severity::warning: {
      WarningGroup& group = warning_groups_[diagnostic.code];
      if (group.count++ == 0) {
        group.code = diagnostic.code;
        group.example = diagnostic;
      }
      keep(warnings_, warnings_total_, std::move(diagnostic));
      break;
    }
    case Severity::note:
      if (diagnostic.code == "not_a_report") ++not_reports_;
      keep(notes_, notes_total_, std::move(diagnostic));
      break;
  }
}

Summary Tally::finish(const GateOptions& gate, const SeriesOptions& series) const {
  Summary summary = finish_counts(gate, series);
  summary.errors = errors_;
  summary.warnings = warnings_;
  summary.notes = notes_;
  return summary;
}

Summary Tally::take_summary(const GateOptions& gate, const SeriesOptions& series) {
  Summary summary = finish_counts(gate, series);
  summary.errors = std::exchange(errors_, {});
  summary.warnings = std::exchange(warnings_, {});
  summary.notes = std::exchange(notes_, {});
  return summary;
}

Summary Tally::finish_counts(const GateOptions& gate, const SeriesOptions& series) const {
  Summary summary;
  summary.history = summarize_history(history_, gate, series);
  summary.check = check_enforce(history_, gate);
  summary.reports = reports_;
  summary.duplicates = duplicates_;
  summary.conflicting_duplicates = conflicting_duplicates_;
  summary.not_reports = not_reports_;
  summary.dkim_none = dkim_[static_cast<std::size_t>(DkimVerdict::none)];
  summary.dkim_pass = dkim_[static_cast<std::size_t>(DkimVerdict::pass)];
  summary.dkim_fail = dkim_[static_cast<std::size_t>(DkimVerdict::fail)];
  summary.span = span_;
  summary.totals = totals_;
  summary.failed_itemized = failed_itemized_;
  summary.senders = sorted_rows(report_names_->senders, senders_);
  summary.domains = sorted_rows(report_names_->domains, domains_);
  summary.policy_types = sorted_rows(policy_type_names_, policy_types_);
  const NameTable& type_names = report_names_->types;
  for (const std::uint32_t id : type_names.by_name()) {
    const TypeAgg& agg = types_[id];
    const Remedy remedy = remedy_for(agg.type);
    FailureTypeRow row;
    row.result_type = type_names.name(id);
    row.known = agg.known;
    row.failed = agg.failed;
    row.share = failed_itemized_ == 0
                    ? 0.0
                    : static_cast<double>(agg.failed) / static_cast<double>(failed_itemized_);
    row.hint_id = remedy.id;
    row.meaning = remedy.meaning;
    row.action = remedy.action;
    for (const auto& [code, failed] : sorted_counts({agg.reasons.begin(), agg.reasons.end()})) {
      row.reasons.push_back(ReasonRow{code, failed, remedy_for(agg.type, code).id});
    }
    summary.failure_types.push_back(std::move(row));
  }
  std::stable_sort(
      summary.failure_types.begin(), summary.failure_types.end(),
      [](const FailureTypeRow& a, const FailureTypeRow& b) { return a.failed > b.failed; });
  const auto hosts = [&type_names](const StringMap<HostAgg>& map) {
    std::vector<HostRow> rows;
    rows.reserve(map.size());
    for (const auto& [host, agg] : map) {
      std::vector<std::pair<std::string, std::uint64_t>> types;
      for (const auto& [type, failed] : agg.types)
        types.emplace_back(type_names.name(type), failed);
      rows.push_back(HostRow{host, agg.failed, sorted_counts(std::move(types))});
    }
    std::sort(rows.begin(), rows.end(),
              [](const HostRow& a, const HostRow& b) { return a.host < b.host; });
    std::stable_sort(rows.begin(), rows.end(),
                     [](const HostRow& a, const HostRow& b) { return a.failed > b.failed; });
    return rows;
  };
  summary.receiving_mx_hosts = hosts(mx_hosts_);
  summary.receiving_ips = hosts(receiving_ips_);
  summary.sending_ips = hosts(sending_ips_);
  summary.errors_total = errors_total_;
  summary.warnings_total = warnings_total_;
  summary.notes_total = notes_total_;
  summary.reports_with_warnings = reports_with_warnings_;
  for (const auto& [code, group] : warning_groups_) summary.warning_groups.push_back(group);
  std::stable_sort(summary.warning_groups.begin(), summary.warning_groups.end(),
                   [](const WarningGroup& a, const WarningGroup& b) { return a.count > b.count; });
  return summary;
}

}  // namespace tlsrpt
