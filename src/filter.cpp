#include "tlsrpt/filter.hpp"

#include <algorithm>

#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

std::optional<std::int64_t> parse_filter_time(const std::string& text, bool end_of_day) {
  const auto parsed = parse_rfc3339(text);
  if (!parsed) return std::nullopt;
  return parsed->date_only && end_of_day ? parsed->unix_seconds + kSecondsPerDay - 1
                                         : parsed->unix_seconds;
}

void FilterCounts::add(FilterMiss miss) {
  switch (miss) {
    case FilterMiss::since:
      ++since;
      break;
    case FilterMiss::until:
      ++until;
      break;
    case FilterMiss::sender:
      ++sender;
      break;
    case FilterMiss::domain:
      ++domain;
      break;
    case FilterMiss::none:
      break;
  }
}

bool apply_filter(const ReportFilter& filter, Report& report, FilterMiss* miss) {
  const auto missed = [miss](FilterMiss why) {
    if (miss != nullptr) *miss = why;
    return false;
  };
  // A period ending at the next midnight (Mail.ru) ends before that day begins: compare exclusive
  // ends, taking "23:59:59" as the end of its day.
  const std::int64_t end = exclusive_end(report.date_range.end);
  if (filter.since && std::max(end, report.date_range.start + 1) <= *filter.since)
    return missed(FilterMiss::since);
  if (filter.until && report.date_range.start > *filter.until) return missed(FilterMiss::until);
  if (!filter.senders.empty()) {
    const std::string name = lowercase(report.organization_name);
    const std::string contact = lowercase(report.contact_info);
    const bool match =
        std::any_of(filter.senders.begin(), filter.senders.end(), [&](const std::string& s) {
          return name.find(s) != std::string::npos || contact.find(s) != std::string::npos;
        });
    if (!match) return missed(FilterMiss::sender);
  }
  if (!filter.domains.empty()) {
    std::erase_if(report.policies, [&](const Policy& policy) {
      return std::find(filter.domains.begin(), filter.domains.end(), domain_label(policy)) ==
             filter.domains.end();
    });
    if (report.policies.empty()) return missed(FilterMiss::domain);
  }
  return true;
}

}  // namespace tlsrpt
