// The live state as text (`tlsrpt domain`, `check --live`, `summary --live`).
#include <algorithm>

#include "render_text_internal.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace text_detail;

namespace {

int rank(const Finding& finding) {
  if (finding.severity == FindingSeverity::blocks) return 0;
  if (finding.could_not_tell) return 1;
  if (finding.severity == FindingSeverity::warning) return 2;
  if (finding.severity == FindingSeverity::info) return 3;
  return 4;
}

std::string label(const Finding& finding) {
  if (finding.could_not_tell) return "could not tell";
  return std::string(finding_severity_name(finding.severity));
}

}  // namespace

void render_live_text(const LiveCheck& live, const OutputOptions& options, std::ostream& out) {
  const std::size_t width = std::max<std::size_t>(options.width, 40);
  for (const DomainState& state : live.domains) {
    std::vector<const Finding*> findings;
    for (const Finding& finding : state.findings) findings.push_back(&finding);
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding* a, const Finding* b) { return rank(*a) < rank(*b); });
    std::size_t blocks = 0;
    std::size_t unknown = 0;
    for (const Finding* finding : findings) {
      blocks += finding->severity == FindingSeverity::blocks;
      unknown += finding->could_not_tell;
    }
    const std::string verdict =
        blocks ? fmt::format("{} finding{} block{} mode: enforce", blocks, blocks == 1 ? "" : "s",
                             blocks == 1 ? "s" : "")
        : unknown ? fmt::format("nothing blocks, but {} check{} could not be made", unknown,
                                unknown == 1 ? "" : "s")
                  : std::string("nothing blocks mode: enforce");
    wrapped(out, "", 2,
            fmt::format("Live state of {} at {}", escape_for_terminal(state.domain),
                        format_rfc3339(live.now)),
            width);
    wrapped(out, "  Verdict: ", 11, verdict, width);
    for (const Finding* finding : findings) {
      if (finding->severity == FindingSeverity::ok && !options.verbose) continue;
      const std::string head =
          fmt::format("  [{}] {}: ", label(*finding), escape_for_terminal(finding->subject));
      std::string text = escape_for_terminal(finding->message);
      if (finding->result_type) {
        text = fmt::format("{} ({})", text, result_type_name(*finding->result_type));
      }
      wrapped(out, head, 6, text, width);
      if (finding->result_type && finding->severity != FindingSeverity::ok) {
        wrapped(out, "      Do: ", 10, remedy_for(*finding->result_type).action, width);
      }
    }
    const auto ok = static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](const Finding* f) { return f->severity == FindingSeverity::ok; }));
    if (ok && !options.verbose) {
      out << "  " << ok << " check" << (ok == 1 ? "" : "s") << " passed (--verbose lists them)\n";
    }
  }
  if (live.with_reports) {
    out << "\nReported failures, now\n";
    if (live.reported.empty()) {
      out << "  The reports show no failure for the domains checked.\n";
    }
    for (const ReportedFailure& failure : live.reported) {
      wrapped(out, fmt::format("  [{}] ", live_status_name(failure.live)), 6,
              fmt::format("{} on {} ({}, {} failed)", escape_for_terminal(failure.result_type),
                          escape_for_terminal(failure.receiving_mx_hostname),
                          escape_for_terminal(failure.policy_domain), failure.failed),
              width);
      wrapped(out, "      ", 6, escape_for_terminal(failure.reason), width);
    }
  }
}

}  // namespace tlsrpt
