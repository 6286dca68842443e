// The commands of the application layer: each runs the flow with its options and renders the
// result; the face maps the Outcome to an exit status.
#include <filesystem>

#include <fmt/format.h>

#include "tlsrpt/app.hpp"
#include "tlsrpt/export.hpp"
#include "tlsrpt/render_html.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"

namespace tlsrpt {

namespace {

Answer check_answer(Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return Answer::ready;
    case Verdict::not_ready:
      return Answer::not_ready;
    case Verdict::insufficient_data:
      return Answer::insufficient_data;
  }
  return Answer::insufficient_data;
}

// The live state after a text output that has one.
void live_text(const Judgement& judgement, const OutputOptions& output, std::ostream& out) {
  if (!judgement.live) return;
  out << '\n';
  render_live_text(*judgement.live, output, out);
}

const LiveCheck* live_of(const Judgement& judgement) {
  return judgement.live ? &*judgement.live : nullptr;
}

}  // namespace

Outcome run_summary(const ReportSource& source, const SummaryRequest& request, const Io& io) {
  const Judgement judgement = judge(source, request.judge, io.err);
  const Summary& summary = judgement.summary;
  switch (request.format) {
    case Format::json:
      write_summary_json(summary, io.out, live_of(judgement));
      break;
    case Format::html:
      render_summary_html(summary, request.output, io.out);
      break;
    default:
      render_summary_text(summary, request.output, io.out);
      live_text(judgement, request.output, io.out);
      break;
  }
  return Outcome{Answer::none, summary.errors_total};
}

Outcome run_alerts(const ReportSource& source, const SummaryRequest& request, const Io& io) {
  const Summary summary = judge(source, request.judge, io.err).summary;
  if (request.format == Format::json) {
    write_alerts_json(summary, io.out);
  } else {
    render_alerts_text(summary, request.output, io.out);
  }
  return Outcome{summary.history.alerts.empty() ? Answer::no_alerts : Answer::alerts_fired,
                 summary.errors_total};
}

Outcome run_check(const ReportSource& source, const SummaryRequest& request, const Io& io) {
  const Judgement judgement = judge(source, request.judge, io.err);
  const Summary& summary = judgement.summary;
  if (request.format == Format::json) {
    write_check_json(summary, io.out, live_of(judgement));
  } else {
    render_check_text(summary, request.output, io.out);
    live_text(judgement, request.output, io.out);
  }
  return Outcome{check_answer(summary.check.verdict), summary.errors_total};
}

Outcome run_export(const ReportSource& source, const SummaryRequest& request, const Io& io) {
  if (request.format == Format::prometheus) {
    const Summary summary = judge(source, request.judge, io.err).summary;
    write_prometheus(summary, request.output.top, io.out);
    return Outcome{Answer::none, summary.errors_total};
  }
  // Rows are written as reports arrive: only the dedup keys are kept, never the rows.
  const bool csv = request.format == Format::csv;
  if (csv) write_csv_header(io.out);
  const Collected collected =
      collect(source, request.judge.read, request.judge.gate.time.now.value_or(0), io.err,
              [&](const DecodedReport& decoded) {
                for (const std::vector<Cell>& row : export_rows(decoded)) {
                  csv ? write_csv_row(row, io.out) : write_ndjson_row(row, io.out);
                }
              });
  check_filter_matched(request.judge.read.filter, collected.seen);
  return Outcome{Answer::none, collected.tally.errors_total()};
}

Outcome run_show(const ShowRequest& request, const Io& io) {
  std::vector<DecodedReport> reports;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> notes;
  const PipelineSinks sinks{
      [&](DecodedReport&& decoded) {
        if (apply_filter(request.read.filter, decoded.report)) reports.push_back(std::move(decoded));
      },
      [&](Diagnostic&& diagnostic) {
        io.err << format_diagnostic_line(diagnostic) << '\n';
        (diagnostic.severity == Severity::error ? errors : notes).push_back(std::move(diagnostic));
      }};
  run_pipeline({request.path}, request.read.limits, io.in, sinks);
  if (request.format == Format::json) {
    write_show_json(reports, errors, notes, io.out);
  } else {
    for (std::size_t i = 0; i < reports.size(); ++i) {
      if (i > 0) io.out << '\n';
      render_report_text(reports[i], request.output, io.out);
    }
  }
  if (reports.empty() && errors.empty()) {
    io.err << format_diagnostic_line(
                  Diagnostic{Severity::error, request.path, "", "no TLS report in it", "no_report"})
           << '\n';
    return Outcome{Answer::none, 1};
  }
  return Outcome{Answer::none, errors.size()};
}

Outcome run_domain(const DomainRequest& request, const Io& io) {
  LiveCheck live = check_live(request.judge.live);
  std::uint64_t skipped = 0;
  if (!request.paths.empty()) {
    JudgeRequest reports = request.judge;
    reports.live.domains.clear();  // checked above, once
    const Summary summary =
        judge(input_files(request.paths, reports.read, io.in), reports, io.err).summary;
    skipped = summary.errors_total;
    live.with_reports = true;
    live.reported = reconcile(reported_failures(summary), live.domains);
  }
  if (request.format == Format::json) {
    write_domain_json(live, io.out);
  } else {
    render_live_text(live, request.output, io.out);
  }
  const auto any = [&](auto test) {
    return std::any_of(live.domains.begin(), live.domains.end(), test);
  };
  Answer answer = Answer::ready;
  if (any([](const DomainState& s) { return s.blocks(); })) {
    answer = Answer::not_ready;
  } else if (any([](const DomainState& s) { return s.could_not_tell(); })) {
    answer = Answer::insufficient_data;
  }
  return Outcome{answer, skipped};
}

}  // namespace tlsrpt
