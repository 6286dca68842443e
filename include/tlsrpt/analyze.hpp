// Aggregation: each decoded report is added to a Tally and dropped, so memory grows with the
// number of distinct senders, domains, hosts and dedup keys, never with report bodies.
// finish() turns the Tally into a Summary ready to render.
//
// Counting rules (RFC8460.md §2, §5; docs/totals.md):
// - a policy's summary counts are its totals; failure-detail sums are checked, not substituted;
// - policies of one report add up, except that for one policy domain a `tlsa` group and an `sts`
//   group describe the same sessions (Microsoft): only the group with more sessions counts;
//   the per-policy-type view still shows both;
// - a report whose organization-name + report-id + date-range was seen before is a duplicate:
//   the first one read counts; a duplicate with different counts is flagged as conflicting.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tlsrpt/dedup.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/filter.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/intern.hpp"
#include "tlsrpt/decoded_report.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

// Individual diagnostics kept for the summary; past this they are only counted.
inline constexpr std::size_t kMaxListedDiagnostics = 1000;

struct CountsRow {
  std::string name;
  Counts counts;
  std::uint64_t reports = 0;
};

struct ReasonRow {
  std::string failure_reason_code;  // "" when the details carried none
  std::uint64_t failed = 0;
  std::string_view hint_id;
};

struct FailureTypeRow {
  std::string result_type;  // wire name, or the verbatim text of an unknown type
  bool known = true;
  std::uint64_t failed = 0;
  double share = 0;  // of all itemized failures
  std::string_view hint_id;
  std::string_view meaning;
  std::string_view action;
  std::vector<ReasonRow> reasons;  // by failed, descending
};

// A receiving MX host, receiving IP or sending IP, with the failure types seen there.
struct HostRow {
  std::string host;
  std::uint64_t failed = 0;
  std::vector<std::pair<std::string, std::uint64_t>> result_types;  // by count, descending
};

struct WarningGroup {
  std::string code;
  std::uint64_t count = 0;
  Diagnostic example;
};

struct Summary {
  std::uint64_t reports = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t conflicting_duplicates = 0;
  std::uint64_t not_reports = 0;
  // Counted reports by the receiving server's DKIM verdict for the submitter (none: no
  // Authentication-Results, e.g. a plain report file).
  std::uint64_t dkim_pass = 0;
  std::uint64_t dkim_fail = 0;
  std::uint64_t dkim_none = 0;
  // Reports left out by --authenticated-only and by the filters (set by the caller), and a
  // sentence saying which filters left how many out ("" when none did).
  std::uint64_t left_out_unauthenticated = 0;
  FilterCounts left_out_by_filter;
  std::string left_out_text;
  std::optional<DateRange> span;
  Counts totals;
  std::uint64_t failed_itemized = 0;  // sum of failure-detail counts that were counted
  std::vector<CountsRow> senders;
  std::vector<CountsRow> domains;
  std::vector<CountsRow> policy_types;
  std::vector<FailureTypeRow> failure_types;
  std::vector<HostRow> receiving_mx_hosts;
  std::vector<HostRow> receiving_ips;
  std::vector<HostRow> sending_ips;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> notes;
  std::uint64_t errors_total = 0;
  std::uint64_t warnings_total = 0;
  std::uint64_t notes_total = 0;
  std::vector<WarningGroup> warning_groups;  // by count, descending
  HistorySummary history;                    // per day, trend, persistent failures, alerts
  std::uint64_t reports_with_warnings = 0;   // counted reports with at least one quirk
  CheckResult check;                         // the enforce verdicts, by the same gate
};

class Tally {
 public:
  // Adds one decoded report; `source` names it in diagnostics ("file: message 3: part 2").
  // Returns false (and records nothing but a note or a conflict warning) when it is a duplicate.
  // Throws InputError when adding would overflow a 64-bit total; the tally is then unchanged.
  // `submitter` is the TLS-Report-Submitter of a mailed report ("" otherwise), used to recognise
  // major senders.
  // `identity`, when given, is identify(report), worked out already (on a decoding thread).
  // `dated` false: the report's dates are implausible; it counts in the totals but stays out of
  // the history (History::add).
  bool add(const Report& report, const std::string& source, DkimVerdict dkim = DkimVerdict::none,
           const std::string& submitter = "", const ReportIdentity* identity = nullptr,
           bool dated = true);
  void add_diagnostic(Diagnostic diagnostic);

