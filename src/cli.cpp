// The command line, a face of the application layer (app.hpp): it declares the commands and their
// option groups (cli_options.hpp), runs the flow each maps to, and maps the Outcome to an exit
// status (docs/exit-codes.md). Configuration files become options (cli_config.hpp).
#include "tlsrpt/cli.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli_config.hpp"
#include "cli_docs.hpp"
#include "cli_options.hpp"
#include "tlsrpt/app.hpp"
#include "tlsrpt_commit.h"  // generated: TLSRPT_GIT_COMMIT

namespace tlsrpt {

using namespace cli;

namespace {

const std::vector<std::string> kCommands{"summary", "alerts", "check", "export",     "show",
                                         "domain",  "fetch",  "man",   "completion", "config"};

const std::string kPathsHelp =
    "Report files (.json, .json.gz, .zip), messages (.eml), mbox files, directories, Maildirs, or "
    "- for stdin";

// The answer first, then whether an input was skipped (docs/exit-codes.md).
int exit_status(const Outcome& outcome) {
  switch (outcome.answer) {
    case Answer::not_ready:
    case Answer::alerts_fired:
      return kExitNotReady;  // == kExitAlerts
    case Answer::insufficient_data:
      return kExitInsufficientData;
    case Answer::none:
    case Answer::ready:
    case Answer::no_alerts:
      break;
  }
  return outcome.inputs_skipped > 0 ? kExitInputSkipped : kExitOk;
}

// A subcommand: its CLI11 definition and what runs once it was parsed.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Runs `run` with its output going to `file` when one is named (summary -o FILE); a write that
// failed is said and counted as a skipped input.
int with_output(const std::string& file, const Io& io,
                const std::function<Outcome(const Io&)>& run) {
  if (file.empty()) return exit_status(run(io));
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw UsageError(
        fmt::format("--output {}: cannot write it ({})", file, std::strerror(errno)));
  }
  const int status = exit_status(run(Io{io.in, out, io.err}));
  out.close();
  if (!out) {
    io.err << "tlsrpt: error: " << escape_for_terminal(file) << ": the write failed (disk full?)\n";
    return kExitInputSkipped;
  }
  return status;
}

// What summary, alerts, check and export read their options into.
struct JudgeFlags {
  std::vector<std::string> paths;
  ReadFlags read;
  GateFlags gate;
  OutputFlags output;
  LiveFlags live;
  int series_days = SeriesOptions{}.days;
  std::string output_file;  // summary -o FILE

