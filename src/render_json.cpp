#include "tlsrpt/render_json.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "tlsrpt/mail.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

using json = nlohmann::ordered_json;

// Absent and empty strings are null in the output.
json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json time_or_null(const std::optional<std::int64_t>& time) {
  return time ? json(format_rfc3339(*time)) : json(nullptr);
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

// Writes JSON straight to a stream, formatted byte for byte as nlohmann's dump(2) (the summary of
// 100,000 reports is tens of MB: building it as json values first took longer than reading them).
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out), buffer_(kSize) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void open(char bracket) {
    put(bracket);
    ++depth_;
    first_ = true;
  }
  void close(char bracket) {
    --depth_;
    if (!first_) newline();
    put(bracket);
    first_ = false;  // the container just closed is an element of the one around it
  }
  // Before each member of an object: the separator, the indentation and "key": . Keys are the
  // writer's own snake_case names, which need no escaping.
  void key(std::string_view name) {
    element();
    put('"');
    append(name.data(), name.size());
    append("\": ", 3);
  }
  // Before each element of an array.
  void element() {
    if (!first_) put(',');
    first_ = false;
    newline();
  }
  void string(std::string_view text) {
    static constexpr auto kPlain = [] {  // printable ASCII but '"' and '\\'
      std::array<bool, 256> plain{};
      for (int c = 0x20; c < 0x7f; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
      return plain;
    }();
    const bool plain = std::all_of(text.begin(), text.end(),
                                   [](char c) { return kPlain[static_cast<unsigned char>(c)]; });
    if (plain) {
      plain_string(text);
    } else {  // escapes, and invalid UTF-8 replaced by U+FFFD: nlohmann's own rules
      std::string escaped =
          json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
      escape_c1_controls(escaped);
      append(escaped.data(), escaped.size());
    }
  }
  // A string known to need no escaping (a date this writer formatted).
  void plain_string(std::string_view text) {
    put('"');
    append(text.data(), text.size());
    put('"');
  }
  void text_or_null(std::string_view text) { text.empty() ? null() : string(text); }
  void number(std::uint64_t value) {
    const fmt::format_int digits(value);
    append(digits.data(), digits.size());
  }
  void number(double value) {
    if (!std::isfinite(value)) return null();
    if (value == 0.0 && !std::signbit(value)) return append("0.0", 3);  // most days fail nothing
    char digits[64];
    // What nlohmann's serializer calls for a double (shortest round-trip form).
    const char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, value);
    append(digits, static_cast<std::size_t>(end - digits));
  }
  void end_document() { put('\n'); }
  // "YYYY-MM-DD" of a day number, formatted once: every sender's series repeats the same days.
  const std::string& date(std::int64_t day) {
    auto [it, inserted] = dates_.try_emplace(day);
    if (inserted) it->second = format_date(day * 86400);
    return it->second;
  }
  void boolean(bool value) { value ? append("true", 4) : append("false", 5); }
  void null() { append("null", 4); }
  // A json value, as dump(2) prints it at this depth.
  void value(const json& value) {
    std::string text = value.dump(2, ' ', false, json::error_handler_t::replace);
    escape_c1_controls(text);
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string::npos;
         end = text.find('\n', start)) {
      append(text.data() + start, end - start);
      newline();
      start = end + 1;
    }
    append(text.data() + start, text.size() - start);
  }

  // Writes what `render` writes, which must depend on `key` alone (and the depth here): from a
  // copy after the first time. A month of days for thousands of senders is mostly the same few
  // empty days over and over.
  template <typename Render>
  void repeated(std::int64_t key, Render render) {
    const auto depth_key = std::pair{key, depth_};
    if (const auto it = repeats_.find(depth_key); it != repeats_.end()) {
      append(it->second.data(), it->second.size());
      first_ = false;
      return;
    }
    const std::size_t start = used_;
    const std::size_t flushes = flushes_;
    render();
    if (flushes_ == flushes) repeats_.try_emplace(depth_key, buffer_.data() + start, used_ - start);
  }

  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
    ++flushes_;
  }

 private:
  static constexpr std::size_t kSize = 64 * 1024;
  // A newline and the indentation of the current depth, from one constant when it is that deep.
  static constexpr std::string_view kIndent =
      "\n                                                              ";
  void newline() {
    const std::size_t width = 1 + 2 * depth_;
    if (width <= kIndent.size()) return append(kIndent.data(), width);
    put('\n');
    for (std::size_t i = 1; i < width; ++i) put(' ');
  }
  void put(char c) {
    if (used_ == kSize) flush();
    buffer_[used_++] = c;
  }
  void append(const char* data, std::size_t size) {
    if (size > kSize - used_) {
      flush();
      if (size > kSize) {
        out_.write(data, static_cast<std::streamsize>(size));
        return;
      }
    }
    std::memcpy(buffer_.data() + used_, data, size);
    used_ += size;
  }

  std::ostream& out_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  std::size_t flushes_ = 0;
  std::size_t depth_ = 0;  // open objects and arrays
  bool first_ = true;      // nothing written yet in the innermost open one
  std::unordered_map<std::int64_t, std::string> dates_;
  std::map<std::pair<std::int64_t, std::size_t>, std::string> repeats_;
};

