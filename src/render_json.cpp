#include "tlsrpt/render_json.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "tlsrpt/json_writer.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_live.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

using u64 = std::uint64_t;

// The text tables' placeholders for a name a report did not give: null in JSON.
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

// {"sessions", "successful", "failed", "failure_rate"}: the counts of every totals object.
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

void write_counts_row(JsonWriter& out, const char* name_key, const CountsRow& row) {
  out.begin_object();
  name_or_null(out, name_key, row.name);
  out.field("reports", row.reports);
  write_counts(out, row.counts);
  out.end_object();
}

void write_host_row(JsonWriter& out, const char* name_key, const HostRow& row) {
  out.begin_object();
  name_or_null(out, name_key, row.host);
  out.field("failed", row.failed);
  out.key("result_types");
  out.array(row.result_types, [&out](const std::pair<std::string, u64>& type) {
    out.begin_object();
    name_or_null(out, "result_type", type.first);
    out.field("failed", type.second);
    out.end_object();
  });
  out.end_object();
}

void write_days(JsonWriter& out, const Series& series) {
  out.begin_array();
  for (std::size_t i = 0; i < series.days.size(); ++i) {
    const DayCounts& day = series.days[i];
    const bool reported = series.reported[i];
    const auto write_day = [&] {
      out.begin_object();
      out.field("date", out.date(day.day));
      out.field("reported", reported);
      out.field("successful", day.successful);
      out.field("failed", day.failed);
      out.field("failure_rate", failure_rate(Counts{day.successful, day.failed}));
      out.end_object();
    };
    out.element();
    if (!reported && day.successful == 0 && day.failed == 0) {
      out.repeated(day.day, write_day);  // a day without reports: the same text every time
    } else {
      write_day();
    }
  }
  out.end_array();
}

