#include "test_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tlsrpt/cli.hpp"

namespace tlsrpt::testing {

std::string testdata(const std::string& relative) {
  const char* env = std::getenv("TLSRPT_TESTDATA_DIR");
  const std::string root = env != nullptr && *env != '\0' ? env : TLSRPT_TESTDATA_DIR;
  return relative.empty() ? root : root + "/" + relative;
}

std::string samples_dir() {
  const std::string dir = TLSRPT_SAMPLES_DIR;
  return std::filesystem::is_directory(dir) ? dir : "";
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CliRun run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::vector<const char*> argv{"tlsrpt"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliRun run;
  run.status = cli_main(static_cast<int>(argv.size()), argv.data(), in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string relative_paths(std::string text) {
  const std::string root = testdata();
  for (auto pos = text.find(root); pos != std::string::npos; pos = text.find(root, pos)) {
    text.replace(pos, root.size(), "testdata");
  }
  return text;
}

}  // namespace tlsrpt::testing