// The text tables' placeholders for a name a report did not give: null in JSON.
bool is_placeholder(std::string_view name) {
  return name == "(none)" || name == "(unknown)" || name == "(missing)" || name == "(not given)";
}

void name_or_null(JsonWriter& out, std::string_view name) {
  if (is_placeholder(name)) return out.null();
  out.string(name);
}

void write_counts_row(JsonWriter& out, const char* name_key, const CountsRow& row) {
  out.open('{');
  out.key(name_key);
  name_or_null(out, row.name);
  out.key("reports");
  out.number(row.reports);
  out.key("sessions");
  out.number(row.counts.successful + row.counts.failed);
  out.key("successful");
  out.number(row.counts.successful);
  out.key("failed");
  out.number(row.counts.failed);
  out.key("failure_rate");
  out.number(failure_rate(row.counts));
  out.close('}');
}

void write_host_row(JsonWriter& out, const char* name_key, const HostRow& row) {
  out.open('{');
  out.key(name_key);
  name_or_null(out, row.host);
  out.key("failed");
  out.number(row.failed);
  out.key("result_types");
  out.open('[');
  for (const auto& [type, failed] : row.result_types) {
    out.element();
    out.open('{');
    out.key("result_type");
    name_or_null(out, type);
    out.key("failed");
    out.number(failed);
    out.close('}');
  }
  out.close(']');
  out.close('}');
}

void write_days(JsonWriter& out, const Series& series) {
  out.open('[');
  for (std::size_t i = 0; i < series.days.size(); ++i) {
    const DayCounts& day = series.days[i];
    const bool reported = series.reported[i];
    const auto write_day = [&] {
      out.open('{');
      out.key("date");
      out.plain_string(out.date(day.day));
      out.key("reported");
      out.boolean(reported);
      out.key("successful");
      out.number(day.successful);
      out.key("failed");
      out.number(day.failed);
      out.key("failure_rate");
      out.number(failure_rate(Counts{day.successful, day.failed}));
      out.close('}');
    };
    out.element();
    if (!reported && day.successful == 0 && day.failed == 0) {
      out.repeated(day.day, write_day);  // a day without reports: the same text every time
    } else {
      write_day();
    }
  }
  out.close(']');
}

void write_series(JsonWriter& out, const char* name_key, const Series& series) {
  out.open('{');
  out.key(name_key);
  name_or_null(out, series.name);
  out.key("days");
  write_days(out, series);
  out.close('}');
}

