// TLS-RPT over mail (RFC 8460 §5.3): which parts of a message carry a report, where each report
// came from, and whether the receiving server saw a DKIM pass for the submitter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/error.hpp"
#include "tlsrpt/mime.hpp"
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

// Parses the base name of `name` (directories stripped); nullopt when it does not follow the
// convention.
std::optional<ReportFileName> parse_report_filename(std::string_view name);

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

// A part that looks like it carries a report (by content, media type or file name).
struct ReportPart {
  std::string number;
  std::string filename;
  std::string media_type;
  std::string body;
  std::string decode_error;  // transfer decoding failed; body empty
};

struct MailScan {
  Provenance provenance;  // message-level fields; part/filename empty
  std::vector<ReportPart> parts;
  // When `parts` is empty: why this message is not a TLS report (DMARC, bounce, ordinary mail).
  std::string not_report_reason;
};

// Finds the report-bearing parts of `message`. Decides by content (gzip, zip, JSON) and by media
// type and file name, never by media type alone; human-readable text parts are passed over.
MailScan scan_message(Message&& message, const std::vector<std::string>& trusted_authserv_ids = {});

// The receiving server's DKIM verdict for `submitter_domain`: only the topmost
// Authentication-Results header's authserv-id is trusted (RFC 8601 §5), since any hop before it
// could have written the others.
// With `trusted` (lower-cased authserv-ids) the verdict comes from the topmost header of a trusted
// server, none when no trusted server added one: a sender's own Authentication-Results is never
// taken for the receiver's.
DkimVerdict dkim_verdict(const Headers& headers, std::string_view submitter_domain,
                         std::string& signing_domain, std::string& authserv_id,
                         const std::vector<std::string>& trusted = {});

// Warnings where the message or the file name contradicts the report: TLS-Report-Domain or the
// file name's policy domain not among the report's policy domains; the file name's period not the
// report's date-range. `file` and `where` are filled in by the caller.
std::vector<Diagnostic> check_provenance(const Report& report, const Provenance& provenance);

// "<local@domain>" or "Name <local@domain>" or "local@domain" → "domain", lower-cased.
std::string address_domain(std::string_view address);

// A report as the pipeline hands it on: the model, where it came from, and its quirks. The
// renderers and export take it; they never need the pipeline that made it.
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

// "a: b" without empty parts.
std::string join_where(const std::string& outer, const std::string& inner);

// The error diagnostic for an input skipped at `where` in `file` because of `error`.
Diagnostic skipped_input(const std::string& file, const std::string& where,
                         const InputError& error);

}  // namespace tlsrpt
