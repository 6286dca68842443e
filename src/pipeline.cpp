#include "tlsrpt/pipeline.hpp"

#include <fmt/format.h>

#include "tlsrpt/decode.hpp"
#include "tlsrpt/gzip.hpp"
#include "tlsrpt/input.hpp"

namespace tlsrpt {

bool decode_payload(std::string_view bytes, const std::string& file, const Limits& limits,
                    Report& report, std::vector<Diagnostic>& warnings, std::string& reason) {
  std::string inflated;
  std::string_view json_text = bytes;
  switch (sniff_payload(bytes)) {
    case PayloadKind::gzip:
      inflated = gunzip(bytes, limits.max_inflated_bytes);
      json_text = inflated;
      if (sniff_payload(json_text) != PayloadKind::json) {
        reason = sniff_payload(json_text) == PayloadKind::empty
                     ? "gzip holding nothing, not a TLS report"
                     : "gzip holding something other than JSON, not a TLS report";
        return false;
      }
      break;
    case PayloadKind::json:
      break;
    case PayloadKind::empty:
      reason = "empty file";
      return false;
    case PayloadKind::other:
      reason = "neither JSON nor gzip, not a TLS report";
      return false;
  }
  DecodeResult result = decode_report(json_text);
  if (!result.is_report) {
    reason = std::move(result.not_report_reason);
    return false;
  }
  for (Diagnostic& warning : result.warnings) {
    warning.file = file;
    warnings.push_back(std::move(warning));
  }
  report = std::move(result.report);
  return true;
}

void run_pipeline(const std::vector<std::string>& paths, const Limits& limits,
                  std::istream& standard_input, const PipelineSinks& sinks) {
  const auto visit = [&](const std::string& path) {
    try {
      const std::string bytes = path == "-" ? read_stream_capped(standard_input, limits.max_file_bytes)
                                            : read_file_capped(path, limits.max_file_bytes);
      DecodedReport decoded{path, {}};
      std::vector<Diagnostic> warnings;
      std::string reason;
      if (!decode_payload(bytes, path, limits, decoded.report, warnings, reason)) {
        sinks.diagnostic(Diagnostic{Severity::note, path, "", reason, "not_a_report"});
        return;
      }
      for (Diagnostic& warning : warnings) sinks.diagnostic(std::move(warning));
      sinks.report(std::move(decoded));
    } catch (const InputError& error) {
      sinks.diagnostic(Diagnostic{Severity::error, path, error.where(), error.detail(),
                                  "input_error"});
    }
  };
  walk_paths(paths, visit, [&](Diagnostic problem) { sinks.diagnostic(std::move(problem)); });
}

}  // namespace tlsrpt
