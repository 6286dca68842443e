// Which report periods are plausible: RFC 8460 was drafted in 2016, and a sender's clock may run
// ahead, but not by a week. A report outside that is counted in the totals and kept out of every
// time view (series, trend, alerts, the check), with a warning naming it.
#pragma once

#include <cstdint>

#include "tlsrpt/report.hpp"

namespace tlsrpt {

// 2016-01-01T00:00:00Z: no TLS report is older.
inline constexpr std::int64_t kEarliestPlausible = 1451606400;
// How far after now a period may end.
inline constexpr std::int64_t kPlausibleLead = 7 * 86400;

// The period starts on or after 2016-01-01 and ends at most a week after `now`.
bool plausible_period(const DateRange& range, std::int64_t now);

}  // namespace tlsrpt
