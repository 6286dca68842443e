// A report as the reading stages hand it on: the RFC 8460 model, where it came from (file,
// message, attachment, the receiving server's DKIM verdict) and its quirks. Part of the model
// layer: the aggregates, the renderers and export take it without knowing mail, MIME or the
// pipeline that made it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/error.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

enum class DkimVerdict { none, pass, fail };

std::string_view dkim_verdict_name(DkimVerdict verdict);

// RFC 8460 §5.1 file name: submitter!policy-domain!begin!end[!unique-id].json[.gz]
struct ReportFileName {
  std::string submitter;
  std::string policy_domain;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::string unique_id;
  bool times_out_of_range = false;  // begin or end beyond the years 0000-9999: both taken as 0
};

// Where a report came from. Empty strings for what is unknown (a plain file has no Message-ID).
struct Provenance {
  std::string mailbox;              // the mbox holding the message; "" otherwise
  std::uint64_t message_index = 0;  // 1-based position in the mbox; 0 when not from an mbox
  std::string message_id;
  std::string date;
  std::string from;
  std::string subject;  // RFC 2047 decoded
  std::string tls_report_domain;
  std::string tls_report_submitter;
  std::string part;      // MIME part number of the attachment
  std::string filename;  // attachment file name, or the file's own name
  std::optional<ReportFileName> filename_parts;
  DkimVerdict dkim = DkimVerdict::none;
  std::string dkim_domain;  // header.d of the aligned passing signature
  std::string authserv_id;  // the server whose Authentication-Results was read
};

// A report as the pipeline hands it on: the model, where it came from, and its quirks.
struct DecodedReport {
  std::string file;   // the input file as named ("-" for stdin)
  std::string where;  // the place in it: "message 3 <id>: part 2 (x.json.gz)"; "" for a plain file
  Report report;
  ReportIdentity identity;  // identify(report), worked out on the decoding thread
  Provenance provenance;
  // Quirks of this report (severity warning, file and where filled in). Not sent to
  // PipelineSinks::diagnostic: the receiver decides, e.g. not to count a duplicate's warnings.
  std::vector<Diagnostic> warnings;
};

}  // namespace tlsrpt
