// Shared by the text renderer's files (render_text_*.cpp): colour, tables that fit the terminal,
// section titles, verdict and alert marks. Internal to the text renderer.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "tlsrpt/gate.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/output.hpp"
#include "tlsrpt/report.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt::text_detail {

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
std::string sessions_text(std::uint64_t count);
inline std::string percent(double fraction) { return format_percent(fraction); }
// The rate, yellow from 1% and red from 5% (RFC8460.md §4: below 1% healthy, above 5% a real
// configuration problem).
std::string rate_colored(const Style& style, const Counts& counts);

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
             std::size_t max_width = std::numeric_limits<std::size_t>::max()) const;

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
std::string top_note(std::size_t shown, std::size_t total);
// A section title with its "(top N of M)" and a note, which goes under the title when the line
// would not fit.
void print_title(std::ostream& out, const Style& style, const std::string& title, std::size_t rows,
                 std::size_t top, const std::string& note = "", std::size_t width = 80);
// `text` wrapped after `first`, the next lines indented by `indent` columns.
inline void wrapped(std::ostream& out, const std::string& first, std::size_t indent,
                    std::string_view text, std::size_t width) {
  out << wrap_text(text, width, first, std::string(indent, ' '));
}

// READY, NOT READY, INSUFFICIENT DATA, coloured (or plain).
std::string verdict_text(const Style& style, Verdict verdict);
std::string verdict_plain(Verdict verdict);
// "  [blocks]    text…", wrapped under the text.
void print_item(std::ostream& out, const Style& style, const CheckItem& item, std::size_t width);
// "  CRITICAL  text…" or "  warning   text…", wrapped under the text.
void print_alert(std::ostream& out, const Style& style, const Alert& alert, std::size_t width);
// "Skipped:   N inputs could not be read …" under a verdict or the alerts, when inputs were.
void print_skipped(std::ostream& out, const Style& style, std::uint64_t skipped,
                   std::size_t width);

}  // namespace tlsrpt::text_detail
