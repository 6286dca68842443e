// `tlsrpt show --format json` and `tlsrpt fetch --format json`.
#include "render_json_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace json_detail;

namespace {

void write_provenance(JsonWriter& out, const Provenance& provenance) {
  out.key("provenance");
  out.begin_object();
  out.field_text_or_null("mailbox", provenance.mailbox);
  out.key("message_index");
  provenance.message_index == 0 ? out.null() : out.number(provenance.message_index);
  out.field_text_or_null("message_id", provenance.message_id);
  out.field_text_or_null("date", provenance.date);
  out.field_text_or_null("from", provenance.from);
  out.field_text_or_null("subject", provenance.subject);
  out.field_text_or_null("tls_report_domain", provenance.tls_report_domain);
  out.field_text_or_null("tls_report_submitter", provenance.tls_report_submitter);
  out.field_text_or_null("part", provenance.part);
  out.field_text_or_null("filename", provenance.filename);
  out.key("filename_parts");
  if (const auto& parts = provenance.filename_parts) {
    out.begin_object();
    out.field("submitter", parts->submitter);
    out.field("policy_domain", parts->policy_domain);
    const auto time = [&](std::string_view key, std::int64_t value) {
      parts->times_out_of_range ? out.field_null(key) : out.field(key, format_rfc3339(value));
    };
    time("begin", parts->begin);
    time("end", parts->end);
    out.field_text_or_null("unique_id", parts->unique_id);
    out.end_object();
  } else {
    out.null();
  }
  out.field("dkim", dkim_verdict_name(provenance.dkim));
  out.field_text_or_null("dkim_domain", provenance.dkim_domain);
  out.field_text_or_null("authserv_id", provenance.authserv_id);
  out.end_object();
}

void write_report(JsonWriter& out, const DecodedReport& decoded) {
  const Report& report = decoded.report;
  const std::vector<bool> counted = counted_policies(report);
  out.begin_object();
  out.field("file", decoded.file);
  out.field_text_or_null("where", decoded.where);
  out.field_text_or_null("organization_name", report.organization_name);
  out.field_text_or_null("contact_info", report.contact_info);
  out.field_text_or_null("report_id", report.report_id);
  out.key("date_range");
  out.begin_object();
  out.field("start_datetime", format_rfc3339(report.date_range.start));
  out.field("end_datetime", format_rfc3339(report.date_range.end));
  out.end_object();
  out.key("policies");
  out.begin_array();
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    out.element();
    out.begin_object();
    out.field_text_or_null("policy_type", policy.policy_type_text);
    out.field_text_or_null("policy_domain", policy.policy_domain);
    out.field("policy_string", policy.policy_string);
    out.field("mx_host", policy.mx_host);
    out.key("sts");
    if (policy.sts) {
      out.begin_object();
      out.field_text_or_null("version", policy.sts->version);
      out.field_text_or_null("mode", policy.sts->mode_text);
      out.field("mx", policy.sts->mx);
      out.key("max_age");
      policy.sts->max_age ? out.number(static_cast<u64>(*policy.sts->max_age)) : out.null();
      out.field("problems", policy.sts->problems);
      out.end_object();
    } else {
      out.null();
    }
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    out.field("counted", static_cast<bool>(counted[i]));
    out.field("total_successful_session_count", counts.successful);
    out.field("total_failure_session_count", counts.failed);
    out.field("failure_rate", failure_rate(counts));
    out.key("failure_details");
    out.array(policy.failure_details, [&out](const FailureDetail& detail) {
      const Remedy remedy = remedy_for(detail.result_type, detail.failure_reason_code);
      out.begin_object();
      out.field_text_or_null("result_type", detail.result_type_text);
      out.field("known", detail.result_type != ResultType::unknown);
      out.field_text_or_null("sending_mta_ip", detail.sending_mta_ip);
      out.field_text_or_null("receiving_mx_hostname", detail.receiving_mx_hostname);
      out.field_text_or_null("receiving_mx_helo", detail.receiving_mx_helo);
      out.field_text_or_null("receiving_ip", detail.receiving_ip);
      out.field("failed_session_count", detail.failed_session_count);
      out.field_text_or_null("additional_information", detail.additional_information);
      out.field_text_or_null("failure_reason_code", detail.failure_reason_code);
      out.field("hint_id", remedy.id);
      out.field("hint", remedy.action);
      out.end_object();
    });
    out.end_object();
  }
  out.end_array();
  write_provenance(out, decoded.provenance);
  write_diagnostics(out, "warnings", decoded.warnings);
  out.end_object();
}

}  // namespace

void write_report_json(const DecodedReport& decoded, std::ostream& stream) {
  JsonWriter out(stream);
  write_report(out, decoded);
  out.end_document();
}

void write_show_json(const std::vector<DecodedReport>& reports,
                     const std::vector<Diagnostic>& errors, const std::vector<Diagnostic>& notes,
                     std::ostream& stream) {
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.key("reports");
  out.array(reports, [&out](const DecodedReport& report) { write_report(out, report); });
  write_diagnostics(out, "errors", errors);
  write_diagnostics(out, "notes", notes);
  out.end_object();
  out.end_document();
}

void write_fetch_json(const FetchResult& result, const std::string& maildir, std::ostream& stream) {
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("maildir", maildir);
  out.field("messages", result.messages);
  out.field("reports", result.reports);
  out.field("bytes", result.bytes);
  out.field("duplicates", result.duplicates);
  out.field("moved", result.moved);
  out.field("deleted", result.deleted);
  out.field("uidvalidity_changed", result.uidvalidity_changed);
  out.field("skipped", result.skipped);
  out.field_text_or_null("error", result.error);
  out.end_object();
  out.end_document();
}

}  // namespace tlsrpt
