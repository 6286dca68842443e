#include "tlsrpt/render_text.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/history.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

struct Style {
  bool color = false;
  std::string wrap(std::string_view text, std::string_view code) const {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
  std::string bold(std::string_view text) const { return wrap(text, "1"); }
  std::string dim(std::string_view text) const { return wrap(text, "2"); }
  std::string red(std::string_view text) const { return wrap(text, "31"); }
  std::string yellow(std::string_view text) const { return wrap(text, "33"); }
  std::string green(std::string_view text) const { return wrap(text, "32"); }
};

// "1 session", "2 sessions", with digits grouped.
std::string sessions_text(std::uint64_t count) {
  return fmt::format("{} session{}", group_digits(count), count == 1 ? "" : "s");
}

std::string percent(double fraction) {
  if (fraction > 0 && fraction < 0.0001) return "<0.01%";
  return fmt::format("{:.2f}%", fraction * 100);
}

std::string rate_colored(const Style& style, const Counts& counts) {
  const double rate = failure_rate(counts);
  const std::string text = percent(rate);
  // RFC8460.md §4: below 1% healthy, above 5% a real configuration problem.
  if (rate >= 0.05) return style.red(text);
  if (rate >= 0.01) return style.yellow(text);
  return text;
}

// A table with a header row; column 0 is left-aligned, the others right-aligned unless listed.
class Table {
 public:
  Table(std::vector<std::string> header, std::vector<bool> left_aligned)
      : header_(std::move(header)), left_(std::move(left_aligned)) {}
  // Cells may contain colour codes: `plain` gives the text whose width counts.
  void add(std::vector<std::string> cells, std::vector<std::string> plain) {
    rows_.push_back({std::move(cells), std::move(plain)});
  }
  void print(std::ostream& out, const Style& style, const std::string& indent) const {
    std::vector<std::size_t> widths(header_.size(), 0);
    for (std::size_t c = 0; c < header_.size(); ++c) widths[c] = display_width(header_[c]);
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.plain.size(); ++c) {
        widths[c] = std::max(widths[c], display_width(row.plain[c]));
      }
    }
    const auto line = [&](const std::vector<std::string>& cells,
                          const std::vector<std::string>& plain, bool is_header) {
      std::string text = indent;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::size_t pad = widths[c] - display_width(plain[c]);
        const bool last = c + 1 == cells.size();
        const std::string cell = is_header ? style.dim(cells[c]) : cells[c];
        if (left_[c]) {
          text += cell;
          if (!last) text += std::string(pad, ' ');
        } else {
          text += std::string(pad, ' ') + cell;
        }
        if (!last) text += "  ";
      }
      out << text << '\n';
    };
    line(header_, header_, true);
    for (const auto& row : rows_) line(row.cells, row.plain, false);
  }

 private:
  struct Row {
    std::vector<std::string> cells;
    std::vector<std::string> plain;
  };
  std::vector<std::string> header_;
  std::vector<bool> left_;
  std::vector<Row> rows_;
};

void print_counts_table(std::ostream& out, const Style& style, const std::string& title,
                        const std::string& name_header, const std::vector<CountsRow>& rows) {
  out << '\n' << style.bold(title) << '\n';
  Table table({name_header, "REPORTS", "SESSIONS", "FAILED", "RATE"},
              {true, false, false, false, false});
  for (const CountsRow& row : rows) {
    const std::string name = escape_for_terminal(row.name);
    const std::string reports = group_digits(row.reports);
    const std::string sessions = group_digits(row.counts.successful + row.counts.failed);
    const std::string failed = group_digits(row.counts.failed);
    table.add({name, reports, sessions, failed, rate_colored(style, row.counts)},
              {name, reports, sessions, failed, percent(failure_rate(row.counts))});
  }
  table.print(out, style, "  ");
}

