#include "tlsrpt/cli.hpp"

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/input.hpp"
#include "tlsrpt/pipeline.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"
#include <unistd.h>

namespace tlsrpt {

namespace {

struct CommonOptions {
  std::string format = "text";
  std::string color = "auto";
  bool verbose = false;
  std::size_t top = 10;
  Limits limits;
};

void add_common(CLI::App& command, CommonOptions& options) {
  command.add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command
      .add_option("--color", options.color,
                  "Colour in text output: auto (a terminal and NO_COLOR unset), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-v,--verbose", options.verbose, "List every warning and note");
  command
      .add_option("--max-file-size", options.limits.max_file_bytes,
                  "Largest file read, in bytes (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  command
      .add_option("--max-inflated-size", options.limits.max_inflated_bytes,
                  "Largest decompressed report, in bytes (suffixes K, M, G)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
}

bool use_color(const CommonOptions& options, const std::ostream& out) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return out.rdbuf() == std::cout.rdbuf() && isatty(STDOUT_FILENO) == 1;
}

TextOptions text_options(const CommonOptions& options, const std::ostream& out) {
  return TextOptions{use_color(options, out), options.verbose, options.top};
}

int run_summary(const std::vector<std::string>& paths, const CommonOptions& options,
                bool authenticated_only, std::istream& in, std::ostream& out, std::ostream& err) {
  Tally tally;
  std::uint64_t left_out = 0;
  const PipelineSinks sinks{
      [&](DecodedReport&& decoded) {
        if (authenticated_only && decoded.provenance.dkim != DkimVerdict::pass) {
          ++left_out;
          return;
        }
        if (!tally.add(decoded.report, join_where(decoded.file, decoded.where),
                       decoded.provenance.dkim))
          return;
        for (Diagnostic& warning : decoded.warnings) tally.add_diagnostic(std::move(warning));
      },
      [&](Diagnostic&& diagnostic) {
        if (diagnostic.severity == Severity::error)
          err << format_diagnostic_line(diagnostic) << '\n';
        tally.add_diagnostic(std::move(diagnostic));
      }};
  run_pipeline(paths, options.limits, in, sinks);
  Summary summary = tally.finish();
  summary.left_out_unauthenticated = left_out;
  if (options.format == "json") {
    write_json(summary_to_json(summary), out);
  } else {
    render_summary_text(summary, text_options(options, out), out);
  }
  return summary.errors_total > 0 ? kExitInputSkipped : kExitOk;
}

int run_show(const std::string& path, const CommonOptions& options, std::istream& in,
             std::ostream& out, std::ostream& err) {
  std::vector<DecodedReport> reports;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> notes;
  const PipelineSinks sinks{
      [&](DecodedReport&& decoded) { reports.push_back(std::move(decoded)); },
      [&](Diagnostic&& diagnostic) {
        err << format_diagnostic_line(diagnostic) << '\n';
        (diagnostic.severity == Severity::error ? errors : notes).push_back(std::move(diagnostic));
      }};
  run_pipeline({path}, options.limits, in, sinks);
  if (options.format == "json") {
    write_json(show_to_json(reports, errors, notes), out);
  } else {
    const TextOptions text = text_options(options, out);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      if (i > 0) out << '\n';
      render_report_text(reports[i], text, out);
    }
  }
  if (reports.empty() && errors.empty()) {
    err << format_diagnostic_line(
               Diagnostic{Severity::error, path, "", "no TLS report in it", "no_report"})
        << '\n';
    return kExitInputSkipped;
  }
  return errors.empty() ? kExitOk : kExitInputSkipped;
}

}  // namespace

int cli_main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
             std::ostream& err) {
  CLI::App app{"tlsrpt: read SMTP TLS Reporting (RFC 8460) reports and tell what fails and why.",
               "tlsrpt"};
  app.set_version_flag("--version", std::string("tlsrpt ") + TLSRPT_VERSION);
  app.require_subcommand(1);

  CommonOptions summary_options;
  std::vector<std::string> summary_paths;
  CLI::App* summary = app.add_subcommand(
      "summary", "Aggregate reports: totals, senders, domains, failure types with what to do");
  summary
      ->add_option("paths", summary_paths,
                   "Report files (.json, .json.gz, .zip), messages (.eml), mbox files, "
                   "directories, Maildirs, or - for stdin")
      ->required();
  add_common(*summary, summary_options);
  bool authenticated_only = false;
  summary->add_flag(
      "--authenticated-only", authenticated_only,
      "Count only reports received as mail with a DKIM pass for the submitter's domain");
  summary->add_option("--top", summary_options.top, "Rows shown in each host table")
      ->capture_default_str();

  CommonOptions show_options;
  std::string show_path;
  CLI::App* show =
      app.add_subcommand("show", "Print one report decoded, with a hint for every failure");
  show->add_option("file", show_path, "A report file, a message (.eml) or an mbox, or - for stdin")
      ->required();
  add_common(*show, show_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error, out, err);
    return status == 0 ? kExitOk : kExitUsage;
  }
  if (summary->parsed())
    return run_summary(summary_paths, summary_options, authenticated_only, in, out, err);
  return run_show(show_path, show_options, in, out, err);
}

}  // namespace tlsrpt
