// `tlsrpt show` as text: one report, where it came from, each failure with what it means and what
// to do.
#include "render_text_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace text_detail;

namespace {

std::string period_text(const DateRange& range) {
  return fmt::format("{} to {}", format_rfc3339(range.start), format_rfc3339(range.end));
}

}  // namespace

void render_report_text(const DecodedReport& decoded, const OutputOptions& options,
                        std::ostream& out) {
  const Report& report = decoded.report;
  const Provenance& provenance = decoded.provenance;
  const std::vector<Diagnostic>& warnings = decoded.warnings;
  const Style style{options.color};
  const auto field = [&](std::string_view label, const std::string& value) {
    out << fmt::format("  {:<16}", std::string(label) + ":") << escape_for_terminal(value) << '\n';
  };
  const auto optional_field = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) field(label, value);
  };
  out << style.bold("TLS report") << ' '
      << escape_for_terminal(join_where(decoded.file, decoded.where)) << '\n';
  field("Sender", report.organization_name);
  field("Contact", report.contact_info.empty() ? "(none)" : report.contact_info);
  field("Report ID", report.report_id);
  field("Period", period_text(report.date_range));
  if (!provenance.message_id.empty() || !provenance.from.empty() || !provenance.subject.empty() ||
      !provenance.part.empty()) {
    out << '\n' << style.bold("Received as mail") << '\n';
    if (!provenance.mailbox.empty()) {
      field("Mailbox",
            fmt::format("{} (message {})", provenance.mailbox, provenance.message_index));
    }
    optional_field("Message-ID", provenance.message_id);
    optional_field("Date", provenance.date);
    optional_field("From", provenance.from);
    optional_field("Subject", provenance.subject);
    optional_field("Report domain", provenance.tls_report_domain);
    optional_field("Submitter", provenance.tls_report_submitter);
    field("Attachment", provenance.filename.empty()
                            ? fmt::format("part {}", provenance.part)
                            : fmt::format("part {}, {}", provenance.part, provenance.filename));
    switch (provenance.dkim) {
      case DkimVerdict::pass:
        field("DKIM",
              fmt::format("pass for {} (per {})", provenance.dkim_domain, provenance.authserv_id));
        break;
      case DkimVerdict::fail:
        field("DKIM",
              fmt::format("no pass for the submitter's domain (per {}): the report may be forged",
                          provenance.authserv_id));
        break;
      case DkimVerdict::none:
        field("DKIM", "unknown: no Authentication-Results header");
        break;
    }
  }
  if (const auto& parts = provenance.filename_parts) {
    field("File name",
          fmt::format("submitter {}, domain {}, {}{}", parts->submitter, parts->policy_domain,
                      parts->times_out_of_range
                          ? std::string("times out of range")
                          : format_rfc3339(parts->begin) + " to " + format_rfc3339(parts->end),
                      parts->unique_id.empty() ? "" : ", id " + parts->unique_id));
  }
  const std::vector<bool> counted = counted_policies(report);
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const std::string type(policy_type_label(policy));
    out << '\n'
        << style.bold(fmt::format(
               "Policy {}: {} for {}", i + 1, escape_for_terminal(type),
               escape_for_terminal(policy.policy_domain.empty() ? "(no domain)"
                                                                : policy.policy_domain)))
        << '\n';
    if (!counted[i]) {
      out << style.dim(
                 "  (the same sessions as this domain's other tlsa/sts policy: not counted twice)")
          << '\n';
    }
    if (policy.sts) {
      const StsPolicy& sts = *policy.sts;
      std::string mx;
      for (const std::string& pattern : sts.mx) mx += (mx.empty() ? "" : ", ") + pattern;
      field("MTA-STS mode", sts.mode_text.empty() ? "(none given)" : sts.mode_text);
      field("MTA-STS mx", mx.empty() ? "(none)" : mx);
      field("max_age", sts.max_age ? fmt::format("{} s", *sts.max_age) : "(none)");
    } else if (policy.policy_type == PolicyType::tlsa) {
      for (const std::string& record : policy.policy_string) field("TLSA record", record);
    } else {
      for (const std::string& line : policy.policy_string) field("Policy line", line);
    }
    if (!policy.mx_host.empty()) {
      std::string hosts;
      for (const std::string& host : policy.mx_host) hosts += (hosts.empty() ? "" : ", ") + host;
      field("mx-host", hosts);
    }
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    out << fmt::format("  {:<16}{} successful, {} failed, failure rate ",
                       "Sessions:", group_digits(counts.successful), group_digits(counts.failed))
        << rate_colored(style, counts) << '\n';
    for (std::size_t d = 0; d < policy.failure_details.size(); ++d) {
      const FailureDetail& detail = policy.failure_details[d];
      const std::string type_text =
          detail.result_type_text.empty() ? "(missing)" : detail.result_type_text;
      out << fmt::format("  Failure {}: ", d + 1) << style.bold(escape_for_terminal(type_text))
          << ", " << sessions_text(detail.failed_session_count) << '\n';
      const auto sub = [&](std::string_view label, const std::string& value) {
        if (!value.empty())
          out << fmt::format("    {:<24}", std::string(label) + ":") << escape_for_terminal(value)
              << '\n';
      };
      sub("sending MTA IP", detail.sending_mta_ip);
      sub("receiving MX hostname", detail.receiving_mx_hostname);
      sub("receiving MX HELO", detail.receiving_mx_helo);
      sub("receiving IP", detail.receiving_ip);
      sub("failure reason code", detail.failure_reason_code);
      sub("additional info", detail.additional_information);
      const Remedy remedy = remedy_for(detail.result_type, detail.failure_reason_code);
      out << "    " << style.dim("means: ") << remedy.meaning << '\n';
      out << "    " << style.dim("do:    ") << remedy.action << '\n';
    }
  }
  if (!warnings.empty()) {
    out << '\n' << style.bold(style.yellow(fmt::format("Warnings ({})", warnings.size()))) << '\n';
    for (const Diagnostic& warning : warnings) {
      out << "  "
          << escape_for_terminal(warning.where.empty() ? warning.message
                                                       : warning.where + ": " + warning.message)
          << '\n';
    }
  }
}

}  // namespace tlsrpt
