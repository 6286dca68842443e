// Shared by the JSON renderer's files (render_json_*.cpp): the objects more than one document
// holds. Internal to the JSON renderer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/json_writer.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/output.hpp"

namespace tlsrpt::json_detail {

using u64 = std::uint64_t;

// The text tables' placeholders for a name a report did not give: null in JSON.
bool is_placeholder(std::string_view name);
void name_or_null(JsonWriter& out, std::string_view key, std::string_view name);
void time_or_null(JsonWriter& out, std::string_view key, const std::optional<std::int64_t>& time);
void day_or_null(JsonWriter& out, std::string_view key, const std::optional<std::int64_t>& day);
// {"sessions", "successful", "failed", "failure_rate"}: the counts of every totals object.
void write_counts(JsonWriter& out, const Counts& counts);
void write_diagnostic(JsonWriter& out, const Diagnostic& diagnostic);
void write_diagnostics(JsonWriter& out, std::string_view key, const std::vector<Diagnostic>& list);
// "reports", "inputs_skipped", "errors", "errors_total": what a run read and what it could not.
void write_run_members(JsonWriter& out, const Summary& summary);
void write_alerts(JsonWriter& out, const std::vector<Alert>& alerts);
void write_failure_row(JsonWriter& out, const PersistentFailure& failure);
void write_failures(JsonWriter& out, std::string_view key,
                    const std::vector<PersistentFailure>& failures);
void write_check_items(JsonWriter& out, const std::vector<CheckItem>& items);
void write_domain_check(JsonWriter& out, const DomainCheck& domain);
// "window": the days the verdict looked at.
void write_check_window(JsonWriter& out, const CheckResult& result);
// The live findings, states and reported failures, inside an object already open.
void write_live_members(JsonWriter& out, const LiveCheck& live);

}  // namespace tlsrpt::json_detail
