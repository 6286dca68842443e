// `tlsrpt check` and `tlsrpt alerts` as text.
#include <algorithm>

#include "render_text_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace text_detail;

namespace {

void print_domain_table(std::ostream& out, const Style& style, const CheckResult& result,
                        const OutputOptions& text) {
  if (result.domains.empty()) return;
  out << '\n';
  Table table({"POLICY DOMAIN", "VERDICT", "SESSIONS", "FAILED", "RATE", "DAYS"},
              {true, true, false, false, false, false});
  for (const DomainCheck& domain : result.domains) {
    const Counts counts{domain.successful, domain.failed};
    const std::string name = escape_for_terminal(domain.domain);
    std::vector<std::string> plain{name,
                                   verdict_plain(domain.verdict),
                                   group_digits(domain.successful + domain.failed),
                                   group_digits(domain.failed),
                                   percent(failure_rate(counts)),
                                   std::to_string(domain.days_covered)};
    std::vector<std::string> cells = plain;
    cells[1] = verdict_text(style, domain.verdict);
    table.add(std::move(cells), std::move(plain));
  }
  table.print(out, style, "  ", text.width);
}

// What to do next, after the verdict.
std::string closing_words(Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return "The reports support moving the MTA-STS policy to mode: enforce. Keep watching "
             "afterwards.";
    case Verdict::not_ready:
      return "Fix what is marked [blocks] first: under mode: enforce that mail would not be "
             "delivered.";
    case Verdict::insufficient_data:
      return "Nothing blocks yet, but there is not enough data to be sure: keep mode: testing and "
             "check again.";
  }
  return "";
}

// The failure types with what to do, when a failure-rate alert fired: those of the recent window
// when there is a trend, else those of every report read.
void print_what_failed(std::ostream& out, const Style& style, const Summary& summary,
                       const OutputOptions& options) {
  const HistorySummary& history = summary.history;
  const bool rate_alert = std::any_of(history.alerts.begin(), history.alerts.end(),
                                      [](const Alert& a) { return a.code == "failure_rate"; });
  if (!rate_alert) return;
  std::vector<std::pair<std::string, std::uint64_t>> failed;  // (type, failed sessions)
  std::string heading;
  if (history.trend) {
    const Trend& trend = *history.trend;
    heading = fmt::format("What failed, {} to {}", format_day(trend.recent_first_day),
                          format_day(trend.recent_last_day));
    for (const TrendRow& row : trend.failure_types) {
      if (row.recent_failed > 0) failed.emplace_back(row.name, row.recent_failed);
    }
  } else {
    heading = fmt::format("What failed, in all {} reports", group_digits(summary.reports));
    for (const FailureTypeRow& row : summary.failure_types) failed.emplace_back(row.result_type, row.failed);
  }
  if (failed.empty()) return;
  out << '\n' << style.bold(heading) << '\n';
  for (std::size_t i = 0; i < failed.size() && i < options.top; ++i) {
    const auto& [type, count] = failed[i];
    wrapped(out, "  ", 6,
            fmt::format("{}: {} failed", escape_for_terminal(type), sessions_text(count)),
            options.width);
    wrapped(out, "    Do: ", 8, remedy_for(parse_result_type(type)).action, options.width);
  }
}

}  // namespace

void render_check_text(const Summary& summary, const OutputOptions& text, std::ostream& out) {
  const CheckResult& result = summary.check;
  const GateOptions& options = result.gate;
  const Style style{text.color};
  out << style.bold("MTA-STS enforce check: ") << style.bold(verdict_text(style, result.verdict))
      << '\n';
  out << "  Now:       " << format_rfc3339(result.now);
  if (result.newest_end) out << "; newest report ends " << format_rfc3339(*result.newest_end);
  out << '\n';
  out << fmt::format("  Window:    {} to {} ({} days)\n", format_day(result.window_first_day),
                     format_day(result.window_last_day), options.window_days);
  out << wrap_text(fmt::format("failure rate at most {}, reports on at least {} days, a "
                               "failure blocks after {} report periods, data at most {} days old",
                               percent(options.max_failure_rate), options.min_days,
                               options.persistent_periods, options.time.stale_days),
                   text.width, "  Limits:    ", std::string(13, ' '));
  for (const CheckItem& item : result.items) print_item(out, style, item, text.width);
  print_skipped(out, style, summary.errors_total, text.width);
  print_domain_table(out, style, result, text);
  for (const DomainCheck& domain : result.domains) {
    out << '\n'
        << style.bold(escape_for_terminal(domain.domain)) << ": "
        << verdict_text(style, domain.verdict) << '\n';
    for (const CheckItem& item : domain.items) print_item(out, style, item, text.width);
  }
  out << '\n' << wrap_text(closing_words(result.verdict), text.width, "", "");
}
void render_alerts_text(const Summary& summary, const OutputOptions& options,
                        std::ostream& out) {
  const Style style{options.color};
  const HistorySummary& history = summary.history;
  out << style.bold("Alerts") << '\n';
  if (history.alerts.empty()) out << "  none\n";
  for (const Alert& alert : history.alerts) print_alert(out, style, alert, options.width);
  print_skipped(out, style, summary.errors_total, options.width);
  print_what_failed(out, style, summary, options);
}

}  // namespace tlsrpt
