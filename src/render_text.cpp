#include "tlsrpt/render_text.hpp"

#include <algorithm>
#include <limits>

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
  std::string lines_dim(std::string_view text) const { return lines(text, "2"); }
  std::string lines_yellow(std::string_view text) const { return lines(text, "33"); }
  // Wrapped lines in a colour, each line on its own so that no escape spans a newline.
  std::string lines(std::string_view text, std::string_view code) const {
    if (!color) return std::string(text);
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      out += wrap(text.substr(start, end - start), code);
      if (end < text.size()) out += '\n';
      start = end + 1;
    }
    return out;
  }
};

// "1 session", "2 sessions", with digits grouped.
std::string sessions_text(std::uint64_t count) {
  return fmt::format("{} session{}", group_digits(count), count == 1 ? "" : "s");
}

std::string percent(double fraction) { return format_percent(fraction); }

std::string rate_colored(const Style& style, const Counts& counts) {
  const double rate = failure_rate(counts);
  const std::string text = percent(rate);
  // RFC8460.md §4: below 1% healthy, above 5% a real configuration problem.
  if (rate >= 0.05) return style.red(text);
  if (rate >= 0.01) return style.yellow(text);
  return text;
}

// The first `columns` terminal columns of `text`, ending in "…" when cut.
std::string truncate_to(const std::string& text, std::size_t columns) {
  if (display_width(text) <= columns) return text;
  std::string cut;
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size() && width + 1 < columns;) {
    const std::size_t length = std::max<std::size_t>(1, utf8_sequence_length(text, i));
    cut.append(text, i, length);
    i += length;
    ++width;
  }
  return cut + "\u2026";
}