  SummaryRequest request(const Io& io) const {
    SummaryRequest request;
    request.judge.read = build_read(read, io.err);
    request.judge.gate = build_gate(gate);
    request.judge.series.days = series_days;
    request.judge.live = build_live(live, live.domains);
    request.format = format_of(output.format);
    request.output = build_output(output, read.verbose, io.out);
    return request;
  }
};

using JudgeRun = Outcome (*)(const ReportSource&, const SummaryRequest&, const Io&);

struct JudgeCommand {
  std::string name;
  std::string help;
  std::vector<std::string> formats;  // the first is the default
  unsigned read_offers = 0;
  unsigned output_offers = 0;
  JudgeRun run = nullptr;
  std::function<void(CLI::App&, JudgeFlags&)> extra;  // options of its own
};

// summary, alerts, check and export: reports read and judged by the gate, rendered by each.
Command define_judging(CLI::App& app, const Io& io, const JudgeCommand& spec) {
  auto flags = std::make_shared<JudgeFlags>();
  CLI::App* command = app.add_subcommand(spec.name, spec.help);
  command->add_option("paths", flags->paths, kPathsHelp)->required();
  flags->output.format = spec.formats.front();
  if (spec.name == "export") flags->output.top = 20;
  add_output_options(*command, flags->output, spec.formats, spec.output_offers);
  add_read_options(*command, flags->read, spec.read_offers);
  add_gate_options(*command, flags->gate);
  if (spec.extra) spec.extra(*command, *flags);
  return {command, [flags, io, run = spec.run] {
            return with_output(flags->output_file, io, [&](const Io& to) {
              const SummaryRequest request = flags->request(to);
              return run(input_files(flags->paths, request.judge.read, to.in), request, to);
            });
          }};
}

void add_live(CLI::App& command, JudgeFlags& flags, const std::string& help) {
  command.add_option("--live", flags.live.domains, help)->allow_extra_args(false);
  add_live_options(command, flags.live);
}

std::vector<Command> define_judging_commands(CLI::App& app, const Io& io) {
  const unsigned all_reading = kReadFilters | kReadParallel;
  std::vector<Command> commands;
  commands.push_back(define_judging(
      app, io,
      {"summary",
       "Aggregate reports: the enforce verdicts and alerts first, then failure types with what to "
       "do, senders, domains, hosts, days, trend",
       {"text", "json", "html"}, all_reading | kReadVerbose, kOutputColor | kOutputTop,
       run_summary, [](CLI::App& command, JudgeFlags& flags) {
         command.add_option("-o,--output", flags.output_file,
                            "Write to this file instead of standard output (e.g. report.html)");
         command
             .add_option("--days", flags.series_days,
                         "Days up to now in the per-day tables and series (--since/--until set "
                         "them instead)")
             ->check(CLI::Range(1, 3660))
             ->capture_default_str();
         add_live(command, flags,
                  "Also show this domain's live state and whether each reported failure is fixed "
                  "now (repeatable; docs/live.md)");
       }}));
  commands.push_back(define_judging(
      app, io,
      {"alerts", "Alerts worth acting on; exit status 1 when any fired", {"text", "json"},
       all_reading, kOutputColor | kOutputTop, run_alerts, nullptr}));
  commands.push_back(define_judging(
      app, io,
      {"check",
       "May MTA-STS move from mode: testing to mode: enforce? A verdict per policy domain; exit 0 "
       "ready, 1 not ready, 4 insufficient data",
       {"text", "json"}, all_reading, kOutputColor, run_check,
       [](CLI::App& command, JudgeFlags& flags) {
         add_live(command, flags,
                  "Also check this domain's live state now: DNS, the MTA-STS policy, every MX "
                  "over STARTTLS, DANE (repeatable; docs/live.md)");
       }}));
  commands.push_back(define_judging(
      app, io,
      {"export",
       "Flat rows for databases: one per policy summary and one per failure detail "
       "(docs/export.md); or Prometheus metrics (--format prometheus, docs/prometheus.md)",
       {"ndjson", "csv", "prometheus"}, all_reading, kOutputTop, run_export, nullptr}));
  return commands;
}

Command define_show(CLI::App& app, const Io& io) {
  struct Flags {
    std::string path;
    ReadFlags read;
    OutputFlags output;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand(
      "show", "Print the reports in one file, decoded, with a hint for every failure");
  command
      ->add_option("file", flags->path,
                   "A report file, a message (.eml) or an mbox, or - for stdin")
      ->required();
  add_output_options(*command, flags->output, {"text", "json"}, kOutputColor);
  add_read_options(*command, flags->read, kReadFilters);
  return {command, [flags, io] {
            ShowRequest request;
            request.path = flags->path;
            request.read = build_read(flags->read, io.err);
            request.format = format_of(flags->output.format);
            request.output = build_output(flags->output, false, io.out);
            return exit_status(run_show(request, io));
          }};
}

// `domain DOMAIN... PATH...`: the first argument is a domain, and so is each next one until one
// names an existing file or directory, has a /, or is -.
void split_domain_arguments(const std::vector<std::string>& arguments,
                            std::vector<std::string>& domains, std::vector<std::string>& paths) {
  for (const std::string& argument : arguments) {
    std::error_code error;
    const bool path = argument == "-" || argument.find('/') != std::string::npos ||
                      std::filesystem::exists(argument, error);
    if (!domains.empty() && (!paths.empty() || path)) {
      paths.push_back(argument);
    } else if (!is_domain_name(argument)) {
      throw UsageError(fmt::format(
          "domain: \"{}\" is not a domain name; name the domain first, then the report paths",
          argument));
    } else {
      domains.push_back(argument);
    }
  }
}

Command define_domain(CLI::App& app, const Io& io) {
  auto flags = std::make_shared<JudgeFlags>();
  CLI::App* command = app.add_subcommand(
      "domain",
      "The live state of DOMAIN as senders see it now: TLSRPT and MTA-STS records, the policy, "
      "every MX over STARTTLS, DANE; with report PATHs, whether each reported failure is fixed "
      "now. Exit 0 nothing blocks, 1 something blocks, 4 something could not be checked");
  command
      ->add_option("arguments", flags->paths,
                   "DOMAIN... then report PATHs: the first argument is a domain, and so is each "
                   "next one until one names an existing file or directory, has a /, or is -")
      ->required();
  add_output_options(*command, flags->output, {"text", "json"}, kOutputColor);
  add_read_options(*command, flags->read, kReadFilters | kReadParallel | kReadVerbose);
  add_gate_options(*command, flags->gate);
  add_live_options(*command, flags->live);
  return {command, [flags, io] {
            DomainRequest request;
            std::vector<std::string> domains;
            split_domain_arguments(flags->paths, domains, request.paths);
            request.judge = flags->request(io).judge;
            request.judge.live = build_live(flags->live, domains);
            request.format = format_of(flags->output.format);
            request.output = build_output(flags->output, flags->read.verbose, io.out);
            return exit_status(run_domain(request, io));
          }};
}

Command define_fetch(CLI::App& app, const Io& io) {
  struct Flags {
    std::string url;
    FetchRequest request;
    OutputFlags output;
  };
  auto flags = std::make_shared<Flags>();
  FetchOptions& fetch = flags->request.fetch;
  CLI::App* command = app.add_subcommand(
      "fetch",
      "Copy the messages of an IMAP folder not fetched before into a local Maildir, leaving the "
      "mailbox as it was (docs/fetch.md); then run tlsrpt summary DIR");
  command->add_option("url", flags->url, "imaps://USER@HOST[:PORT]/FOLDER (imap:// for STARTTLS)")
      ->required();
  command->add_option("--to", fetch.maildir, "The Maildir to write to (created if missing)")
      ->required();
  add_output_options(*command, flags->output, {"text", "json"}, 0);
  command->add_option("--password-file", flags->request.password_file,
                      "Read the password from the first line of this file (else "
                      "TLSRPT_IMAP_PASSWORD, else ~/.netrc)");
  command->add_option("--oauth2-token-command", flags->request.token_command,
                      "Log in with XOAUTH2, with the access token this command prints");
  command->add_option("--ca-file", fetch.ca_file, "Extra trusted roots (PEM) for the server's certificate")
      ->check(CLI::ExistingFile);
  command->add_flag("--insecure-plain", fetch.insecure_plain,
                    "With imap://, allow a connection without TLS (a local test server only)");
  command->add_option("--move-to", fetch.move_to,
                      "Move each message to this folder once it is safely on disk");
  command->add_flag("--delete", fetch.delete_after,
                    "Delete each message from the server once it is safely on disk");
  add_size_option(*command, "--max-file-size", fetch.max_message_bytes,
                  "Largest message fetched, in bytes (suffixes K, M, G); larger ones are named "
                  "and left on the server");
  command->add_option("--timeout", fetch.timeout_seconds, "Seconds the server may take for each step")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  return {command, [flags, io] {
            FetchRequest request = flags->request;
            std::string error;
            const auto url = parse_imap_url(flags->url, error);
            if (!url) throw UsageError(fmt::format("fetch: \"{}\": {}", flags->url, error));
            request.fetch.url = *url;
            if (request.fetch.insecure_plain && url->implicit_tls) {
              throw UsageError("--insecure-plain goes with imap:// only; imaps:// is always TLS");
            }
            if (request.fetch.delete_after && !request.fetch.move_to.empty()) {
              throw UsageError("--delete and --move-to: choose one");
            }
            request.progress = stderr_is_terminal(io.err);
            request.format = format_of(flags->output.format);
            request.output = build_output(flags->output, false, io.out);
            return exit_status(run_fetch(request, io));
          }};
}

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

// The command line as given, --config FILE taken out (it may stand anywhere) and the command
// found: the first argument that is not an option.
struct Arguments {
  std::vector<std::string> list;
  std::string config_file;
  std::string command;
  std::size_t command_at = 0;
};

Arguments split_arguments(int argc, const char* const* argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      arguments.config_file = argv[++i];
    } else if (arg.starts_with("--config=")) {
      arguments.config_file = arg.substr(9);
    } else if (arg == "--config") {
      throw UsageError("--config needs a file");
    } else {
      arguments.list.emplace_back(arg);
    }
  }
  arguments.command_at = arguments.list.size();
  for (std::size_t i = 0; i < arguments.list.size(); ++i) {
    if (arguments.list[i].starts_with("-")) continue;
    arguments.command = arguments.list[i];
    arguments.command_at = i;
    break;
  }
  if (!arguments.command.empty() &&
      std::find(kCommands.begin(), kCommands.end(), arguments.command) == kCommands.end()) {
    throw UsageError(fmt::format("unknown command \"{}\"; the commands are {}", arguments.command,
                                 fmt::join(kCommands, ", ")));
  }
  return arguments;
}

