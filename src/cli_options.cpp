#include "cli_options.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "tlsrpt/text.hpp"
#include <sys/ioctl.h>
#include <unistd.h>

namespace tlsrpt::cli {

namespace {

const char* const kGateGroup = "Gate (the same settings on every command that shows a verdict)";

// A rate as its default is shown: 0.01 → "1%".
std::string rate_text(double fraction) { return fmt::format("{:g}%", fraction * 100); }

const auto kRate = CLI::Validator(
    [](std::string& text) {
      double fraction = 0;
      return parse_rate(text, fraction);
    },
    "RATE", "rate");

// A whole number of at least 1 (CLI11's Range would take 1.5 as 1).
CLI::Validator at_least_one(const std::string& what) {
  return CLI::Validator(
      [what](std::string& text) {
        const bool digits = !text.empty() && text.size() < 10 &&
                            std::all_of(text.begin(), text.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        return digits && std::stoi(text) >= 1
                   ? std::string()
                   : fmt::format("\"{}\" is not a number of {}: write 1 or more", text, what);
      },
      "N", what);
}

// A repeatable option: one value per occurrence, so that it never takes the paths after it;
// make_filter splits comma lists (CLI11's own splitting drops empty entries without a word).
CLI::Option* add_list_option(CLI::App& command, const std::string& name,
                             std::vector<std::string>& target, const std::string& help) {
  return command.add_option(name, target, help)->allow_extra_args(false);
}

// COLUMNS when set, else the terminal's width when stdout is one, else 80.
std::size_t output_width(const std::ostream& out) {
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (*end == '\0' && value > 0) return static_cast<std::size_t>(std::clamp(value, 40L, 1000L));
  }
  winsize size{};
  if (stdout_is_terminal(out) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return std::clamp<std::size_t>(size.ws_col, 40, 1000);
  return 80;
}

}  // namespace

std::string parse_rate(const std::string& text, double& fraction) {
  std::string value(trim(text));
  const bool percent = value.ends_with('%');
  if (percent) value = std::string(trim(std::string_view(value).substr(0, value.size() - 1)));
  char* end = nullptr;
  const double number = value.empty() ? NAN : std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(number)) {
    return fmt::format("\"{}\" is not a rate: write a percentage like 1% or 0.5%", text);
  }
  if (!percent) {
    return fmt::format(
        "\"{}\" is not a rate: write it with %, like {}% (a bare number could mean a percentage "
        "or a fraction)",
        text, value);
  }
  if (number < 0 || number > 100) {
    return fmt::format("\"{}\" is not a rate: write a percentage between 0% and 100%", text);
  }
  fraction = number / 100;
  return "";
}

void add_size_option(CLI::App& command, const std::string& name, std::uint64_t& target,
                     const std::string& help) {
  command.add_option(name, target, help)
      ->check(CLI::Validator(
          [](std::string& text) {
            return text.find('-') == std::string::npos
                       ? std::string()
                       : fmt::format("\"{}\" is not a size: write bytes, or K, M, G", text);
          },
          "SIZE", "size"))
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
}

bool stdout_is_terminal(const std::ostream& out) {
  return out.rdbuf() == std::cout.rdbuf() && isatty(STDOUT_FILENO) == 1;
}

bool stderr_is_terminal(const std::ostream& err) {
  return &err == &std::cerr && isatty(STDERR_FILENO) == 1;
}

void add_read_options(CLI::App& command, ReadFlags& flags, unsigned offers) {
  add_size_option(command, "--max-file-size", flags.max_file_bytes,
                  "Largest file or mailbox message read, in bytes (suffixes K, M, G)");
  add_size_option(command, "--max-inflated-size", flags.max_inflated_bytes,
                  "Largest decompressed report, in bytes (suffixes K, M, G)");
  add_list_option(command, "--trusted-authserv-id", flags.trusted_authserv_ids,
                  "Read a message's DKIM verdict from the topmost Authentication-Results of this "
                  "server, your own receiving one (repeatable); default: the topmost header");
  if (offers & kReadFilters) {
    command.add_option("--since", flags.since,
                       "Only reports whose period ends on or after DATE (YYYY-MM-DD or RFC 3339)");
    command.add_option("--until", flags.until,
                       "Only reports whose period starts on or before DATE");
    add_list_option(command, "--domain", flags.domains,
                    "Only this policy domain (repeatable, or a comma list); one that matches no "
                    "report is an error");
    add_list_option(command, "--sender", flags.senders,
                    "Only senders whose organization-name or contact-info contains this "
                    "(repeatable, or a comma list)");
  }
  if (offers & kReadParallel) {
    command
        .add_option("-j,--jobs", flags.jobs,
                    "Files decoded in parallel (default: all cores); the output is the same")
        ->check(CLI::Range(1u, 256u));
    command.add_flag(
        "--authenticated-only", flags.authenticated_only,
        "Count only reports received as mail with a DKIM pass for the submitter's domain");
  }
  if (offers & kReadVerbose)
    command.add_flag("-v,--verbose", flags.verbose, "List every warning and note on stderr");
}

ReadOptions build_read(const ReadFlags& flags, const std::ostream& err) {
  ReadOptions read;
  read.limits.max_file_bytes = flags.max_file_bytes;
  read.limits.max_inflated_bytes = flags.max_inflated_bytes;
  for (const std::string& id : flags.trusted_authserv_ids) {
    if (!trim(id).empty()) read.limits.trusted_authserv_ids.push_back(lowercase(trim(id)));
  }
  read.filter = make_filter(flags.since, flags.until, flags.domains, flags.senders);
  read.authenticated_only = flags.authenticated_only;
  read.jobs = flags.jobs > 0 ? flags.jobs : std::max(1u, std::thread::hardware_concurrency());
  read.verbose = flags.verbose;
  read.progress = stderr_is_terminal(err);
  return read;
}

GateFlags::GateFlags() {
  const GateOptions defaults;
  stale_days = defaults.time.stale_days;
  max_failure_rate = rate_text(defaults.max_failure_rate);
  min_days = defaults.min_days;
  window_days = defaults.window_days;
  persistent_periods = defaults.persistent_periods;
  major_senders = major_senders_text(defaults.major_senders);
  warn_rate = rate_text(defaults.warn_rate);
  critical_rate = rate_text(defaults.critical_rate);
  alert_window_days = defaults.alert_window_days;
  silent_days = defaults.silent_days;
}

const std::vector<std::string>& gate_option_names() {
  static const std::vector<std::string> names{
      "now",           "stale-days",   "max-failure-rate", "min-days",
      "window",        "persistent-periods", "major-senders", "warn-rate",
      "critical-rate", "alert-window", "silent-days"};
  return names;
}

void add_gate_options(CLI::App& command, GateFlags& flags) {
  const auto days = [&](const std::string& name, int& target, const std::string& help) {
    command.add_option(name, target, help)
        ->check(CLI::Range(1, 3660))
        ->capture_default_str()
        ->group(kGateGroup);
  };
  command
      .add_option("--now", flags.now,
                  "Take this as the current time (YYYY-MM-DD or RFC 3339), for reproducible "
                  "runs; default: the clock")
      ->group(kGateGroup);
  days("--stale-days", flags.stale_days,
       "The newest report older than this many days means reports stopped arriving");
  command.add_option("--max-failure-rate", flags.max_failure_rate,
                     "Highest failure rate that may enforce, over the window (with %)")
      ->check(kRate)
      ->capture_default_str()
      ->group(kGateGroup);
  days("--min-days", flags.min_days, "Days of the window that need reports to enforce");
  days("--window", flags.window_days, "Days the verdict looks at, ending now");
  command
      .add_option("--persistent-periods", flags.persistent_periods,
                  "Report periods a failure must appear in to be persistent (and block)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str()
      ->group(kGateGroup);
  command
      .add_option("--major-senders", flags.major_senders,
                  "Senders that must have reported, comma-separated; NAME or NAME=match|match")
      ->capture_default_str()
      ->group(kGateGroup);
  command.add_option("--warn-rate", flags.warn_rate,
                     "A recent failure rate above this is a warning alert (with %)")
      ->check(kRate)
      ->capture_default_str()
      ->group(kGateGroup);
  command.add_option("--critical-rate", flags.critical_rate,
                     "A recent failure rate above this is a critical alert (with %)")
      ->check(kRate)
      ->capture_default_str()
      ->group(kGateGroup);
  days("--alert-window", flags.alert_window_days,
       "Days of the recent window of alerts and trend, ending now");
  days("--silent-days", flags.silent_days, "A regular sender silent this long is an alert");
}

GateOptions build_gate(const GateFlags& flags) {
  GateOptions gate;
  if (flags.now.empty()) {
    gate.time.now = static_cast<std::int64_t>(std::time(nullptr));
  } else {
    gate.time.now = parse_filter_time(flags.now, false);
    if (!gate.time.now) {
      throw UsageError(fmt::format(
          "--now: \"{}\" is not a date: write YYYY-MM-DD or an RFC 3339 date-time", flags.now));
    }
  }
  gate.time.stale_days = flags.stale_days;
  parse_rate(flags.max_failure_rate, gate.max_failure_rate);
  gate.min_days = flags.min_days;
  gate.window_days = flags.window_days;
  gate.persistent_periods = flags.persistent_periods;
  try {
    gate.major_senders = parse_major_senders(flags.major_senders);
  } catch (const std::invalid_argument& error) {
    throw UsageError(fmt::format("--major-senders: {}", error.what()));
  }
  parse_rate(flags.warn_rate, gate.warn_rate);
  parse_rate(flags.critical_rate, gate.critical_rate);
  if (gate.warn_rate > gate.critical_rate) {
    throw UsageError(fmt::format(
        "--warn-rate {} is above --critical-rate {}: warnings would never fire before critical "
        "alerts",
        flags.warn_rate, flags.critical_rate));
  }
  gate.alert_window_days = flags.alert_window_days;
  gate.silent_days = flags.silent_days;
  return gate;
}

void add_output_options(CLI::App& command, OutputFlags& flags,
                        const std::vector<std::string>& formats, unsigned offers) {
  command.add_option("--format", flags.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  if (offers & kOutputColor) {
    command
        .add_option("--color", flags.color,
                    "Colour in text output: auto (a terminal and NO_COLOR unset), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
  }
  if (offers & kOutputTop) {
    command.add_option("--top", flags.top, "Rows shown in each long table (at least 1)")
        ->check(at_least_one("rows"))
        ->capture_default_str();
  }
}

OutputOptions build_output(const OutputFlags& flags, bool verbose, const std::ostream& out) {
  OutputOptions output;
  if (flags.color == "always") {
    output.color = true;
  } else if (flags.color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    output.color = (no_color == nullptr || *no_color == '\0') && stdout_is_terminal(out);
  }
  output.verbose = verbose;
  output.top = static_cast<std::size_t>(flags.top);
  output.width = output_width(out);
  return output;
}

Format format_of(const std::string& name) {
  if (name == "json") return Format::json;
  if (name == "html") return Format::html;
  if (name == "ndjson") return Format::ndjson;
  if (name == "csv") return Format::csv;
  if (name == "prometheus") return Format::prometheus;
  return Format::text;
}

void add_live_options(CLI::App& command, LiveFlags& flags) {
  const char* const group = "Live check";
  command
      .add_option("--resolver", flags.resolver,
                  "Resolver to ask, ADDR or ADDR@PORT (default: the system's, /etc/resolv.conf); "
                  "answers are DNSSEC-validated here")
      ->group(group);
  command
      .add_option("--trust-anchor", flags.trust_anchor,
                  "DNSSEC trust anchors (DS or DNSKEY records) used instead of the root's, for "
                  "private or test zones")
      ->check(CLI::ExistingFile)
      ->group(group);
  command
      .add_option("--ca-file", flags.options.ca_file,
                  "Extra trusted roots (PEM) for the policy host and the MX certificates")
      ->check(CLI::ExistingFile)
      ->group(group);
  command
      .add_option("--connect-to", flags.options.connect_to,
                  "HOST:PORT:ADDR:PORT: dial ADDR:PORT for HOST:PORT, as curl's (repeatable)")
      ->check(CLI::Validator(
          [](std::string& text) {
            return std::count(text.begin(), text.end(), ':') >= 3
                       ? std::string()
                       : fmt::format("\"{}\" is not HOST:PORT:ADDR:PORT", text);
          },
          "HOST:PORT:ADDR:PORT", "connect_to"))
      ->allow_extra_args(false)
      ->group(group);
  command.add_option("--timeout", flags.timeout, "Seconds each network step may take")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str()
      ->group(group);
  command.add_flag("--no-smtp", flags.no_smtp, "Do not probe the MX hosts over SMTP")->group(group);
  command
      .add_option("--expiry-warning-days", flags.options.expiry_warning_days,
                  "Warn when an MX certificate expires within this many days")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str()
      ->group(group);
}

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

LiveRequest build_live(const LiveFlags& flags, const std::vector<std::string>& domains) {
  LiveRequest request;
  for (const std::string& domain : split_list(domains)) {
    if (!is_domain_name(domain)) {
      throw UsageError(fmt::format("--live: \"{}\" is not a domain name", domain));
    }
    request.domains.push_back(domain);
  }
  request.options = flags.options;
  request.options.now = static_cast<std::int64_t>(std::time(nullptr));
  request.options.resolver.forward = flags.resolver;
  request.options.resolver.trust_anchor = flags.trust_anchor;
  request.options.resolver.timeout_seconds = flags.timeout;
  request.options.timeout_seconds = flags.timeout;
  request.options.smtp = !flags.no_smtp;
  return request;
}

}  // namespace tlsrpt::cli
