#include "tlsrpt/filter.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "tlsrpt/error.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

std::optional<std::int64_t> parse_filter_time(const std::string& text, bool end_of_day) {
  const auto parsed = parse_rfc3339(text);
  if (!parsed) return std::nullopt;
  return parsed->date_only && end_of_day ? parsed->unix_seconds + kSecondsPerDay - 1
                                         : parsed->unix_seconds;
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    for (std::size_t at = 0; at <= value.size();) {
      const std::size_t comma = std::min(value.find(',', at), value.size());
      items.emplace_back(trim(std::string_view(value).substr(at, comma - at)));
      at = comma + 1;
    }
  }
  return items;
}

ReportFilter make_filter(const std::string& since, const std::string& until,
                         const std::vector<std::string>& domains,
                         const std::vector<std::string>& senders) {
  ReportFilter filter;
  filter.since_text = since;
  filter.until_text = until;
  for (auto [name, text, target, end_of_day] : {std::tuple{"--since", &since, &filter.since, false},
                                                std::tuple{"--until", &until, &filter.until, true}}) {
    if (text->empty()) continue;
    *target = parse_filter_time(*text, end_of_day);
    if (!*target) {
      throw UsageError(fmt::format(
          "{}: \"{}\" is not a date: write YYYY-MM-DD or an RFC 3339 date-time", name, *text));
    }
  }
  if (filter.since && filter.until && *filter.since > *filter.until) {
    throw UsageError(
        fmt::format("--since {} is after --until {}: no report could match", since, until));
  }
  for (auto [name, values, target] : {std::tuple{"--domain", &domains, &filter.domains},
                                      std::tuple{"--sender", &senders, &filter.senders}}) {
    for (const std::string& item : split_list(*values)) {
      if (item.empty()) {
        throw UsageError(fmt::format("{}: an empty value matches nothing (in \"{}\")", name,
                                     fmt::join(*values, ",")));
      }
      target->push_back(lowercase(item));
    }
  }
  return filter;
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
