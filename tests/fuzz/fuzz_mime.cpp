// libFuzzer target: MIME message parsing and report-part selection.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlsrpt/error.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/mime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tlsrpt::MailScan scan = tlsrpt::scan_message(
        tlsrpt::parse_message(std::string_view(reinterpret_cast<const char*>(data), size)));
    for (const tlsrpt::ReportPart& part : scan.parts)
      (void)tlsrpt::parse_report_filename(part.filename);
  } catch (const tlsrpt::InputError&) {
  }
  return 0;
}
