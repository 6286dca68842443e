// Human output: aligned tables that fit the terminal, optional colour, every report string
// escaped. One function per thing shown; render_text_*.cpp hold them.
#pragma once

#include <ostream>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/decoded_report.hpp"
#include "tlsrpt/imap_fetch.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/output.hpp"

namespace tlsrpt {

// `summary`: the first screen (period, totals, verdicts, alerts, failure types with what to do),
// then the tables, the days, trend and failures, and what was skipped.
void render_summary_text(const Summary& summary, const OutputOptions& options, std::ostream& out);
// `show`: one report with where it came from (file, message, attachment, DKIM verdict) and its
// warnings.
void render_report_text(const DecodedReport& decoded, const OutputOptions& options,
                        std::ostream& out);
// `check`: the enforce-readiness verdict with every reason, and what was skipped.
void render_check_text(const Summary& summary, const OutputOptions& options, std::ostream& out);
// `alerts`: the alerts, most severe first (or a line saying there are none), what failed in the
// recent window with what to do, and what was skipped.
void render_alerts_text(const Summary& summary, const OutputOptions& options, std::ostream& out);
// The live state: findings, most severe first, each with what to do; then, with reports, whether
// each reported failure is fixed now.
void render_live_text(const LiveCheck& live, const OutputOptions& options, std::ostream& out);
// `fetch`: one sentence of what was fetched from where.
void render_fetch_text(const FetchResult& result, const FetchOptions& fetch,
                       const OutputOptions& options, std::ostream& out);

}  // namespace tlsrpt
