// The application layer's first step: reports from a source into a tally, with the filters, the
// authentication rule and the plausible-date rule; and what to say about what was left out.
#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/app.hpp"
#include "tlsrpt/dates.hpp"
#include "tlsrpt/progress.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

ReportSource input_files(std::vector<std::string> paths, const ReadOptions& read,
                         std::istream& in) {
  return [paths = std::move(paths), limits = read.limits, jobs = read.jobs,
          &in](const PipelineSinks& sinks) { run_pipeline(paths, limits, in, sinks, jobs); };
}

namespace {

// The names a --domain or --sender value is compared with, recorded before any filter.
void see(SeenNames& seen, const Report& report, std::string& scratch) {
  seen.senders.id(sender_label(report));
  if (!report.contact_info.empty()) seen.contacts.id(lowercase_view(report.contact_info, scratch));
  for (const Policy& policy : report.policies) seen.domains.id(domain_label(policy, scratch));
}

Diagnostic implausible_date_warning(const DecodedReport& decoded) {
  const DateRange& range = decoded.report.date_range;
  return Diagnostic{
      Severity::warning, decoded.file, decoded.where,
      fmt::format("the period {} to {} is implausible (before 2016, or more than a week after "
                  "now): counted in the totals, left out of the per-day tables, trend, alerts "
                  "and check",
                  format_rfc3339(range.start), format_rfc3339(range.end)),
      "implausible_date"};
}

// Receives the source's events: reports into the tally, diagnostics onto stderr as they happen.
class Collector {
 public:
  Collector(const ReadOptions& read, std::int64_t now, std::ostream& err,
            const std::function<void(const DecodedReport&)>& counted)
      : read_(read), now_(now), err_(err), counted_(counted), progress_(err, read.progress) {}

  PipelineSinks sinks() {
    return PipelineSinks{[this](DecodedReport&& decoded) { report(std::move(decoded)); },
                         [this](Diagnostic&& diagnostic) { this->diagnostic(std::move(diagnostic)); },
                         [this](const std::string&) { progress_.file(); }};
  }
  Collected take() { return std::move(collected_); }

 private:
  void report(DecodedReport&& decoded) {
    progress_.report();
    const ReportFilter& filter = read_.filter;
    if (!filter.domains.empty() || !filter.senders.empty())
      see(collected_.seen, decoded.report, scratch_);
    FilterMiss miss = FilterMiss::none;
    if (!apply_filter(filter, decoded.report, &miss)) {
      collected_.left_out.filtered.add(miss);
      return;
    }
    if (read_.authenticated_only && decoded.provenance.dkim != DkimVerdict::pass) {
      ++collected_.left_out.unauthenticated;
      return;
    }
    const bool dated = plausible_period(decoded.report.date_range, now_);
    Tally& tally = collected_.tally;
    if (!tally.add(decoded.report, join_where(decoded.file, decoded.where),
                   decoded.provenance.dkim, decoded.provenance.tls_report_submitter,
                   &decoded.identity, dated)) {
      return;  // a duplicate: its quirks are not counted twice
    }
    if (!dated) decoded.warnings.push_back(implausible_date_warning(decoded));
    if (counted_) counted_(decoded);
    if (!decoded.warnings.empty()) tally.add_report_with_warnings();
    for (Diagnostic& warning : decoded.warnings) diagnostic(std::move(warning));
  }

  void diagnostic(Diagnostic&& diagnostic) {
    if (diagnostic.severity == Severity::error) progress_.error();
    if (diagnostic.severity == Severity::error || read_.verbose)
      err_ << progress_.clear_line() << format_diagnostic_line(diagnostic) << '\n';
    collected_.tally.add_diagnostic(std::move(diagnostic));
  }

  const ReadOptions& read_;
  std::int64_t now_;
  std::ostream& err_;
  const std::function<void(const DecodedReport&)>& counted_;
  Progress progress_;
  Collected collected_;
  std::string scratch_;
};

// Edit distance of two short texts (bytes), for "closest first"; with `within`, of `a` to the
// closest part of `b` (a --sender value matches part of a name).
std::size_t distance(std::string_view a, std::string_view b, bool within) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = within ? 0 : j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return within ? *std::min_element(row.begin(), row.end()) : row[b.size()];
}

// "a.example, b.example and 12 more", the names closest to `value` first.
std::string closest(const NameTable& names, std::string_view value, bool within) {
  constexpr std::size_t kListed = 8;
  constexpr std::size_t kCompared = 256;  // characters: names are short, reports may not be
  std::vector<std::pair<std::size_t, std::string_view>> ranked;
  for (std::uint32_t id = 0; id < names.size(); ++id) {
    const std::string_view name = names.name(id);
    ranked.emplace_back(
        distance(value.substr(0, kCompared), lowercase(name.substr(0, kCompared)), within),
        name);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string_view> listed;
  for (std::size_t i = 0; i < ranked.size() && i < kListed; ++i) listed.push_back(ranked[i].second);
  return fmt::format("{}{}", fmt::join(listed, ", "),
                     ranked.size() > kListed ? fmt::format(" and {} more", ranked.size() - kListed)
                                             : std::string());
}

bool sender_seen(const SeenNames& seen, const std::string& value) {
  for (const NameTable* table : {&seen.senders, &seen.contacts}) {
    for (std::uint32_t id = 0; id < table->size(); ++id) {
      if (lowercase(table->name(id)).find(value) != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace

Collected collect(const ReportSource& source, const ReadOptions& read, std::int64_t now,
                  std::ostream& err, const std::function<void(const DecodedReport&)>& counted) {
  Collector collector(read, now, err, counted);
  source(collector.sinks());
  return collector.take();
}

void check_filter_matched(const ReportFilter& filter, const SeenNames& seen) {
  if (seen.senders.size() == 0) return;  // nothing read: the verdict says "no reports"
  for (const std::string& domain : filter.domains) {
    if (seen.domains.find(domain) >= 0) continue;
    throw UsageError(fmt::format(
        "--domain {} matches no report read; the policy domains in them are, closest first: {}",
        domain, closest(seen.domains, domain, false)));
  }
  for (const std::string& sender : filter.senders) {
    if (sender_seen(seen, sender)) continue;
    throw UsageError(fmt::format(
        "--sender {} matches no report read (neither organization-name nor contact-info); the "
        "senders in them are, closest first: {}",
        sender, closest(seen.senders, sender, true)));
  }
}

}  // namespace tlsrpt
