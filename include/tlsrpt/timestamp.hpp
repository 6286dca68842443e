// RFC 3339 date-times as they appear in reports, and their formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tlsrpt {

struct ParsedTime {
  std::int64_t unix_seconds = 0;
  bool had_zone = true;  // false for Microsoft's "2023-01-10T00:00:00": taken as UTC
  bool date_only = false;
};

// Accepts "YYYY-MM-DD[Tt ]hh:mm:ss[.frac][Z|z|±hh:mm]" and a bare "YYYY-MM-DD".
// Returns nullopt for anything else or for out-of-range fields.
std::optional<ParsedTime> parse_rfc3339(std::string_view text);

// "2026-05-08T00:00:00Z"
std::string format_rfc3339(std::int64_t unix_seconds);
// "2026-05-08"
std::string format_date(std::int64_t unix_seconds);

}  // namespace tlsrpt
