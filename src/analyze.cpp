#include "tlsrpt/analyze.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

bool checked_add(std::uint64_t& total, std::uint64_t value) {
  return !__builtin_add_overflow(total, value, &total);
}

// FNV-1a over the content that makes two copies of one report the same.
class Fingerprint {
 public:
  void add(std::string_view text) {
    for (const char c : text) mix(static_cast<unsigned char>(c));
    mix(0xff);
  }
  void add(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(value >> (8 * i)));
  }
  std::uint64_t value() const { return hash_; }

 private:
  void mix(unsigned char byte) {
    hash_ ^= byte;
    hash_ *= 1099511628211ull;
  }
  std::uint64_t hash_ = 14695981039346656037ull;
};

std::uint64_t fingerprint(const Report& report) {
  Fingerprint print;
  print.add(report.contact_info);
  for (const Policy& policy : report.policies) {
    print.add(policy.policy_type_text);
    print.add(policy.policy_domain);
    for (const std::string& line : policy.policy_string) print.add(line);
    print.add(policy.total_successful_session_count);
    print.add(policy.total_failure_session_count);
    for (const FailureDetail& detail : policy.failure_details) {
      print.add(detail.result_type_text);
      print.add(detail.sending_mta_ip);
      print.add(detail.receiving_mx_hostname);
      print.add(detail.receiving_ip);
      print.add(detail.failed_session_count);
      print.add(detail.failure_reason_code);
    }
  }
  return print.value();
}

std::string policy_type_label(const Policy& policy) {
  if (policy.policy_type != PolicyType::unknown)
    return std::string(policy_type_name(policy.policy_type));
  return policy.policy_type_text.empty() ? "(missing)" : policy.policy_type_text;
}

void add_counts(CountsRow& row, const std::string& name, const Counts& counts) {
  row.name = name;
  row.counts.successful += counts.successful;
  row.counts.failed += counts.failed;
}

std::vector<CountsRow> sorted_rows(const std::map<std::string, CountsRow>& rows) {
  std::vector<CountsRow> result;
  result.reserve(rows.size());
  for (const auto& [name, row] : rows) result.push_back(row);
  std::stable_sort(result.begin(), result.end(), [](const CountsRow& a, const CountsRow& b) {
    if (a.counts.failed != b.counts.failed) return a.counts.failed > b.counts.failed;
    return a.counts.successful + a.counts.failed > b.counts.successful + b.counts.failed;
  });
  return result;
}

template <typename Map>
std::vector<std::pair<std::string, std::uint64_t>> sorted_counts(const Map& counts) {
  std::vector<std::pair<std::string, std::uint64_t>> result(counts.begin(), counts.end());
  std::stable_sort(result.begin(), result.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return result;
}

void keep(std::vector<Diagnostic>& list, std::uint64_t& total, Diagnostic diagnostic) {
  ++total;
  if (list.size() < kMaxListedDiagnostics) list.push_back(std::move(diagnostic));
}

}  // namespace

double failure_rate(const Counts& counts) {
  const double sessions =
      static_cast<double>(counts.successful) + static_cast<double>(counts.failed);
  return sessions == 0 ? 0.0 : static_cast<double>(counts.failed) / sessions;
}

std::vector<bool> counted_policies(const Report& report) {
  std::vector<bool> counted(report.policies.size(), true);
  struct Group {
    std::uint64_t sts = 0, tlsa = 0;
    bool has_sts = false, has_tlsa = false;
  };
  std::map<std::string, Group> groups;
  for (const Policy& policy : report.policies) {
    const std::uint64_t sessions =
        policy.total_successful_session_count + policy.total_failure_session_count;
    Group& group = groups[lowercase(policy.policy_domain)];
    if (policy.policy_type == PolicyType::sts) {
      group.has_sts = true;
      group.sts += sessions;
    } else if (policy.policy_type == PolicyType::tlsa) {
      group.has_tlsa = true;
      group.tlsa += sessions;
    }
  }
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const Group& group = groups[lowercase(policy.policy_domain)];
    if (!group.has_sts || !group.has_tlsa) continue;
    // Microsoft lists the same sessions under tlsa and under sts: count the larger view once,
    // sts on a tie.
    const bool tlsa_wins = group.tlsa > group.sts;
    if (policy.policy_type == PolicyType::sts && tlsa_wins) counted[i] = false;
    if (policy.policy_type == PolicyType::tlsa && !tlsa_wins) counted[i] = false;
  }
  return counted;
}