void print_hosts(std::ostream& out, const Style& style, const std::string& title,
                 const std::vector<HostRow>& rows, std::size_t top) {
  if (rows.empty()) return;
  out << '\n' << style.bold(title);
  if (rows.size() > top)
    out << style.dim(fmt::format(" (top {} of {}; --top to see more)", top, rows.size()));
  out << '\n';
  Table table({"HOST", "FAILED", "FAILURE TYPES"}, {true, false, true});
  for (std::size_t i = 0; i < rows.size() && i < top; ++i) {
    std::string types;
    for (const auto& [type, count] : rows[i].result_types) {
      if (!types.empty()) types += ", ";
      types += fmt::format("{} {}", escape_for_terminal(type), group_digits(count));
    }
    const std::string host = escape_for_terminal(rows[i].host);
    const std::string failed = group_digits(rows[i].failed);
    table.add({host, failed, types}, {host, failed, types});
  }
  table.print(out, style, "  ");
}

// One character per day: the day's failure rate against `scale`; '.' for a day without reports.
std::string sparkline(const Series& series, double scale) {
  static const char* const kLevels[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588"};
  std::string line;
  for (std::size_t i = 0; i < series.days.size(); ++i) {
    const DayCounts& day = series.days[i];
    if (!series.reported[i]) {
      line += "\u00b7";
      continue;
    }
    const double value = failure_rate(Counts{day.successful, day.failed});
    const auto level =
        scale <= 0 ? 0 : std::min<std::size_t>(7, static_cast<std::size_t>(value / scale * 7.999));
    line += kLevels[level];
  }
  return line;
}

double max_rate(const Series& series) {
  double top = 0;
  for (const DayCounts& day : series.days)
    top = std::max(top, failure_rate(Counts{day.successful, day.failed}));
  return top;
}

std::string signed_points(double change) {
  return fmt::format("{}{:.2f} pts", change >= 0 ? "+" : "", change * 100);
}

void print_history(std::ostream& out, const Style& style, const HistorySummary& history,
                   std::size_t top) {
  if (history.overall.days.empty()) return;
  const Series& all = history.overall;
  out << '\n'
      << style.bold("Per day (UTC)") << style.dim("  weekly reports are spread over their days")
      << '\n';
  Table table({"DAY", "SESSIONS", "FAILED", "RATE", ""}, {true, false, false, false, true});
  const double top_rate = max_rate(all);
  for (std::size_t i = 0; i < all.days.size(); ++i) {
    const DayCounts& day = all.days[i];
    const Counts counts{day.successful, day.failed};
    const std::string date = format_date(day.day * 86400);
    if (!all.reported[i]) {
      table.add({date, "-", "-", "-", style.dim("no reports")},
                {date, "-", "-", "-", "no reports"});
      continue;
    }
    const std::size_t width =
        top_rate <= 0 ? 0 : static_cast<std::size_t>(failure_rate(counts) / top_rate * 30 + 0.5);
    std::string bar;
    for (std::size_t k = 0; k < width; ++k) bar += "\u2588";
    const std::string sessions = group_digits(day.successful + day.failed);
    const std::string failed = group_digits(day.failed);
    table.add({date, sessions, failed, rate_colored(style, counts), bar},
              {date, sessions, failed, percent(failure_rate(counts)), bar});
  }
  table.print(out, style, "  ");
  const auto sparklines = [&](const std::string& title, const std::string& header,
                              const std::vector<Series>& list) {
    out << '\n'
        << style.bold(title)
        << style.dim("  one mark per day, height = failure rate, \u00b7 = no report") << '\n';
    Table lines({header, "FAILURE RATE BY DAY", "FAILED"}, {true, true, false});
    std::vector<const Series*> sorted;
    for (const Series& series : list) sorted.push_back(&series);
    const auto failed_of = [](const Series* series) {
      std::uint64_t total = 0;
      for (const DayCounts& day : series->days) total += day.failed;
      return total;
    };
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const Series* a, const Series* b) { return failed_of(a) > failed_of(b); });
    for (std::size_t i = 0; i < sorted.size() && i < top; ++i) {
      const std::string name = escape_for_terminal(sorted[i]->name);
      const std::string line = sparkline(*sorted[i], max_rate(*sorted[i]));
      const std::string failed = group_digits(failed_of(sorted[i]));
      lines.add({name, line, failed}, {name, line, failed});
    }
    lines.print(out, style, "  ");
  };
  sparklines("Senders by day", "ORGANIZATION", history.senders);
  sparklines("Domains by day", "POLICY DOMAIN", history.domains);

  if (history.trend) {
    const Trend& trend = *history.trend;
    out << '\n'
        << style.bold("Trend") << ' '
        << style.dim(fmt::format("{} to {} against {} to {}",
                                 format_date(trend.recent_first_day * 86400),
                                 format_date(trend.recent_last_day * 86400),
                                 format_date(trend.previous_first_day * 86400),
                                 format_date(trend.previous_last_day * 86400)))
        << '\n';
    Table table2({"", "RECENT", "BEFORE", "CHANGE"}, {true, false, false, false});
    const auto row = [&](const std::string& name, const TrendRow& r) {
      const std::string recent = r.recent_sessions == 0 ? "-" : percent(r.recent_rate);
      const std::string before = r.previous_sessions == 0 ? "-" : percent(r.previous_rate);
      const std::string change = r.recent_sessions == 0 || r.previous_sessions == 0
                                     ? ""
                                     : signed_points(r.recent_rate - r.previous_rate);
      table2.add({name, recent, before, change}, {name, recent, before, change});
    };
    row("all senders", trend.overall);
    for (std::size_t i = 0; i < trend.senders.size() && i < top; ++i) {
      row(escape_for_terminal(trend.senders[i].name), trend.senders[i]);
    }
    for (std::size_t i = 0; i < trend.failure_types.size() && i < top; ++i) {
      row(escape_for_terminal(trend.failure_types[i].name) + " (share of sessions)",
          trend.failure_types[i]);
    }
    table2.print(out, style, "  ");
  }

  if (!history.failures.empty()) {
    std::size_t persistent = 0;
    for (const PersistentFailure& failure : history.failures)
      persistent += failure.persistent ? 1 : 0;
    out << '\n'
        << style.bold("Persistent and transient failures")
        << style.dim(fmt::format("  {} persistent (seen in several report periods), {} transient",
                                 persistent, history.failures.size() - persistent))
        << '\n';
    Table table3(
        {"SENDER", "RESULT TYPE", "RECEIVING MX", "PERIODS", "FIRST", "LAST", "FAILED", ""},
        {true, true, true, false, true, true, false, true});
    for (std::size_t i = 0; i < history.failures.size() && i < top; ++i) {
      const PersistentFailure& f = history.failures[i];
      const std::string kind = f.persistent ? "persistent" : "transient";
      std::vector<std::string> plain{escape_for_terminal(f.sender),
                                     escape_for_terminal(f.result_type),
                                     escape_for_terminal(f.receiving_mx_hostname),
                                     std::to_string(f.periods),
                                     format_date(f.first_seen),
                                     format_date(f.last_seen),
                                     group_digits(f.failed),
                                     kind};
      std::vector<std::string> cells = plain;
      if (f.persistent) cells.back() = style.red(kind);
      table3.add(cells, plain);
    }
    table3.print(out, style, "  ");
    if (history.failures.size() > top) {
      out << style.dim(fmt::format("  ({} more; --top to see more)", history.failures.size() - top))
          << '\n';
    }
  }
}

