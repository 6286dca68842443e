// Runs the stages over every input: path → bytes → (mbox → message → part →) payload → Report.
// Catches InputError around each file, message, attachment and zip entry, so one bad input never
// stops the run; everything said about an input becomes a Diagnostic naming the file and the place
// in it.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "tlsrpt/error.hpp"
#include "tlsrpt/limits.hpp"
#include "tlsrpt/decoded_report.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct PipelineSinks {
  std::function<void(DecodedReport&&)> report;
  // Errors (input skipped) and notes (not a TLS report).
  std::function<void(Diagnostic&&)> diagnostic;
  // Called before each file is read (optional; for a progress display).
  std::function<void(const std::string& file)> file = nullptr;
};

// Decodes every report named by `paths` ("-" reads `standard_input`), in order. Each path may be
// a report file (JSON, gzip, zip), a message (.eml), an mbox, a directory or a Maildir. With
// `jobs` > 1, files are decoded on that many threads; the sinks are still called on the calling
// thread, in the same order and with the same events as with one job (mboxes and stdin are read by
// the calling thread, message by message).
void run_pipeline(const std::vector<std::string>& paths, const Limits& limits,
                  std::istream& standard_input, const PipelineSinks& sinks, unsigned jobs = 1);

}  // namespace tlsrpt
