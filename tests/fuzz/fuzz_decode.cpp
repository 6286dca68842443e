// libFuzzer target: JSON report decoding, then rendering the report for a terminal. Property: no
// crash, and no raw ESC/C0 control byte reaches the text output without colour.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "tlsrpt/decode.hpp"
#include "tlsrpt/pipeline.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    tlsrpt::DecodeResult result = tlsrpt::decode_report(text);
    if (!result.is_report) return 0;
    tlsrpt::DecodedReport decoded;
    decoded.report = std::move(result.report);
    decoded.warnings = std::move(result.warnings);
    std::ostringstream out;
    tlsrpt::render_report_text(decoded, tlsrpt::OutputOptions{}, out);
    for (const char c : out.str()) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\n') || byte == 0x7f) __builtin_trap();
    }
    std::ostringstream json;
    tlsrpt::write_report_json(decoded, json);
  } catch (const tlsrpt::InputError&) {
  }
  return 0;
}
