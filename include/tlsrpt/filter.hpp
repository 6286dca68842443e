// --since, --until, --domain, --sender: which reports (and which policies of them) a command sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct ReportFilter {
  std::optional<std::int64_t> since;  // keep reports whose period ends at or after this
  std::optional<std::int64_t> until;  // keep reports whose period starts at or before this
  std::vector<std::string> domains;   // policy domains, lower-cased; empty: all
  std::vector<std::string> senders;   // lower-cased substrings of organization-name or contact-info
  std::string since_text;             // --since and --until as given, for the sentences that
  std::string until_text;             // name them
};

// The filter of option values: dates as parse_filter_time reads them, --domain and --sender
// values as comma lists. Throws UsageError for a date it cannot read, --since after --until, or
// an empty --domain or --sender entry.
ReportFilter make_filter(const std::string& since, const std::string& until,
                         const std::vector<std::string>& domains,
                         const std::vector<std::string>& senders);

// The items of comma lists, trimmed ("a, b" and "c" → a, b, c); empty items are kept as "".
std::vector<std::string> split_list(const std::vector<std::string>& values);

// Parses a --since / --until value: a date (YYYY-MM-DD) or an RFC 3339 date-time. A bare date
// means the start of that day, or for `until` the end of it. nullopt when it is neither.
std::optional<std::int64_t> parse_filter_time(const std::string& text, bool end_of_day);

// Why a report was left out.
enum class FilterMiss { none, since, until, sender, domain };

// Reports left out by each criterion (the first that missed counts).
struct FilterCounts {
  std::uint64_t since = 0, until = 0, sender = 0, domain = 0;
  std::uint64_t total() const { return since + until + sender + domain; }
  void add(FilterMiss miss);
};

// Applies the filter in place: policies for other domains are dropped. Returns false when nothing
// of the report is left, and then says why in `miss` when given.
bool apply_filter(const ReportFilter& filter, Report& report, FilterMiss* miss = nullptr);

}  // namespace tlsrpt
