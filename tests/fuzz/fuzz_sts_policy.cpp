// libFuzzer target: MTA-STS policy-string parsing and mx pattern matching.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/sts_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  const tlsrpt::StsPolicy policy = tlsrpt::parse_sts_policy(lines);
  for (const std::string& pattern : policy.mx) {
    for (const std::string& line : lines) (void)tlsrpt::mx_pattern_matches(pattern, line);
  }
  return 0;
}
