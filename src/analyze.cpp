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

Tally::Seen& Tally::seen_slot(const std::uint32_t (&key)[3]) {
  if (seen_.empty()) seen_.resize(1024);
  const std::size_t mask = seen_.size() - 1;
  for (std::size_t at = key[0] & mask;; at = (at + 1) & mask) {
    Seen& slot = seen_[at];
    if (slot.name == 0 || std::equal(key, key + 3, slot.key)) return slot;
  }
}

std::string Tally::seen_source(const Seen& seen) const {
  std::uint32_t directory = 0;
  auto at = names_.begin() + seen.name;
  std::copy_n(at, sizeof directory, reinterpret_cast<char*>(&directory));
  std::string source = directories_.name(directory);
  for (at += sizeof directory; *at != '\0'; ++at) source += *at;
  return source;
}

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

  const ReportIdentity identity = known_identity ? *known_identity : identify(report);
  const std::uint32_t(&key)[3] = identity.key;
  const std::uint32_t print = identity.fingerprint;
  Seen& slot = seen_slot(key);
  if (slot.name != 0) {
    ++duplicates_;
    if (slot.fingerprint != print) {
      ++conflicting_duplicates_;
      add_diagnostic(Diagnostic{
          Severity::warning, file, "",
          fmt::format("conflicting duplicate: same organization-name, report-id and date-range as "
                      "{}, but different content; only the first one read is counted",
                      seen_source(slot)),
          "conflicting_duplicate"});
    } else {
      add_diagnostic(Diagnostic{Severity::note, file, "",
                                fmt::format("duplicate of {}; counted once", seen_source(slot)),
                                "duplicate"});
    }
    return false;
  }
  if (names_.size() > UINT32_MAX - file.size() - 8) {
    throw InputError("", "too many reports to tell duplicates apart (4 GiB of file names)");
  }
  std::copy(std::begin(key), std::end(key), slot.key);
  slot.fingerprint = print;
  slot.name = static_cast<std::uint32_t>(names_.size());
  const std::size_t slash = file.rfind('/') + 1;  // 0 when there is none
  const std::uint32_t directory = directories_.id(std::string_view(file).substr(0, slash));
  const auto* directory_bytes = reinterpret_cast<const char*>(&directory);
  names_.insert(names_.end(), directory_bytes, directory_bytes + sizeof directory);
  names_.insert(names_.end(), file.begin() + static_cast<std::ptrdiff_t>(slash), file.end());
  names_.push_back('\0');
  if (++seen_count_ * 4 > seen_.size() * 3) {  // grow: re-insert every entry into twice the room
    std::vector<Seen> old(seen_.size() * 2);
    old.swap(seen_);
    for (const Seen& entry : old) {
      if (entry.name != 0) seen_slot(entry.key) = entry;
    }
  }
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
  const NameTable& sender_names = report_names_->senders;
  const NameTable& domain_names = report_names_->domains;
  std::size_t next_type = 0;
  Counts report_counts;
  // Policy types and domains already counted for this report (a report has a few policies).
  std::vector<std::uint32_t>& report_types = report_types_;
  std::vector<std::uint32_t>& report_domains = report_domains_;
  report_types.clear();
  report_domains.clear();
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    const std::uint32_t type_id = policy_type_names_.id(policy_type_label(policy));
    if (type_id == policy_types_.size()) {
      policy_types_.push_back(CountsRow{policy_type_names_.name(type_id), {}, 0});
    }
    add_counts(policy_types_[type_id], counts);
    if (std::find(report_types.begin(), report_types.end(), type_id) == report_types.end()) {
      report_types.push_back(type_id);
      ++policy_types_[type_id].reports;
    }
    if (!counted[i]) continue;

    const std::uint32_t domain = ids_.domains[i];
    if (domain == domains_.size()) domains_.push_back(CountsRow{domain_names.name(domain), {}, 0});
    add_counts(domains_[domain], counts);
    if (std::find(report_domains.begin(), report_domains.end(), domain) == report_domains.end()) {
      report_domains.push_back(domain);
      ++domains_[domain].reports;
    }
    report_counts.successful += counts.successful;
    report_counts.failed += counts.failed;

    for (const FailureDetail& detail : policy.failure_details) {
      const std::uint32_t type = ids_.types[next_type++];
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
  }
  const std::uint32_t sender = ids_.sender;
  if (sender == senders_.size()) senders_.push_back(CountsRow{sender_names.name(sender), {}, 0});
  add_counts(senders_[sender], report_counts);
  ++senders_[sender].reports;
  totals_.successful += report_counts.successful;
  totals_.failed += report_counts.failed;
  return true;
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
