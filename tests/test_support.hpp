// Helpers shared by the test files: fixture paths and running the CLI in-process.
#pragma once

#include <string>
#include <vector>

namespace tlsrpt::testing {

// testdata/ of this repository (TLSRPT_TESTDATA_DIR overrides the compiled-in path).
std::string testdata(const std::string& relative = "");
// ../shared/samples when present, else "".
std::string samples_dir();
std::string read_bytes(const std::string& path);

struct CliRun {
  int status = 0;
  std::string out;
  std::string err;
};

// Runs tlsrpt with `args` (without the program name); `input` is standard input.
CliRun run_cli(const std::vector<std::string>& args, const std::string& input = "");

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;  // ASan reserves terabytes of address space: no RLIMIT_AS
#else
inline constexpr bool kSanitized = false;
#endif

// What a run in a child process under limits did.
struct BoundedRun {
  bool exited = false;  // false: killed (CPU limit, memory, a crash)
  int status = -1;
  long max_rss_kib = 0;       // the child's peak resident set, from wait4
  long parent_rss_kib = 0;    // the test process's when it forked (the child starts with its pages)
  std::string out;
  std::string err;
};
// Runs tlsrpt with `args` in a child limited to `cpu_seconds` of CPU time and `memory_mib` of
// address space (none under ASan); a run that blows a limit is killed.
BoundedRun run_bounded(const std::vector<std::string>& args, int cpu_seconds, int memory_mib);

// Writes `days` daily reports (from 2026-02-16) per sender for example.com as JSON files into a
// fresh directory; returns it. With `failure`, the first sender's reports have `failed` failed
// sessions of that result type at mx1.example.com beside the 1,000 successful ones.
std::string write_ramp(const std::string& name, int days, const std::vector<std::string>& senders,
                       const std::string& failure = "", int failed = 2);
// The four major senders, as they name themselves.
inline const std::vector<std::string> kMajors{"Google Inc.", "Microsoft Corporation", "Yahoo",
                                              "Apple Inc."};

// A zip archive of stored (uncompressed) entries, for tests. With `shared_data`, every entry's
// central-directory record points at the first entry's data (overlapping entries: a zip bomb).
// `bad_crc` lists entries whose recorded CRC is wrong; `encrypted` entries whose flag says so.
struct ZipSpec {
  std::vector<std::pair<std::string, std::string>> entries;  // name, data
  bool shared_data = false;
  std::vector<std::size_t> bad_crc;
  std::vector<std::size_t> encrypted;
};
std::string build_zip(const ZipSpec& spec);

// Replaces every occurrence of the testdata directory with "testdata" so outputs compare
// across checkouts.
std::string relative_paths(std::string text);

// Runs `command` with sh and returns what it printed on standard output; its exit status in
// `status` when given. (Add 2>&1 to the command for its standard error too.)
std::string run_command(const std::string& command, int* status = nullptr);
// Whether `program` is on the PATH.
bool have_program(const std::string& program);
// Writes `text` to a file named `name` in the test temporary directory; returns its path.
std::string write_temp_file(const std::string& name, const std::string& text);

// A test server script (tests/live/servers.py, tests/imap/server.py) run with Debian's python3
// in its own process group: it prints one line (JSON) when it listens, takes commands on its
// standard input, and stops when that closes. The destructor closes it and, after 10 s, kills the
// group.
class ServerProcess {
 public:
  ServerProcess(const std::string& script, const std::vector<std::string>& arguments);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // The next line it prints, waiting at most `seconds`; "" when none came.
  std::string read_line(int seconds);
  // Sends one line to its standard input.
  bool send(const std::string& line);

 private:
  int pid_ = -1;
  int to_ = -1;
  int from_ = -1;
};

}  // namespace tlsrpt::testing