void write_series(JsonWriter& out, const char* name_key, const Series& series) {
  out.begin_object();
  name_or_null(out, name_key, series.name);
  out.key("days");
  write_days(out, series);
  out.end_object();
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

void write_failure_types(JsonWriter& out, const Summary& summary) {
  out.key("failure_types");
  out.array(summary.failure_types, [&out](const FailureTypeRow& row) {
    out.begin_object();
    name_or_null(out, "result_type", row.result_type);
    out.field("known", row.known);
    out.field("failed", row.failed);
    out.field("share", row.share);
    out.field("hint_id", row.hint_id);
    out.field("meaning", row.meaning);
    out.field("hint", row.action);
    out.key("reasons");
    out.array(row.reasons, [&out](const ReasonRow& reason) {
      out.begin_object();
      out.field_text_or_null("failure_reason_code", reason.failure_reason_code);
      out.field("failed", reason.failed);
      out.field("hint_id", reason.hint_id);
      out.end_object();
    });
    out.end_object();
  });
}

void write_trend_row(JsonWriter& out, const char* name_key, const TrendRow& row) {
  out.begin_object();
  name_or_null(out, name_key, row.name);
  out.field("recent_sessions", row.recent_sessions);
  out.field("recent_failed", row.recent_failed);
  out.field("recent_failure_rate", row.recent_rate);
  out.field("previous_sessions", row.previous_sessions);
  out.field("previous_failed", row.previous_failed);
  out.field("previous_failure_rate", row.previous_rate);
  out.field("change", row.recent_rate - row.previous_rate);
  out.end_object();
}

void write_trend(JsonWriter& out, const HistorySummary& history) {
  out.key("trend");
  if (!history.trend) return out.null();
  const Trend& t = *history.trend;
  const auto period = [&out](std::string_view key, std::int64_t first_day, std::int64_t last_day) {
    out.key(key);
    out.begin_object();
    out.field("first_day", out.date(first_day));
    out.field("last_day", out.date(last_day));
    out.end_object();
  };
  out.begin_object();
  period("recent", t.recent_first_day, t.recent_last_day);
  period("previous", t.previous_first_day, t.previous_last_day);
  out.key("overall");
  write_trend_row(out, "name", t.overall);
  out.key("senders");
  out.array(t.senders,
            [&out](const TrendRow& row) { write_trend_row(out, "organization_name", row); });
  out.key("failure_types");
  out.array(t.failure_types,
            [&out](const TrendRow& row) { write_trend_row(out, "result_type", row); });
  out.end_object();
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

void write_summary_json(const Summary& summary, std::ostream& stream, const LiveCheck* live) {
  JsonWriter out(stream);
  const HistorySummary& history = summary.history;
  const auto counts = [&](const char* key) {
    return [&out, key](const CountsRow& row) { write_counts_row(out, key, row); };
  };
  const auto hosts = [&](const char* key) {
    return [&out, key](const HostRow& row) { write_host_row(out, key, row); };
  };
  const auto series = [&](const char* key) {
    return [&out, key](const Series& s) { write_series(out, key, s); };
  };
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("reports", summary.reports);
  out.field("duplicates", summary.duplicates);
  out.field("conflicting_duplicates", summary.conflicting_duplicates);
  out.field("not_reports", summary.not_reports);
  out.key("authentication");
  out.begin_object();
  out.field("dkim_pass", summary.dkim_pass);
  out.field("dkim_fail", summary.dkim_fail);
  out.field("dkim_none", summary.dkim_none);
  out.field("left_out_unauthenticated", summary.left_out_unauthenticated);
  out.end_object();
  out.key("left_out");
  out.begin_object();
  out.field("since", summary.left_out_by_filter.since);
  out.field("until", summary.left_out_by_filter.until);
  out.field("sender", summary.left_out_by_filter.sender);
  out.field("domain", summary.left_out_by_filter.domain);
  out.field("unauthenticated", summary.left_out_unauthenticated);
  out.field_text_or_null("message", summary.left_out_text);
  out.end_object();
  out.field("reports_with_warnings", summary.reports_with_warnings);
  out.field("now", format_rfc3339(history.now));
  time_or_null(out, "newest_report_end", history.newest_end);
  out.key("period");
  if (summary.span) {
    out.begin_object();
    out.field("start", format_rfc3339(summary.span->start));
    out.field("end", format_rfc3339(summary.span->end));
    out.end_object();
  } else {
    out.null();
  }
  out.key("check");
  if (summary.check) {
    out.begin_object();
    out.field("verdict", verdict_name(summary.check->verdict));
    out.key("domains");
    out.array(summary.check->domains, [&out](const DomainCheck& domain) {
      out.begin_object();
      out.field("policy_domain", domain.domain);
      out.field("verdict", verdict_name(domain.verdict));
      out.end_object();
    });
    out.end_object();
  } else {
    out.null();
  }
  out.key("totals");
  out.begin_object();
  out.field("sessions", summary.totals.successful + summary.totals.failed);
  out.field("successful", summary.totals.successful);
  out.field("failed", summary.totals.failed);
  out.field("failed_itemized", summary.failed_itemized);
  out.field("failure_rate", failure_rate(summary.totals));
  out.end_object();
  out.key("senders");
  out.array(summary.senders, counts("organization_name"));
  out.key("domains");
  out.array(summary.domains, counts("policy_domain"));
  out.key("policy_types");
  out.array(summary.policy_types, counts("policy_type"));
  write_failure_types(out, summary);
  out.key("receiving_mx_hosts");
  out.array(summary.receiving_mx_hosts, hosts("receiving_mx_hostname"));
  out.key("receiving_ips");
  out.array(summary.receiving_ips, hosts("receiving_ip"));
  out.key("sending_ips");
  out.array(summary.sending_ips, hosts("sending_mta_ip"));
  write_diagnostics(out, "errors", summary.errors);
  out.field("errors_total", summary.errors_total);
  write_diagnostics(out, "warnings", summary.warnings);
  out.field("warnings_total", summary.warnings_total);
  out.key("warning_groups");
  out.array(summary.warning_groups, [&out](const WarningGroup& group) {
    out.begin_object();
    out.field("code", group.code);
    out.field("count", group.count);
    out.end_object();
  });
  write_diagnostics(out, "notes", summary.notes);
  out.field("notes_total", summary.notes_total);
  out.key("series");
  out.begin_object();
  day_or_null(out, "first_day", history.series_first_day);
  day_or_null(out, "last_day", history.series_last_day);
  out.field("reports_before", history.reports_before_series);
  out.field("reports_after_now", history.reports_after_now);
  out.field("implausible_dates", history.implausible_dates);
  out.end_object();
  out.key("days");
  write_days(out, history.overall);
  out.key("senders_by_day");
  out.array(history.senders, series("organization_name"));
  out.key("domains_by_day");
  out.array(history.domains, series("policy_domain"));
  write_trend(out, history);
  write_failures(out, "failures", history.failures);
  write_alerts(out, history.alerts);
  if (live) write_live_members(out, *live);
  out.end_object();
  out.end_document();
}

void write_check_json(const CheckResult& result, const CheckOptions& options,
                      const Summary& summary, std::ostream& stream, const LiveCheck* live) {
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("verdict", verdict_name(result.verdict));
  out.field("now", format_rfc3339(result.now));
  time_or_null(out, "newest_report_end", result.newest_end);
  out.key("window");
  out.begin_object();
  out.field("first_day", out.date(result.window_first_day));
  out.field("last_day", out.date(result.window_last_day));
  out.field("days", static_cast<u64>(options.window_days));
  out.end_object();
  out.key("limits");
  out.begin_object();
  out.field("max_failure_rate", options.max_failure_rate);
  out.field("min_days", static_cast<u64>(options.min_days));
  out.field("persistent_periods", options.persistent_periods);
  out.field("stale_days", static_cast<u64>(options.time.stale_days));
  out.end_object();
  out.key("totals");
  out.begin_object();
  write_counts(out, Counts{result.successful, result.failed});
  out.end_object();
  write_check_items(out, result.items);
  out.key("domains");
  out.array(result.domains, [&out](const DomainCheck& domain) { write_domain_check(out, domain); });
  if (live) write_live_members(out, *live);
  out.field("reports", summary.reports);
  write_diagnostics(out, "errors", summary.errors);
  out.field("errors_total", summary.errors_total);
  out.end_object();
  out.end_document();
}

void write_alerts_json(const Summary& summary, std::ostream& stream) {
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("now", format_rfc3339(summary.history.now));
  time_or_null(out, "newest_report_end", summary.history.newest_end);
  write_alerts(out, summary.history.alerts);
  out.field("reports", summary.reports);
  write_diagnostics(out, "errors", summary.errors);
  out.field("errors_total", summary.errors_total);
  out.end_object();
  out.end_document();
}

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
