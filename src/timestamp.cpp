#include "tlsrpt/timestamp.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace tlsrpt {

namespace {

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<ParsedTime> parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  ParsedTime parsed;
  if (pos == text.size()) {
    parsed.unix_seconds = days * kSecondsPerDay;
    parsed.had_zone = false;
    parsed.date_only = true;
    return parsed;
  }
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  ++pos;
  if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  // Second 60 is a leap second (RFC 3339 §5.6); counted as the next second.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (pos == text.size()) {
    parsed.had_zone = false;
  } else if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int offset_hours = 0, offset_minutes = 0;
    if (!read_digits(text, pos, 2, offset_hours) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  parsed.unix_seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset;
  return parsed;
}

std::string format_rfc3339(std::int64_t unix_seconds) {
  // Times past the years 0000 and 9999 are shown as those years' ends: no report date can be
  // beyond them (parse_rfc3339 reads four-digit years), and the arithmetic below cannot overflow.
  unix_seconds = std::clamp(unix_seconds, kEarliestTime, kLatestTime);
  const std::int64_t days = day_of(unix_seconds);
  const std::int64_t rest = unix_seconds - days * kSecondsPerDay;
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  const int year = static_cast<int>(date.year());
  if (year >= 0 && year <= 9999) {  // the usual case, without a format string (summary JSON has
                                    // one per sender and day)
    std::string text = "0000-00-00T00:00:00Z";
    const auto put = [&text](std::size_t at, std::int64_t value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10)
        text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    };
    put(0, year, 4);
    put(5, static_cast<unsigned>(date.month()), 2);
    put(8, static_cast<unsigned>(date.day()), 2);
    put(11, rest / 3600, 2);
    put(14, (rest % 3600) / 60, 2);
    put(17, rest % 60, 2);
    return text;
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     rest / 3600, (rest % 3600) / 60, rest % 60);
}

std::string format_date(std::int64_t unix_seconds) {
  return format_rfc3339(unix_seconds).substr(0, 10);
}

}  // namespace tlsrpt
