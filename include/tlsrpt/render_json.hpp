// Machine output, the contract documented in docs/json-output.md, written by the one JsonWriter
// (json_writer.hpp). Always valid UTF-8: bytes from reports that are not UTF-8 become U+FFFD.
// render_json_*.cpp hold one document each.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/decoded_report.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/imap_fetch.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/output.hpp"

namespace tlsrpt {

// `summary --format json`, written list element by list element so that memory holds one element
// at a time. With `live` (summary --live), the live findings, states and reported failures at the
// end.
void write_summary_json(const Summary& summary, std::ostream& out, const LiveCheck* live = nullptr);
// `check --format json`: the verdict, the window, the limits, a verdict per policy domain, and
// what the run could not read. With `live` (check --live), the live state too.
void write_check_json(const Summary& summary, std::ostream& out, const LiveCheck* live = nullptr);
// `alerts --format json`.
void write_alerts_json(const Summary& summary, std::ostream& out);
// `show --format json`: {"schema_version", "reports": [...], "errors": [...], "notes": [...]}.
void write_show_json(const std::vector<DecodedReport>& reports,
                     const std::vector<Diagnostic>& errors, const std::vector<Diagnostic>& notes,
                     std::ostream& out);
// `fetch --format json`: what a fetch did (docs/fetch.md).
void write_fetch_json(const FetchResult& result, const std::string& maildir, std::ostream& out);
// One decoded report with where it came from and its warnings, as a document of its own.
void write_report_json(const DecodedReport& decoded, std::ostream& out);
// `domain --format json`: {"schema_version", "now", "findings", "live_domains",
// "reported_failures"}.
void write_domain_json(const LiveCheck& live, std::ostream& out);

}  // namespace tlsrpt
