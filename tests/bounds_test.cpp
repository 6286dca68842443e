// Bounded by construction: small hostile inputs, each run in a child process under a CPU-time and
// an address-space limit (setrlimit), beside a valid report that must still count. A run that
// blows a limit is killed, and the test fails on its exit status, never on a timing.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::kSanitized;

struct Bounded {
  bool exited = false;  // false: killed (CPU limit, memory, a crash)
  int status = -1;
  long max_rss_kib = 0;
  json summary;  // the child's summary --format json
};

// Runs tlsrpt with `args` in a child limited to `cpu_seconds` of CPU and `memory_mib` of address
// space; its stdout is the summary JSON.
Bounded run_bounded(const std::vector<std::string>& args, int cpu_seconds, int memory_mib) {
  const testing::BoundedRun run = testing::run_bounded(args, cpu_seconds, memory_mib);
  Bounded result{run.exited, run.status, run.max_rss_kib, {}};
  if (run.exited && json::accept(run.out)) result.summary = json::parse(run.out);
  return result;
}

std::string gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string report(const std::string& org, const std::string& start, const std::string& end) {
  return R"({"organization-name":")" + org + R"(","date-range":{"start-datetime":")" + start +
         R"(","end-datetime":")" + end + R"("},"report-id":")" + org + start +
         R"(","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},)"
         R"("summary":{"total-successful-session-count":10,"total-failure-session-count":0}}]})";
}

class Bounds : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest runs them in parallel.
    dir_ = fs::path(::testing::TempDir()) /
           ("tlsrpt-bounds-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  // The case beside a valid report, with one job and with two: within the limits, the valid
  // report counted, and memory well under 256 MiB.
  void expect_bounded(const std::vector<std::string>& inputs, std::uint64_t reports,
                      std::vector<std::string> extra = {}) {
    for (const char* jobs : {"1", "2"}) {
      std::vector<std::string> args{
          "summary",    "--format", "json", "--now",
          "2026-05-12", "--jobs",   jobs,   testing::testdata("reports/rfc-style.json")};
      args.insert(args.end(), inputs.begin(), inputs.end());
      args.insert(args.end(), extra.begin(), extra.end());
      const Bounded run = run_bounded(args, kSanitized ? 60 : 20, 1024);
      ASSERT_TRUE(run.exited) << "killed: over the CPU or memory limit (jobs " << jobs << ")";
      ASSERT_TRUE(run.summary.is_object()) << "jobs " << jobs;
      EXPECT_EQ(run.summary["reports"].get<std::uint64_t>(), reports) << "jobs " << jobs;
      if (!kSanitized) {
        EXPECT_LT(run.max_rss_kib, 256 * 1024) << "jobs " << jobs;
      }
    }
  }
  fs::path dir_;
};

// 1 MB of "=?a" in a Subject: RFC 2047 decoding in one pass.
TEST_F(Bounds, AHugeEncodedWordHeader) {
  std::string subject;
  while (subject.size() < 1'000'000) subject += "=?a";
  const std::string body = report("Header Inc.", "2026-05-08T00:00:00Z", "2026-05-08T23:59:59Z");
  expect_bounded({write("subject.eml", "From: a@b.example\nSubject: " + subject +
                                           "\nContent-Type: application/tlsrpt+json\n\n" + body)},
                 2);
}

// 21 reports spread over the years 0000-9999 beside the valid one: series of the window only.
TEST_F(Bounds, DatesSpreadOverTenThousandYears) {
  std::vector<std::string> inputs;
  for (int i = 0; i <= 20; ++i) {
    const std::string year = fmt::format("{:04}", i * 499);
    inputs.push_back(write("y" + year + ".json", report("Years " + year, year + "-01-01T00:00:00Z",
                                                        year + "-01-01T23:59:59Z")));
  }
  expect_bounded(inputs, 22);
}

// 1,000 central-directory records pointing at one gzip member: refused; and 200 distinct stored
// entries each a gzip of 1 MiB of spaces: one budget of 64 MiB for the whole archive.
TEST_F(Bounds, ZipBombs) {
  const std::string bomb = gzip(std::string(1 << 20, ' '));
  testing::ZipSpec shared;
  shared.shared_data = true;
  for (int i = 0; i < 1000; ++i) shared.entries.emplace_back(fmt::format("r{}", i), bomb);
  testing::ZipSpec distinct;
  for (int i = 0; i < 200; ++i) distinct.entries.emplace_back(fmt::format("r{}", i), bomb);
  expect_bounded({write("shared.zip", testing::build_zip(shared)),
                  write("distinct.zip", testing::build_zip(distinct))},
                 1);
}

// A report of 300,000 unknown keys and one of 120,000 failure details (past the 100,000 itemized).
TEST_F(Bounds, ManyKeysAndManyDetails) {
  std::string keys = report("Keys Inc.", "2026-05-08T00:00:00Z", "2026-05-08T23:59:59Z");
  keys.pop_back();
  for (int i = 0; i < 300'000; ++i) keys += fmt::format(",\"k{}\":0", i);
  keys += "}";
  std::string details =
      R"({"organization-name":"Details Inc.","date-range":{"start-datetime":"2026-05-08T00:00:00Z",)"
      R"("end-datetime":"2026-05-08T23:59:59Z"},"report-id":"d","policies":[{"policy":)"
      R"({"policy-type":"sts","policy-domain":"example.com"},"summary":{)"
      R"("total-successful-session-count":1,"total-failure-session-count":120000},)"
      R"("failure-details":[)";
  for (int i = 0; i < 120'000; ++i) {
    details +=
        fmt::format(R"({}{{"result-type":"certificate-expired",)"
                    R"("receiving-mx-hostname":"mx{}.example.com","failed-session-count":1}})",
                    i ? "," : "", i % 1000);
  }
  details += "]}]}";
  expect_bounded({write("keys.json", keys), write("details.json", details)}, 3);
}

// A 10 MB organization name: the text output stays a few KB.
TEST_F(Bounds, AHugeNamePrintsBounded) {
  const std::string name(10'000'000, 'n');
  const std::string path =
      write("name.json", report(name, "2026-05-08T00:00:00Z", "2026-05-08T23:59:59Z"));
  const auto run = testing::run_cli({"summary", "--color", "never", "--now", "2026-05-12", path});
  EXPECT_EQ(run.status, 0);
  EXPECT_LT(run.out.size(), 100'000u);
}

// With no room at all, reading an input fails on allocation: an error naming it, not an abort.
TEST_F(Bounds, AllocationFailureIsAnErrorForThatInput) {
  if (kSanitized) GTEST_SKIP() << "no address-space limit under ASan";
  const std::string path = (dir_ / "big.json").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << report("Big Inc.", "2026-05-08T00:00:00Z", "2026-05-08T23:59:59Z");
    const std::string spaces(1 << 20, ' ');
    for (int i = 0; i < 256; ++i) out << spaces;  // 256 MiB: more than the child may allocate
  }
  const Bounded run =
      run_bounded({"summary", "--format", "json", "--now", "2026-05-12", "--jobs", "1",
                   "--max-file-size", "1G", path, testing::testdata("reports/rfc-style.json")},
                  20, 200);
  ASSERT_TRUE(run.exited);
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(run.summary["reports"], 1);
  EXPECT_NE(run.summary["errors"][0]["message"].get<std::string>().find("ran out of memory"),
            std::string::npos)
      << run.summary["errors"];
}

}  // namespace
}  // namespace tlsrpt
