// The DNS records of the live check, parsed as senders parse them; --connect-to entries.
#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "tlsrpt/live.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

// "a=b; c=d" → (name, value) pairs, each trimmed; empty fields (a trailing ";") dropped.
// A field without "=" has an empty name and the field as its value.
std::vector<std::pair<std::string, std::string>> record_fields(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const std::string_view field = trim(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    if (field.empty()) continue;
    const auto equals = field.find('=');
    if (equals == std::string_view::npos) {
      fields.emplace_back("", field);
    } else {
      fields.emplace_back(trim(field.substr(0, equals)), trim(field.substr(equals + 1)));
    }
  }
  return fields;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

std::string_view finding_severity_name(FindingSeverity severity) {
  switch (severity) {
    case FindingSeverity::blocks:
      return "blocks";
    case FindingSeverity::warning:
      return "warning";
    case FindingSeverity::info:
      return "info";
    case FindingSeverity::ok:
      return "ok";
  }
  return "info";
}

TlsrptRecord parse_tlsrpt_record(std::string_view text) {
  TlsrptRecord record;
  record.text = text;
  const auto fields = record_fields(text);
  bool saw_rua = false;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    if (i == 0) {
      if (name != "v" || value != "TLSRPTv1")
        record.problems.emplace_back("does not start v=TLSRPTv1");
      continue;
    }
    if (name.empty()) {
      record.problems.push_back(fmt::format("field \"{}\" has no \"=\"", value));
    } else if (name == "rua") {
      saw_rua = true;
      std::string_view list = value;
      while (true) {
        const auto comma = list.find(',');
        const std::string_view uri = trim(list.substr(0, comma));
        if (starts_with_nocase(uri, "mailto:") && uri.size() > 7) {
          record.rua.emplace_back(uri);
        } else if (starts_with_nocase(uri, "https://") && uri.size() > 8) {
          record.rua.emplace_back(uri);
        } else {
          record.problems.push_back(
              fmt::format("rua \"{}\" is neither a mailto: nor an https: URI", uri));
        }
        if (comma == std::string_view::npos) break;
        list = list.substr(comma + 1);
      }
    } else {
      record.extensions.emplace_back(name, value);  // RFC 8460 §3: extensions are allowed
    }
  }
  if (!saw_rua) record.problems.emplace_back("no rua= field: senders have nowhere to report");
  return record;
}

StsRecord parse_sts_record(std::string_view text) {
  StsRecord record;
  record.text = text;
  const auto fields = record_fields(text);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    if (i == 0) {
      if (name != "v" || value != "STSv1") record.problems.emplace_back("does not start v=STSv1");
    } else if (name == "id") {
      record.id = value;
    }
    // Other fields are ignored (RFC 8461 §3.1).
  }
  const bool alphanumeric = std::all_of(record.id.begin(), record.id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
  if (record.id.empty()) {
    record.problems.emplace_back("no id= field");
  } else if (record.id.size() > 32 || !alphanumeric) {
    record.problems.push_back(
        fmt::format("id \"{}\" is not 1 to 32 letters and digits", record.id));
  }
  return record;
}

std::optional<std::pair<std::string, int>> connect_to_target(
    const std::vector<std::string>& entries, std::string_view host, int port) {
  for (const std::string& entry : entries) {
    // HOST:PORT:ADDR:PORT, ADDR possibly an IPv6 address in brackets.
    std::string_view rest = entry;
    const auto first = rest.find(':');
    if (first == std::string_view::npos) continue;
    const std::string_view from_host = rest.substr(0, first);
    rest = rest.substr(first + 1);
    const auto second = rest.find(':');
    if (second == std::string_view::npos) continue;
    int from_port = 0;
    const std::string_view from_port_text = rest.substr(0, second);
    rest = rest.substr(second + 1);
    const auto last = rest.rfind(':');
    if (last == std::string_view::npos) continue;
    std::string_view to_host = rest.substr(0, last);
    int to_port = 0;
    const std::string_view to_port_text = rest.substr(last + 1);
    if (std::from_chars(to_port_text.data(), to_port_text.data() + to_port_text.size(), to_port)
            .ec != std::errc{}) {
      continue;
    }
    if (!from_port_text.empty() &&
        (std::from_chars(from_port_text.data(), from_port_text.data() + from_port_text.size(),
                         from_port)
                 .ec != std::errc{} ||
         from_port != port)) {
      continue;
    }
    if (!from_host.empty() && !iequals(from_host, host)) continue;
    if (to_host.size() >= 2 && to_host.front() == '[' && to_host.back() == ']') {
      to_host = to_host.substr(1, to_host.size() - 2);
    }
    return std::pair{std::string(to_host), to_port};
  }
  return std::nullopt;
}

bool tlsa_usable(const TlsaRecord& record) {
  return (record.usage == 2 || record.usage == 3) && record.selector <= 1 && record.matching <= 2;
}

}  // namespace tlsrpt