std::string period_text(const DateRange& range) {
  return fmt::format("{} to {}", format_rfc3339(range.start), format_rfc3339(range.end));
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += fmt::format("\\x{:02X}", c);
      ++i;
    } else if (length == 1 && (c < 0x20 || c == 0x7F)) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += fmt::format("\\x{:02X}", c);
      }
      ++i;
    } else if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      // C1 controls U+0080..U+009F (CSI is U+009B) act on terminals too.
      out += fmt::format("\\u{{{:02X}}}", static_cast<unsigned char>(text[i + 1]));
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++width;
  }
  return width;
}

std::string format_diagnostic_line(const Diagnostic& diagnostic) {
  return fmt::format("tlsrpt: {}: {}{}", severity_name(diagnostic.severity),
                     escape_for_terminal(format_location(diagnostic)),
                     diagnostic.severity == Severity::error ? "; skipped" : "");
}

void render_summary_text(const Summary& summary, const TextOptions& options, std::ostream& out) {
  const Style style{options.color};
  out << style.bold("TLS-RPT summary") << '\n';
  out << fmt::format("  Reports:   {}", group_digits(summary.reports));
  if (summary.duplicates > 0) {
    out << fmt::format(" ({} duplicate{} skipped{})", group_digits(summary.duplicates),
                       summary.duplicates == 1 ? "" : "s",
                       summary.conflicting_duplicates > 0
                           ? fmt::format(", {} conflicting", summary.conflicting_duplicates)
                           : "");
  }
  if (summary.not_reports > 0) {
    out << fmt::format("; {} input{} not a TLS report (other mail, DMARC reports, other files)",
                       group_digits(summary.not_reports),
                       summary.not_reports == 1 ? " was" : "s were");
  }
  out << '\n';
  if (summary.span) out << "  Period:    " << period_text(*summary.span) << '\n';
  if (summary.dkim_pass + summary.dkim_fail > 0 || summary.left_out_unauthenticated > 0) {
    out << fmt::format("  DKIM:      {} with a pass for the submitter's domain, {} without",
                       group_digits(summary.dkim_pass), group_digits(summary.dkim_fail));
    if (summary.dkim_none > 0) {
      out << fmt::format(
          ", {} unverified (no Authentication-Results: a plain file or unchecked mail)",
          group_digits(summary.dkim_none));
    }
    out << '\n';
    if (summary.dkim_fail > 0) {
      out << style.yellow(
                 "             reports without a DKIM pass may be forged: `tlsrpt show` them, or "
                 "use --authenticated-only")
          << '\n';
    }
  }
  if (summary.left_out_unauthenticated > 0) {
    out << fmt::format(
        "  Left out:  {} report{} without a DKIM pass for the submitter's domain "
        "(--authenticated-only)\n",
        group_digits(summary.left_out_unauthenticated),
        summary.left_out_unauthenticated == 1 ? "" : "s");
  }
  const std::uint64_t sessions = summary.totals.successful + summary.totals.failed;
  out << fmt::format("  Sessions:  {} ({} successful, {} failed)\n", group_digits(sessions),
                     group_digits(summary.totals.successful), group_digits(summary.totals.failed));
  out << "  Failure rate: " << style.bold(rate_colored(style, summary.totals))
      << style.dim(" (failed / all sessions, weighted by volume)") << '\n';
  if (summary.reports == 0) {
    out << "\nNo TLS reports were found in the given paths.\n";
  } else {
    print_counts_table(out, style, "Senders", "ORGANIZATION", summary.senders);
    print_counts_table(out, style, "Policy domains", "POLICY DOMAIN", summary.domains);
    print_counts_table(out, style, "Policy types", "POLICY TYPE", summary.policy_types);
  }

  if (!summary.failure_types.empty()) {
    out << '\n' << style.bold("Failure types") << '\n';
    Table table({"RESULT TYPE", "FAILED", "SHARE"}, {true, false, false});
    for (const FailureTypeRow& row : summary.failure_types) {
      const std::string name =
          escape_for_terminal(row.result_type) + (row.known ? "" : " (unknown type)");
      table.add({name, group_digits(row.failed), percent(row.share)},
                {name, group_digits(row.failed), percent(row.share)});
    }
    table.print(out, style, "  ");
    if (summary.failed_itemized < summary.totals.failed) {
      out << style.dim(
          fmt::format("  {} failed sessions are not itemized by the senders' failure-details.\n",
                      group_digits(summary.totals.failed - summary.failed_itemized)));
    }
    out << '\n' << style.bold("What to do") << '\n';
    for (const FailureTypeRow& row : summary.failure_types) {
      out << "  " << style.bold(escape_for_terminal(row.result_type)) << ": " << row.meaning
          << '\n';
      out << "    " << row.action << '\n';
      for (const ReasonRow& reason : row.reasons) {
        if (reason.failure_reason_code.empty()) continue;
        out << "    " << style.dim("reason ") << escape_for_terminal(reason.failure_reason_code)
            << style.dim(fmt::format(" ({})", sessions_text(reason.failed)));
        if (reason.hint_id != row.hint_id) {
          out << ": "
              << remedy_for(parse_result_type(row.result_type), reason.failure_reason_code).action;
        }
        out << '\n';
      }
    }
  }
  print_hosts(out, style, "Receiving MX hosts with failures", summary.receiving_mx_hosts,
              options.top);
  print_hosts(out, style, "Receiving IPs with failures", summary.receiving_ips, options.top);
  print_hosts(out, style, "Sending IPs with failures", summary.sending_ips, options.top);
  print_history(out, style, summary.history, options.top);
  if (summary.reports > 0) {
    out << '\n' << style.bold("Alerts") << '\n';
    render_alerts_text(summary.history.alerts, options, out);
  }

  if (!summary.warning_groups.empty()) {
    out << '\n'
        << style.bold(
               style.yellow(fmt::format("Warnings ({})", group_digits(summary.warnings_total))))
        << '\n';
    for (const WarningGroup& group : summary.warning_groups) {
      out << fmt::format("  {:>5} x {}", group_digits(group.count), group.code)
          << style.dim(" e.g. ") << escape_for_terminal(format_location(group.example)) << '\n';
    }
  }
  if (options.verbose) {
    for (const auto* list : {&summary.warnings, &summary.notes}) {
      for (const Diagnostic& diagnostic : *list)
        out << "  " << format_diagnostic_line(diagnostic) << '\n';
    }
  } else if (summary.warnings_total + summary.notes_total > 0) {
    out << style.dim("  (--verbose lists every warning and note)") << '\n';
  }
  if (summary.errors_total > 0) {
    out << '\n'
        << style.red(fmt::format(
               "{} input{} could not be read and {} skipped:", group_digits(summary.errors_total),
               summary.errors_total == 1 ? "" : "s", summary.errors_total == 1 ? "was" : "were"))
        << '\n';
    for (const Diagnostic& error : summary.errors) {
      out << "  " << escape_for_terminal(format_location(error)) << '\n';
    }
  }
}

