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

}  // namespace tlsrpt::testing