// A table with a header row; column 0 is left-aligned, the others right-aligned unless listed.
// It fits the terminal's width: the widest name columns are shortened (ending in "…"), a
// left-aligned last column wraps under itself at word boundaries, and columns listed as
// droppable go, first listed first, when that is not enough.
class Table {
 public:
  Table(std::vector<std::string> header, std::vector<bool> left_aligned,
        std::vector<std::size_t> droppable = {})
      : header_(std::move(header)), left_(std::move(left_aligned)), drop_(std::move(droppable)) {}
  // Cells may contain colour codes: `plain` gives the text whose width counts.
  void add(std::vector<std::string> cells, std::vector<std::string> plain) {
    rows_.push_back({std::move(cells), std::move(plain)});
  }
  void print(std::ostream& out, const Style& style, const std::string& indent,
             std::size_t max_width = std::numeric_limits<std::size_t>::max()) const {
    const std::size_t n = header_.size();
    std::vector<std::size_t> widths(n, 0);
    for (std::size_t c = 0; c < n; ++c) widths[c] = display_width(header_[c]);
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.plain.size(); ++c) {
        widths[c] = std::max(widths[c], display_width(row.plain[c]));
      }
    }
    std::vector<bool> shown(n, true);
    std::vector<std::size_t> room = widths;  // what each column may use
    const auto total = [&] {
      std::size_t sum = indent.size();
      std::size_t count = 0;
      for (std::size_t c = 0; c < n; ++c) {
        if (!shown[c]) continue;
        sum += room[c];
        ++count;
      }
      return sum + (count > 0 ? 2 * (count - 1) : 0);
    };
    std::size_t last = n - 1;
    auto next_drop = drop_.begin();
    constexpr std::size_t kMinName = 12;
    constexpr std::size_t kMinWrapped = 20;
    // First a left-aligned last column wraps, then the droppable columns go, then the widest
    // name columns are shortened.
    while (total() > max_width) {
      const std::size_t excess = total() - max_width;
      if (left_[last] && last > 0 && room[last] > kMinWrapped) {  // wraps, so it can take it all
        room[last] -= std::min(excess, room[last] - kMinWrapped);
        continue;
      }
      if (next_drop != drop_.end()) {
        shown[*next_drop++] = false;
        while (last > 0 && !shown[last]) --last;
        continue;
      }
      std::size_t widest = n;
      for (std::size_t c = 0; c < last; ++c) {
        if (shown[c] && left_[c] && room[c] > kMinName && (widest == n || room[c] > room[widest]))
          widest = c;
      }
      if (widest == n) break;
      --room[widest];  // one column at a time from the widest: long names share the cut
    }
    const auto line = [&](const std::vector<std::string>& cells,
                          const std::vector<std::string>& plain, bool is_header) {
      std::string text = indent;
      std::size_t column = indent.size();
      for (std::size_t c = 0; c <= last; ++c) {
        if (!shown[c]) continue;
        const bool is_last = c == last;
        std::string cell = is_header ? style.dim(cells[c]) : cells[c];
        std::string shown_plain = plain[c];
        if (display_width(shown_plain) > room[c] && !(is_last && left_[c])) {
          shown_plain = truncate_to(shown_plain, room[c]);
          cell = is_header ? style.dim(shown_plain) : shown_plain;
        }
        if (is_last && left_[c] && display_width(plain[c]) > room[c]) {
          // Wrap under the column: the wrapped lines are plain text.
          const std::string hang(column, ' ');
          const std::string wrapped = wrap_text(plain[c], column + room[c], hang, hang);
          text += wrapped.substr(column, wrapped.size() - 1 - column);
          break;
        }
        const std::size_t pad = room[c] - std::min(room[c], display_width(shown_plain));
        if (left_[c]) {
          text += cell;
          if (!is_last) text += std::string(pad, ' ');
        } else {
          text += std::string(pad, ' ') + cell;
        }
        column += room[c];
        if (!is_last) {
          text += "  ";
          column += 2;
        }
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
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
  std::vector<std::size_t> drop_;
  std::vector<Row> rows_;
};

// " (top 10 of 31; --top to see more)" when the list is longer than `top`.
std::string top_note(std::size_t shown, std::size_t total) {
  return shown < total ? fmt::format(" (top {} of {}; --top to see more)", shown, total) : "";
}

// A section title with its "(top N of M)" and a note, which goes under the title when the line
// would not fit.
void print_title(std::ostream& out, const Style& style, const std::string& title, std::size_t rows,
                 std::size_t top, const std::string& note = "", std::size_t width = 80) {
  const std::string head = top_note(std::min(rows, top), rows);
  out << '\n' << style.bold(title) << style.dim(head);
  if (note.empty()) {
    out << '\n';
  } else if (display_width(title) + display_width(head) + 2 + display_width(note) <= width) {
    out << style.dim("  " + note) << '\n';
  } else {
    out << '\n' << style.lines_dim(wrap_text(note, width, "  ", "  "));
  }
}

void print_counts_table(std::ostream& out, const Style& style, const std::string& title,
                        const std::string& name_header, const std::vector<CountsRow>& rows,
                        const TextOptions& options) {
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
                 const std::vector<HostRow>& rows, const TextOptions& options) {
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

void print_days(std::ostream& out, const Style& style, const HistorySummary& history,
                const TextOptions& options) {
  const Series& all = history.overall;
  if (all.days.size() < 2) return;  // one day: the totals say it all
  const double top_rate = max_rate(all);
  print_title(
      out, style, "Per day (UTC)", 0, 0,
      fmt::format("bar: failure rate, full width = {}{}", percent(top_rate),
                  history.spread ? "; reports longer than a day are spread over their days" : ""),
      options.width);
  Table table({"DAY", "SESSIONS", "FAILED", "RATE", ""}, {true, false, false, false, true}, {4});
  for (std::size_t i = 0; i < all.days.size(); ++i) {
    const DayCounts& day = all.days[i];
    const Counts counts{day.successful, day.failed};
    const std::string date = format_day(day.day);
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
  table.print(out, style, "  ", options.width);
  const auto sparklines = [&](const std::string& title, const std::string& header,
                              const std::vector<Series>& list) {
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
  };
  sparklines("Senders by day", "ORGANIZATION", history.senders);
  sparklines("Domains by day", "POLICY DOMAIN", history.domains);
}

void print_trend(std::ostream& out, const Style& style, const HistorySummary& history,
                 const TextOptions& options) {
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
                    const TextOptions& options) {
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

std::string period_text(const DateRange& range) {
  return fmt::format("{} to {}", format_rfc3339(range.start), format_rfc3339(range.end));
}

std::string verdict_text(const Style& style, Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return style.green("READY");
    case Verdict::not_ready:
      return style.red("NOT READY");
    case Verdict::insufficient_data:
      return style.yellow("INSUFFICIENT DATA");
  }
  return "";
}

std::string verdict_plain(Verdict verdict) { return verdict_text(Style{false}, verdict); }

// "  [blocks]    text…", wrapped under the text.
void print_item(std::ostream& out, const Style& style, const CheckItem& item, std::size_t width) {
  std::string mark;
  switch (item.outcome) {
    case Verdict::ready:
      mark = "[ok]       ";
      break;
    case Verdict::not_ready:
      mark = "[blocks]   ";
      break;
    case Verdict::insufficient_data:
      mark = "[need data]";
      break;
  }
  const std::string lines =
      wrap_text(escape_for_terminal(item.message), width, "  " + mark + " ", std::string(14, ' '));
  const std::string colored = item.outcome == Verdict::ready       ? style.green(mark)
                              : item.outcome == Verdict::not_ready ? style.red(mark)
                                                                   : style.yellow(mark);
  out << "  " << colored << lines.substr(2 + mark.size());
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(std::min<std::size_t>(text.size(), 4 * kMaxShownColumns));
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++shown) {
    if (shown == kMaxShownColumns) {  // a terminal line of this is already unreadable
      out += fmt::format("\u2026 ({} more bytes)", text.size() - i);
      break;
    }
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

std::string format_diagnostic_line(const Diagnostic& diagnostic) {
  return fmt::format("tlsrpt: {}: {}{}", severity_name(diagnostic.severity),
                     escape_for_terminal(format_location(diagnostic)),
                     diagnostic.severity == Severity::error ? "; skipped" : "");
}

namespace {

void print_alert(std::ostream& out, const Style& style, const Alert& alert, std::size_t width) {
  const std::string lines =
      wrap_text(escape_for_terminal(alert.message), width, "  CRITICAL  ", std::string(12, ' '));
  out << "  "
      << (alert.level == AlertLevel::critical ? style.red("CRITICAL") : style.yellow("warning "))
      << lines.substr(10);
}

// "Enforce:   NOT READY for other-example.org; INSUFFICIENT DATA for 3 domains (a.example,
// b.example, c.example)": the domains grouped by verdict, worst first, a few names each.
void print_verdicts(std::ostream& out, const Style& style, const CheckResult& check,
                    const TextOptions& options) {
  constexpr std::size_t kNames = 3;
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
  std::string lines = wrap_text(fmt::format("{}; `tlsrpt check` says why", fmt::join(parts, "; ")),
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

}  // namespace

void render_summary_text(const Summary& summary, const TextOptions& options, std::ostream& out) {
  const Style style{options.color};
  const HistorySummary& history = summary.history;
  const auto line = [&](const std::string& label, const std::string& text) {
    out << wrap_text(text, options.width, fmt::format("  {:<11}", label), std::string(13, ' '));
  };
  out << style.bold("TLS-RPT summary") << '\n';
  if (summary.span) {
    std::string text =
        fmt::format("{} to {}", format_date(summary.span->start), format_date(summary.span->end));
    if (history.newest_end) {
      const std::int64_t age = history.now - *history.newest_end;
      text += age >= 0
                  ? fmt::format("; newest report ends {}, {} before now ({})",
                                format_rfc3339(*history.newest_end),
                                age < 3600             ? std::string("under an hour")
                                : age < kSecondsPerDay ? fmt::format("{} h", age / 3600)
                                : age < 2 * kSecondsPerDay
                                    ? std::string("1 day")
                                    : fmt::format("{} days", age / kSecondsPerDay),
                                format_rfc3339(history.now))
                  : fmt::format("; newest report ends {}, after now ({})",
                                format_rfc3339(*history.newest_end), format_rfc3339(history.now));
    }
    line("Period:", text);
  }
  {
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
    line("Reports:", text);
  }
  if (!summary.left_out_text.empty()) line("Left out:", summary.left_out_text);
  const std::uint64_t sessions = summary.totals.successful + summary.totals.failed;
  if (summary.reports > 0) {
    line("Sessions:",
         fmt::format("{} ({} successful, {} failed)", group_digits(sessions),
                     group_digits(summary.totals.successful), group_digits(summary.totals.failed)));
    const std::string rate = percent(failure_rate(summary.totals));
    const std::string lines = wrap_text(
        fmt::format("Failure rate: {} over all {} reports{}, weighted by volume", rate,
                    group_digits(summary.reports),
                    summary.span ? fmt::format(" ({} to {})", format_date(summary.span->start),
                                               format_date(summary.span->end))
                                 : std::string()),
        options.width, "  ", std::string(13, ' '));
    const std::size_t at = lines.find(rate);  // the rate in colour, the rest as it is
    out << lines.substr(0, at) << style.bold(rate_colored(style, summary.totals))
        << lines.substr(at + rate.size());
  }
  if (summary.dkim_pass + summary.dkim_fail > 0) {
    line("DKIM:",
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
  if (summary.check) print_verdicts(out, style, *summary.check, options);

  if (!history.alerts.empty()) {
    out << '\n' << style.bold(fmt::format("Alerts ({})", history.alerts.size())) << '\n';
    for (const Alert& alert : history.alerts) print_alert(out, style, alert, options.width);
  }
  if (summary.reports == 0) {
    if (summary.errors_total > 0) {
      out << '\n'
          << style.red(fmt::format("{} input{} could not be read (listed on stderr).",
                                   group_digits(summary.errors_total),
                                   summary.errors_total == 1 ? "" : "s"))
          << '\n';
    }
    return;
  }

  if (!summary.failure_types.empty()) {
    print_title(out, style, "Failure types, and what to do", summary.failure_types.size(),
                options.top);
    for (std::size_t i = 0; i < summary.failure_types.size() && i < options.top; ++i) {
      const FailureTypeRow& row = summary.failure_types[i];
      const std::string name =
          escape_for_terminal(row.result_type) + (row.known ? "" : " (unknown type)");
      // Where: the receiving MX hosts with most of this type's failures.
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
      const std::string head = fmt::format("{}: {} failed ({} of the itemized failures){}", name,
                                           group_digits(row.failed), percent(row.share), where);
      const std::string lines = wrap_text(head, options.width, "  ", "      ");
      out << "  " << style.bold(name) << lines.substr(2 + name.size());
      out << wrap_text(row.meaning, options.width, "    ", "    ");
      out << wrap_text(std::string("Do: ") + std::string(row.action), options.width, "    ",
                       "        ");
      for (const ReasonRow& reason : row.reasons) {
        if (reason.failure_reason_code.empty()) continue;
        std::string text =
            fmt::format("reason {} ({})", escape_for_terminal(reason.failure_reason_code),
                        sessions_text(reason.failed));
        if (reason.hint_id != row.hint_id) {
          text += ": ";
          text += remedy_for(parse_result_type(row.result_type), reason.failure_reason_code).action;
        }
        out << wrap_text(text, options.width, "    ", "      ");
      }
    }
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

  print_counts_table(out, style, "Senders", "ORGANIZATION", summary.senders, options);
  print_counts_table(out, style, "Policy domains", "POLICY DOMAIN", summary.domains, options);
  print_counts_table(out, style, "Policy types", "POLICY TYPE", summary.policy_types, options);
  std::uint64_t type_sessions = 0;
  for (const CountsRow& row : summary.policy_types)
    type_sessions += row.counts.successful + row.counts.failed;
  if (type_sessions > sessions) {
    out << style.lines_dim(wrap_text(
        "Rows add up to more than the total: a domain's tlsa and sts policies in one report "
        "describe the same sessions, counted once in the totals (docs/totals.md).",
        options.width, "  ", "  "));
  }
  print_hosts(out, style, "Receiving MX hosts with failures", summary.receiving_mx_hosts, options);
  print_hosts(out, style, "Receiving IPs with failures", summary.receiving_ips, options);
  print_hosts(out, style, "Sending IPs with failures", summary.sending_ips, options);
  print_days(out, style, history, options);
  print_trend(out, style, history, options);
  print_failures(out, style, history, options);
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

  if (summary.warnings_total > 0) {
    out << '\n'
        << wrap_text(
               fmt::format("{} report{} had format quirks ({} in all, most often {}); "
                           "tlsrpt coped. --verbose lists them on stderr.",
                           group_digits(summary.reports_with_warnings),
                           summary.reports_with_warnings == 1 ? "" : "s",
                           group_digits(summary.warnings_total),
                           summary.warning_groups.empty() ? std::string("-")
                                                          : summary.warning_groups.front().code),
               options.width, "", "");
  }
  if (summary.errors_total > 0) {
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
          fmt::format("submitter {}, domain {}, {}{}", parts->submitter, parts->policy_domain,
                      parts->times_out_of_range
                          ? std::string("times out of range")
                          : format_rfc3339(parts->begin) + " to " + format_rfc3339(parts->end),
                      parts->unique_id.empty() ? "" : ", id " + parts->unique_id));
  }
  const std::vector<bool> counted = counted_policies(report);
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const std::string type(policy_type_label(policy));
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
  for (const Alert& alert : alerts) print_alert(out, style, alert, options.width);
}

void render_check_text(const CheckResult& result, const CheckOptions& options,
                       const TextOptions& text, std::ostream& out) {
  const Style style{text.color};
  out << style.bold("MTA-STS enforce check: ") << style.bold(verdict_text(style, result.verdict))
      << '\n';
  out << "  Now:       " << format_rfc3339(result.now);
  if (result.newest_end) out << "; newest report ends " << format_rfc3339(*result.newest_end);
  out << '\n';
  out << fmt::format("  Window:    {} to {} ({} days)\n", format_day(result.window_first_day),
                     format_day(result.window_last_day), options.window_days);
  out << wrap_text(fmt::format("failure rate at most {}, reports on at least {} days, a "
                               "failure blocks after {} report periods, data at most {} days old",
                               percent(options.max_failure_rate), options.min_days,
                               options.persistent_periods, options.time.stale_days),
                   text.width, "  Limits:    ", std::string(13, ' '));
  for (const CheckItem& item : result.items) print_item(out, style, item, text.width);
  if (!result.domains.empty()) {
    out << '\n';
    Table table({"POLICY DOMAIN", "VERDICT", "SESSIONS", "FAILED", "RATE", "DAYS"},
                {true, true, false, false, false, false});
    for (const DomainCheck& domain : result.domains) {
      const Counts counts{domain.successful, domain.failed};
      const std::string name = escape_for_terminal(domain.domain);
      std::vector<std::string> plain{name,
                                     verdict_plain(domain.verdict),
                                     group_digits(domain.successful + domain.failed),
                                     group_digits(domain.failed),
                                     percent(failure_rate(counts)),
                                     std::to_string(domain.days_covered)};
      std::vector<std::string> cells = plain;
      cells[1] = verdict_text(style, domain.verdict);
      table.add(std::move(cells), std::move(plain));
    }
    table.print(out, style, "  ", text.width);
  }
  for (const DomainCheck& domain : result.domains) {
    out << '\n'
        << style.bold(escape_for_terminal(domain.domain)) << ": "
        << verdict_text(style, domain.verdict) << '\n';
    for (const CheckItem& item : domain.items) print_item(out, style, item, text.width);
  }
  std::string closing;
  switch (result.verdict) {
    case Verdict::ready:
      closing =
          "The reports support moving the MTA-STS policy to mode: enforce. Keep watching "
          "afterwards.";
      break;
    case Verdict::not_ready:
      closing =
          "Fix what is marked [blocks] first: under mode: enforce that mail would not be "
          "delivered.";
      break;
    case Verdict::insufficient_data:
      closing =
          "Nothing blocks yet, but there is not enough data to be sure: keep mode: testing and "
          "check again.";
      break;
  }
  out << '\n' << wrap_text(closing, text.width, "", "");
}

}  // namespace tlsrpt