bool Tally::add(const Report& report, const std::string& file, DkimVerdict dkim,
                const std::string& submitter) {
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

  const std::string key =
      fmt::format("{}\x1f{}\x1f{}\x1f{}", report.organization_name, report.report_id,
                  report.date_range.start, report.date_range.end);
  const std::uint64_t print = fingerprint(report);
  if (const auto it = seen_.find(key); it != seen_.end()) {
    ++duplicates_;
    if (it->second.fingerprint != print) {
      ++conflicting_duplicates_;
      add_diagnostic(Diagnostic{
          Severity::warning, file, "",
          fmt::format("conflicting duplicate: same organization-name, report-id and date-range as "
                      "{}, but different content; only the first one read is counted",
                      it->second.file),
          "conflicting_duplicate"});
    } else {
      add_diagnostic(Diagnostic{Severity::note, file, "",
                                fmt::format("duplicate of {}; counted once", it->second.file),
                                "duplicate"});
    }
    return false;
  }
  seen_.emplace(key, Seen{print, file});
  raw_sessions_ = raw;
  ++reports_;
  ++dkim_[static_cast<std::size_t>(dkim)];

  if (!span_) {
    span_ = report.date_range;
  } else {
    span_->start = std::min(span_->start, report.date_range.start);
    span_->end = std::max(span_->end, report.date_range.end);
  }

  const std::string sender = sender_label(report);
  const std::vector<bool> counted = counted_policies(report);
  history_.add(report, counted, submitter);
  Counts report_counts;
  std::set<std::string> report_domains;
  std::set<std::string> report_types;
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    const std::string type_label = policy_type_label(policy);
    add_counts(policy_types_[type_label], type_label, counts);
    if (report_types.insert(type_label).second) ++policy_types_[type_label].reports;
    if (!counted[i]) continue;

    const std::string domain = domain_label(policy);
    add_counts(domains_[domain], domain, counts);
    if (report_domains.insert(domain).second) ++domains_[domain].reports;
    report_counts.successful += counts.successful;
    report_counts.failed += counts.failed;

    for (const FailureDetail& detail : policy.failure_details) {
      const std::string type = result_type_label(detail);
      TypeAgg& agg = types_[type];
      agg.known = detail.result_type != ResultType::unknown;
      agg.type = detail.result_type;
      agg.failed += detail.failed_session_count;
      agg.reasons[detail.failure_reason_code] += detail.failed_session_count;
      failed_itemized_ += detail.failed_session_count;
      const auto add_host = [&](std::map<std::string, HostAgg>& hosts, const std::string& host) {
        HostAgg& host_agg = hosts[host.empty() ? "(not given)" : lowercase(host)];
        host_agg.failed += detail.failed_session_count;
        host_agg.types[type] += detail.failed_session_count;
      };
      add_host(mx_hosts_, detail.receiving_mx_hostname);
      add_host(receiving_ips_, detail.receiving_ip);
      add_host(sending_ips_, detail.sending_mta_ip);
    }
  }
  add_counts(senders_[sender], sender, report_counts);
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

Summary Tally::finish(const HistoryOptions& options) const {
  Summary summary;
  summary.history = history_.finish(options);
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
  summary.senders = sorted_rows(senders_);
  summary.domains = sorted_rows(domains_);
  summary.policy_types = sorted_rows(policy_types_);
  for (const auto& [name, agg] : types_) {
    const Remedy remedy = remedy_for(agg.type);
    FailureTypeRow row;
    row.result_type = name;
    row.known = agg.known;
    row.failed = agg.failed;
    row.share = failed_itemized_ == 0
                    ? 0.0
                    : static_cast<double>(agg.failed) / static_cast<double>(failed_itemized_);
    row.hint_id = remedy.id;
    row.meaning = remedy.meaning;
    row.action = remedy.action;
    for (const auto& [code, failed] : sorted_counts(agg.reasons)) {
      row.reasons.push_back(ReasonRow{code, failed, remedy_for(agg.type, code).id});
    }
    summary.failure_types.push_back(std::move(row));
  }
  std::stable_sort(
      summary.failure_types.begin(), summary.failure_types.end(),
      [](const FailureTypeRow& a, const FailureTypeRow& b) { return a.failed > b.failed; });
  const auto hosts = [](const std::map<std::string, HostAgg>& map) {
    std::vector<HostRow> rows;
    for (const auto& [host, agg] : map)
      rows.push_back(HostRow{host, agg.failed, sorted_counts(agg.types)});
    std::stable_sort(rows.begin(), rows.end(),
                     [](const HostRow& a, const HostRow& b) { return a.failed > b.failed; });
    return rows;
  };
  summary.receiving_mx_hosts = hosts(mx_hosts_);
  summary.receiving_ips = hosts(receiving_ips_);
  summary.sending_ips = hosts(sending_ips_);
  summary.errors = errors_;
  summary.warnings = warnings_;
  summary.notes = notes_;
  summary.errors_total = errors_total_;
  summary.warnings_total = warnings_total_;
  summary.notes_total = notes_total_;
  for (const auto& [code, group] : warning_groups_) summary.warning_groups.push_back(group);
  std::stable_sort(summary.warning_groups.begin(), summary.warning_groups.end(),
                   [](const WarningGroup& a, const WarningGroup& b) { return a.count > b.count; });
  return summary;
}

}  // namespace tlsrpt
