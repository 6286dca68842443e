// `summary --format html`: one self-contained page (inline CSS and SVG, no script, no request
// leaves it) with the same numbers as `--format json`. Every string from a report is escaped for
// the context it lands in, and a Content-Security-Policy forbids scripts and remote content.
#pragma once

#include <ostream>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/output.hpp"

namespace tlsrpt {

// `top` rows of each long table are shown, the rest folded in <details> (at most
// kMaxFoldedRows more: the JSON has them all).
inline constexpr std::size_t kMaxFoldedRows = 500;
// Senders in the heat map (by sessions), and days (the most recent).
inline constexpr std::size_t kHeatMapSenders = 30;
inline constexpr std::size_t kHeatMapDays = 62;

void render_summary_html(const Summary& summary, const OutputOptions& options, std::ostream& out);

// Text for HTML element content and quoted attribute values: &, <, >, " and ' escaped, control
// characters and invalid UTF-8 shown as \xNN (as on a terminal).
std::string html_text(std::string_view text);

}  // namespace tlsrpt
