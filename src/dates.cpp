#include "tlsrpt/dates.hpp"

namespace tlsrpt {

bool plausible_period(const DateRange& range, std::int64_t now) {
  return range.start >= kEarliestPlausible && range.end <= now + kPlausibleLead;
}

}  // namespace tlsrpt