// The commands made from the others' definitions (man, completion) and `config`; --config on
// every command that reads settings, for --help and the man page.
struct DocCommands {
  CLI::App* completion = nullptr;
  CLI::App* manual = nullptr;
  CLI::App* config = nullptr;
  std::string shell;
  std::string config_help;
};

void define_doc_commands(CLI::App& app, DocCommands& docs) {
  docs.completion = app.add_subcommand(
      "completion",
      "Print a shell completion script for bash, zsh or fish (tlsrpt(1) says where to put it)");
  docs.completion->add_option("shell", docs.shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  docs.manual = app.add_subcommand("man", "Print the manual page tlsrpt(1), in roff");
  docs.config = app.add_subcommand(
      "config",
      "Print the effective settings of every command, and the file (and line) or default each "
      "came from, as TOML");
  for (CLI::App* each : app.get_subcommands([](CLI::App* sub) {
         return sub->get_name() != "man" && sub->get_name() != "completion";
       })) {
    each->add_option("--config", docs.config_help,
                     "Read settings from this TOML file instead of ~/.config/tlsrpt/config.toml "
                     "and /etc/tlsrpt/config.toml");
  }
}

// Parses the final arguments and runs the command named.
int parse_and_run(CLI::App& app, const std::vector<Command>& commands, const DocCommands& docs,
                  const ConfigRun& config, std::vector<std::string> arguments,
                  const char* program, std::ostream& out) {
  std::vector<const char*> argv{program};
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  for (const Command& each : commands) {
    if (each.app->parsed()) return each.run();
  }
  if (docs.config->parsed()) {
    out << describe_config(app, config, gate_option_names());
  } else if (docs.completion->parsed()) {
    out << completion_script(app, docs.shell);
  } else if (docs.manual->parsed()) {
    out << man_page(app, TLSRPT_VERSION);
  }
  return kExitOk;
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
  std::vector<Command> commands = define_judging_commands(app, io);
  for (auto define : {define_show, define_domain, define_fetch}) commands.push_back(define(app, io));
  DocCommands docs;
  define_doc_commands(app, docs);
  const auto usage_error = [&](const std::string& message) {
    err << "tlsrpt: " << escape_for_terminal(message) << '\n';
    return kExitUsage;
  };
  Arguments arguments;
  ConfigRun config;
  try {
    arguments = split_arguments(argc, argv);
    config = apply_config(app, arguments.config_file, arguments.command, arguments.command_at,
                          arguments.list, gate_option_names());
  } catch (const UsageError& error) {
    return usage_error(error.what());
  } catch (const ConfigError& error) {
    return usage_error(error.what());
  }
  try {
    return parse_and_run(app, commands, docs, config, arguments.list, argv[0], out);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      app.exit(error, out, err);
      return kExitOk;
    }
    return usage_error(usage_message(error, arguments.command) + config.origin_of(error.what()));
  } catch (const UsageError& error) {
    return usage_error(error.what());
  }
}

}  // namespace tlsrpt