void render_report_text(const DecodedReport& decoded, const TextOptions& options,
                        std::ostream& out) {
  const Report& report = decoded.report;
  const Provenance& provenance = decoded.provenance;
  const std::vector<Diagnostic>& warnings = decoded.warnings;
  const Style style{options.color};
  const auto field = [&](std::string_view label, const std::string& value) {
    out << fmt::format("  {:<16}", std::string(label) + ":") << escape_for_terminal(value) << '\n';
  };
  const auto optional_field = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) field(label, value);
  };
  out << style.bold("TLS report") << ' '
      << escape_for_terminal(join_where(decoded.file, decoded.where)) << '\n';
  field("Sender", report.organization_name);
  field("Contact", report.contact_info.empty() ? "(none)" : report.contact_info);
  field("Report ID", report.report_id);
  field("Period", period_text(report.date_range));
  if (!provenance.message_id.empty() || !provenance.from.empty() || !provenance.subject.empty() ||
      !provenance.part.empty()) {
    out << '\n' << style.bold("Received as mail") << '\n';
    if (!provenance.mailbox.empty()) {
      field("Mailbox",
            fmt::format("{} (message {})", provenance.mailbox, provenance.message_index));
    }
    optional_field("Message-ID", provenance.message_id);
    optional_field("Date", provenance.date);
    optional_field("From", provenance.from);
    optional_field("Subject", provenance.subject);
    optional_field("Report domain", provenance.tls_report_domain);
    optional_field("Submitter", provenance.tls_report_submitter);
    field("Attachment", provenance.filename.empty()
                            ? fmt::format("part {}", provenance.part)
                            : fmt::format("part {}, {}", provenance.part, provenance.filename));
    switch (provenance.dkim) {
      case DkimVerdict::pass:
        field("DKIM",
              fmt::format("pass for {} (per {})", provenance.dkim_domain, provenance.authserv_id));
        break;
      case DkimVerdict::fail:
        field("DKIM",
              fmt::format("no pass for the submitter's domain (per {}): the report may be forged",
                          provenance.authserv_id));
        break;
      case DkimVerdict::none:
        field("DKIM", "unknown: no Authentication-Results header");
        break;
    }
  }
  if (const auto& parts = provenance.filename_parts) {
    field("File name",
          fmt::format("submitter {}, domain {}, {} to {}{}", parts->submitter, parts->policy_domain,
                      format_rfc3339(parts->begin), format_rfc3339(parts->end),
                      parts->unique_id.empty() ? "" : ", id " + parts->unique_id));
  }
  const std::vector<bool> counted = counted_policies(report);
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const std::string type =
        policy.policy_type == PolicyType::unknown
            ? (policy.policy_type_text.empty() ? "(missing)" : policy.policy_type_text)
            : std::string(policy_type_name(policy.policy_type));
    out << '\n'
        << style.bold(fmt::format(
               "Policy {}: {} for {}", i + 1, escape_for_terminal(type),
               escape_for_terminal(policy.policy_domain.empty() ? "(no domain)"
                                                                : policy.policy_domain)))
        << '\n';
    if (!counted[i]) {
      out << style.dim(
                 "  (the same sessions as this domain's other tlsa/sts policy: not counted twice)")
          << '\n';
    }
    if (policy.sts) {
      const StsPolicy& sts = *policy.sts;
      std::string mx;
      for (const std::string& pattern : sts.mx) mx += (mx.empty() ? "" : ", ") + pattern;
      field("MTA-STS mode", sts.mode_text.empty() ? "(none given)" : sts.mode_text);
      field("MTA-STS mx", mx.empty() ? "(none)" : mx);
      field("max_age", sts.max_age ? fmt::format("{} s", *sts.max_age) : "(none)");
    } else if (policy.policy_type == PolicyType::tlsa) {
      for (const std::string& record : policy.policy_string) field("TLSA record", record);
    } else {
      for (const std::string& line : policy.policy_string) field("Policy line", line);
    }
    if (!policy.mx_host.empty()) {
      std::string hosts;
      for (const std::string& host : policy.mx_host) hosts += (hosts.empty() ? "" : ", ") + host;
      field("mx-host", hosts);
    }
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    out << fmt::format("  {:<16}{} successful, {} failed, failure rate ",
                       "Sessions:", group_digits(counts.successful), group_digits(counts.failed))
        << rate_colored(style, counts) << '\n';
    for (std::size_t d = 0; d < policy.failure_details.size(); ++d) {
      const FailureDetail& detail = policy.failure_details[d];
      const std::string type_text =
          detail.result_type_text.empty() ? "(missing)" : detail.result_type_text;
      out << fmt::format("  Failure {}: ", d + 1) << style.bold(escape_for_terminal(type_text))
          << ", " << sessions_text(detail.failed_session_count) << '\n';
      const auto sub = [&](std::string_view label, const std::string& value) {
        if (!value.empty())
          out << fmt::format("    {:<24}", std::string(label) + ":") << escape_for_terminal(value)
              << '\n';
      };
      sub("sending MTA IP", detail.sending_mta_ip);
      sub("receiving MX hostname", detail.receiving_mx_hostname);
      sub("receiving MX HELO", detail.receiving_mx_helo);
      sub("receiving IP", detail.receiving_ip);
      sub("failure reason code", detail.failure_reason_code);
      sub("additional info", detail.additional_information);
      const Remedy remedy = remedy_for(detail.result_type, detail.failure_reason_code);
      out << "    " << style.dim("means: ") << remedy.meaning << '\n';
      out << "    " << style.dim("do:    ") << remedy.action << '\n';
    }
  }
  if (!warnings.empty()) {
    out << '\n' << style.bold(style.yellow(fmt::format("Warnings ({})", warnings.size()))) << '\n';
    for (const Diagnostic& warning : warnings) {
      out << "  "
          << escape_for_terminal(warning.where.empty() ? warning.message
                                                       : warning.where + ": " + warning.message)
          << '\n';
    }
  }
}

