// TLS-RPT over mail (RFC 8460 §5.3): which parts of a message carry a report, where each report
// came from, and whether the receiving server saw a DKIM pass for the submitter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/decoded_report.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/report.hpp"

namespace tlsrpt {

// Parses the base name of `name` (directories stripped); nullopt when it does not follow the
// convention.
std::optional<ReportFileName> parse_report_filename(std::string_view name);

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

}  // namespace tlsrpt
