// Human output: aligned tables, optional colour, every report string escaped.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct TextOptions {
  bool color = false;
  bool verbose = false;
  std::size_t top = 10;    // rows per long table
  std::size_t width = 80;  // terminal columns: long lines wrap, wide tables shed columns
};

// Report strings shown on a terminal are cut after this many characters ("… (N more bytes)");
// JSON, NDJSON and CSV keep them whole.
inline constexpr std::size_t kMaxShownColumns = 1000;

// Makes untrusted text safe for a terminal: C0/C1 controls and DEL become \n, \r, \t, \xNN or
// \u{NN}; invalid UTF-8 bytes become \xNN; everything else (including valid UTF-8) is kept, up
// to kMaxShownColumns characters.
std::string escape_for_terminal(std::string_view text);

void render_summary_text(const Summary& summary, const TextOptions& options, std::ostream& out);
// One report with where it came from (file, message, attachment, DKIM verdict) and its warnings.
void render_report_text(const DecodedReport& decoded, const TextOptions& options,
                        std::ostream& out);

// The enforce-readiness verdict with every reason.
void render_check_text(const CheckResult& result, const CheckOptions& options,
                       const TextOptions& text, std::ostream& out);
// Alerts, most severe first, or a line saying there are none.
void render_alerts_text(const std::vector<Alert>& alerts, const TextOptions& options,
                        std::ostream& out);

// "tlsrpt: error: file: where: message" for stderr, escaped.
std::string format_diagnostic_line(const Diagnostic& diagnostic);

}  // namespace tlsrpt