void render_alerts_text(const std::vector<Alert>& alerts, const TextOptions& options,
                        std::ostream& out) {
  const Style style{options.color};
  if (alerts.empty()) {
    out << "  none\n";
    return;
  }
  for (const Alert& alert : alerts) {
    const std::string level =
        alert.level == AlertLevel::critical ? style.red("CRITICAL") : style.yellow("warning ");
    out << "  " << level << "  " << escape_for_terminal(alert.message) << '\n';
  }
}

void render_check_text(const CheckResult& result, const CheckOptions& options,
                       const TextOptions& text, std::ostream& out) {
  const Style style{text.color};
  std::string verdict;
  switch (result.verdict) {
    case Verdict::ready:
      verdict = style.green("READY");
      break;
    case Verdict::not_ready:
      verdict = style.red("NOT READY");
      break;
    case Verdict::insufficient_data:
      verdict = style.yellow("INSUFFICIENT DATA");
      break;
  }
  out << style.bold("MTA-STS enforce check: ") << style.bold(verdict) << '\n';
  out << fmt::format("  Window:    {} to {} ({} days; reports cover {})\n",
                     format_date(result.window_first_day * 86400),
                     format_date(result.window_last_day * 86400), options.window_days,
                     result.days_covered);
  out << fmt::format("  Sessions:  {}, {} failed ({}); limit {}\n",
                     group_digits(result.successful + result.failed), group_digits(result.failed),
                     percent(failure_rate(Counts{result.successful, result.failed})),
                     percent(options.max_failure_rate));
  if (result.domains.size() > 1) {
    out << fmt::format(
        "  Domains:   {} policy domains checked together; --domain DOMAIN checks one\n",
        result.domains.size());
  } else if (result.domains.size() == 1) {
    out << "  Domain:    " << escape_for_terminal(result.domains.front()) << '\n';
  }
  out << '\n';
  for (const CheckItem& item : result.items) {
    std::string mark;
    switch (item.outcome) {
      case Verdict::ready:
        mark = style.green("[ok]       ");
        break;
      case Verdict::not_ready:
        mark = style.red("[blocks]   ");
        break;
      case Verdict::insufficient_data:
        mark = style.yellow("[need data]");
        break;
    }
    out << "  " << mark << ' ' << escape_for_terminal(item.text) << '\n';
  }
  switch (result.verdict) {
    case Verdict::ready:
      out << "\nThe reports support moving the MTA-STS policy to mode: enforce. Keep watching "
             "afterwards.\n";
      break;
    case Verdict::not_ready:
      out << "\nFix what is marked [blocks] first: under mode: enforce that mail would not be "
             "delivered.\n";
      break;
    case Verdict::insufficient_data:
      out << "\nNothing blocks yet, but there is not enough data to be sure: keep mode: testing "
             "and check again.\n";
      break;
  }
}

}  // namespace tlsrpt
