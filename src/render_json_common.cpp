// The JSON renderer's shared objects (render_json_internal.hpp).
#include "render_json_internal.hpp"

#include "tlsrpt/timestamp.hpp"

namespace tlsrpt::json_detail {

bool is_placeholder(std::string_view name) {
  return name == "(none)" || name == "(unknown)" || name == "(missing)" || name == "(not given)";
}

void name_or_null(JsonWriter& out, std::string_view key, std::string_view name) {
  out.key(key);
  if (is_placeholder(name)) return out.null();
  out.string(name);
}

void time_or_null(JsonWriter& out, std::string_view key, const std::optional<std::int64_t>& time) {
  out.key(key);
  if (!time) return out.null();
  out.string(format_rfc3339(*time));
}

void day_or_null(JsonWriter& out, std::string_view key, const std::optional<std::int64_t>& day) {
  out.key(key);
  if (!day) return out.null();
  out.string(out.date(*day));
}

void write_counts(JsonWriter& out, const Counts& counts) {
  out.field("sessions", counts.successful + counts.failed);
  out.field("successful", counts.successful);
  out.field("failed", counts.failed);
  out.field("failure_rate", failure_rate(counts));
}

void write_diagnostic(JsonWriter& out, const Diagnostic& diagnostic) {
  out.begin_object();
  out.field("file", diagnostic.file);
  out.field_text_or_null("where", diagnostic.where);
  out.field("code", diagnostic.code);
  out.field("message", diagnostic.message);
  out.end_object();
}

void write_diagnostics(JsonWriter& out, std::string_view key, const std::vector<Diagnostic>& list) {
  out.key(key);
  out.array(list, [&out](const Diagnostic& diagnostic) { write_diagnostic(out, diagnostic); });
}

void write_alerts(JsonWriter& out, const std::vector<Alert>& alerts) {
  out.key("alerts");
  out.array(alerts, [&out](const Alert& alert) {
    out.begin_object();
    out.field("level", alert.level == AlertLevel::critical ? "critical" : "warning");
    out.field("code", alert.code);
    out.field("message", alert.message);
    out.end_object();
  });
}

void write_failure_row(JsonWriter& out, const PersistentFailure& failure) {
  out.begin_object();
  name_or_null(out, "organization_name", failure.sender);
  name_or_null(out, "result_type", failure.result_type);
  name_or_null(out, "receiving_mx_hostname", failure.receiving_mx_hostname);
  name_or_null(out, "policy_domain", failure.policy_domain);
  out.field("periods", failure.periods);
  out.field("persistent", failure.persistent);
  out.field("first_seen", format_rfc3339(failure.first_seen));
  out.field("last_seen", format_rfc3339(failure.last_seen));
  out.field("failed", failure.failed);
  out.end_object();
}

void write_failures(JsonWriter& out, std::string_view key,
                    const std::vector<PersistentFailure>& list) {
  out.key(key);
  out.array(list, [&out](const PersistentFailure& failure) { write_failure_row(out, failure); });
}

void write_check_items(JsonWriter& out, const std::vector<CheckItem>& items) {
  out.key("items");
  out.array(items, [&out](const CheckItem& item) {
    out.begin_object();
    out.field("outcome", verdict_name(item.outcome));
    out.field("code", item.code);
    out.field("message", item.message);
    out.end_object();
  });
}

void write_domain_check(JsonWriter& out, const DomainCheck& domain) {
  out.begin_object();
  out.field("policy_domain", domain.domain);
  out.field("verdict", verdict_name(domain.verdict));
  time_or_null(out, "newest_report_end", domain.newest_end);
  out.field("days_covered", static_cast<u64>(domain.days_covered));
  out.key("totals");
  out.begin_object();
  write_counts(out, Counts{domain.successful, domain.failed});
  out.end_object();
  out.key("major_senders");
  out.array(domain.major_senders, [&out](const CheckSender& sender) {
    out.begin_object();
    out.field("name", sender.name);
    out.field("seen", sender.seen);
    out.field("report_days", sender.report_days);
    write_counts(out, Counts{sender.successful, sender.failed});
    out.end_object();
  });
  write_check_items(out, domain.items);
  write_failures(out, "blocking_failures", domain.blocking);
  out.end_object();
}

void write_run_members(JsonWriter& out, const Summary& summary) {
  out.field("reports", summary.reports);
  out.field("inputs_skipped", summary.errors_total);
  write_diagnostics(out, "errors", summary.errors);
  out.field("errors_total", summary.errors_total);
}

void write_check_window(JsonWriter& out, const CheckResult& result) {
  out.key("window");
  out.begin_object();
  out.field("first_day", out.date(result.window_first_day));
  out.field("last_day", out.date(result.window_last_day));
  out.field("days", static_cast<u64>(result.gate.window_days));
  out.end_object();
}

}  // namespace tlsrpt::json_detail
