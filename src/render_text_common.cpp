// The text renderer's shared parts (render_text_internal.hpp).
#include <algorithm>

#include "render_text_internal.hpp"

namespace tlsrpt::text_detail {

std::string sessions_text(std::uint64_t count) {
  return fmt::format("{} session{}", group_digits(count), count == 1 ? "" : "s");
}

std::string rate_colored(const Style& style, const Counts& counts) {
  const double rate = failure_rate(counts);
  const std::string text = percent(rate);
  if (rate >= 0.05) return style.red(text);
  if (rate >= 0.01) return style.yellow(text);
  return text;
}

namespace {

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

}  // namespace

void Table::print(std::ostream& out, const Style& style, const std::string& indent,
                std::size_t max_width) const {
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

std::string top_note(std::size_t shown, std::size_t total) {
  return shown < total ? fmt::format(" (top {} of {}; --top to see more)", shown, total) : "";
}

void print_title(std::ostream& out, const Style& style, const std::string& title, std::size_t rows,
                 std::size_t top, const std::string& note, std::size_t width) {
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

void print_alert(std::ostream& out, const Style& style, const Alert& alert, std::size_t width) {
  const std::string lines =
      wrap_text(escape_for_terminal(alert.message), width, "  CRITICAL  ", std::string(12, ' '));
  out << "  "
      << (alert.level == AlertLevel::critical ? style.red("CRITICAL") : style.yellow("warning "))
      << lines.substr(10);
}

void print_skipped(std::ostream& out, const Style& style, std::uint64_t skipped,
                   std::size_t width) {
  if (skipped == 0) return;
  out << style.lines_yellow(wrap_text(
      fmt::format("{} input{} could not be read and {} left out (listed on stderr)",
                  group_digits(skipped), skipped == 1 ? "" : "s", skipped == 1 ? "was" : "were"),
      width, "  Skipped:   ", std::string(13, ' ')));
}

}  // namespace tlsrpt::text_detail
