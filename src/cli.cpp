#include "tlsrpt/cli.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli_config.hpp"
#include "cli_docs.hpp"
#include "tlsrpt/analyze.hpp"
#include "tlsrpt/export.hpp"
#include "tlsrpt/filter.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/imap_fetch.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/pipeline.hpp"
#include "tlsrpt/render_html.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_live.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"
#include "tlsrpt_commit.h"  // generated: TLSRPT_GIT_COMMIT
#include <sys/ioctl.h>
#include <unistd.h>

namespace tlsrpt {

namespace {

// What a command reads and how it prints; each command offers only the options it uses.
struct CommonOptions {
  std::string format = "text";
  std::string color = "auto";
  bool verbose = false;
  int top = 10;
  Limits limits;
  std::string since;
  std::string until;
  std::vector<std::string> domains;
  std::vector<std::string> senders;
  bool authenticated_only = false;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> trusted_authserv_ids;  // --trusted-authserv-id
  std::string now;                                // --now; empty: the wall clock
  int stale_days = 2;                             // --stale-days
};

// A usage error found after parsing (contradictory or empty settings): exit status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "1%", "0.5 %" or "0.01" → 0.01. Returns an error message, or "" with `text` rewritten as the
// fraction.
std::string parse_rate(std::string& text) {
  std::string value = text;
  bool percent = false;
  while (!value.empty() && (value.back() == '%' || value.back() == ' ')) {
    percent = percent || value.back() == '%';
    value.pop_back();
  }
  const std::string usage = fmt::format(
      "\"{}\" is not a rate: write a percentage like 5% or a fraction like 0.05, between 0 and 1",
      text);
  std::size_t used = 0;
  double number = 0;
  try {
    number = std::stod(value, &used);
  } catch (const std::exception&) {
    return usage;
  }
  if (used != value.size() || value.empty() || !std::isfinite(number)) return usage;
  if (percent) number /= 100;
  if (number < 0 || number > 1) return usage;
  text = fmt::format("{}", number);
  return "";
}

const auto kRate = CLI::Validator(parse_rate, "RATE", "rate");

// The fraction of a rate option's value (defaults are written as percentages too).
double rate_value(std::string text) {
  parse_rate(text);
  return std::stod(text);
}

// A size in bytes with an optional K, M or G suffix; a negative size is refused (CLI11's
// AsSizeValue would wrap it around to a huge limit).
void add_size_option(CLI::App& command, const std::string& name, std::uint64_t& target,
                     const std::string& help) {
  command.add_option(name, target, help)
      ->check(CLI::Validator(
          [name](std::string& text) {
            return text.find('-') == std::string::npos
                       ? std::string()
                       : fmt::format("\"{}\" is not a size: write bytes, or K, M, G", text);
          },
          "SIZE", "size"))
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
}

// A repeatable option: one value per occurrence, so that it never takes the paths after it;
// make_filter splits comma lists (CLI11's own splitting drops empty entries without a word).
CLI::Option* add_list_option(CLI::App& command, const std::string& name,
                             std::vector<std::string>& target, const std::string& help) {
  return command.add_option(name, target, help)->allow_extra_args(false);
}

enum Offers : unsigned {
  kOfferColor = 1,     // text output with colour
  kOfferVerbose = 2,   // lists every warning and note
  kOfferTop = 4,       // long tables
  kOfferParallel = 8,  // --jobs and --authenticated-only: many inputs, counted
  kOfferTime = 16,     // --now and --stale-days: windows that end now
};

void add_common(CLI::App& command, CommonOptions& options, const std::vector<std::string>& formats,
                unsigned offers) {
  command.add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  if (offers & kOfferColor) {
    command
        .add_option("--color", options.color,
                    "Colour in text output: auto (a terminal and NO_COLOR unset), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
  }
  if (offers & kOfferVerbose)
    command.add_flag("-v,--verbose", options.verbose, "List every warning and note on stderr");
  if (offers & kOfferTop) {
    command.add_option("--top", options.top, "Rows shown in each long table (at least 1)")
        ->check(CLI::Validator(
            [](std::string& text) {
              int value = 0;
              const bool whole = CLI::detail::lexical_cast(text, value);
              return whole && value >= 1
                         ? std::string()
                         : fmt::format("\"{}\" is not a number of rows: write 1 or more", text);
            },
            "N", "rows"))
        ->capture_default_str();
  }
  add_size_option(command, "--max-file-size", options.limits.max_file_bytes,
                  "Largest file or mailbox message read, in bytes (suffixes K, M, G)");
  add_size_option(command, "--max-inflated-size", options.limits.max_inflated_bytes,
                  "Largest decompressed report, in bytes (suffixes K, M, G)");
  command.add_option("--since", options.since,
                     "Only reports whose period ends on or after DATE (YYYY-MM-DD or RFC 3339)");
  command.add_option("--until", options.until,
                     "Only reports whose period starts on or before DATE");
  command
      .add_option("--trusted-authserv-id", options.trusted_authserv_ids,
                  "Read a message's DKIM verdict from the topmost Authentication-Results of this "
                  "server, your own receiving one (repeatable); default: the topmost header")
      ->allow_extra_args(false);
  add_list_option(command, "--domain", options.domains,
                  "Only this policy domain (repeatable, or a comma list)");
  add_list_option(command, "--sender", options.senders,
                  "Only senders whose organization-name or contact-info contains this "
                  "(repeatable, or a comma list)");
  if (offers & kOfferTime) {
    command.add_option("--now", options.now,
                       "Take this as the current time (YYYY-MM-DD or RFC 3339), for reproducible "
                       "runs; default: the clock");
    command
        .add_option("--stale-days", options.stale_days,
                    "The newest report older than this many days means reports stopped arriving")
        ->check(CLI::Range(1, 3660))
        ->capture_default_str();
  }
  if (offers & kOfferParallel) {
    command
        .add_option("-j,--jobs", options.jobs,
                    "Files decoded in parallel (default: all cores); the output is the same")
        ->check(CLI::Range(1u, 256u));
    command.add_flag(
        "--authenticated-only", options.authenticated_only,
        "Count only reports received as mail with a DKIM pass for the submitter's domain");
  }
}

bool use_color(const CommonOptions& options, const std::ostream& out) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return out.rdbuf() == std::cout.rdbuf() && isatty(STDOUT_FILENO) == 1;
}

// COLUMNS when set, else the terminal's width when stdout is one, else 80.
std::size_t output_width(const std::ostream& out) {
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (*end == '\0' && value > 0) return static_cast<std::size_t>(std::clamp(value, 40L, 1000L));
  }
  winsize size{};
  if (out.rdbuf() == std::cout.rdbuf() && isatty(STDOUT_FILENO) == 1 &&
      ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return std::clamp<std::size_t>(size.ws_col, 40, 1000);
  }
  return 80;
}

TextOptions text_options(const CommonOptions& options, const std::ostream& out) {
  return TextOptions{use_color(options, out), options.verbose,
                     static_cast<std::size_t>(options.top), output_width(out)};
}

// The time options of a command: --now (the clock when not given) and --stale-days. Throws
// UsageError for a time it cannot read.
TimeOptions time_options(const CommonOptions& options) {
  TimeOptions time;
  time.stale_days = options.stale_days;
  if (options.now.empty()) {
    time.now = static_cast<std::int64_t>(std::time(nullptr));
  } else {
    time.now = parse_filter_time(options.now, false);
    if (!time.now) {
      throw UsageError(fmt::format(
          "--now: \"{}\" is not a date: write YYYY-MM-DD or an RFC 3339 date-time", options.now));
    }
  }
  return time;
}

// The limits, and the trusted authserv-ids lower-cased.
Limits reading(const CommonOptions& options) {
  Limits limits = options.limits;
  for (const std::string& id : options.trusted_authserv_ids) {
    if (!trim(id).empty()) limits.trusted_authserv_ids.push_back(lowercase(trim(id)));
  }
  return limits;
}

// Throws UsageError for a date it cannot read, --since after --until, or an empty --domain or
// --sender value.
ReportFilter make_filter(const CommonOptions& options) {
  ReportFilter filter;
  for (auto [name, text, target, end_of_day] :
       {std::tuple{"--since", &options.since, &filter.since, false},
        std::tuple{"--until", &options.until, &filter.until, true}}) {
    if (text->empty()) continue;
    *target = parse_filter_time(*text, end_of_day);
    if (!*target) {
      throw UsageError(fmt::format(
          "{}: \"{}\" is not a date: write YYYY-MM-DD or an RFC 3339 date-time", name, *text));
    }
  }
  if (filter.since && filter.until && *filter.since > *filter.until) {
    throw UsageError(fmt::format("--since {} is after --until {}: no report could match",
                                 options.since, options.until));
  }
  for (auto [name, values, target] : {std::tuple{"--domain", &options.domains, &filter.domains},
                                      std::tuple{"--sender", &options.senders, &filter.senders}}) {
    for (const std::string& value : *values) {
      for (std::size_t at = 0; at <= value.size();) {
        const std::size_t comma = std::min(value.find(',', at), value.size());
        const std::string_view entry = trim(std::string_view(value).substr(at, comma - at));
        if (entry.empty()) {
          throw UsageError(
              fmt::format("{}: an empty value matches nothing (in \"{}\")", name, value));
        }
        target->push_back(lowercase(entry));
        at = comma + 1;
      }
    }
  }
  return filter;
}

// A one-line progress display on stderr for long runs, only when stderr is a terminal: files and
// reports done, rate, errors so far. Never mixed into stdout.
class Progress {
 public:
  explicit Progress(std::ostream& err)
      : err_(err),
        enabled_(&err == &std::cerr && isatty(STDERR_FILENO) == 1),
        start_(Clock::now()),
        last_(start_) {}
  ~Progress() {
    if (shown_) err_ << "\r\x1b[K" << std::flush;
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void file() {
    ++files_;
    tick();
  }
  void report() { ++reports_; }
  // What to print before a line on stderr: erases the progress line when one is shown.
  const char* clear_line() const { return shown_ ? "\r\x1b[K" : ""; }
  void error() { ++errors_; }

 private:
  using Clock = std::chrono::steady_clock;
  void tick() {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    err_ << fmt::format("\r\x1b[Ktlsrpt: {} files, {} reports ({:.0f}/s), {} errors", files_,
                        reports_, seconds > 0 ? static_cast<double>(reports_) / seconds : 0.0,
                        errors_)
         << std::flush;
    shown_ = true;
  }

  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_;
  std::uint64_t files_ = 0;
  std::uint64_t reports_ = 0;
  std::uint64_t errors_ = 0;
};

// 2016-01-01T00:00:00Z: no TLS report is older (RFC 8460 was drafted in 2016).
constexpr std::int64_t kEarliestPlausible = 1451606400;

// What a run left out: by --authenticated-only and by each filter.
struct LeftOut {
  std::uint64_t unauthenticated = 0;
  FilterCounts filtered;
};

// Runs the pipeline over `paths` into a Tally: filters, --authenticated-only, deduplication;
// errors go to `err` as they happen. `counted`, when given, sees each report that counts (export
// writes its rows there), before the report is dropped.
// `filter` and `now` are make_filter's and time_options' reading of `options`, made once by the
// caller (which rejects bad values before anything is read).
Tally collect(const std::vector<std::string>& paths, const CommonOptions& options,
              const ReportFilter& filter, std::int64_t now, std::istream& in, std::ostream& err,
              LeftOut& left_out,
              const std::function<void(const DecodedReport&)>& counted = nullptr) {
  // Report periods before 2016 (RFC 8460 was drafted then) or ending more than a week after now
  // are implausible: counted in the totals, kept out of series, trend, alerts and check.
  const std::int64_t latest = now + 7 * kSecondsPerDay;
  Tally tally;
  Progress progress(err);
  const PipelineSinks sinks{
      [&](DecodedReport&& decoded) {
        progress.report();
        FilterMiss miss = FilterMiss::none;
        if (!apply_filter(filter, decoded.report, &miss)) {
          left_out.filtered.add(miss);
          return;
        }
        if (options.authenticated_only && decoded.provenance.dkim != DkimVerdict::pass) {
          ++left_out.unauthenticated;
          return;
        }
        const DateRange& range = decoded.report.date_range;
        const bool dated = range.start >= kEarliestPlausible && range.end <= latest;
        if (!tally.add(decoded.report, join_where(decoded.file, decoded.where),
                       decoded.provenance.dkim, decoded.provenance.tls_report_submitter,
                       &decoded.identity, dated)) {
          return;
        }
        if (!dated) {
          decoded.warnings.push_back(Diagnostic{
              Severity::warning, decoded.file, decoded.where,
              fmt::format("the period {} to {} is implausible (before 2016, or more than a week "
                          "after now): counted in the totals, left out of the per-day tables, "
                          "trend, alerts and check",
                          format_rfc3339(range.start), format_rfc3339(range.end)),
              "implausible_date"});
        }
        if (counted) counted(decoded);
        if (!decoded.warnings.empty()) tally.add_report_with_warnings();
        for (Diagnostic& warning : decoded.warnings) {
          if (options.verbose)
            err << progress.clear_line() << format_diagnostic_line(warning) << '\n';
          tally.add_diagnostic(std::move(warning));
        }
      },
      [&](Diagnostic&& diagnostic) {
        if (diagnostic.severity == Severity::error) {
          progress.error();
          err << progress.clear_line() << format_diagnostic_line(diagnostic) << '\n';
        } else if (options.verbose) {
          err << progress.clear_line() << format_diagnostic_line(diagnostic) << '\n';
        }
        tally.add_diagnostic(std::move(diagnostic));
      },
      [&](const std::string&) { progress.file(); }};
  run_pipeline(paths, reading(options), in, sinks, options.jobs);
  return tally;
}

// "12 outside --since 2026-05-12, 7 with no policy for --domain example.com": which filters left
// how many reports out ("" when none did).
std::string left_out_text(const CommonOptions& options, const LeftOut& left_out) {
  std::vector<std::string> parts;
  const FilterCounts& f = left_out.filtered;
  if (f.since > 0)
    parts.push_back(fmt::format("{} ended before --since {}", f.since, options.since));
  if (f.until > 0)
    parts.push_back(fmt::format("{} began after --until {}", f.until, options.until));
  if (f.sender > 0) {
    parts.push_back(fmt::format("{} from other senders than --sender {}", f.sender,
                                fmt::join(options.senders, ",")));
  }
  if (f.domain > 0) {
    parts.push_back(fmt::format("{} with no policy for --domain {}", f.domain,
                                fmt::join(options.domains, ",")));
  }
  if (left_out.unauthenticated > 0) {
    parts.push_back(
        fmt::format("{} without a DKIM pass (--authenticated-only)", left_out.unauthenticated));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// Takes the tally's listed diagnostics into the summary; its history stays (for `check`).
Summary summarize(Tally& tally, const LeftOut& left_out, const std::string& left_out_sentence,
                  const HistoryOptions& history) {
  Summary summary = tally.take_summary(history);
  summary.left_out_unauthenticated = left_out.unauthenticated;
  summary.left_out_by_filter = left_out.filtered;
  const std::uint64_t total = left_out.filtered.total() + left_out.unauthenticated;
  if (total > 0) {
    summary.left_out_text =
        fmt::format("{} report{}: {}", total, total == 1 ? "" : "s", left_out_sentence);
  }
  return summary;
}

// Streams rows as reports arrive: only the dedup keys are kept, never the rows.
int run_export(const std::vector<std::string>& paths, const CommonOptions& options,
               std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.format == "prometheus") {
    // Metrics of the whole summary and its verdicts (docs/prometheus.md).
    const ReportFilter filter = make_filter(options);
    const TimeOptions time = time_options(options);
    LeftOut left_out;
    Tally tally = collect(paths, options, filter, *time.now, in, err, left_out);
    HistoryOptions history;
    history.time = time;
    Summary summary = summarize(tally, left_out, left_out_text(options, left_out), history);
    CheckOptions check;
    check.time = time;
    summary.check = tally.history().check(check);
    write_prometheus(summary, static_cast<std::size_t>(options.top), out);
    return summary.errors_total > 0 ? kExitInputSkipped : kExitOk;
  }
  const bool csv = options.format == "csv";
  if (csv) write_csv_header(out);
  LeftOut left_out;
  const Tally tally = collect(paths, options, make_filter(options), *time_options(options).now, in,
                              err, left_out, [&](const DecodedReport& decoded) {
                                for (const std::vector<Cell>& row : export_rows(decoded)) {
                                  if (csv) {
                                    write_csv_row(row, out);
                                  } else {
                                    write_ndjson_row(row, out);
                                  }
                                }
                              });
  return tally.errors_total() > 0 ? kExitInputSkipped : kExitOk;
}

int run_show(const std::string& path, const CommonOptions& options, std::istream& in,
             std::ostream& out, std::ostream& err) {
  const ReportFilter filter = make_filter(options);
  std::vector<DecodedReport> reports;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> notes;
  const PipelineSinks sinks{
      [&](DecodedReport&& decoded) {
        if (apply_filter(filter, decoded.report)) reports.push_back(std::move(decoded));
      },
      [&](Diagnostic&& diagnostic) {
        err << format_diagnostic_line(diagnostic) << '\n';
        (diagnostic.severity == Severity::error ? errors : notes).push_back(std::move(diagnostic));
      }};
  run_pipeline({path}, reading(options), in, sinks);
  if (options.format == "json") {
    write_show_json(reports, errors, notes, out);
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

namespace {

const std::vector<std::string> kCommands{"summary", "alerts", "check", "export",     "show",
                                         "domain",  "fetch",  "man",   "completion", "config"};

// The message of a CLI11 parse error in our words: "tlsrpt: " and the option or argument named.
std::string usage_message(const CLI::ParseError& error, const std::string& command) {
  std::string text = error.what();
  const std::string where = command.empty() ? "tlsrpt" : "tlsrpt " + command;
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // "The following argument(s) was/were not expected: --foo bar"
    const std::size_t colon = text.find(": ");
    const std::string extras = colon == std::string::npos ? text : text.substr(colon + 2);
    if (extras.starts_with("-")) {
      return fmt::format("unknown option \"{}\" for {}; see {} --help", extras, where, where);
    }
    return fmt::format("unexpected argument \"{}\" for {}; see {} --help", extras, where, where);
  }
  if (error.get_name() == "RequiredError" && text.find("paths") != std::string::npos) {
    return fmt::format("{} needs at least one PATH (a report file, message, mbox, directory or -)",
                       where);
  }
  if (error.get_name() == "RequiredError" && text.find("file") != std::string::npos) {
    return fmt::format("{} needs a FILE", where);
  }
  if (error.get_name() == "RequiredError" && command.empty()) {
    return fmt::format("a command is needed: {}; see tlsrpt --help", fmt::join(kCommands, ", "));
  }
  if (text.starts_with(command + ": ")) text.erase(0, command.size() + 2);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
      text.find(" required ") != std::string::npos) {
    return fmt::format("{} needs a value", text.substr(0, text.find(':')));
  }
  return text;
}

}  // namespace

namespace {

const std::string kPathsHelp =
    "Report files (.json, .json.gz, .zip), messages (.eml), mbox files, directories, Maildirs, or "
    "- for stdin";

// The streams a command reads and writes.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// What the live check is told on the command line (domain, check --live).
struct LiveCli {
  std::vector<std::string> domains;  // check --live DOMAIN
  LiveOptions options;
  std::string resolver;
  std::string trust_anchor;
  double timeout = 10;
  bool no_smtp = false;
};

void add_live_options(CLI::App& command, LiveCli& live) {
  command.add_option(
      "--resolver", live.resolver,
      "Resolver to ask, ADDR or ADDR@PORT (default: the system's, /etc/resolv.conf); "
      "answers are DNSSEC-validated here");
  command
      .add_option("--trust-anchor", live.trust_anchor,
                  "DNSSEC trust anchors (DS or DNSKEY records) used instead of the root's, for "
                  "private or test zones")
      ->check(CLI::ExistingFile);
  command
      .add_option("--ca-file", live.options.ca_file,
                  "Extra trusted roots (PEM) for the policy host and the MX certificates")
      ->check(CLI::ExistingFile);
  command
      .add_option("--connect-to", live.options.connect_to,
                  "HOST:PORT:ADDR:PORT: dial ADDR:PORT for HOST:PORT, as curl's (repeatable)")
      ->check(CLI::Validator(
          [](std::string& text) {
            return std::count(text.begin(), text.end(), ':') >= 3
                       ? std::string()
                       : fmt::format("\"{}\" is not HOST:PORT:ADDR:PORT", text);
          },
          "HOST:PORT:ADDR:PORT", "connect_to"))
      ->allow_extra_args(false);
  command.add_option("--timeout", live.timeout, "Seconds each network step may take")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  command.add_flag("--no-smtp", live.no_smtp, "Do not probe the MX hosts over SMTP");
  command
      .add_option("--expiry-warning-days", live.options.expiry_warning_days,
                  "Warn when an MX certificate expires within this many days")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
}

// Letters, digits, hyphens and underscores in dot-separated labels of at most 63, 253 in all.
bool is_domain_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (const char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

// --live values: comma lists split, each a domain name, or a usage error.
std::vector<std::string> live_domain_list(const std::vector<std::string>& values) {
  std::vector<std::string> domains;
  for (const std::string& value : values) {
    for (std::size_t at = 0; at <= value.size();) {
      const std::size_t comma = std::min(value.find(',', at), value.size());
      const std::string entry(trim(std::string_view(value).substr(at, comma - at)));
      if (!is_domain_name(entry)) {
        throw UsageError(fmt::format("--live: \"{}\" is not a domain name", entry));
      }
      domains.push_back(entry);
      at = comma + 1;
    }
  }
  return domains;
}

// The live state of each domain; certificates are judged at the wall clock, whatever --now says
// about the reports.
LiveCheck check_live(LiveCli& live, const std::vector<std::string>& domains) {
  LiveCheck result;
  result.now = static_cast<std::int64_t>(std::time(nullptr));
  live.options.now = result.now;
  live.options.resolver.forward = live.resolver;
  live.options.resolver.trust_anchor = live.trust_anchor;
  live.options.resolver.timeout_seconds = live.timeout;
  live.options.timeout_seconds = live.timeout;
  live.options.smtp = !live.no_smtp;
  for (const std::string& domain : domains) {
    try {
      result.domains.push_back(check_domain(domain, live.options));
    } catch (const std::runtime_error& error) {
      throw UsageError(error.what());  // the resolver could not be set up as asked
    }
  }
  return result;
}

// The summary's failures in the window, one per (type, policy domain, MX), most failed first.
std::vector<ReportedFailure> reported_failures(const Summary& summary) {
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failed;
  for (const PersistentFailure& failure : summary.history.failures) {
    failed[{failure.result_type, failure.policy_domain, failure.receiving_mx_hostname}] +=
        failure.failed;
  }
  std::vector<ReportedFailure> list;
  for (const auto& [key, count] : failed) {
    ReportedFailure failure;
    std::tie(failure.result_type, failure.policy_domain, failure.receiving_mx_hostname) = key;
    failure.failed = count;
    list.push_back(std::move(failure));
  }
  std::stable_sort(
      list.begin(), list.end(),
      [](const ReportedFailure& a, const ReportedFailure& b) { return a.failed > b.failed; });
  return list;
}

// Adds the live state to a reports' verdict: a blocking finding makes it not ready, a check that
// could not be made at best insufficient data.
void add_live_verdict(CheckResult& result, const LiveCheck& live) {
  for (const DomainState& state : live.domains) {
    CheckItem item;
    if (state.blocks()) {
      item = {Verdict::not_ready, "live_blocks",
              fmt::format("{}: the live state blocks mode: enforce (see the live findings)",
                          state.domain)};
    } else if (state.could_not_tell()) {
      item = {Verdict::insufficient_data, "live_could_not_tell",
              fmt::format("{}: some live checks could not be made from here", state.domain)};
    } else {
      item = {Verdict::ready, "live_ok",
              fmt::format("{}: the live state allows mode: enforce", state.domain)};
    }
    if (item.outcome == Verdict::not_ready || result.verdict == Verdict::not_ready) {
      result.verdict = item.outcome == Verdict::not_ready ? Verdict::not_ready : result.verdict;
    } else if (item.outcome == Verdict::insufficient_data) {
      result.verdict = Verdict::insufficient_data;
    }
    result.items.push_back(std::move(item));
  }
}

// A subcommand: its CLI11 definition and what runs once it was parsed. Each define_* below adds
// one, with the options it offers; their values live in the state the run function holds.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// summary, alerts and check read reports into a tally and judge them; `kind` says which.
enum class Judge { summary, alerts, check };

int run_judge(Judge kind, const std::vector<std::string>& paths, CommonOptions& options,
              HistoryOptions& history, CheckOptions& check, const Io& io, LiveCli* live = nullptr) {
  // Reject bad dates and domains before reading anything.
  const ReportFilter filter = make_filter(options);
  if (live) live->domains = live_domain_list(live->domains);
  const TimeOptions time = time_options(options);
  LeftOut left_out;
  Tally tally = collect(paths, options, filter, *time.now, io.in, io.err, left_out);
  const std::string left_out_sentence = left_out_text(options, left_out);
  const std::uint64_t left_out_total = left_out.filtered.total() + left_out.unauthenticated;
  history.time = time;
  if (tally.reports_total() == 0 && left_out_total > 0) {
    history.time.nothing_left = fmt::format("{} report{} read, all left out: {}", left_out_total,
                                            left_out_total == 1 ? "" : "s", left_out_sentence);
  }
  history.series_since = filter.since;
  history.series_until = filter.until;
  check.time = history.time;
  Summary result = summarize(tally, left_out, left_out_sentence, history);
  const bool skipped = result.errors_total > 0;
  const TextOptions text = text_options(options, io.out);
  switch (kind) {
    case Judge::summary: {
      CheckOptions verdicts;  // the defaults, as `tlsrpt check` without options
      verdicts.time = history.time;
      result.check = tally.history().check(verdicts);
      std::optional<LiveCheck> live_check;
      if (live && !live->domains.empty()) {
        live_check = check_live(*live, live->domains);
        live_check->with_reports = true;
        live_check->reported = reconcile(reported_failures(result), live_check->domains);
      }
      if (options.format == "json") {
        write_summary_json(result, io.out, live_check ? &*live_check : nullptr);
      } else if (options.format == "html") {
        render_summary_html(result, text, io.out);
      } else {
        render_summary_text(result, text, io.out);
        if (live_check) {
          io.out << '\n';
          render_live_text(*live_check, text, io.out);
        }
      }
      return skipped ? kExitInputSkipped : kExitOk;
    }
    case Judge::alerts:
      if (options.format == "json") {
        write_alerts_json(result, io.out);
      } else {
        io.out << "Alerts\n";
        render_alerts_text(result.history.alerts, text, io.out);
      }
      if (skipped) return kExitInputSkipped;
      return result.history.alerts.empty() ? kExitOk : kExitAlerts;
    case Judge::check:
      break;
  }
  check.persistent_periods = std::max<std::uint64_t>(1, check.persistent_periods);
  CheckResult verdict = tally.history().check(check);
  std::optional<LiveCheck> live_check;
  if (live && !live->domains.empty()) {
    live_check = check_live(*live, live->domains);
    live_check->with_reports = true;
    live_check->reported = reconcile(reported_failures(result), live_check->domains);
    add_live_verdict(verdict, *live_check);
  }
  if (options.format == "json") {
    write_check_json(verdict, check, result, io.out, live_check ? &*live_check : nullptr);
  } else {
    render_check_text(verdict, check, text, io.out);
    if (live_check) {
      io.out << '\n';
      render_live_text(*live_check, text, io.out);
    }
  }
  if (skipped) return kExitInputSkipped;
  switch (verdict.verdict) {
    case Verdict::ready:
      return kExitOk;
    case Verdict::not_ready:
      return kExitNotReady;
    case Verdict::insufficient_data:
      return kExitInsufficientData;
  }
  return kExitInsufficientData;
}

// What summary, alerts and check read their options into.
struct JudgeState {
  CommonOptions options;
  HistoryOptions history;
  CheckOptions check;
  std::vector<std::string> paths;
  LiveCli live;
  std::string output;  // summary -o FILE
};

Command define_summary(CLI::App& app, const Io& io) {
  auto state = std::make_shared<JudgeState>();
  CLI::App* command = app.add_subcommand(
      "summary",
      "Aggregate reports: the enforce verdicts and alerts first, then failure types with what to "
      "do, senders, domains, hosts, days, trend");
  command->add_option("paths", state->paths, kPathsHelp)->required();
  add_common(*command, state->options, {"text", "json", "html"},
             kOfferColor | kOfferVerbose | kOfferTop | kOfferParallel | kOfferTime);
  command->add_option("-o,--output", state->output,
                      "Write to this file instead of standard output (e.g. report.html)");
  add_list_option(*command, "--live", state->live.domains,
                  "Also show this domain's live state and whether each reported failure is fixed "
                  "now (repeatable; docs/live.md)");
  add_live_options(*command, state->live);
  command
      ->add_option("--days", state->history.series_days,
                   "Days up to now in the per-day tables and series (--since/--until set them "
                   "instead)")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  command
      ->add_option("--window", state->history.window_days,
                   "Days in the recent window for trend and alerts")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  command
      ->add_option("--persistent-periods", state->history.persistent_periods,
                   "Report periods a failure must appear in to be persistent")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  return {command, [state, io] {
            if (state->output.empty()) {
              return run_judge(Judge::summary, state->paths, state->options, state->history,
                               state->check, io, &state->live);
            }
            std::ofstream file(state->output, std::ios::binary | std::ios::trunc);
            if (!file) {
              throw UsageError(fmt::format("--output {}: cannot write it ({})", state->output,
                                           std::strerror(errno)));
            }
            const Io to_file{io.in, file, io.err};
            const int status = run_judge(Judge::summary, state->paths, state->options,
                                         state->history, state->check, to_file, &state->live);
            file.close();
            if (!file) {
              io.err << "tlsrpt: error: " << escape_for_terminal(state->output)
                     << ": the write failed (disk full?)\n";
              return kExitInputSkipped;
            }
            return status;
          }};
}

Command define_alerts(CLI::App& app, const Io& io) {
  struct State : JudgeState {
    std::string warn_rate = "2%";
    std::string critical_rate = "5%";
  };
  auto state = std::make_shared<State>();
  CLI::App* command =
      app.add_subcommand("alerts", "Alerts worth acting on; exit status 1 when any fired");
  command->add_option("paths", state->paths, kPathsHelp)->required();
  add_common(*command, state->options, {"text", "json"}, kOfferColor | kOfferParallel | kOfferTime);
  command
      ->add_option("--warn-rate", state->warn_rate,
                   "Warn when the recent failure rate is above this")
      ->transform(kRate)
      ->capture_default_str();
  command->add_option("--critical-rate", state->critical_rate, "Critical alert above this")
      ->transform(kRate)
      ->capture_default_str();
  command->add_option("--window", state->history.window_days, "Days in the recent window")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  command
      ->add_option("--silent-days", state->history.silent_days,
                   "A regular sender silent this long is an alert")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  return {command, [state, io] {
            state->history.warn_rate = rate_value(state->warn_rate);
            state->history.critical_rate = rate_value(state->critical_rate);
            if (state->history.warn_rate > state->history.critical_rate) {
              throw UsageError(
                  fmt::format("--warn-rate {} is above --critical-rate {}: warnings "
                              "would never fire before critical alerts",
                              state->warn_rate, state->critical_rate));
            }
            return run_judge(Judge::alerts, state->paths, state->options, state->history,
                             state->check, io);
          }};
}

Command define_check(CLI::App& app, const Io& io) {
  struct State : JudgeState {
    std::string max_rate = "1%";
    std::string majors;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "check",
      "May MTA-STS move from mode: testing to mode: enforce? A verdict per policy domain; exit 0 "
      "ready, 1 not ready, 4 insufficient data");
  command->add_option("paths", state->paths, kPathsHelp)->required();
  add_common(*command, state->options, {"text", "json"}, kOfferColor | kOfferParallel | kOfferTime);
  command->add_option("--max-failure-rate", state->max_rate, "Highest acceptable failure rate")
      ->transform(kRate)
      ->capture_default_str();
  command->add_option("--min-days", state->check.min_days, "Days of reports needed in the window")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  command->add_option("--window", state->check.window_days, "Days looked at, ending now")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  command
      ->add_option("--persistent-periods", state->check.persistent_periods,
                   "Report periods a failure must appear in to block")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  CLI::Option* majors = command->add_option(
      "--major-senders", state->majors,
      "Senders that must have reported, comma-separated; NAME or NAME=match|match "
      "(default Google,Microsoft,Yahoo,Apple)");
  add_list_option(*command, "--live", state->live.domains,
                  "Also check this domain's live state now: DNS, the MTA-STS policy, every MX "
                  "over STARTTLS, DANE (repeatable; docs/live.md)");
  add_live_options(*command, state->live);
  return {command, [state, io, majors] {
            state->check.max_failure_rate = rate_value(state->max_rate);
            if (majors->count() > 0) {
              try {
                state->check.major_senders = parse_major_senders(state->majors);
              } catch (const std::invalid_argument& error) {
                throw UsageError(fmt::format("--major-senders: {}", error.what()));
              }
            }
            return run_judge(Judge::check, state->paths, state->options, state->history,
                             state->check, io, &state->live);
          }};
}

Command define_export(CLI::App& app, const Io& io) {
  struct State {
    CommonOptions options;
    std::vector<std::string> paths;
  };
  auto state = std::make_shared<State>();
  state->options.format = "ndjson";
  CLI::App* command = app.add_subcommand(
      "export",
      "Flat rows for databases: one per policy summary and one per failure detail "
      "(docs/export.md); or Prometheus metrics (--format prometheus, docs/prometheus.md)");
  command->add_option("paths", state->paths, kPathsHelp)->required();
  state->options.top = 20;
  add_common(*command, state->options, {"ndjson", "csv", "prometheus"},
             kOfferParallel | kOfferTime | kOfferTop);
  return {command,
          [state, io] { return run_export(state->paths, state->options, io.in, io.out, io.err); }};
}

Command define_show(CLI::App& app, const Io& io) {
  struct State {
    CommonOptions options;
    std::string path;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "show", "Print the reports in one file, decoded, with a hint for every failure");
  command
      ->add_option("file", state->path,
                   "A report file, a message (.eml) or an mbox, or - for stdin")
      ->required();
  add_common(*command, state->options, {"text", "json"}, kOfferColor);
  return {command,
          [state, io] { return run_show(state->path, state->options, io.in, io.out, io.err); }};
}

Command define_domain(CLI::App& app, const Io& io) {
  auto state = std::make_shared<JudgeState>();
  CLI::App* command = app.add_subcommand(
      "domain",
      "The live state of DOMAIN as senders see it now: TLSRPT and MTA-STS records, the policy, "
      "every MX over STARTTLS, DANE; with report PATHs, whether each reported failure is fixed "
      "now. Exit 0 nothing blocks, 1 something blocks, 4 something could not be checked");
  command
      ->add_option("arguments", state->paths,
                   "DOMAIN... then report PATHs: the first argument is a domain, and so is each "
                   "next one until one names an existing file or directory, has a /, or is -")
      ->required();
  add_common(*command, state->options, {"text", "json"},
             kOfferColor | kOfferVerbose | kOfferParallel | kOfferTime);
  add_live_options(*command, state->live);
  return {command, [state, io] {
            std::vector<std::string> domains;
            std::vector<std::string> paths;
            for (const std::string& argument : state->paths) {
              std::error_code error;
              const bool path = argument == "-" || argument.find('/') != std::string::npos ||
                                std::filesystem::exists(argument, error);
              if (domains.empty() || (paths.empty() && !path)) {
                if (!is_domain_name(argument)) {
                  throw UsageError(fmt::format(
                      "domain: \"{}\" is not a domain name; name the domain first, then the "
                      "report paths",
                      argument));
                }
                domains.push_back(argument);
              } else {
                paths.push_back(argument);
              }
            }
            if (domains.empty()) {
              throw UsageError("domain: name a domain to check, then the report paths");
            }
            const CommonOptions& options = state->options;
            LiveCheck live = check_live(state->live, domains);
            bool skipped = false;
            if (!paths.empty()) {
              const ReportFilter filter = make_filter(options);
              const TimeOptions time = time_options(options);
              LeftOut left_out;
              Tally tally = collect(paths, options, filter, *time.now, io.in, io.err, left_out);
              state->history.time = time;
              Summary summary =
                  summarize(tally, left_out, left_out_text(options, left_out), state->history);
              skipped = summary.errors_total > 0;
              live.with_reports = true;
              live.reported = reconcile(reported_failures(summary), live.domains);
            }
            if (options.format == "json") {
              write_domain_json(live, io.out);
            } else {
              render_live_text(live, text_options(options, io.out), io.out);
            }
            if (skipped) return kExitInputSkipped;
            const auto any = [&](auto test) {
              return std::any_of(live.domains.begin(), live.domains.end(), test);
            };
            if (any([](const DomainState& s) { return s.blocks(); })) return kExitNotReady;
            if (any([](const DomainState& s) { return s.could_not_tell(); })) {
              return kExitInsufficientData;
            }
            return kExitOk;
          }};
}

// The IMAP password: --password-file, else TLSRPT_IMAP_PASSWORD, else ~/.netrc's entry for the
// host (and user) — never the command line, where other users could read it.
std::string imap_password(const std::string& file, const ImapUrl& url) {
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      throw UsageError(fmt::format("--password-file {}: cannot read a password from it", file));
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (const char* password = std::getenv("TLSRPT_IMAP_PASSWORD"); password && *password) {
    return password;
  }
  if (const char* home = std::getenv("HOME")) {
    std::ifstream netrc(std::string(home) + "/.netrc");
    std::string token;
    std::string machine;
    std::string login;
    std::string password;
    const auto matches = [&] {
      return machine == url.host && (login.empty() || login == url.user) && !password.empty();
    };
    while (netrc >> token) {
      if (token == "machine" || token == "default") {
        if (matches()) return password;
        machine.clear(), login.clear(), password.clear();
        if (token == "machine") netrc >> machine;
      } else if (token == "login") {
        netrc >> login;
      } else if (token == "password") {
        netrc >> password;
      }
    }
    if (matches()) return password;
  }
  throw UsageError(fmt::format(
      "fetch: no password for {} at {}: give --password-file FILE, set TLSRPT_IMAP_PASSWORD, or "
      "add \"machine {} login {} password …\" to ~/.netrc (or use --oauth2-token-command)",
      url.user, url.host, url.host, url.user));
}

// The first line --oauth2-token-command prints; the command must succeed.
std::string oauth2_token(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw UsageError(fmt::format("--oauth2-token-command: cannot run \"{}\"", command));
  std::string output;
  char buffer[4096];
  while (output.size() < 64 * 1024) {
    const std::size_t got = fread(buffer, 1, sizeof buffer, pipe);
    if (got == 0) break;
    output.append(buffer, got);
  }
  const int status = pclose(pipe);
  std::string token = output.substr(0, output.find('\n'));
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (status != 0 || token.empty()) {
    throw UsageError(
        fmt::format("--oauth2-token-command \"{}\" {}: it must print an access token and exit 0",
                    command, status != 0 ? "failed" : "printed nothing"));
  }
  return token;
}

Command define_fetch(CLI::App& app, const Io& io) {
  struct State {
    std::string url;
    FetchOptions fetch;
    std::string password_file;
    std::string token_command;
    std::string format = "text";
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "fetch",
      "Copy the messages of an IMAP folder not fetched before into a local Maildir, leaving the "
      "mailbox as it was (docs/fetch.md); then run tlsrpt summary DIR");
  command->add_option("url", state->url, "imaps://USER@HOST[:PORT]/FOLDER (imap:// for STARTTLS)")
      ->required();
  command->add_option("--to", state->fetch.maildir, "The Maildir to write to (created if missing)")
      ->required();
  command->add_option("--format", state->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_option("--password-file", state->password_file,
                      "Read the password from the first line of this file (else "
                      "TLSRPT_IMAP_PASSWORD, else ~/.netrc)");
  command->add_option("--oauth2-token-command", state->token_command,
                      "Log in with XOAUTH2, with the access token this command prints");
  command
      ->add_option("--ca-file", state->fetch.ca_file,
                   "Extra trusted roots (PEM) for the server's certificate")
      ->check(CLI::ExistingFile);
  command->add_flag("--insecure-plain", state->fetch.insecure_plain,
                    "With imap://, allow a connection without TLS (a local test server only)");
  command->add_option("--move-to", state->fetch.move_to,
                      "Move each message to this folder once it is safely on disk");
  command->add_flag("--delete", state->fetch.delete_after,
                    "Delete each message from the server once it is safely on disk");
  add_size_option(*command, "--max-file-size", state->fetch.max_message_bytes,
                  "Largest message fetched, in bytes (suffixes K, M, G); larger ones are named "
                  "and left on the server");
  command
      ->add_option("--timeout", state->fetch.timeout_seconds,
                   "Seconds the server may take for each step")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  return {command, [state, io] {
            FetchOptions& fetch = state->fetch;
            std::string error;
            auto url = parse_imap_url(state->url, error);
            if (!url) throw UsageError(fmt::format("fetch: \"{}\": {}", state->url, error));
            fetch.url = *url;
            if (fetch.insecure_plain && url->implicit_tls) {
              throw UsageError("--insecure-plain goes with imap:// only; imaps:// is always TLS");
            }
            if (fetch.delete_after && !fetch.move_to.empty()) {
              throw UsageError("--delete and --move-to: choose one");
            }
            if (!state->token_command.empty()) {
              fetch.oauth2_token = oauth2_token(state->token_command);
            } else {
              fetch.password = imap_password(state->password_file, *url);
            }
            Progress progress(io.err);
            const bool terminal = &io.err == &std::cerr && isatty(STDERR_FILENO) == 1;
            const FetchResult result = fetch_to_maildir(fetch, [&](const FetchProgress& now) {
              if (terminal) {
                io.err << fmt::format("\r\x1b[Ktlsrpt: fetched {} of {} messages ({})", now.done,
                                      now.total, group_digits(now.bytes) + " bytes")
                       << std::flush;
              }
            });
            if (terminal) io.err << "\r\x1b[K" << std::flush;
            for (const std::string& line : result.skipped) {
              io.err << "tlsrpt: error: " << escape_for_terminal(line) << '\n';
            }
            if (!result.error.empty()) {
              io.err << "tlsrpt: error: " << escape_for_terminal(result.error) << '\n';
            }
            if (state->format == "json") {
              write_fetch_json(result, fetch.maildir, io.out);
            } else if (result.error.empty() || result.messages > 0 || result.duplicates > 0) {
              std::string text = fmt::format(
                  "Fetched {} new message{} ({} with a TLS report, {} bytes) from \"{}\" at {} "
                  "into {}",
                  result.messages, result.messages == 1 ? "" : "s", result.reports,
                  group_digits(result.bytes), escape_for_terminal(url->folder),
                  escape_for_terminal(url->host), escape_for_terminal(fetch.maildir));
              if (result.duplicates) text += fmt::format("; {} already there", result.duplicates);
              if (result.moved) text += fmt::format("; {} moved", result.moved);
              if (result.deleted) text += fmt::format("; {} deleted", result.deleted);
              text += ".";
              if (result.uidvalidity_changed) {
                text +=
                    " The server renumbered the folder (UIDVALIDITY changed): every message "
                    "was looked at again; those already fetched were recognised.";
              }
              io.out << wrap_text(text, output_width(io.out), "", "  ");
            }
            return result.error.empty() && result.skipped.empty() ? kExitOk : kExitInputSkipped;
          }};
}

}  // namespace

int cli_main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
             std::ostream& err) {
  CLI::App app{"tlsrpt: read SMTP TLS Reporting (RFC 8460) reports and tell what fails and why.",
               "tlsrpt"};
  app.set_version_flag(
      "--version", std::string("tlsrpt ") + TLSRPT_VERSION + " (commit " + TLSRPT_GIT_COMMIT + ")");
  app.require_subcommand(1);
  const Io io{in, out, err};
  const std::vector<Command> commands{define_summary(app, io), define_alerts(app, io),
                                      define_check(app, io),   define_export(app, io),
                                      define_show(app, io),    define_domain(app, io),
                                      define_fetch(app, io)};

  // --config FILE may stand anywhere: taken out here, before CLI11 sees the arguments.
  std::vector<std::string> arguments;
  std::string config_file;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_file = argv[++i];
    } else if (arg.starts_with("--config=")) {
      config_file = arg.substr(9);
    } else if (arg == "--config") {
      err << "tlsrpt: --config needs a file\n";
      return kExitUsage;
    } else {
      arguments.emplace_back(arg);
    }
  }
  // The command named: the first argument that is not an option.
  std::string command;
  std::size_t command_at = arguments.size();
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i].starts_with("-")) continue;
    command = arguments[i];
    command_at = i;
    break;
  }
  const auto usage_error = [&](const std::string& message) {
    err << "tlsrpt: " << escape_for_terminal(message) << '\n';
    return kExitUsage;
  };
  if (!command.empty() &&
      std::find(kCommands.begin(), kCommands.end(), command) == kCommands.end()) {
    return usage_error(fmt::format("unknown command \"{}\"; the commands are {}", command,
                                   fmt::join(kCommands, ", ")));
  }

  // Made from the definitions above, so that they cannot drift from --help.
  CLI::App* completion = app.add_subcommand(
      "completion",
      "Print a shell completion script for bash, zsh or fish (tlsrpt(1) says where "
      "to put it)");
  std::string shell;
  completion->add_option("shell", shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  CLI::App* manual = app.add_subcommand("man", "Print the manual page tlsrpt(1), in roff");
  CLI::App* config = app.add_subcommand(
      "config",
      "Print the effective settings of every command, and the file (and line) or default each "
      "came from, as TOML");
  std::string config_help;  // --config is read above; declared for --help and the man page
  for (CLI::App* each : app.get_subcommands([](CLI::App* sub) {
         return sub->get_name() != "man" && sub->get_name() != "completion";
       })) {
    each->add_option("--config", config_help,
                     "Read settings from this TOML file instead of ~/.config/tlsrpt/config.toml "
                     "and /etc/tlsrpt/config.toml");
  }

  // Settings from the configuration files become options after the command word, unless the
  // command line gives the option itself.
  std::vector<ConfigSetting> all_settings;  // every file's, for `tlsrpt config`
  std::vector<ConfigSetting> settings;      // those for this command
  std::vector<std::string> files;
  std::vector<std::string> from_config;
  try {
    files = config_files(config_file);
    for (const std::string& file : files) {
      std::vector<ConfigSetting> each = read_config(file);
      all_settings.insert(all_settings.end(), each.begin(), each.end());
    }
    settings = settings_for(app, command, all_settings);
    if (command_at < arguments.size()) {
      from_config = config_arguments(app, command, settings, arguments);
      arguments.insert(arguments.begin() + static_cast<std::ptrdiff_t>(command_at) + 1,
                       from_config.begin(), from_config.end());
    }
  } catch (const ConfigError& error) {
    return usage_error(error.what());
  }
  std::vector<const char*> final_argv{argv[0]};
  for (const std::string& argument : arguments) final_argv.push_back(argument.c_str());
  // The configuration file and line of an option set there, for an error about its value.
  const auto origin_of = [&](const std::string& message) -> std::string {
    for (const ConfigSetting& setting : settings) {
      if (message.find("--" + setting.key) != std::string::npos &&
          std::find(from_config.begin(), from_config.end(), "--" + setting.key) !=
              from_config.end()) {
        return fmt::format(" (set in {}{})", setting.file,
                           setting.line ? fmt::format(" line {}", setting.line) : "");
      }
    }
    return "";
  };

  try {
    app.parse(static_cast<int>(final_argv.size()), final_argv.data());
    for (const Command& each : commands) {
      if (each.app->parsed()) return each.run();
    }
    if (config->parsed()) {
      out << describe_config(app, all_settings, files);
      return kExitOk;
    }
    if (completion->parsed()) {
      out << completion_script(app, shell);
      return kExitOk;
    }
    if (manual->parsed()) {
      out << man_page(app, TLSRPT_VERSION);
      return kExitOk;
    }
    return kExitUsage;  // require_subcommand(1) makes this unreachable
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      app.exit(error, out, err);
      return kExitOk;
    }
    return usage_error(usage_message(error, command) + origin_of(error.what()));
  } catch (const UsageError& error) {
    return usage_error(error.what());
  }
}

}  // namespace tlsrpt
