#include "tlsrpt/render_json.hpp"

#include <functional>

#include "tlsrpt/mail.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

using json = nlohmann::ordered_json;

// Absent and empty strings are null in the output.
json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json counts_row(const char* name_key, const CountsRow& row) {
  return json{{name_key, row.name},
              {"reports", row.reports},
              {"successful", row.counts.successful},
              {"failed", row.counts.failed},
              {"failure_rate", failure_rate(row.counts)}};
}

json counts_rows(const char* name_key, const std::vector<CountsRow>& rows) {
  json list = json::array();
  for (const CountsRow& row : rows) list.push_back(counts_row(name_key, row));
  return list;
}

json day_rows(const Series& series) {
  json days = json::array();
  for (std::size_t i = 0; i < series.days.size(); ++i) {
    const DayCounts& day = series.days[i];
    days.push_back(json{{"date", format_date(day.day * 86400)},
                        {"reported", static_cast<bool>(series.reported[i])},
                        {"successful", day.successful},
                        {"failed", day.failed},
                        {"failure_rate", failure_rate(Counts{day.successful, day.failed})}});
  }
  return days;
}

json trend_row(const char* name_key, const TrendRow& row) {
  return json{{name_key, row.name},
              {"recent_sessions", row.recent_sessions},
              {"recent_failed", row.recent_failed},
              {"recent_failure_rate", row.recent_rate},
              {"previous_sessions", row.previous_sessions},
              {"previous_failed", row.previous_failed},
              {"previous_failure_rate", row.previous_rate},
              {"change", row.recent_rate - row.previous_rate}};
}

json failure_row(const PersistentFailure& failure) {
  return json{{"organization_name", failure.sender},
              {"result_type", failure.result_type},
              {"receiving_mx_hostname", failure.receiving_mx_hostname},
              {"periods", failure.periods},
              {"persistent", failure.persistent},
              {"first_seen", format_rfc3339(failure.first_seen)},
              {"last_seen", format_rfc3339(failure.last_seen)},
              {"failed", failure.failed}};
}

json alert_rows(const std::vector<Alert>& alerts) {
  json array = json::array();
  for (const Alert& alert : alerts) {
    array.push_back(json{{"level", alert.level == AlertLevel::critical ? "critical" : "warning"},
                         {"code", alert.code},
                         {"message", alert.message}});
  }
  return array;
}

json diagnostics(const std::vector<Diagnostic>& list) {
  json array = json::array();
  for (const Diagnostic& diagnostic : list) array.push_back(diagnostic_to_json(diagnostic));
  return array;
}

}  // namespace

json diagnostic_to_json(const Diagnostic& diagnostic) {
  return json{{"file", diagnostic.file},
              {"where", text_or_null(diagnostic.where)},
              {"code", diagnostic.code},
              {"message", diagnostic.message}};
}

