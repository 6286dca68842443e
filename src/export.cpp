#include "tlsrpt/export.hpp"

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/json_writer.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

const std::vector<Column> kColumns{
    {"row_type", ColumnType::text, "`policy` (a policy's summary) or `failure_detail`"},
    {"file", ColumnType::text, "the input file"},
    {"location", ColumnType::text,
     "the place in the file: message and MIME part; null for a plain report file"},
    {"message_id", ColumnType::text, "Message-ID of the mail that carried the report"},
    {"dkim", ColumnType::text, "`pass`, `fail` or `none` (docs/mail.md)"},
    {"organization_name", ColumnType::text, "the sender"},
    {"contact_info", ColumnType::text, "the sender's contact"},
    {"report_id", ColumnType::text, "the report's id"},
    {"start_datetime", ColumnType::timestamp, "period start, UTC"},
    {"end_datetime", ColumnType::timestamp, "period end, UTC"},
    {"policy_index", ColumnType::integer, "0-based position of the policy in the report"},
    {"policy_type", ColumnType::text, "`sts`, `tlsa`, `no-policy-found` or as sent"},
    {"policy_domain", ColumnType::text, "lower-cased; null when absent"},
    {"sts_mode", ColumnType::text, "MTA-STS mode parsed from the policy-string"},
    {"sts_mx", ColumnType::text, "MTA-STS mx patterns, space-separated"},
    {"sts_max_age", ColumnType::integer, "MTA-STS max_age"},
    {"counted", ColumnType::boolean,
     "false for the smaller of a tlsa/sts pair for one domain (docs/totals.md)"},
    {"total_successful_session_count", ColumnType::integer, "the policy's successful sessions"},
    {"total_failure_session_count", ColumnType::integer, "the policy's failed sessions"},
    {"detail_index", ColumnType::integer,
     "0-based position of the failure detail; null on policy rows"},
    {"result_type", ColumnType::text, "the detail's result-type as sent"},
    {"failed_session_count", ColumnType::integer, "the detail's failed sessions"},
    {"sending_mta_ip", ColumnType::text, ""},
    {"receiving_mx_hostname", ColumnType::text, ""},
    {"receiving_mx_helo", ColumnType::text, ""},
    {"receiving_ip", ColumnType::text, ""},
    {"failure_reason_code", ColumnType::text, ""},
    {"additional_information", ColumnType::text, ""},
    {"hint_id", ColumnType::text,
     "id of the remediation hint (`certificate-expired`, `reason-cert-expired`, `unknown`)"},
};

Cell text(const std::string& value) { return value.empty() ? Cell{} : Cell{value}; }

}  // namespace

const std::vector<Column>& export_columns() { return kColumns; }

std::vector<std::vector<Cell>> export_rows(const DecodedReport& decoded) {
  const Report& report = decoded.report;
  const std::vector<bool> counted = counted_policies(report);
  std::vector<std::vector<Cell>> rows;
  for (std::size_t p = 0; p < report.policies.size(); ++p) {
    const Policy& policy = report.policies[p];
    std::string mx;
    if (policy.sts) {
      for (const std::string& pattern : policy.sts->mx) mx += (mx.empty() ? "" : " ") + pattern;
    }
    const std::vector<Cell> context{
        Cell{},  // row_type, set below
        text(decoded.file),
        text(decoded.where),
        text(decoded.provenance.message_id),
        Cell{std::string(dkim_verdict_name(decoded.provenance.dkim))},
        text(report.organization_name),
        text(report.contact_info),
        text(report.report_id),
        Cell{format_rfc3339(report.date_range.start)},
        Cell{format_rfc3339(report.date_range.end)},
        Cell{static_cast<std::uint64_t>(p)},
        text(policy.policy_type_text),
        policy.policy_domain.empty() ? Cell{} : Cell{domain_label(policy)},
        policy.sts ? text(policy.sts->mode_text) : Cell{},
        text(mx),
        policy.sts && policy.sts->max_age ? Cell{*policy.sts->max_age} : Cell{},
        Cell{static_cast<bool>(counted[p])},
        Cell{policy.total_successful_session_count},
        Cell{policy.total_failure_session_count},
    };
    std::vector<Cell> row = context;
    row[0] = Cell{std::string("policy")};
    row.resize(kColumns.size());
    rows.push_back(std::move(row));
    for (std::size_t d = 0; d < policy.failure_details.size(); ++d) {
      const FailureDetail& detail = policy.failure_details[d];
      std::vector<Cell> detail_row = context;
      detail_row[0] = Cell{std::string("failure_detail")};
      detail_row.insert(
          detail_row.end(),
          {Cell{static_cast<std::uint64_t>(d)}, text(detail.result_type_text),
           Cell{detail.failed_session_count}, text(detail.sending_mta_ip),
           text(detail.receiving_mx_hostname), text(detail.receiving_mx_helo),
           text(detail.receiving_ip), text(detail.failure_reason_code),
           text(detail.additional_information),
           Cell{std::string(remedy_for(detail.result_type, detail.failure_reason_code).id)}});
      rows.push_back(std::move(detail_row));
    }
  }
  return rows;
}

void write_ndjson_row(const std::vector<Cell>& row, std::ostream& out) {
  JsonWriter writer(out, /*compact=*/true);
  writer.begin_object();
  for (std::size_t i = 0; i < row.size(); ++i) {
    writer.key(kColumns[i].name);
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            writer.null();
          } else if constexpr (std::is_same_v<T, std::string>) {
            writer.string(value);
          } else if constexpr (std::is_same_v<T, bool>) {
            writer.boolean(value);
          } else {
            writer.number(value);
          }
        },
        row[i]);
  }
  writer.end_object();
  writer.end_document();
}

std::string csv_field(std::string_view value) {
  // UTF-8 out, whatever came in: invalid bytes become U+FFFD, as in the JSON output.
  // A NUL becomes U+FFFD too: no database text type holds one (PostgreSQL's COPY refuses it).
  std::string text;
  for (std::size_t i = 0; i < value.size();) {
    const std::size_t length = value[i] == '\0' ? 0 : utf8_sequence_length(value, i);
    text += length == 0 ? std::string_view("\xEF\xBF\xBD") : value.substr(i, length);
    i += length == 0 ? 1 : length;
  }
  // Spreadsheet formula injection: a cell that starts like a formula is shown as text.
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    text.insert(0, 1, '\'');
  }
  if (find_any(text, ",\"\r\n") == std::string_view::npos &&
      (text.empty() || (text.front() != ' ' && text.back() != ' '))) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void write_csv_header(std::ostream& out) {
  for (std::size_t i = 0; i < kColumns.size(); ++i) out << (i ? "," : "") << kColumns[i].name;
  out << "\r\n";
}

void write_csv_row(const std::vector<Cell>& row, std::ostream& out) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out << ',';
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string>) {
            // Year 0000 is no date a database timestamp holds (there is no year 0): empty, so
            // the row still loads (the NDJSON keeps the text as sent).
            const std::string_view column = kColumns[i].name;
            if ((column == "start_datetime" || column == "end_datetime") &&
                value.starts_with("0000-")) {
              return;
            }
            out << csv_field(value);
          } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            out << value;
          } else if constexpr (std::is_same_v<T, bool>) {
            out << (value ? "true" : "false");
          }
        },
        row[i]);
  }
  out << "\r\n";
}

}  // namespace tlsrpt
