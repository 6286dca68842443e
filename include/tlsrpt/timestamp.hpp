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

inline constexpr std::int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 (UTC) of a time; negative before it.
inline std::int64_t day_of(std::int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / kSecondsPerDay
                           : (unix_seconds - kSecondsPerDay + 1) / kSecondsPerDay;
}

// The end of a report period as an exclusive bound: "23:59:59" means its day is covered to the
// end (a period ending at the next midnight, as Mail.ru's, ends before that day begins).
inline std::int64_t exclusive_end(std::int64_t end) {
  return (end + 1) % kSecondsPerDay == 0 ? end + 1 : end;
}

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range of an RFC 3339 date-time.
inline constexpr std::int64_t kEarliestTime = -62167219200;
inline constexpr std::int64_t kLatestTime = 253402300799;

// "2026-05-08T00:00:00Z"; times outside [kEarliestTime, kLatestTime] as its ends.
std::string format_rfc3339(std::int64_t unix_seconds);
// "2026-05-08"
std::string format_date(std::int64_t unix_seconds);
// "2026-05-08" of a day number (day_of).
inline std::string format_day(std::int64_t day) { return format_date(day * kSecondsPerDay); }

}  // namespace tlsrpt