namespace {

// A top-level field of the summary: a value, or a list written one element at a time so that a
// large summary (every sending IP, every sender's day series) never sits in memory as one document.
struct Field {
  std::string key;
  json value;
  std::function<void(const std::function<void(const json&)>&)> elements;  // set for streamed lists
};

template <typename T, typename ToJson>
Field streamed(std::string key, const std::vector<T>& list, ToJson to_json) {
  return Field{std::move(key), nullptr,
               [&list, to_json](const std::function<void(const json&)>& emit) {
                 for (const T& item : list) emit(to_json(item));
               }};
}

json host_row(const char* name_key, const HostRow& row) {
  json types = json::array();
  for (const auto& [type, failed] : row.result_types)
    types.push_back(json{{"result_type", type}, {"failed", failed}});
  return json{{name_key, row.host}, {"failed", row.failed}, {"result_types", types}};
}

std::vector<Field> summary_fields(const Summary& summary) {
  json failure_types = json::array();
  for (const FailureTypeRow& row : summary.failure_types) {
    json reasons = json::array();
    for (const ReasonRow& reason : row.reasons) {
      reasons.push_back(json{{"failure_reason_code", text_or_null(reason.failure_reason_code)},
                             {"failed", reason.failed},
                             {"hint_id", reason.hint_id}});
    }
    failure_types.push_back(json{{"result_type", row.result_type},
                                 {"known", row.known},
                                 {"failed", row.failed},
                                 {"share", row.share},
                                 {"hint_id", row.hint_id},
                                 {"meaning", row.meaning},
                                 {"hint", row.action},
                                 {"reasons", reasons}});
  }
  json groups = json::array();
  for (const WarningGroup& group : summary.warning_groups) {
    groups.push_back(json{{"code", group.code}, {"count", group.count}});
  }
  const std::uint64_t sessions = summary.totals.successful + summary.totals.failed;
  const HistorySummary& history = summary.history;
  json trend = nullptr;
  if (history.trend) {
    const Trend& t = *history.trend;
    json senders = json::array();
    for (const TrendRow& row : t.senders) senders.push_back(trend_row("organization_name", row));
    json types = json::array();
    for (const TrendRow& row : t.failure_types) types.push_back(trend_row("result_type", row));
    trend = json{{"recent", json{{"first_day", format_date(t.recent_first_day * 86400)},
                                 {"last_day", format_date(t.recent_last_day * 86400)}}},
                 {"previous", json{{"first_day", format_date(t.previous_first_day * 86400)},
                                   {"last_day", format_date(t.previous_last_day * 86400)}}},
                 {"overall", trend_row("name", t.overall)},
                 {"senders", senders},
                 {"failure_types", types}};
  }
  const auto counts = [](const char* key) {
    return [key](const CountsRow& row) { return counts_row(key, row); };
  };
  const auto hosts = [](const char* key) {
    return [key](const HostRow& row) { return host_row(key, row); };
  };
  const auto series = [](const char* key) {
    return [key](const Series& s) { return json{{key, s.name}, {"days", day_rows(s)}}; };
  };
  std::vector<Field> fields;
  const auto add = [&](const char* key, json value) {
    fields.push_back(Field{key, std::move(value), nullptr});
  };
  add("schema_version", kJsonSchemaVersion);
  add("reports", summary.reports);
  add("duplicates", summary.duplicates);
  add("conflicting_duplicates", summary.conflicting_duplicates);
  add("not_reports", summary.not_reports);
  add("authentication", json{{"dkim_pass", summary.dkim_pass},
                             {"dkim_fail", summary.dkim_fail},
                             {"dkim_none", summary.dkim_none},
                             {"left_out_unauthenticated", summary.left_out_unauthenticated}});
  add("period", summary.span ? json{{"start", format_rfc3339(summary.span->start)},
                                    {"end", format_rfc3339(summary.span->end)}}
                             : json(nullptr));
  add("totals", json{{"sessions", sessions},
                     {"successful", summary.totals.successful},
                     {"failed", summary.totals.failed},
                     {"failed_itemized", summary.failed_itemized},
                     {"failure_rate", failure_rate(summary.totals)}});
  fields.push_back(streamed("senders", summary.senders, counts("organization_name")));
  fields.push_back(streamed("domains", summary.domains, counts("policy_domain")));
  add("policy_types", counts_rows("policy_type", summary.policy_types));
  add("failure_types", failure_types);
  fields.push_back(
      streamed("receiving_mx_hosts", summary.receiving_mx_hosts, hosts("receiving_mx_hostname")));
  fields.push_back(streamed("receiving_ips", summary.receiving_ips, hosts("receiving_ip")));
  fields.push_back(streamed("sending_ips", summary.sending_ips, hosts("sending_mta_ip")));
  add("errors", diagnostics(summary.errors));
  add("errors_total", summary.errors_total);
  add("warnings", diagnostics(summary.warnings));
  add("warnings_total", summary.warnings_total);
  add("warning_groups", groups);
  add("notes", diagnostics(summary.notes));
  add("notes_total", summary.notes_total);
  add("days", day_rows(history.overall));
  fields.push_back(streamed("senders_by_day", history.senders, series("organization_name")));
  fields.push_back(streamed("domains_by_day", history.domains, series("policy_domain")));
  add("trend", trend);
  fields.push_back(streamed("failures", history.failures, failure_row));
  add("alerts", alert_rows(history.alerts));
  return fields;
}

// `value` as dump(2) would print it at nesting `depth`.
void write_nested(std::ostream& out, const json& value, int depth) {
  const std::string text = value.dump(2, ' ', false, json::error_handler_t::replace);
  std::string newline(static_cast<std::size_t>(depth) * 2 + 1, ' ');
  newline[0] = '\n';
  std::string indented;
  indented.reserve(text.size() + text.size() / 8);
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    indented.append(text, start, end - start).append(newline);
    start = end + 1;
  }
  indented.append(text, start);
  out.write(indented.data(), static_cast<std::streamsize>(indented.size()));
}

}  // namespace

