// `tlsrpt summary --format json`.
#include "render_json_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace json_detail;

namespace {

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

// The verdicts, as `check` gives them: the run's, and each policy domain's.
void write_verdicts(JsonWriter& out, const CheckResult& check) {
  out.key("check");
  out.begin_object();
  out.field("verdict", verdict_name(check.verdict));
  write_check_window(out, check);
  out.key("domains");
  out.array(check.domains, [&out](const DomainCheck& domain) {
    out.begin_object();
    out.field("policy_domain", domain.domain);
    out.field("verdict", verdict_name(domain.verdict));
    out.end_object();
  });
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
  write_verdicts(out, summary.check);
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
  out.field("inputs_skipped", summary.errors_total);
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
  out.field("outside_window", history.series_outside_window);
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

}  // namespace tlsrpt
