// libFuzzer target: the RFC 8460 file-name convention (submitter!domain!begin!end[!id]) and what
// is done with its parts: compared with a report's period and shown (a signed overflow on an
// out-of-range time was found by UBSan here; every time must stay in range).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlsrpt/mail.hpp"
#include "tlsrpt/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  tlsrpt::Provenance provenance;
  provenance.filename = std::string(name);
  provenance.filename_parts = tlsrpt::parse_report_filename(name);
  if (const auto& parts = provenance.filename_parts) {
    if (!parts->times_out_of_range &&
        (parts->begin < tlsrpt::kEarliestTime || parts->end > tlsrpt::kLatestTime)) {
      __builtin_trap();  // out of range but not flagged
    }
    (void)tlsrpt::format_rfc3339(parts->begin);
    (void)tlsrpt::format_rfc3339(parts->end);
    tlsrpt::Report report;
    report.date_range = {0, 86399};
    tlsrpt::Policy policy;
    policy.policy_domain = "example.com";
    report.policies.push_back(policy);
    (void)tlsrpt::check_provenance(report, provenance);
  }
  return 0;
}