json summary_to_json(const Summary& summary) {
  json document = json::object();
  for (Field& field : summary_fields(summary)) {
    if (field.elements) {
      json list = json::array();
      field.elements([&](const json& element) { list.push_back(element); });
      document[field.key] = std::move(list);
    } else {
      document[field.key] = std::move(field.value);
    }
  }
  return document;
}

void write_summary_json(const Summary& summary, std::ostream& out) {
  const std::vector<Field> fields = summary_fields(summary);
  out << "{\n";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    out << "  " << json(field.key).dump() << ": ";
    if (field.elements) {
      bool any = false;
      field.elements([&](const json& element) {
        out << (any ? ",\n    " : "[\n    ");
        write_nested(out, element, 2);
        any = true;
      });
      out << (any ? "\n  ]" : "[]");
    } else {
      write_nested(out, field.value, 1);
    }
    out << (i + 1 < fields.size() ? ",\n" : "\n");
  }
  out << "}\n";
}

json check_to_json(const CheckResult& result, const CheckOptions& options, const Summary& summary) {
  json items = json::array();
  for (const CheckItem& item : result.items) {
    items.push_back(
        json{{"outcome", verdict_name(item.outcome)}, {"code", item.code}, {"text", item.text}});
  }
  json majors = json::array();
  for (const CheckSender& sender : result.major_senders) {
    majors.push_back(
        json{{"name", sender.name},
             {"seen", sender.seen},
             {"reports", sender.reports},
             {"successful", sender.successful},
             {"failed", sender.failed},
             {"failure_rate", failure_rate(Counts{sender.successful, sender.failed})}});
  }
  json blocking = json::array();
  for (const PersistentFailure& failure : result.blocking) blocking.push_back(failure_row(failure));
  return json{
      {"schema_version", kJsonSchemaVersion},
      {"verdict", verdict_name(result.verdict)},
      {"window", json{{"first_day", format_date(result.window_first_day * 86400)},
                      {"last_day", format_date(result.window_last_day * 86400)},
                      {"days", options.window_days},
                      {"days_covered", result.days_covered}}},
      {"limits", json{{"max_failure_rate", options.max_failure_rate},
                      {"min_days", options.min_days},
                      {"persistent_periods", options.persistent_periods}}},
      {"totals", json{{"successful", result.successful},
                      {"failed", result.failed},
                      {"failure_rate", failure_rate(Counts{result.successful, result.failed})}}},
      {"domains", result.domains},
      {"major_senders", majors},
      {"items", items},
      {"blocking_failures", blocking},
      {"reports", summary.reports},
      {"errors", diagnostics(summary.errors)},
      {"errors_total", summary.errors_total}};
}

json alerts_to_json(const Summary& summary) {
  return json{{"schema_version", kJsonSchemaVersion},
              {"alerts", alert_rows(summary.history.alerts)},
              {"reports", summary.reports},
              {"errors", diagnostics(summary.errors)},
              {"errors_total", summary.errors_total}};
}

