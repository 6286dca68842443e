#include "tlsrpt/export.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include <unistd.h>

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::read_bytes;
using testing::relative_paths;
using testing::run_cli;
using testing::testdata;

// The export is a contract: a difference here is a change of docs/export.md.
TEST(Export, CsvMatchesTheExpectedFile) {
  const auto run = run_cli({"export", "--format", "csv", testdata("reports"), testdata("mail")});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(relative_paths(run.out), read_bytes(testdata("expected/export.csv")));
}

TEST(Export, NdjsonMatchesTheExpectedFile) {
  const auto run = run_cli({"export", testdata("reports"), testdata("mail")});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(relative_paths(run.out), read_bytes(testdata("expected/export.ndjson")));
}

TEST(Export, EveryRowHasEveryColumnInOrder) {
  const auto run = run_cli({"export", testdata("reports")});
  std::istringstream lines(run.out);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    const nlohmann::ordered_json row = nlohmann::ordered_json::parse(line);
    ASSERT_EQ(row.size(), export_columns().size());
    std::size_t i = 0;
    for (auto it = row.begin(); it != row.end(); ++it, ++i)
      EXPECT_EQ(it.key(), export_columns()[i].name);
    ++rows;
  }
  EXPECT_EQ(rows, 26);  // 13 policy rows and 13 failure-detail rows from 9 reports
}

TEST(Export, RowTotalsEqualTheSummary) {
  const json summary = json::parse(
      run_cli({"summary", "--format", "json", testdata("reports"), testdata("mail")}).out);
  std::istringstream lines(run_cli({"export", testdata("reports"), testdata("mail")}).out);
  std::string line;
  std::uint64_t successful = 0, failed = 0, itemized = 0;
  while (std::getline(lines, line)) {
    const json row = json::parse(line);
    if (row["row_type"] == "policy" && row["counted"] == true) {
      successful += row["total_successful_session_count"].get<std::uint64_t>();
      failed += row["total_failure_session_count"].get<std::uint64_t>();
    }
    if (row["row_type"] == "failure_detail" && row["counted"] == true) {
      itemized += row["failed_session_count"].get<std::uint64_t>();
    }
  }
  EXPECT_EQ(successful, summary["totals"]["successful"]);
  EXPECT_EQ(failed, summary["totals"]["failed"]);
  EXPECT_EQ(itemized, summary["totals"]["failed_itemized"]);
}

TEST(Export, CsvQuotesAsRfc4180Says) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("250-a\r\n250 b"), "\"250-a\r\n250 b\"");
  EXPECT_EQ(csv_field(" padded "), "\" padded \"");
  EXPECT_EQ(csv_field("caf\xC3\xA9 bad\xFF"), "caf\xC3\xA9 bad\xEF\xBF\xBD");
}

TEST(Export, CsvNeutralizesFormulas) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-2"), "'-2");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("x=1"), "x=1");
}

TEST(Export, KeepsEveryHostileStringIntact) {
  const auto run = run_cli({"export", testdata("hostile/escape-sequences.json")});
  const json detail = json::parse(run.out.substr(run.out.find('\n') + 1));
  EXPECT_EQ(detail["receiving_mx_helo"],
            "250-ok\r\n250 \xC2\x9B"
            "31m");
  EXPECT_EQ(detail["failure_reason_code"], "\x1b[1;31mFAKE\x1b[0m");
}

