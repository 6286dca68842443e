// libFuzzer target: the mail layer end to end. A whole message through part selection, the
// provenance of each report part (file-name convention included), its payload decoded, and the
// provenance checked against the report; then the part shown as the renderers show it.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "tlsrpt/decode.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/gzip.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tlsrpt::MailScan scan = tlsrpt::scan_message(
        tlsrpt::parse_message(std::string_view(reinterpret_cast<const char*>(data), size)));
    for (tlsrpt::ReportPart& part : scan.parts) {
      tlsrpt::DecodedReport decoded;
      decoded.file = "fuzz.eml";
      decoded.where = tlsrpt::join_where("message 1", "part " + part.number);
      decoded.provenance = scan.provenance;
      decoded.provenance.part = part.number;
      decoded.provenance.filename = part.filename;
      decoded.provenance.filename_parts = tlsrpt::parse_report_filename(part.filename);
      try {
        std::string json = part.body;
        if (tlsrpt::has_gzip_magic(json)) json = tlsrpt::gunzip(json, 1 << 20);
        tlsrpt::DecodeResult result = tlsrpt::decode_report(json);
        if (!result.is_report) continue;
        decoded.report = std::move(result.report);
        decoded.warnings = tlsrpt::check_provenance(decoded.report, decoded.provenance);
      } catch (const tlsrpt::InputError&) {
      }
      std::ostringstream out;
      tlsrpt::render_report_text(decoded, tlsrpt::OutputOptions{}, out);
      tlsrpt::write_report_json(decoded, out);
    }
  } catch (const tlsrpt::InputError&) {
  }
  return 0;
}
