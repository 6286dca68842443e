#include "test_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "tlsrpt/cli.hpp"
#include "tlsrpt/timestamp.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

// The tests never read the configuration file of whoever runs them: XDG_CONFIG_HOME points at a
// directory without one (a test that wants one sets it, and puts it back).
const bool kNoUserConfig = [] {
  setenv("XDG_CONFIG_HOME", "/nonexistent/tlsrpt-tests", 0);
  return true;
}();

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

std::string write_ramp(const std::string& name, int days, const std::vector<std::string>& senders,
                       const std::string& failure, int failed) {
  using nlohmann::json;
  namespace fs = std::filesystem;
  // Named by the process too: ctest runs tests of one binary in several processes at once.
  const fs::path dir =
      fs::temp_directory_path() / ("tlsrpt-cli-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int d = 0; d < days; ++d) {
    const std::string day = format_date((20500 + d) * 86400LL);
    for (const std::string& sender : senders) {
      json policy = {
          {"policy",
           {{"policy-type", "sts"},
            {"policy-string",
             {"version: STSv1", "mode: testing", "mx: mx1.example.com", "max_age: 86400"}},
            {"policy-domain", "example.com"}}},
          {"summary",
           {{"total-successful-session-count", 1000}, {"total-failure-session-count", 0}}}};
      if (!failure.empty() && sender == senders.front()) {
        policy["summary"]["total-failure-session-count"] = failed;
        policy["failure-details"] = {{{"result-type", failure},
                                      {"receiving-mx-hostname", "mx1.example.com"},
                                      {"failed-session-count", failed}}};
      }
      const json report = {
          {"organization-name", sender},
          {"date-range",
           {{"start-datetime", day + "T00:00:00Z"}, {"end-datetime", day + "T23:59:59Z"}}},
          {"contact-info", "tlsrpt@" + sender},
          {"report-id", day + "_" + sender},
          {"policies", {policy}}};
      std::ofstream(dir / (sender + "-" + day + ".json")) << report.dump();
    }
  }
  return dir.string();
}

BoundedRun run_bounded(const std::vector<std::string>& args, int cpu_seconds, int memory_mib) {
  static int runs = 0;
  const std::string stem = ::testing::TempDir() + "tlsrpt-bounded-" + std::to_string(getpid()) +
                           "-" + std::to_string(++runs);
  BoundedRun result;
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  result.parent_rss_kib = self.ru_maxrss;
  const pid_t child = fork();
  if (child == 0) {
    rlimit cpu{static_cast<rlim_t>(cpu_seconds), static_cast<rlim_t>(cpu_seconds)};
    setrlimit(RLIMIT_CPU, &cpu);
    if (!kSanitized) {
      const auto bytes = static_cast<rlim_t>(memory_mib) << 20;
      rlimit memory{bytes, bytes};
      setrlimit(RLIMIT_AS, &memory);
    }
    std::ofstream out(stem + ".out", std::ios::binary);
    std::ofstream err(stem + ".err", std::ios::binary);
    std::istringstream in;
    std::vector<const char*> argv{"tlsrpt"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    int status = 99;  // anything escaping cli_main: a failure of the case, never gtest's business
    try {
      status = cli_main(static_cast<int>(argv.size()), argv.data(), in, out, err);
    } catch (...) {
    }
    out.close();
    err.close();
    _exit(status);
  }
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) == child) {
    result.exited = WIFEXITED(status);
    result.status = result.exited ? WEXITSTATUS(status) : -1;
    result.max_rss_kib = usage.ru_maxrss;
  }
  result.out = read_bytes(stem + ".out");
  result.err = read_bytes(stem + ".err");
  std::filesystem::remove(stem + ".out");
  std::filesystem::remove(stem + ".err");
  return result;
}

std::string relative_paths(std::string text) {
  const std::string root = testdata();
  for (auto pos = text.find(root); pos != std::string::npos; pos = text.find(root, pos)) {
    text.replace(pos, root.size(), "testdata");
  }
  return text;
}