// A real PostgreSQL from Debian's packages, in a temporary directory with a Unix socket only: the
// export loads with docs/export-postgres.sql and docs/export-totals.sql gives the summary's totals.
class Postgres : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    for (const auto& version : {"17", "16", "15", "14", "13"}) {
      const fs::path bin = fs::path("/usr/lib/postgresql") / version / "bin";
      if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) bin_ = bin.string();
      if (!bin_.empty()) break;
    }
    if (bin_.empty())
      GTEST_SKIP() << "PostgreSQL server binaries not found (apt-get install postgresql); skipped";
    dir_ = fs::temp_directory_path() / fmt::format("tlsrpt-pg-{}", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // PostgreSQL refuses to run as root: run it as the postgres user then.
    as_ = geteuid() == 0 ? "runuser -u postgres -- " : "";
    if (geteuid() == 0 &&
        std::system(fmt::format("chown postgres {}", dir_.string()).c_str()) != 0) {
      GTEST_SKIP() << "running as root and no postgres user to run the server as; skipped";
    }
    ASSERT_EQ(sh(fmt::format("{}{}/initdb -D {}/data -A trust -U tlsrpt >{}/initdb.log 2>&1", as_,
                             bin_, dir_.string(), dir_.string())),
              0)
        << read_bytes((dir_ / "initdb.log").string());
    ASSERT_EQ(sh(fmt::format("{}{}/pg_ctl -D {}/data -l {}/server.log -w -o \"-k {} -p 55432 -c "
                             "listen_addresses=''\" "
                             "start >/dev/null",
                             as_, bin_, dir_.string(), dir_.string(), dir_.string())),
              0)
        << read_bytes((dir_ / "server.log").string());
    started_ = true;
  }
  void TearDown() override {
    if (started_)
      sh(fmt::format("{}{}/pg_ctl -D {}/data -m fast -w stop >/dev/null 2>&1", as_, bin_,
                     dir_.string()));
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  static int sh(const std::string& command) { return std::system(command.c_str()); }
  std::string psql(const std::string& arguments) {
    const std::string out = (dir_ / "psql.out").string();
    const int status = sh(fmt::format(
        "psql -h {} -p 55432 -U tlsrpt -d postgres -v ON_ERROR_STOP=1 -X -q -A -t {} >{} 2>&1",
        dir_.string(), arguments, out));
    EXPECT_EQ(status, 0) << read_bytes(out);
    return read_bytes(out);
  }

  std::string bin_;
  std::filesystem::path dir_;
  std::string as_;
  bool started_ = false;
};

// The hostile fixtures load too: NULs in strings, year 0000 and 9999, escape sequences.
TEST_F(Postgres, SqlTotalsEqualTheSummary) {
  const std::vector<std::string> inputs{testdata("reports"), testdata("mail"), testdata("mbox"),
                                        testdata("hostile")};
  std::vector<std::string> args{"export", "--format", "csv"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  const std::string csv = (dir_ / "export.csv").string();
  std::ofstream(csv, std::ios::binary) << run_cli(args).out;
  sh(fmt::format("chmod a+r {}", csv));
  const std::string repo = std::filesystem::path(testdata()).parent_path().string();
  psql(
      fmt::format("-f {}/docs/export-postgres.sql -c \"\\copy tlsrpt_rows FROM '{}' WITH (FORMAT "
                  "csv, HEADER true)\"",
                  repo, csv));
  const std::string totals = psql(fmt::format("-F ' ' -f {}/docs/export-totals.sql", repo));
  std::vector<std::string> summary_args{"summary", "--format", "json"};
  summary_args.insert(summary_args.end(), inputs.begin(), inputs.end());
  const json summary = json::parse(run_cli(summary_args).out);
  EXPECT_EQ(totals, fmt::format("{} {}\n", summary["totals"]["successful"].get<std::uint64_t>(),
                                summary["totals"]["failed"].get<std::uint64_t>()));
  const std::string rows = read_bytes(csv);
  std::size_t policies = 0;
  for (std::size_t at = rows.find("\r\npolicy,"); at != std::string::npos;
       at = rows.find("\r\npolicy,", at + 1)) {
    ++policies;
  }
  EXPECT_EQ(policies, 29u);  // 23 from the reports, mail and mbox; 6 hostile reports
  EXPECT_EQ(psql("-c \"SELECT count(*) FROM tlsrpt_rows WHERE row_type = 'policy'\""),
            fmt::format("{}\n", policies));
  EXPECT_EQ(psql("-c \"SELECT count(*) FROM tlsrpt_rows WHERE start_datetime IS NULL\""),
            "2\n");  // year 0000: its policy row and its failure detail row
}

}  // namespace
}  // namespace tlsrpt
