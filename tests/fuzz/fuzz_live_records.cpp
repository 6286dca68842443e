// libFuzzer target: what the live check and the IMAP fetch read from the network or the command
// line before anything else: DNS record data (TXT, MX, A/AAAA, TLSA), the TLSRPT and MTA-STS TXT
// records, an MTA-STS policy body, --connect-to entries, imaps:// URLs and modified UTF-7 names.
// The first byte picks the parser; the rest is its input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tlsrpt/dns.hpp"
#include "tlsrpt/imap_fetch.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/sts_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 8) {
    case 0:
      if (auto text = tlsrpt::txt_text(input)) {
        (void)tlsrpt::parse_tlsrpt_record(*text);
        (void)tlsrpt::parse_sts_record(*text);
      }
      break;
    case 1:
      if (auto mx = tlsrpt::mx_record(input); mx && mx->host.size() > 253) __builtin_trap();
      break;
    case 2:
      (void)tlsrpt::address_text(input);
      if (auto tlsa = tlsrpt::tlsa_record(input)) (void)tlsrpt::tlsa_usable(*tlsa);
      break;
    case 3:
      (void)tlsrpt::parse_tlsrpt_record(input);
      break;
    case 4:
      (void)tlsrpt::parse_sts_record(input);
      break;
    case 5: {
      std::vector<std::string> lines;
      std::size_t at = 0;
      while (at <= input.size()) {
        const auto end = std::min(input.find('\n', at), input.size());
        lines.emplace_back(input.substr(at, end - at));
        at = end + 1;
      }
      const tlsrpt::StsPolicy policy = tlsrpt::parse_sts_policy(lines);
      for (const std::string& pattern : policy.mx)
        (void)tlsrpt::mx_pattern_matches(pattern, "mx.example.com");
      break;
    }
    case 6: {
      std::string error;
      (void)tlsrpt::parse_imap_url(input, error);
      (void)tlsrpt::connect_to_target({std::string(input)}, "mx.example.com", 25);
      break;
    }
    case 7:
      (void)tlsrpt::modified_utf7(input);
      break;
  }
  return 0;
}
