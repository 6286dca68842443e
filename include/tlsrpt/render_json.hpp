// Machine output, the contract documented in docs/json-output.md. Always valid UTF-8: invalid
// bytes from reports are replaced with U+FFFD.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

inline constexpr int kJsonSchemaVersion = 2;

nlohmann::ordered_json summary_to_json(const Summary& summary);
// The same document as write_json(summary_to_json(summary)), written list element by list element
// so that memory holds one element at a time.
void write_summary_json(const Summary& summary, std::ostream& out);
// One decoded report with where it came from and its warnings.
nlohmann::ordered_json report_to_json(const DecodedReport& decoded);
// The `show` document: {"schema_version", "reports": [...], "errors": [...], "notes": [...]}.
nlohmann::ordered_json show_to_json(const std::vector<DecodedReport>& reports,
                                    const std::vector<Diagnostic>& errors,
                                    const std::vector<Diagnostic>& notes);
nlohmann::ordered_json diagnostic_to_json(const Diagnostic& diagnostic);
// `check --format json`: the verdict, every item, the window and the major senders; `summary`
// supplies the errors of the run.
nlohmann::ordered_json check_to_json(const CheckResult& result, const CheckOptions& options,
                                     const Summary& summary);
// `alerts --format json`.
nlohmann::ordered_json alerts_to_json(const Summary& summary);

// Pretty-printed with two-space indent and a final newline.
void write_json(const nlohmann::ordered_json& document, std::ostream& out);

}  // namespace tlsrpt
