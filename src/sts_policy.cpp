#include "tlsrpt/sts_policy.hpp"

#include <charconv>

#include <fmt/format.h>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

std::string_view strip_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

}  // namespace

std::string_view sts_mode_name(StsMode mode) {
  switch (mode) {
    case StsMode::enforce:
      return "enforce";
    case StsMode::testing:
      return "testing";
    case StsMode::none:
      return "none";
    case StsMode::unknown:
      return "";
  }
  return "";
}

StsPolicy parse_sts_policy(const std::vector<std::string>& lines) {
  StsPolicy policy;
  bool saw_mode = false;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const std::string_view line = trim(lines[index]);
    if (line.empty()) continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      policy.problems.push_back(fmt::format("line {}: no \"key: value\"", index + 1));
      continue;
    }
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (key == "version") {
      policy.version = value;
    } else if (key == "mode") {
      saw_mode = true;
      policy.mode_text = value;
      if (value == "enforce") {
        policy.mode = StsMode::enforce;
      } else if (value == "testing") {
        policy.mode = StsMode::testing;
      } else if (value == "none") {
        policy.mode = StsMode::none;
      } else {
        policy.problems.push_back(fmt::format("line {}: unknown mode \"{}\"", index + 1, value));
      }
    } else if (key == "mx") {
      policy.mx.emplace_back(value);
    } else if (key == "max_age") {
      std::uint64_t seconds = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (error != std::errc{} || end != value.data() + value.size()) {
        policy.problems.push_back(fmt::format("line {}: max_age is not a number", index + 1));
      } else {
        policy.max_age = seconds;
        // RFC 8461 §3.2: max_age is at most 31557600 (one year).
        if (seconds > 31557600) {
          policy.problems.push_back(fmt::format("line {}: max_age above 31557600", index + 1));
        }
      }
    } else {
      // Other keys are extensions (RFC 8461 §3.2): kept, never an error.
      policy.extensions.emplace_back(key, value);
    }
  }
  if (policy.version != "STSv1") policy.problems.emplace_back("no \"version: STSv1\"");
  if (!saw_mode) policy.problems.emplace_back("no mode");
  // RFC 8461 §3.2: mx lines are required unless the mode is none.
  if (policy.mx.empty() && policy.mode != StsMode::none) policy.problems.emplace_back("no mx");
  if (!policy.max_age) policy.problems.emplace_back("no max_age");
  return policy;
}

bool mx_pattern_matches(std::string_view pattern, std::string_view host) {
  pattern = strip_dot(trim(pattern));
  host = strip_dot(trim(host));
  if (pattern.empty() || host.empty()) return false;
  if (pattern.starts_with("*.")) {
    const std::string_view suffix = pattern.substr(1);  // ".example.com"
    if (host.size() <= suffix.size()) return false;
    const std::string_view label = host.substr(0, host.size() - suffix.size());
    return label.find('.') == std::string_view::npos &&
           iequals(host.substr(host.size() - suffix.size()), suffix);
  }
  return iequals(pattern, host);
}

}  // namespace tlsrpt
