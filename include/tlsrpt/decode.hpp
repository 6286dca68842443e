// JSON text → Report. Tolerable deviations from RFC 8460 (../docs/quirks.md) become warnings
// with the JSON path; what makes a report unusable throws InputError.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/error.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct DecodeResult {
  // False when the JSON is valid but not a TLS report (a DMARC report in JSON, other JSON);
  // `not_report_reason` then says why and `report` is empty.
  bool is_report = true;
  std::string not_report_reason;
  Report report;
  // Severity warning; `where` is the JSON path, `file` empty (the caller knows it).
  std::vector<Diagnostic> warnings;
};

// Throws InputError with a JSON path or "byte N" when the text is not JSON, nests deeper
// than kMaxJsonDepth, or is a TLS report missing what totals need (policies, summaries,
// dates) or carrying impossible counts (negative, fractional, absurd).
DecodeResult decode_report(std::string_view json_text);

}  // namespace tlsrpt
