// `tlsrpt summary` as text: the first screen says what needs doing (each figure with the period
// it covers), the details follow.
#include <algorithm>

#include "render_text_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace text_detail;

namespace {

// "label:     text", wrapped under the text.
void print_line(std::ostream& out, const OutputOptions& options, const std::string& label,
                const std::string& text) {
  out << wrap_text(text, options.width, fmt::format("  {:<11}", label), std::string(13, ' '));
}

std::string age_words(std::int64_t age) {
  return age < 3600             ? std::string("under an hour")
         : age < kSecondsPerDay ? fmt::format("{} h", age / 3600)
         : age < 2 * kSecondsPerDay ? std::string("1 day")
                                    : fmt::format("{} days", age / kSecondsPerDay);
}

// "2026-05-04 to 2026-05-11; newest report ends …, 2 h before now (…)"
std::string period_line(const Summary& summary) {
  const HistorySummary& history = summary.history;
  std::string text =
      fmt::format("{} to {}", format_date(summary.span->start), format_date(summary.span->end));
  if (!history.newest_end) return text;
  const std::int64_t age = history.now - *history.newest_end;
  if (age < 0) {
    return text + fmt::format("; newest report ends {}, after now ({})",
                              format_rfc3339(*history.newest_end), format_rfc3339(history.now));
  }
  return text + fmt::format("; newest report ends {}, {} before now ({})",
                            format_rfc3339(*history.newest_end), age_words(age),
                            format_rfc3339(history.now));
}

std::string reports_line(const Summary& summary) {
  std::string text = group_digits(summary.reports);
  if (summary.duplicates > 0) {
    text += fmt::format(" ({} duplicate{} skipped{})", group_digits(summary.duplicates),
                        summary.duplicates == 1 ? "" : "s",
                        summary.conflicting_duplicates > 0
                            ? fmt::format(", {} conflicting", summary.conflicting_duplicates)
                            : "");
  }
  if (summary.not_reports > 0) {
    text += fmt::format("; {} input{} not a TLS report (other mail, DMARC reports, other files)",
                        group_digits(summary.not_reports),
                        summary.not_reports == 1 ? " was" : "s were");
  }
  return text;
}

// Sessions and the failure rate, of every report read (the period above).
void print_totals(std::ostream& out, const Style& style, const Summary& summary,
                  const OutputOptions& options) {
  const std::uint64_t sessions = summary.totals.successful + summary.totals.failed;
  print_line(out, options, "Sessions:",
             fmt::format("{} ({} successful, {} failed), all {} reports of the period",
                         group_digits(sessions), group_digits(summary.totals.successful),
                         group_digits(summary.totals.failed), group_digits(summary.reports)));
  const std::string rate = percent(failure_rate(summary.totals));
  const std::string lines =
      wrap_text(fmt::format("Failure rate: {} over the period, weighted by volume", rate),
                options.width, "  ", std::string(13, ' '));
  const std::size_t at = lines.find(rate);  // the rate in colour, the rest as it is
  out << lines.substr(0, at) << style.bold(rate_colored(style, summary.totals))
      << lines.substr(at + rate.size());
}

void print_dkim(std::ostream& out, const Style& style, const Summary& summary,
                const OutputOptions& options) {
  if (summary.dkim_pass + summary.dkim_fail == 0) return;
  print_line(out, options, "DKIM:",
             fmt::format("{} with a pass for the submitter's domain, {} without{}",
                         group_digits(summary.dkim_pass), group_digits(summary.dkim_fail),
                         summary.dkim_none > 0 ? fmt::format(", {} not received as checked mail",
                                                             group_digits(summary.dkim_none))
                                               : ""));
  if (summary.dkim_fail > 0) {
    out << style.lines_yellow(
        wrap_text("reports without a DKIM pass may be forged: `tlsrpt show` them, or use "
                  "--authenticated-only",
                  options.width, std::string(13, ' '), std::string(13, ' ')));
  }
}

// "Enforce:   NOT READY for other-example.org; INSUFFICIENT DATA for 3 domains (a.example,
// b.example, c.example)": the domains grouped by verdict, worst first, a few names each.
void print_verdicts(std::ostream& out, const Style& style, const CheckResult& check,
                    const OutputOptions& options) {
  constexpr std::size_t kNames = 2;
  std::vector<std::string> parts;
  std::vector<std::pair<std::string, std::string>> colored;  // plain verdict → coloured
  for (const Verdict verdict : {Verdict::not_ready, Verdict::insufficient_data, Verdict::ready}) {
    std::vector<std::string> names;
    for (const DomainCheck& domain : check.domains) {
      if (domain.verdict == verdict) names.push_back(escape_for_terminal(domain.domain));
    }
    if (names.empty()) continue;
    const std::size_t count = names.size();
    std::string list;
    if (count == 1) {
      list = names[0];
    } else {
      names.resize(std::min(count, kNames));
      list = fmt::format("{} domains ({}{})", count, fmt::join(names, ", "),
                         count > kNames ? fmt::format(" and {} more", count - kNames) : "");
    }
    parts.push_back(fmt::format("{} for {}", verdict_plain(verdict), list));
    colored.emplace_back(verdict_plain(verdict), verdict_text(style, verdict));
  }
  if (parts.empty()) {
    parts.push_back(verdict_plain(check.verdict));
    colored.emplace_back(verdict_plain(check.verdict), verdict_text(style, check.verdict));
  }
  // Wrapped on the plain text; the colours go back in afterwards.
  std::string lines = wrap_text(
      fmt::format("{}, over the last {} days; `tlsrpt check` says why", fmt::join(parts, "; "),
                  check.gate.window_days),
      options.width, "  Enforce:   ", std::string(13, ' '));
  if (style.color) {
    std::size_t at = 0;
    for (const auto& [plain, color] : colored) {
      const std::size_t found = lines.find(plain, at);
      if (found == std::string::npos) break;
      lines.replace(found, plain.size(), color);
      at = found + color.size();
    }
  }
  out << lines;
}

void print_overview(std::ostream& out, const Style& style, const Summary& summary,
                    const OutputOptions& options) {
  out << style.bold("TLS-RPT summary") << '\n';
  if (summary.span) print_line(out, options, "Period:", period_line(summary));
  print_line(out, options, "Reports:", reports_line(summary));
  if (!summary.left_out_text.empty()) print_line(out, options, "Left out:", summary.left_out_text);
  if (summary.reports > 0) print_totals(out, style, summary, options);
  print_dkim(out, style, summary, options);
  print_verdicts(out, style, summary.check, options);
  print_skipped(out, style, summary.errors_total, options.width);
  const HistorySummary& history = summary.history;
  if (history.alerts.empty()) return;
  out << '\n' << style.bold(fmt::format("Alerts ({})", history.alerts.size())) << '\n';
  for (const Alert& alert : history.alerts) print_alert(out, style, alert, options.width);
}

// "; at mx1.example.com (120), mx2.example.com (4) and 3 more": where a failure type happened.
std::string where_text(const Summary& summary, const FailureTypeRow& row) {
  std::vector<std::pair<std::uint64_t, std::string>> hosts;
  for (const HostRow& host : summary.receiving_mx_hosts) {
    for (const auto& [type, failed] : host.result_types) {
      if (type == row.result_type) hosts.emplace_back(failed, host.host);
    }
  }
  std::stable_sort(hosts.begin(), hosts.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string where;
  for (std::size_t h = 0; h < hosts.size() && h < 2; ++h) {
    where += fmt::format("{}{} ({})", h == 0 ? "; at " : ", ",
                         escape_for_terminal(hosts[h].second), group_digits(hosts[h].first));
  }
  if (hosts.size() > 2) where += fmt::format(" and {} more", hosts.size() - 2);
  return where;
}

void print_failure_type(std::ostream& out, const Style& style, const Summary& summary,
                        const FailureTypeRow& row, const OutputOptions& options) {
  const std::string name =
      escape_for_terminal(row.result_type) + (row.known ? "" : " (unknown type)");
  const std::string head = fmt::format("{}: {} failed ({} of the itemized failures){}", name,
                                       group_digits(row.failed), percent(row.share),
                                       where_text(summary, row));
  const std::string lines = wrap_text(head, options.width, "  ", "      ");
  out << "  " << style.bold(name) << lines.substr(2 + name.size());
  out << wrap_text(row.meaning, options.width, "    ", "    ");
  out << wrap_text(std::string("Do: ") + std::string(row.action), options.width, "    ",
                   "        ");
  for (const ReasonRow& reason : row.reasons) {
    if (reason.failure_reason_code.empty()) continue;
    std::string text = fmt::format("reason {} ({})", escape_for_terminal(reason.failure_reason_code),
                                   sessions_text(reason.failed));
    if (reason.hint_id != row.hint_id) {
      text += ": ";
      text += remedy_for(parse_result_type(row.result_type), reason.failure_reason_code).action;
    }
    out << wrap_text(text, options.width, "    ", "      ");
  }
}

void print_failure_types(std::ostream& out, const Style& style, const Summary& summary,
                         const OutputOptions& options) {
  if (summary.failure_types.empty()) return;
  print_title(out, style,
              fmt::format("Failure types in all {} reports, and what to do",
                          group_digits(summary.reports)),
              summary.failure_types.size(), options.top);
  for (std::size_t i = 0; i < summary.failure_types.size() && i < options.top; ++i)
    print_failure_type(out, style, summary, summary.failure_types[i], options);
  if (summary.failed_itemized < summary.totals.failed) {
    out << style.lines_dim(wrap_text(
        fmt::format("{} failed sessions are not itemized by the senders' failure-details.",
                    group_digits(summary.totals.failed - summary.failed_itemized)),
        options.width, "  ", "  "));
  } else if (summary.failed_itemized > summary.totals.failed) {
    out << style.lines_dim(wrap_text(
        fmt::format("The senders' failure-details add up to {} failed sessions, more than the "
                    "{} their summaries report (docs/totals.md): shares are of the details.",
                    group_digits(summary.failed_itemized), group_digits(summary.totals.failed)),
        options.width, "  ", "  "));
  }
}

void print_counts_table(std::ostream& out, const Style& style, const std::string& title,
                        const std::string& name_header, const std::vector<CountsRow>& rows,
                        const OutputOptions& options) {
  if (rows.empty()) return;
  print_title(out, style, title, rows.size(), options.top);
  Table table({name_header, "REPORTS", "SESSIONS", "FAILED", "RATE"},
              {true, false, false, false, false}, {1});
  for (std::size_t i = 0; i < rows.size() && i < options.top; ++i) {
    const CountsRow& row = rows[i];
    const std::string name = escape_for_terminal(row.name);
    const std::string reports = group_digits(row.reports);
    const std::string sessions = group_digits(row.counts.successful + row.counts.failed);
    const std::string failed = group_digits(row.counts.failed);
    table.add({name, reports, sessions, failed, rate_colored(style, row.counts)},
              {name, reports, sessions, failed, percent(failure_rate(row.counts))});
  }
  table.print(out, style, "  ", options.width);
}

void print_hosts(std::ostream& out, const Style& style, const std::string& title,
                 const std::vector<HostRow>& rows, const OutputOptions& options) {
  if (rows.empty()) return;
  print_title(out, style, title, rows.size(), options.top);
  Table table({"HOST", "FAILED", "FAILURE TYPES"}, {true, false, true});
  for (std::size_t i = 0; i < rows.size() && i < options.top; ++i) {
    std::string types;
    for (const auto& [type, count] : rows[i].result_types) {
      if (!types.empty()) types += ", ";
      types += fmt::format("{} {}", escape_for_terminal(type), group_digits(count));
    }
    const std::string host = escape_for_terminal(rows[i].host);
    const std::string failed = group_digits(rows[i].failed);
    table.add({host, failed, types}, {host, failed, types});
  }
  table.print(out, style, "  ", options.width);
}

void print_tables(std::ostream& out, const Style& style, const Summary& summary,
                  const OutputOptions& options) {
  print_counts_table(out, style, "Senders", "ORGANIZATION", summary.senders, options);
  print_counts_table(out, style, "Policy domains", "POLICY DOMAIN", summary.domains, options);
  print_counts_table(out, style, "Policy types", "POLICY TYPE", summary.policy_types, options);
  std::uint64_t type_sessions = 0;
  for (const CountsRow& row : summary.policy_types)
    type_sessions += row.counts.successful + row.counts.failed;
  if (type_sessions > summary.totals.successful + summary.totals.failed) {
    out << style.lines_dim(wrap_text(
        "Rows add up to more than the total: a domain's tlsa and sts policies in one report "
        "describe the same sessions, counted once in the totals (docs/totals.md).",
        options.width, "  ", "  "));
  }
  print_hosts(out, style, "Receiving MX hosts with failures", summary.receiving_mx_hosts, options);
  print_hosts(out, style, "Receiving IPs with failures", summary.receiving_ips, options);
  print_hosts(out, style, "Sending IPs with failures", summary.sending_ips, options);
}

// One character per day: the day's failure rate against `scale` (shared by every row of a chart,
// so that equal heights mean equal rates); '·' for a day without reports.
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

std::uint64_t failed_of(const Series& series) {
  std::uint64_t total = 0;
  for (const DayCounts& day : series.days) total += day.failed;
  return total;
}

// One line of marks per name, rows with the most failed sessions first.
void print_sparklines(std::ostream& out, const Style& style, const std::string& title,
                      const std::string& header, const std::vector<Series>& list,
                      const OutputOptions& options) {
  if (list.empty()) return;
  std::vector<const Series*> sorted;
  for (const Series& series : list) sorted.push_back(&series);
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Series* a, const Series* b) {
    return failed_of(*a) > failed_of(*b);
  });
  sorted.resize(std::min(sorted.size(), options.top));
  double scale = 0;
  for (const Series* series : sorted) scale = std::max(scale, max_rate(*series));
  print_title(out, style, title, list.size(), options.top,
              fmt::format("one mark per day, full height = {} (all rows), \u00b7 = no report",
                          percent(scale)),
              options.width);
  Table lines({header, "FAILURE RATE BY DAY", "FAILED"}, {true, true, false});
  for (const Series* series : sorted) {
    const std::string name = escape_for_terminal(series->name);
    const std::string line = sparkline(*series, scale);
    const std::string failed = group_digits(failed_of(*series));
    lines.add({name, line, failed}, {name, line, failed});
  }
  lines.print(out, style, "  ", options.width);
}