void write_failure_row(JsonWriter& out, const PersistentFailure& failure) {
  out.open('{');
  out.key("organization_name");
  name_or_null(out, failure.sender);
  out.key("result_type");
  name_or_null(out, failure.result_type);
  out.key("receiving_mx_hostname");
  name_or_null(out, failure.receiving_mx_hostname);
  out.key("policy_domain");
  name_or_null(out, failure.policy_domain);
  out.key("periods");
  out.number(failure.periods);
  out.key("persistent");
  out.boolean(failure.persistent);
  out.key("first_seen");
  out.string(format_rfc3339(failure.first_seen));
  out.key("last_seen");
  out.string(format_rfc3339(failure.last_seen));
  out.key("failed");
  out.number(failure.failed);
  out.close('}');
}

// As a json value, for `check` (one field list for both).
json failure_row(const PersistentFailure& failure) {
  std::ostringstream text;
  {
    JsonWriter out(text);
    write_failure_row(out, failure);
  }
  return json::parse(text.str());
}

template <typename T, typename Write>
void write_list(JsonWriter& out, const std::vector<T>& list, Write write) {
  out.open('[');
  for (const T& item : list) {
    out.element();
    write(item);
  }
  out.close(']');
}

json failure_types_json(const Summary& summary) {
  json failure_types = json::array();
  for (const FailureTypeRow& row : summary.failure_types) {
    json reasons = json::array();
    for (const ReasonRow& reason : row.reasons) {
      reasons.push_back(json{{"failure_reason_code", text_or_null(reason.failure_reason_code)},
                             {"failed", reason.failed},
                             {"hint_id", reason.hint_id}});
    }
    failure_types.push_back(json{{"result_type", is_placeholder(row.result_type)
                                                     ? json(nullptr)
                                                     : json(row.result_type)},
                                 {"known", row.known},
                                 {"failed", row.failed},
                                 {"share", row.share},
                                 {"hint_id", row.hint_id},
                                 {"meaning", row.meaning},
                                 {"hint", row.action},
                                 {"reasons", reasons}});
  }
  return failure_types;
}

void write_trend_row(JsonWriter& out, const char* name_key, const TrendRow& row) {
  out.open('{');
  out.key(name_key);
  name_or_null(out, row.name);
  out.key("recent_sessions");
  out.number(row.recent_sessions);
  out.key("recent_failed");
  out.number(row.recent_failed);
  out.key("recent_failure_rate");
  out.number(row.recent_rate);
  out.key("previous_sessions");
  out.number(row.previous_sessions);
  out.key("previous_failed");
  out.number(row.previous_failed);
  out.key("previous_failure_rate");
  out.number(row.previous_rate);
  out.key("change");
  out.number(row.recent_rate - row.previous_rate);
  out.close('}');
}

void write_trend(JsonWriter& out, const HistorySummary& history) {
  if (!history.trend) return out.null();
  const Trend& t = *history.trend;
  const auto period = [&out](std::int64_t first_day, std::int64_t last_day) {
    out.open('{');
    out.key("first_day");
    out.plain_string(out.date(first_day));
    out.key("last_day");
    out.plain_string(out.date(last_day));
    out.close('}');
  };
  out.open('{');
  out.key("recent");
  period(t.recent_first_day, t.recent_last_day);
  out.key("previous");
  period(t.previous_first_day, t.previous_last_day);
  out.key("overall");
  write_trend_row(out, "name", t.overall);
  out.key("senders");
  write_list(out, t.senders,
             [&out](const TrendRow& row) { write_trend_row(out, "organization_name", row); });
  out.key("failure_types");
  write_list(out, t.failure_types,
             [&out](const TrendRow& row) { write_trend_row(out, "result_type", row); });
  out.close('}');
}

void write_diagnostics(JsonWriter& out, const std::vector<Diagnostic>& list) {
  write_list(out, list, [&out](const Diagnostic& diagnostic) {
    out.open('{');
    out.key("file");
    out.string(diagnostic.file);
    out.key("where");
    out.text_or_null(diagnostic.where);
    out.key("code");
    out.string(diagnostic.code);
    out.key("message");
    out.string(diagnostic.message);
    out.close('}');
  });
}

}  // namespace

