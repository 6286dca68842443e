// The option groups of the command line. Each group declares its CLI11 options into a struct of
// the values as typed, and builds from it the options struct the application layer takes
// (app.hpp): this is the one place where flags and configuration settings become settings. The
// gate group is the same on every command that shows a verdict, and its defaults are
// GateOptions' own.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tlsrpt/app.hpp"

namespace tlsrpt::cli {

// How inputs are read: sizes, filters, authentication, threads.
struct ReadFlags {
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
  std::uint64_t max_inflated_bytes = kDefaultMaxInflatedBytes;
  std::string since;
  std::string until;
  std::vector<std::string> domains;
  std::vector<std::string> senders;
  std::vector<std::string> trusted_authserv_ids;
  bool authenticated_only = false;
  unsigned jobs = 0;  // 0: every core
  bool verbose = false;
};
enum ReadOffers : unsigned {
  kReadFilters = 1,   // --since, --until, --domain, --sender
  kReadParallel = 2,  // --jobs, --authenticated-only
  kReadVerbose = 4,   // --verbose
};
void add_read_options(CLI::App& command, ReadFlags& flags, unsigned offers);
// Throws UsageError for a bad date or an empty filter value. `err`: where progress would go.
ReadOptions build_read(const ReadFlags& flags, const std::ostream& err);

// The gate: every setting that decides a verdict or an alert.
struct GateFlags {
  std::string now;  // empty: the clock
  int stale_days = 0;
  std::string max_failure_rate;
  int min_days = 0;
  int window_days = 0;
  std::uint64_t persistent_periods = 0;
  std::string major_senders;
  std::string warn_rate;
  std::string critical_rate;
  int alert_window_days = 0;
  int silent_days = 0;
  GateFlags();  // GateOptions' defaults
};
void add_gate_options(CLI::App& command, GateFlags& flags);
// Throws UsageError for a bad --now, a warning rate above the critical one, or a bad
// --major-senders list.
GateOptions build_gate(const GateFlags& flags);
// The long names of the gate's options: a configuration file sets them for every command at once.
const std::vector<std::string>& gate_option_names();

// How output looks.
struct OutputFlags {
  std::string format = "text";
  std::string color = "auto";
  int top = 10;
};
enum OutputOffers : unsigned {
  kOutputColor = 1,  // --color
  kOutputTop = 2,    // --top
};
void add_output_options(CLI::App& command, OutputFlags& flags,
                        const std::vector<std::string>& formats, unsigned offers);
OutputOptions build_output(const OutputFlags& flags, bool verbose, const std::ostream& out);
Format format_of(const std::string& name);

// The live check.
struct LiveFlags {
  std::vector<std::string> domains;  // --live DOMAIN (check, summary)
  LiveOptions options;
  std::string resolver;
  std::string trust_anchor;
  double timeout = 10;
  bool no_smtp = false;
};
void add_live_options(CLI::App& command, LiveFlags& flags);
// `domains` checked as domain names (a usage error otherwise); certificates judged at the clock.
LiveRequest build_live(const LiveFlags& flags, const std::vector<std::string>& domains);
// Letters, digits, hyphens and underscores in dot-separated labels of at most 63, 253 in all.
bool is_domain_name(std::string_view name);

// A size in bytes with an optional K, M or G suffix; a negative size is refused.
void add_size_option(CLI::App& command, const std::string& name, std::uint64_t& target,
                     const std::string& help);
// "1%", "0.5 %" → 0.01, 0.005; a bare number is refused ("" and the fraction, or the error).
std::string parse_rate(const std::string& text, double& fraction);

// Standard output and standard error are terminals (not redirected, not a test's streams).
bool stdout_is_terminal(const std::ostream& out);
bool stderr_is_terminal(const std::ostream& err);

}  // namespace tlsrpt::cli
