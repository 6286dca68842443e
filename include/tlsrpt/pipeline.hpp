// Runs the stages over every input: path → bytes → payload → Report. Catches InputError around
// each input so one bad file never stops the run; everything said about an input becomes a
// Diagnostic naming the file.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "tlsrpt/error.hpp"
#include "tlsrpt/limits.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct DecodedReport {
  std::string file;
  Report report;
};

struct PipelineSinks {
  std::function<void(DecodedReport&&)> report;
  std::function<void(Diagnostic&&)> diagnostic;
};

// Decodes every report named by `paths` ("-" reads `standard_input`), in order, handing each to
// `sinks.report` and everything noticed to `sinks.diagnostic`: errors for inputs skipped, warnings
// for quirks in reports that were kept, notes for files that are not TLS reports.
void run_pipeline(const std::vector<std::string>& paths, const Limits& limits,
                  std::istream& standard_input, const PipelineSinks& sinks);

// Decodes one payload (gzip or JSON bytes) from `file`. Throws InputError like decode_report,
// or when the bytes are neither. Returns false with `reason` set when the payload is not a TLS
// report. Warnings are appended with `file` filled in.
bool decode_payload(std::string_view bytes, const std::string& file, const Limits& limits,
                    Report& report, std::vector<Diagnostic>& warnings, std::string& reason);

}  // namespace tlsrpt