void write_summary_json(const Summary& summary, std::ostream& stream) {
  JsonWriter out(stream);
  const auto counts = [&](const char* key) {
    return [&out, key](const CountsRow& row) { write_counts_row(out, key, row); };
  };
  const auto hosts = [&](const char* key) {
    return [&out, key](const HostRow& row) { write_host_row(out, key, row); };
  };
  const auto series = [&](const char* key) {
    return [&out, key](const Series& s) { write_series(out, key, s); };
  };
  json groups = json::array();
  for (const WarningGroup& group : summary.warning_groups) {
    groups.push_back(json{{"code", group.code}, {"count", group.count}});
  }
  const HistorySummary& history = summary.history;
  out.open('{');
  out.key("schema_version");
  out.number(std::uint64_t{kJsonSchemaVersion});
  out.key("reports");
  out.number(summary.reports);
  out.key("duplicates");
  out.number(summary.duplicates);
  out.key("conflicting_duplicates");
  out.number(summary.conflicting_duplicates);
  out.key("not_reports");
  out.number(summary.not_reports);
  out.key("authentication");
  out.value(json{{"dkim_pass", summary.dkim_pass},
                 {"dkim_fail", summary.dkim_fail},
                 {"dkim_none", summary.dkim_none},
                 {"left_out_unauthenticated", summary.left_out_unauthenticated}});
  out.key("left_out");
  out.value(json{{"since", summary.left_out_by_filter.since},
                 {"until", summary.left_out_by_filter.until},
                 {"sender", summary.left_out_by_filter.sender},
                 {"domain", summary.left_out_by_filter.domain},
                 {"unauthenticated", summary.left_out_unauthenticated},
                 {"message", text_or_null(summary.left_out_text)}});
  out.key("reports_with_warnings");
  out.number(summary.reports_with_warnings);
  out.key("now");
  out.string(format_rfc3339(history.now));
  out.key("newest_report_end");
  out.value(time_or_null(history.newest_end));
  out.key("period");
  out.value(summary.span ? json{{"start", format_rfc3339(summary.span->start)},
                                {"end", format_rfc3339(summary.span->end)}}
                         : json(nullptr));
  out.key("check");
  if (summary.check) {
    json domains = json::array();
    for (const DomainCheck& domain : summary.check->domains) {
      domains.push_back(
          json{{"policy_domain", domain.domain}, {"verdict", verdict_name(domain.verdict)}});
    }
    out.value(json{{"verdict", verdict_name(summary.check->verdict)}, {"domains", domains}});
  } else {
    out.null();
  }
  out.key("totals");
  out.value(json{{"sessions", summary.totals.successful + summary.totals.failed},
                 {"successful", summary.totals.successful},
                 {"failed", summary.totals.failed},
                 {"failed_itemized", summary.failed_itemized},
                 {"failure_rate", failure_rate(summary.totals)}});
  out.key("senders");
  write_list(out, summary.senders, counts("organization_name"));
  out.key("domains");
  write_list(out, summary.domains, counts("policy_domain"));
  out.key("policy_types");
  write_list(out, summary.policy_types, counts("policy_type"));
  out.key("failure_types");
  out.value(failure_types_json(summary));
  out.key("receiving_mx_hosts");
  write_list(out, summary.receiving_mx_hosts, hosts("receiving_mx_hostname"));
  out.key("receiving_ips");
  write_list(out, summary.receiving_ips, hosts("receiving_ip"));
  out.key("sending_ips");
  write_list(out, summary.sending_ips, hosts("sending_mta_ip"));
  out.key("errors");
  write_diagnostics(out, summary.errors);
  out.key("errors_total");
  out.number(summary.errors_total);
  out.key("warnings");
  write_diagnostics(out, summary.warnings);
  out.key("warnings_total");
  out.number(summary.warnings_total);
  out.key("warning_groups");
  out.value(groups);
  out.key("notes");
  write_diagnostics(out, summary.notes);
  out.key("notes_total");
  out.number(summary.notes_total);
  out.key("series");
  out.value(json{{"first_day", history.series_first_day
                                   ? json(format_date(*history.series_first_day * 86400))
                                   : json(nullptr)},
                 {"last_day", history.series_last_day
                                  ? json(format_date(*history.series_last_day * 86400))
                                  : json(nullptr)},
                 {"reports_before", history.reports_before_series},
                 {"reports_after_now", history.reports_after_now},
                 {"implausible_dates", history.implausible_dates}});
  out.key("days");
  write_days(out, history.overall);
  out.key("senders_by_day");
  write_list(out, history.senders, series("organization_name"));
  out.key("domains_by_day");
  write_list(out, history.domains, series("policy_domain"));
  out.key("trend");
  write_trend(out, history);
  out.key("failures");
  write_list(out, history.failures,
             [&out](const PersistentFailure& failure) { write_failure_row(out, failure); });
  out.key("alerts");
  out.value(alert_rows(history.alerts));
  out.close('}');
  out.end_document();
}