void print_days(std::ostream& out, const Style& style, const HistorySummary& history,
                const OutputOptions& options) {
  const Series& all = history.overall;
  if (all.days.size() < 2) return;  // one day: the totals say it all
  const double top_rate = max_rate(all);
  print_title(
      out, style, "Per day (UTC)", 0, 0,
      fmt::format("bar: failure rate, full width = {}{}", percent(top_rate),
                  history.spread ? "; reports longer than a day are spread over their days" : ""),
      options.width);
  if (history.series_outside_window) {
    out << style.lines_yellow(wrap_text(
        fmt::format("No report falls in the days up to now: these are the newest days that hold "
                    "reports ({} to {}), outside the window of the verdicts and alerts.",
                    format_day(all.days.front().day), format_day(all.days.back().day)),
        options.width, "  ", "  "));
  }
  Table table({"DAY", "SESSIONS", "FAILED", "RATE", ""}, {true, false, false, false, true}, {4});
  for (std::size_t i = 0; i < all.days.size(); ++i) {
    const DayCounts& day = all.days[i];
    const Counts counts{day.successful, day.failed};
    const std::string date = format_day(day.day);
    if (!all.reported[i]) {
      // A run of days without reports is one line.
      std::size_t end = i;
      while (end + 1 < all.days.size() && !all.reported[end + 1]) ++end;
      const std::string text =
          end == i ? std::string("no reports")
                   : fmt::format("{} days without reports, to {}", end - i + 1,
                                 format_day(all.days[end].day));
      table.add({date, "-", "-", "-", style.dim(text)}, {date, "-", "-", "-", text});
      i = end;
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
  table.print(out, style, "  ", options.width);
  print_sparklines(out, style, "Senders by day", "ORGANIZATION", history.senders, options);
  print_sparklines(out, style, "Domains by day", "POLICY DOMAIN", history.domains, options);
}

void print_trend(std::ostream& out, const Style& style, const HistorySummary& history,
                 const OutputOptions& options) {
  if (!history.trend) return;
  const Trend& trend = *history.trend;
  print_title(
      out, style, "Trend", 0, 0,
      fmt::format("{} to {} against {} to {}; largest changes in failed sessions first",
                  format_day(trend.recent_first_day), format_day(trend.recent_last_day),
                  format_day(trend.previous_first_day), format_day(trend.previous_last_day)),
      options.width);
  Table table({"", "RECENT", "BEFORE", "CHANGE", "FAILED"}, {true, false, false, false, false},
              {4});
  const auto row = [&](const std::string& name, const TrendRow& r) {
    const std::string recent = r.recent_sessions == 0 ? "-" : percent(r.recent_rate);
    const std::string before = r.previous_sessions == 0 ? "-" : percent(r.previous_rate);
    const std::string change = r.recent_sessions == 0 || r.previous_sessions == 0
                                   ? ""
                                   : signed_points(r.recent_rate - r.previous_rate);
    const std::string failed =
        fmt::format("{} \u2192 {}", group_digits(r.previous_failed), group_digits(r.recent_failed));
    table.add({name, recent, before, change, failed}, {name, recent, before, change, failed});
  };
  row("all senders", trend.overall);
  std::size_t shown = 0;
  for (const TrendRow& sender : trend.senders) {
    if (shown == options.top) break;
    if (sender.recent_failed + sender.previous_failed == 0) continue;
    row("  " + escape_for_terminal(sender.name), sender);
    ++shown;
  }
  if (!trend.failure_types.empty()) {
    table.add({style.dim("failure types, of all sessions:"), "", "", "", ""},
              {"failure types, of all sessions:", "", "", "", ""});
  }
  for (std::size_t i = 0; i < trend.failure_types.size() && i < options.top; ++i) {
    row("  " + escape_for_terminal(trend.failure_types[i].name), trend.failure_types[i]);
  }
  table.print(out, style, "  ", options.width);
}

void print_failures(std::ostream& out, const Style& style, const HistorySummary& history,
                    const OutputOptions& options) {
  if (history.failures.empty()) return;
  std::size_t persistent = 0;
  for (const PersistentFailure& failure : history.failures)
    persistent += failure.persistent ? 1 : 0;
  print_title(out, style, "Persistent and transient failures", history.failures.size(), options.top,
              fmt::format("{} persistent (seen in several report periods), {} transient",
                          persistent, history.failures.size() - persistent),
              options.width);
  Table table({"SENDER", "RESULT TYPE", "RECEIVING MX", "PERIODS", "FIRST", "LAST", "FAILED", ""},
              {true, true, true, false, true, true, false, true}, {4, 3, 5});
  for (std::size_t i = 0; i < history.failures.size() && i < options.top; ++i) {
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
    table.add(cells, plain);
  }
  table.print(out, style, "  ", options.width);
}

// What the per-day views leave out, and why.
void print_time_notes(std::ostream& out, const Style& style, const HistorySummary& history,
                      const OutputOptions& options) {
  if (history.reports_before_series > 0 && history.series_first_day) {
    out << '\n'
        << style.lines_dim(wrap_text(
               fmt::format("{} report{} ended before {}, the first day of the per-day tables "
                           "(--days or --since to see more): counted in the totals above.",
                           group_digits(history.reports_before_series),
                           history.reports_before_series == 1 ? "" : "s",
                           format_day(*history.series_first_day)),
               options.width, "", ""));
  }
  if (history.implausible_dates > 0) {
    out << style.lines_yellow(wrap_text(
        fmt::format("{} report{} with implausible dates (before 2016, or more than a week after "
                    "now): counted in the totals, left out of the per-day tables, trend, alerts "
                    "and the enforce verdicts.",
                    group_digits(history.implausible_dates),
                    history.implausible_dates == 1 ? "" : "s"),
        options.width, "", ""));
  }
  if (history.reports_after_now > 0) {
    out << style.lines_yellow(wrap_text(
        fmt::format("{} report{} end after now: the sender's clock is wrong, or --now is too "
                    "early; counted in the totals, not in the per-day tables.",
                    group_digits(history.reports_after_now),
                    history.reports_after_now == 1 ? "" : "s"),
        options.width, "", ""));
  }
}

void print_quirks(std::ostream& out, const Summary& summary, const OutputOptions& options) {
  if (summary.warnings_total == 0) return;
  out << '\n'
      << wrap_text(fmt::format("{} report{} had format quirks ({} in all, most often {}); "
                               "tlsrpt coped. --verbose lists them on stderr.",
                               group_digits(summary.reports_with_warnings),
                               summary.reports_with_warnings == 1 ? "" : "s",
                               group_digits(summary.warnings_total),
                               summary.warning_groups.empty()
                                   ? std::string("-")
                                   : summary.warning_groups.front().code),
                   options.width, "", "");
}

void print_errors(std::ostream& out, const Style& style, const Summary& summary,
                  const OutputOptions& options) {
  if (summary.errors_total == 0) return;
  out << '\n'
      << style.red(fmt::format(
             "{} input{} could not be read and {} skipped:", group_digits(summary.errors_total),
             summary.errors_total == 1 ? "" : "s", summary.errors_total == 1 ? "was" : "were"))
      << '\n';
  for (std::size_t i = 0; i < summary.errors.size() && i < options.top; ++i) {
    out << "  " << escape_for_terminal(format_location(summary.errors[i])) << '\n';
  }
  if (summary.errors_total > options.top) {
    out << style.dim(fmt::format("  ({} more on stderr)", summary.errors_total - options.top))
        << '\n';
  }
}

}  // namespace

void render_summary_text(const Summary& summary, const OutputOptions& options, std::ostream& out) {
  const Style style{options.color};
  print_overview(out, style, summary, options);
  if (summary.reports == 0) return;
  print_failure_types(out, style, summary, options);
  print_tables(out, style, summary, options);
  print_days(out, style, summary.history, options);
  print_trend(out, style, summary.history, options);
  print_failures(out, style, summary.history, options);
  print_time_notes(out, style, summary.history, options);
  print_quirks(out, summary, options);
  print_errors(out, style, summary, options);
}

}  // namespace tlsrpt