namespace {

json provenance_to_json(const Provenance& provenance) {
  json name_parts = nullptr;
  if (const auto& parts = provenance.filename_parts) {
    name_parts = json{{"submitter", parts->submitter},
                      {"policy_domain", parts->policy_domain},
                      {"begin", format_rfc3339(parts->begin)},
                      {"end", format_rfc3339(parts->end)},
                      {"unique_id", text_or_null(parts->unique_id)}};
  }
  return json{{"mailbox", text_or_null(provenance.mailbox)},
              {"message_index",
               provenance.message_index == 0 ? json(nullptr) : json(provenance.message_index)},
              {"message_id", text_or_null(provenance.message_id)},
              {"date", text_or_null(provenance.date)},
              {"from", text_or_null(provenance.from)},
              {"subject", text_or_null(provenance.subject)},
              {"tls_report_domain", text_or_null(provenance.tls_report_domain)},
              {"tls_report_submitter", text_or_null(provenance.tls_report_submitter)},
              {"part", text_or_null(provenance.part)},
              {"filename", text_or_null(provenance.filename)},
              {"filename_parts", name_parts},
              {"dkim", dkim_verdict_name(provenance.dkim)},
              {"dkim_domain", text_or_null(provenance.dkim_domain)},
              {"authserv_id", text_or_null(provenance.authserv_id)}};
}

}  // namespace

json report_to_json(const DecodedReport& decoded) {
  const Report& report = decoded.report;
  const std::vector<bool> counted = counted_policies(report);
  json policies = json::array();
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    json details = json::array();
    for (const FailureDetail& detail : policy.failure_details) {
      const Remedy remedy = remedy_for(detail.result_type, detail.failure_reason_code);
      details.push_back(
          json{{"result_type", text_or_null(detail.result_type_text)},
               {"known", detail.result_type != ResultType::unknown},
               {"sending_mta_ip", text_or_null(detail.sending_mta_ip)},
               {"receiving_mx_hostname", text_or_null(detail.receiving_mx_hostname)},
               {"receiving_mx_helo", text_or_null(detail.receiving_mx_helo)},
               {"receiving_ip", text_or_null(detail.receiving_ip)},
               {"failed_session_count", detail.failed_session_count},
               {"additional_information", text_or_null(detail.additional_information)},
               {"failure_reason_code", text_or_null(detail.failure_reason_code)},
               {"hint_id", remedy.id},
               {"hint", remedy.action}});
    }
    json sts = nullptr;
    if (policy.sts) {
      sts = json{{"version", text_or_null(policy.sts->version)},
                 {"mode", text_or_null(policy.sts->mode_text)},
                 {"mx", policy.sts->mx},
                 {"max_age", policy.sts->max_age ? json(*policy.sts->max_age) : json(nullptr)},
                 {"problems", policy.sts->problems}};
    }
    const Counts counts{policy.total_successful_session_count, policy.total_failure_session_count};
    policies.push_back(json{{"policy_type", text_or_null(policy.policy_type_text)},
                            {"policy_domain", text_or_null(policy.policy_domain)},
                            {"policy_string", policy.policy_string},
                            {"mx_host", policy.mx_host},
                            {"sts", sts},
                            {"counted", static_cast<bool>(counted[i])},
                            {"total_successful_session_count", counts.successful},
                            {"total_failure_session_count", counts.failed},
                            {"failure_rate", failure_rate(counts)},
                            {"failure_details", details}});
  }
  return json{{"file", decoded.file},
              {"where", text_or_null(decoded.where)},
              {"organization_name", text_or_null(report.organization_name)},
              {"contact_info", text_or_null(report.contact_info)},
              {"report_id", text_or_null(report.report_id)},
              {"date_range", json{{"start_datetime", format_rfc3339(report.date_range.start)},
                                  {"end_datetime", format_rfc3339(report.date_range.end)}}},
              {"policies", policies},
              {"provenance", provenance_to_json(decoded.provenance)},
              {"warnings", diagnostics(decoded.warnings)}};
}

json show_to_json(const std::vector<DecodedReport>& reports, const std::vector<Diagnostic>& errors,
                  const std::vector<Diagnostic>& notes) {
  json list = json::array();
  for (const DecodedReport& report : reports) list.push_back(report_to_json(report));
  return json{{"schema_version", kJsonSchemaVersion},
              {"reports", list},
              {"errors", diagnostics(errors)},
              {"notes", diagnostics(notes)}};
}

void write_json(const json& document, std::ostream& out) {
  // replace: invalid UTF-8 from a report becomes U+FFFD, so the output is always valid JSON.
  out << document.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace tlsrpt
