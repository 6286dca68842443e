// `tlsrpt check --format json` and `tlsrpt alerts --format json`.
#include "render_json_internal.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace json_detail;

void write_check_json(const Summary& summary, std::ostream& stream, const LiveCheck* live) {
  const CheckResult& result = summary.check;
  const GateOptions& options = result.gate;
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("verdict", verdict_name(result.verdict));
  out.field("now", format_rfc3339(result.now));
  time_or_null(out, "newest_report_end", result.newest_end);
  write_check_window(out, result);
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
  write_run_members(out, summary);
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
  write_run_members(out, summary);
  out.end_object();
  out.end_document();
}

}  // namespace tlsrpt