namespace {

void put_le(std::string& out, std::uint32_t value, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

}  // namespace

std::string build_zip(const ZipSpec& spec) {
  std::string archive;
  std::string directory;
  std::vector<std::uint32_t> offsets;
  for (std::size_t i = 0; i < spec.entries.size(); ++i) {
    const auto& [name, data] = spec.entries[i];
    std::uint32_t crc = static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    if (std::find(spec.bad_crc.begin(), spec.bad_crc.end(), i) != spec.bad_crc.end()) crc ^= 1;
    const std::uint32_t flags =
        std::find(spec.encrypted.begin(), spec.encrypted.end(), i) != spec.encrypted.end() ? 1 : 0;
    const bool write_local = !spec.shared_data || i == 0;
    const auto offset = static_cast<std::uint32_t>(spec.shared_data ? 0 : archive.size());
    if (write_local) {
      put_le(archive, 0x04034b50, 4);
      put_le(archive, 20, 2);
      put_le(archive, flags, 2);
      put_le(archive, 0, 2);  // stored
      put_le(archive, 0, 4);  // time, date
      put_le(archive, crc, 4);
      put_le(archive, static_cast<std::uint32_t>(data.size()), 4);
      put_le(archive, static_cast<std::uint32_t>(data.size()), 4);
      put_le(archive, static_cast<std::uint32_t>(name.size()), 2);
      put_le(archive, 0, 2);
      archive += name;
      archive += data;
    }
    put_le(directory, 0x02014b50, 4);
    put_le(directory, 20, 2);
    put_le(directory, 20, 2);
    put_le(directory, flags, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 4);
    put_le(directory, crc, 4);
    put_le(directory, static_cast<std::uint32_t>(data.size()), 4);
    put_le(directory, static_cast<std::uint32_t>(data.size()), 4);
    put_le(directory, static_cast<std::uint32_t>(name.size()), 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 2);
    put_le(directory, 0, 4);
    put_le(directory, offset, 4);
    directory += name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(archive.size());
  archive += directory;
  put_le(archive, 0x06054b50, 4);
  put_le(archive, 0, 4);
  put_le(archive, static_cast<std::uint32_t>(spec.entries.size()), 2);
  put_le(archive, static_cast<std::uint32_t>(spec.entries.size()), 2);
  put_le(archive, static_cast<std::uint32_t>(directory.size()), 4);
  put_le(archive, directory_offset, 4);
  put_le(archive, 0, 2);
  return archive;
}

std::string run_command(const std::string& command, int* status) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    if (status) *status = -1;
    return "";
  }
  std::string output;
  char buffer[4096];
  while (const std::size_t got = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  const int result = pclose(pipe);
  if (status) *status = result;
  return output;
}

bool have_program(const std::string& program) {
  int status = 0;
  run_command("command -v " + program + " >/dev/null 2>&1", &status);
  return status == 0;
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

ServerProcess::ServerProcess(const std::string& script, const std::vector<std::string>& arguments) {
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) return;
  std::vector<const char*> argv{"python3", script.c_str()};
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    execv("/usr/bin/python3", const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  to_ = to_child[1];
  from_ = from_child[0];
}

ServerProcess::~ServerProcess() {
  if (to_ >= 0) close(to_);  // the server stops when its standard input closes
  if (from_ >= 0) close(from_);
  if (pid_ > 0) {
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) usleep(100000);
    kill(-pid_, SIGKILL);
    waitpid(pid_, &status, WNOHANG);
  }
}

std::string ServerProcess::read_line(int seconds) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd fd{from_, POLLIN, 0};
    if (poll(&fd, 1, 500) <= 0) continue;
    char c;
    if (read(from_, &c, 1) != 1) break;
    line += c;
  }
  return line.find('\n') == std::string::npos ? "" : line.substr(0, line.find('\n'));
}

bool ServerProcess::send(const std::string& line) {
  const std::string text = line + "\n";
  return write(to_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

}  // namespace tlsrpt::testing
