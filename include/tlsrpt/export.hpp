// Flat rows for databases and dashboards (`tlsrpt export`): one row per policy summary and one per
// failure detail, each carrying its full context. The columns are a contract (docs/export.md).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/decoded_report.hpp"

namespace tlsrpt {

enum class ColumnType { text, integer, boolean, timestamp };

struct Column {
  std::string_view name;
  ColumnType type;
  std::string_view meaning;
};

// Every column, in output order.
const std::vector<Column>& export_columns();

// A cell: absent (null), text, integer or boolean. Timestamps are text (RFC 3339 UTC).
using Cell = std::variant<std::monostate, std::string, std::uint64_t, bool>;

// One row per policy and one per failure detail of `decoded`, cells in export_columns() order.
std::vector<std::vector<Cell>> export_rows(const DecodedReport& decoded);

// NDJSON: one JSON object per row and line; null cells are JSON null. Always valid UTF-8.
void write_ndjson_row(const std::vector<Cell>& row, std::ostream& out);

// RFC 4180 CSV, CRLF line ends. A text cell starting with = + - @ TAB or CR gets a leading
// apostrophe so spreadsheets do not run it as a formula.
void write_csv_header(std::ostream& out);
void write_csv_row(const std::vector<Cell>& row, std::ostream& out);
std::string csv_field(std::string_view text);

// `export --format prometheus`: metrics for node_exporter's textfile collector, from a summary
// (docs/prometheus.md); the `top` senders with most sessions are named, the rest summed as "other".
void write_prometheus(const Summary& summary, std::size_t top, std::ostream& out);

}  // namespace tlsrpt
