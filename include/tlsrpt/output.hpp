// What every renderer shares: how output is shaped (OutputOptions), the version of the JSON
// contract, and making untrusted text safe for a terminal. Renderers include this, never each
// other.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tlsrpt/error.hpp"

namespace tlsrpt {

// The version of every JSON document's contract (docs/json-output.md).
inline constexpr int kJsonSchemaVersion = 2;

struct OutputOptions {
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

// "tlsrpt: error: file: where: message; skipped" for stderr, escaped.
std::string format_diagnostic_line(const Diagnostic& diagnostic);

}  // namespace tlsrpt
