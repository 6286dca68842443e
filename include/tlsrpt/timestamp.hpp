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

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range of an RFC 3339 date-time.
inline constexpr std::int64_t kEarliestTime = -62167219200;
inline constexpr std::int64_t kLatestTime = 253402300799;

// "2026-05-08T00:00:00Z"; times outside [kEarliestTime, kLatestTime] as its ends.
std::string format_rfc3339(std::int64_t unix_seconds);
// "2026-05-08"
std::string format_date(std::int64_t unix_seconds);

}  // namespace tlsrpt