  // The summary and every view of the history, judged by `gate`.
  Summary finish(const GateOptions& gate = {}, const SeriesOptions& series = {}) const;
  // The same, but the listed errors, warnings and notes (up to 1,000 each, with their texts) are
  // moved into the summary instead of copied, and the tally's lists are left empty; the counts
  // and the history stay.
  Summary take_summary(const GateOptions& gate = {}, const SeriesOptions& series = {});
  // Errors recorded so far (without building a Summary).
  std::uint64_t errors_total() const { return errors_total_; }
  // Reports counted so far (duplicates not included).
  std::uint64_t reports_total() const { return reports_; }
  // Counts a counted report that had format quirks (its warnings are added one by one).
  void add_report_with_warnings() { ++reports_with_warnings_; }
  // The time-based view of the reports added (for `check`).
  const History& history() const { return history_; }
  // What telling duplicates apart holds, in bytes (the one structure that grows with reports).
  std::size_t dedup_bytes() const { return dedup_.bytes(); }

 private:
  struct TypeAgg {
    bool known = true;
    ResultType type = ResultType::unknown;
    std::uint64_t failed = 0;
    StringMap<std::uint64_t> reasons;
  };
  struct HostAgg {
    std::uint64_t failed = 0;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> types;  // (type id, failed)
  };
  // finish() but the listed diagnostics.
  Summary finish_counts(const GateOptions& gate, const SeriesOptions& series) const;
  // The parts of add(): the overflow check (the new raw total, or InputError), the duplicate
  // check (true, with its diagnostic, when the report was seen), and the counts.
  std::uint64_t checked_sessions(const Report& report) const;
  bool duplicate(const ReportIdentity& identity, const std::string& file);
  void add_policy_type(const Policy& policy);
  void add_domain(const Policy& policy, std::uint32_t domain);
  void add_detail(const FailureDetail& detail, std::uint32_t type);
  void add_host(StringMap<HostAgg>& hosts, std::string_view host, std::uint32_t type,
                std::uint64_t failed);

  std::uint64_t reports_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t conflicting_duplicates_ = 0;
  std::uint64_t not_reports_ = 0;
  std::array<std::uint64_t, 3> dkim_{};  // by DkimVerdict
  std::optional<DateRange> span_;
  Counts totals_;
  std::uint64_t failed_itemized_ = 0;
  // Every count added, before the tlsa/sts rule: bounds every other sum, so checking it alone
  // proves that no sum can overflow.
  std::uint64_t raw_sessions_ = 0;
  NameTable policy_type_names_;
  History::AddedIds ids_;                // of the report being added
  std::vector<CountsRow> senders_;       // by sender id
  std::vector<CountsRow> domains_;       // by domain id
  std::vector<CountsRow> policy_types_;  // by policy type id
  std::vector<TypeAgg> types_;           // by type id
  StringMap<HostAgg> mx_hosts_;
  StringMap<HostAgg> receiving_ips_;
  StringMap<HostAgg> sending_ips_;
  DedupIndex dedup_;  // every report counted: its identity and where it was read
  std::string scratch_;
  // Policy types and domains already counted for the report being added (kept for their room).
  std::vector<std::uint32_t> report_types_, report_domains_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
  std::vector<Diagnostic> notes_;
  std::uint64_t errors_total_ = 0;
  std::uint64_t warnings_total_ = 0;
  std::uint64_t notes_total_ = 0;
  std::uint64_t reports_with_warnings_ = 0;
  std::map<std::string, WarningGroup> warning_groups_;
  // The names of senders, domains and failure types as ids: shared with the history, which adds
  // them, so that both key their aggregates by the same ids.
  std::shared_ptr<ReportNames> report_names_ = std::make_shared<ReportNames>();
  History history_{report_names_};
};

}  // namespace tlsrpt
