// MTA-STS policy text (RFC 8461 §3.2) as senders echo it in a report's policy-string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tlsrpt {

enum class StsMode { enforce, testing, none, unknown };

std::string_view sts_mode_name(StsMode mode);

struct StsPolicy {
  std::string version;  // "STSv1" when valid
  StsMode mode = StsMode::unknown;
  std::string mode_text;  // as sent
  std::vector<std::string> mx;
  std::optional<std::uint64_t> max_age;
  std::vector<std::pair<std::string, std::string>> extensions;  // other keys, kept as sent
  // Problems found while parsing, e.g. "line 3: max_age is not a number". Never fatal:
  // the policy is what the sender applied, valid or not.
  std::vector<std::string> problems;
};

// Parses `key: value` lines in any order, trimming spaces; tolerates trailing CR.
StsPolicy parse_sts_policy(const std::vector<std::string>& lines);

// RFC 8461 §4.1: "*.example.com" matches exactly one leftmost label. Case-insensitive;
// a trailing dot on either side is ignored.
bool mx_pattern_matches(std::string_view pattern, std::string_view host);

}  // namespace tlsrpt