json summary_to_json(const Summary& summary) {
  std::ostringstream text;
  write_summary_json(summary, text);
  return json::parse(text.str());
}

namespace {

json check_items(const std::vector<CheckItem>& items) {
  json array = json::array();
  for (const CheckItem& item : items) {
    array.push_back(json{
        {"outcome", verdict_name(item.outcome)}, {"code", item.code}, {"message", item.message}});
  }
  return array;
}

json totals_json(std::uint64_t successful, std::uint64_t failed) {
  return json{{"sessions", successful + failed},
              {"successful", successful},
              {"failed", failed},
              {"failure_rate", failure_rate(Counts{successful, failed})}};
}

json domain_check_json(const DomainCheck& domain) {
  json majors = json::array();
  for (const CheckSender& sender : domain.major_senders) {
    json row{{"name", sender.name}, {"seen", sender.seen}, {"report_days", sender.report_days}};
    row.update(totals_json(sender.successful, sender.failed));
    majors.push_back(row);
  }
  json blocking = json::array();
  for (const PersistentFailure& failure : domain.blocking) blocking.push_back(failure_row(failure));
  return json{{"policy_domain", domain.domain},
              {"verdict", verdict_name(domain.verdict)},
              {"newest_report_end", time_or_null(domain.newest_end)},
              {"days_covered", domain.days_covered},
              {"totals", totals_json(domain.successful, domain.failed)},
              {"major_senders", majors},
              {"items", check_items(domain.items)},
              {"blocking_failures", blocking}};
}

}  // namespace

json check_to_json(const CheckResult& result, const CheckOptions& options, const Summary& summary) {
  json domains = json::array();
  for (const DomainCheck& domain : result.domains) domains.push_back(domain_check_json(domain));
  return json{
      {"schema_version", kJsonSchemaVersion},
      {"verdict", verdict_name(result.verdict)},
      {"now", format_rfc3339(result.now)},
      {"newest_report_end", time_or_null(result.newest_end)},
      {"window", json{{"first_day", format_date(result.window_first_day * 86400)},
                      {"last_day", format_date(result.window_last_day * 86400)},
                      {"days", options.window_days}}},
      {"limits", json{{"max_failure_rate", options.max_failure_rate},
                      {"min_days", options.min_days},
                      {"persistent_periods", options.persistent_periods},
                      {"stale_days", options.time.stale_days}}},
      {"totals", totals_json(result.successful, result.failed)},
      {"items", check_items(result.items)},
      {"domains", domains},
      {"reports", summary.reports},
      {"errors", diagnostics(summary.errors)},
      {"errors_total", summary.errors_total}};
}

json alerts_to_json(const Summary& summary) {
  return json{{"schema_version", kJsonSchemaVersion},
              {"now", format_rfc3339(summary.history.now)},
              {"newest_report_end", time_or_null(summary.history.newest_end)},
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
                      {"begin", parts->times_out_of_range ? json(nullptr)
                                                          : json(format_rfc3339(parts->begin))},
                      {"end", parts->times_out_of_range ? json(nullptr)
                                                        : json(format_rfc3339(parts->end))},
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
  std::string text = document.dump(2, ' ', false, json::error_handler_t::replace);
  escape_c1_controls(text);
  out << text << '\n';
}

}  // namespace tlsrpt
