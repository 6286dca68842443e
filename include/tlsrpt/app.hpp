// The application layer: one flow — collect → summarize → judge → (live merge) → render — that
// every face runs with its own options struct. The command line (cli.cpp) builds the options from
// its flags and the configuration files, calls a run_* function and maps its Outcome to an exit
// status; a receiver or a database store calls the same functions with a ReportSource of its own.
// The flow writes the diagnostics of inputs to `err` as they happen, and its output to `out`.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/filter.hpp"
#include "tlsrpt/gate.hpp"
#include "tlsrpt/imap_fetch.hpp"
#include "tlsrpt/limits.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/output.hpp"
#include "tlsrpt/pipeline.hpp"

namespace tlsrpt {

// The streams a run reads and writes.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// How inputs are read and which reports count.
struct ReadOptions {
  Limits limits;                    // sizes, and whose Authentication-Results is believed
  ReportFilter filter;              // --since, --until, --domain, --sender
  bool authenticated_only = false;  // only reports with a DKIM pass for the submitter
  unsigned jobs = 1;                // decoding threads
  bool verbose = false;             // every warning and note on stderr, not only errors
  bool progress = false;            // a progress line on stderr (a terminal)
};

// Where reports come from: calls the sinks for every report and diagnostic, in a reproducible
// order. input_files() reads paths; a store of reports supplies its own.
using ReportSource = std::function<void(const PipelineSinks& sinks)>;
ReportSource input_files(std::vector<std::string> paths, const ReadOptions& read, std::istream& in);

// What a run left out: by --authenticated-only and by each filter.
struct LeftOut {
  std::uint64_t unauthenticated = 0;
  FilterCounts filtered;
  std::uint64_t total() const { return unauthenticated + filtered.total(); }
};

// Every sender and policy domain of the reports read, before any filter: what an unmatched
// --domain or --sender is compared with.
struct SeenNames {
  NameTable domains;
  NameTable senders;   // organization-name (or contact-info) as counted
  NameTable contacts;  // contact-info and TLS-Report-Submitter, lower-cased
};

struct Collected {
  Tally tally;
  LeftOut left_out;
  SeenNames seen;
};

// Reads every report of `source` into a tally: the filters, --authenticated-only, deduplication,
// the plausible-date rule (dates.hpp) at `now`. Errors go to `err` as they happen (and warnings and
// notes with read.verbose). `counted`, when given, sees each report that counts, before it is
// dropped (export writes its rows there).
Collected collect(const ReportSource& source, const ReadOptions& read, std::int64_t now,
                  std::ostream& err,
                  const std::function<void(const DecodedReport&)>& counted = nullptr);

// Throws UsageError when a --domain or --sender value matched no report read, naming the domains
// or senders seen, closest first. Nothing is said when no report was read at all: that is the
// verdict's "no reports".
void check_filter_matched(const ReportFilter& filter, const SeenNames& seen);

// What the live check is asked (domain, check --live, summary --live).
struct LiveRequest {
  std::vector<std::string> domains;  // empty: no live check
  LiveOptions options;
};

// What summary, alerts, check and the Prometheus export judge reports with: one gate for all.
struct JudgeRequest {
  ReadOptions read;
  GateOptions gate;  // gate.time.now set by the face (the clock, or --now)
  SeriesOptions series;
  LiveRequest live;
};

// The reports judged: the summary with its history views and the verdict (with the live state
// merged in when asked), and the live state itself.
struct Judgement {
  Summary summary;
  std::optional<LiveCheck> live;
};

Judgement judge(const ReportSource& source, const JudgeRequest& request, std::ostream& err);

// The live state of each domain; certificates are judged at the wall clock, whatever --now says
// about the reports. Throws UsageError when the resolver cannot be set up as asked.
LiveCheck check_live(const LiveRequest& request);
// The summary's failures, one per (type, policy domain, MX), most failed first.
std::vector<ReportedFailure> reported_failures(const Summary& summary);
// Adds the live state to a reports' verdict: a blocking finding makes it not ready, a check that
// could not be made at best insufficient data.
void add_live_verdict(CheckResult& result, const LiveCheck& live);

// What a run answered, for the face to map to an exit status (docs/exit-codes.md): the answer
// first, then whether an input was skipped.
enum class Answer { none, ready, not_ready, insufficient_data, alerts_fired, no_alerts };
struct Outcome {
  Answer answer = Answer::none;
  std::uint64_t inputs_skipped = 0;  // inputs that could not be read or decoded
};

enum class Format { text, json, html, ndjson, csv, prometheus };

// Each command: its options, and its run. `paths` are read with input_files unless the request
// supplies a source.
struct SummaryRequest {
  JudgeRequest judge;
  Format format = Format::text;
  OutputOptions output;
};
Outcome run_summary(const ReportSource& source, const SummaryRequest& request, const Io& io);
Outcome run_alerts(const ReportSource& source, const SummaryRequest& request, const Io& io);
Outcome run_check(const ReportSource& source, const SummaryRequest& request, const Io& io);
// ndjson and csv stream rows report by report; prometheus judges like summary.
Outcome run_export(const ReportSource& source, const SummaryRequest& request, const Io& io);

struct ShowRequest {
  std::string path;
  ReadOptions read;
  Format format = Format::text;
  OutputOptions output;
};
Outcome run_show(const ShowRequest& request, const Io& io);

// `tlsrpt domain DOMAIN... [PATH...]`: the live state, and with paths whether each reported
// failure is fixed now.
struct DomainRequest {
  std::vector<std::string> paths;  // reports to reconcile; may be empty
  JudgeRequest judge;              // judge.live.domains: the domains to check
  Format format = Format::text;
  OutputOptions output;
};
Outcome run_domain(const DomainRequest& request, const Io& io);

struct FetchRequest {
  FetchOptions fetch;          // fetch.url set; password or token filled in by run_fetch
  std::string password_file;   // else TLSRPT_IMAP_PASSWORD, else ~/.netrc
  std::string token_command;   // XOAUTH2 with the token it prints
  bool progress = false;       // a progress line on stderr (a terminal)
  Format format = Format::text;
  OutputOptions output;
};
Outcome run_fetch(const FetchRequest& request, const Io& io);

}  // namespace tlsrpt
