#include "tlsrpt/cli.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::run_cli;
using testing::testdata;

TEST(Cli, SummaryOfGoodReportsExitsZero) {
  const auto run = run_cli({"summary", testdata("reports")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("Reports:   9 (1 duplicate skipped)"), std::string::npos) << run.out;
}

TEST(Cli, SkippedInputsGiveExitThreeAndOneLineEach) {
  const auto run = run_cli(
      {"summary", "--format", "json", testdata("reports"), testdata("bad/truncated.json.gz")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(testing::relative_paths(run.err),
            "tlsrpt: error: testdata/bad/truncated.json.gz: byte 244: gzip: truncated data (the "
            "file ends "
            "before the end of the stream); skipped\n");
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["reports"], 9);
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(testing::relative_paths(summary["errors"][0]["file"]),
            "testdata/bad/truncated.json.gz");
  EXPECT_EQ(summary["errors"][0]["where"], "byte 244");
}

TEST(Cli, JsonIsExactlyOneDocument) {
  const auto run = run_cli({"summary", "--format", "json", testdata("reports")});
  EXPECT_TRUE(json::accept(run.out));
  EXPECT_TRUE(run.out.ends_with("}\n"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({}).status, kExitUsage);
  EXPECT_EQ(run_cli({"summary"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"summary", "--format", "xml", "x"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"frobnicate"}).status, kExitUsage);
  EXPECT_EQ(run_cli({"--help"}).status, kExitOk);
}

// Every usage error is one line on stderr that starts with "tlsrpt:" and names what is wrong.
TEST(Cli, UsageErrorsNameTheOptionOrArgument) {
  const std::string reports = testdata("reports");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"frobnicate"}, "tlsrpt: unknown command \"frobnicate\""},
      {{"summary", "--frobnicate", reports}, "unknown option \"--frobnicate\" for tlsrpt summary"},
      {{"export", "--color", "never", reports}, "unknown option \"--color\" for tlsrpt export"},
      {{"show", reports, reports}, "unexpected argument"},
      {{"summary", "--top", "0", reports}, "--top: \"0\" is not a number of rows"},
      {{"summary", "--top", "-3", reports}, "--top: \"-3\" is not a number of rows"},
      {{"summary", "--since", "2026-05-10", "--until", "2026-05-01", reports},
       "--since 2026-05-10 is after --until 2026-05-01"},
      {{"summary", "--since", "last tuesday", reports}, "--since: \"last tuesday\" is not a date"},
      {{"summary", "--domain", "", reports}, "--domain: an empty value matches nothing"},
      {{"summary", "--sender", "a,,b", reports}, "--sender: an empty value matches nothing"},
      {{"summary", reports, "--domain"}, "--domain needs a value"},
      {{"alerts", "--warn-rate", "6%", "--critical-rate", "5%", reports},
       "--warn-rate 0.06 is above --critical-rate 0.05"},
      {{"check", "--major-senders", "Google,,Yahoo", reports}, "--major-senders: \"Google,,Yahoo\""},
      {{"check", "--major-senders", "", reports}, "--major-senders: \"\" has an empty entry"},
      {{"check", "--max-failure-rate", "abc", reports},
       "--max-failure-rate: \"abc\" is not a rate: write a percentage like 5% or a fraction"},
      {{"check", "--max-failure-rate", "150%", reports}, "\"150%\" is not a rate"},
      {{"summary", "--max-file-size", "-1", reports}, "--max-file-size: \"-1\" is not a size"},
  };
  for (const auto& [args, expected] : cases) {
    const auto run = run_cli(args);
    EXPECT_EQ(run.status, kExitUsage) << args[1];
    EXPECT_EQ(run.out, "") << args[1];
    EXPECT_TRUE(run.err.starts_with("tlsrpt: ")) << run.err;
    EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

// Options never take the paths after them: every order of options and paths reads every path.
TEST(Cli, OptionAndPathOrderGiveIdenticalOutput) {
  const std::string reports = testdata("reports");
  const std::string mail = testdata("mail");
  const std::vector<std::pair<std::string, std::vector<std::string>>> commands{
      {"summary", {"--format", "json", "--domain", "mail-example.net", "--sender", "google,yahoo"}},
      {"alerts", {"--format", "json", "--domain", "mail-example.net", "--window", "3"}},
      {"check", {"--format", "json", "--domain", "mail-example.net", "--min-days", "2"}},
      {"export", {"--format", "csv", "--domain", "mail-example.net", "--sender", "google"}},
  };
  for (const auto& [command, options] : commands) {
    const auto before = run_cli([&] {
      std::vector<std::string> args{command};
      args.insert(args.end(), options.begin(), options.end());
      args.push_back(reports);
      args.push_back(mail);
      return args;
    }());
    const auto after = run_cli([&] {
      std::vector<std::string> args{command, reports, mail};
      args.insert(args.end(), options.begin(), options.end());
      return args;
    }());
    const auto between = run_cli([&] {
      std::vector<std::string> args{command, reports};
      args.insert(args.end(), options.begin(), options.end());
      args.push_back(mail);
      return args;
    }());
    EXPECT_EQ(before.out, after.out) << command;
    EXPECT_EQ(before.out, between.out) << command;
    EXPECT_EQ(before.status, after.status) << command;
    EXPECT_EQ(before.status, between.status) << command;
    EXPECT_NE(before.out, "") << command;
    // Both paths were read: the mail directory's Google report is there.
    if (command == "summary") {  // more reports than either path alone: both were read
      const auto alone = [&](const std::string& path) {
        std::vector<std::string> args{command, path};
        args.insert(args.end(), options.begin(), options.end());
        return json::parse(run_cli(args).out)["reports"].get<int>();
      };
      const int both = json::parse(before.out)["reports"].get<int>();
      EXPECT_GT(both, alone(reports));
      EXPECT_GT(both, alone(mail));
    }
  }
  const std::string file = testdata("mail/google-report.eml");
  EXPECT_EQ(run_cli({"show", "--format", "json", "--domain", "mail-example.net", file}).out,
            run_cli({"show", file, "--format", "json", "--domain", "mail-example.net"}).out);
  // A repeated option and a comma list are the same filter.
  EXPECT_EQ(run_cli({"summary", "--format", "json", "--domain", "mail-example.net", "--domain",
                     "other-example.org", reports, mail})
                .out,
            run_cli({"summary", "--format", "json", "--domain",
                     "mail-example.net,other-example.org", reports, mail})
                .out);
}

TEST(Cli, MaxInflatedSizeAcceptsSuffixes) {
  const auto run =
      run_cli({"summary", "--max-inflated-size", "4K", testdata("reports/rfc-style.json"),
               testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(run.status, kExitOk) << run.err;  // 4 KiB is enough for that report
  const auto small = run_cli(
      {"summary", "--max-inflated-size", "100", testdata("reports/microsoft-sts-tlsa.json.gz")});
  EXPECT_EQ(small.status, kExitInputSkipped);
  EXPECT_NE(small.err.find("inflates to more than 100 bytes"), std::string::npos) << small.err;
}

TEST(Cli, ShowReadsStdin) {
  const auto run = run_cli({"show", "--format", "json", "-"},
                           testing::read_bytes(testdata("reports/rfc-style.json")));
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(json::parse(run.out)["reports"][0]["report_id"],
            "9a8b7c6d-1111-4222-8333-944455566677");
}

TEST(Cli, ShowOfSomethingElseSaysWhat) {
  const auto run = run_cli({"show", testdata("other/dmarc-aggregate.json")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_EQ(
      testing::relative_paths(run.err),
      "tlsrpt: note: testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a "
      "TLS "
      "report\ntlsrpt: error: testdata/other/dmarc-aggregate.json: no TLS report in it; skipped\n");
}

TEST(Cli, NotReportsAreNotErrors) {
  const auto run = run_cli({"summary", testdata("other")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.err, "");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, AuthenticatedOnlyLeavesOutReportsWithoutDkimPass) {
  const auto all = run_cli({"summary", "--format", "json", testdata("mail"), testdata("forged")});
  EXPECT_EQ(all.status, kExitOk);
  const json every = json::parse(all.out);
  EXPECT_EQ(every["reports"], 11);
  EXPECT_EQ(every["authentication"]["dkim_pass"], 2);
  EXPECT_EQ(every["authentication"]["dkim_fail"], 1);
  const auto run = run_cli({"summary", "--format", "json", "--authenticated-only", testdata("mail"),
                            testdata("forged")});
  const json only = json::parse(run.out);
  EXPECT_EQ(only["reports"], 2);
  EXPECT_EQ(only["authentication"]["left_out_unauthenticated"], 9);
  EXPECT_EQ(only["totals"]["failed"], 9);  // Google's 9; the forged 5000 are out
  const auto text =
      run_cli({"summary", "--authenticated-only", testdata("mail"), testdata("forged")});
  EXPECT_NE(text.out.find("Left out:  9 reports without a DKIM pass for the submitter's domain "
                          "(--authenticated-only)"),
            std::string::npos)
      << text.out;
}

TEST(Cli, ShowPrintsWhereAMailedReportCameFrom) {
  const auto run = run_cli({"show", testdata("mail/google-report.eml")});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_NE(run.out.find("  Message-ID:     <000000000000a1b2c3@google.com>\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  Attachment:     part 2, "
                         "google.com!mail-example.net!1778284800!1778371199!001.json.gz\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("  DKIM:           pass for google.com (per mx.mail-example.net)\n"),
            std::string::npos);
  EXPECT_NE(run.out.find("  File name:      submitter google.com, domain mail-example.net, "
                         "2026-05-09T00:00:00Z to "
                         "2026-05-09T23:59:59Z, id 001\n"),
            std::string::npos);
}

TEST(Cli, ShowOfAMailboxListsEveryReportAndItsErrors) {
  const auto run = run_cli({"show", "--format", "json", testdata("mbox/postmaster.mbox")});
  EXPECT_EQ(run.status, kExitInputSkipped);
  const json document = json::parse(run.out);
  EXPECT_EQ(document["reports"].size(), 3u);
  EXPECT_EQ(document["errors"].size(), 1u);
  EXPECT_EQ(document["notes"].size(), 3u);
  EXPECT_EQ(document["reports"][1]["provenance"]["message_index"], 5);
}

TEST(Cli, MailboxSummaryCountsTheResentReportOnce) {
  const auto run = run_cli({"summary", "--format", "json", testdata("mbox/postmaster.mbox")});
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["reports"], 2);
  EXPECT_EQ(summary["duplicates"], 1);
  EXPECT_EQ(summary["not_reports"], 3);
  EXPECT_EQ(summary["errors_total"], 1);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Writes `days` daily reports per sender as JSON files into a fresh directory; returns it.
std::string write_ramp(const std::string& name, int days, const std::vector<std::string>& senders,
                       const std::string& failure = "") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-cli-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int d = 0; d < days; ++d) {
    const std::string day = tlsrpt::format_date((20500 + d) * 86400LL);
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
        policy["summary"]["total-failure-session-count"] = 2;
        policy["failure-details"] = {{{"result-type", failure},
                                      {"receiving-mx-hostname", "mx1.example.com"},
                                      {"failed-session-count", 2}}};
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

const std::vector<std::string> kMajors{"Google Inc.", "Microsoft Corporation", "Yahoo",
                                       "Apple Inc."};

TEST(Cli, CheckExitsZeroWhenReady) {
  const auto run = run_cli({"check", "--color", "never", write_ramp("ready", 30, kMajors)});
  EXPECT_EQ(run.status, kExitOk) << run.out;
  EXPECT_TRUE(run.out.starts_with("MTA-STS enforce check: READY\n")) << run.out;
}

TEST(Cli, CheckExitsOneWhenNotReady) {
  const auto run = run_cli({"check", "--format", "json",
                            write_ramp("not-ready", 30, kMajors, "certificate-host-mismatch")});
  EXPECT_EQ(run.status, kExitNotReady) << run.out;
  const json verdict = json::parse(run.out);
  EXPECT_EQ(verdict["verdict"], "not_ready");
  EXPECT_EQ(verdict["blocking_failures"].size(), 1u);
  EXPECT_EQ(verdict["items"][0]["code"], "persistent_failure");
}

TEST(Cli, CheckExitsFourOnInsufficientData) {
  const auto run = run_cli({"check", "--color", "never", write_ramp("short", 10, kMajors)});
  EXPECT_EQ(run.status, kExitInsufficientData);
  EXPECT_NE(run.out.find(
                "[need data] reports cover 10 days of the 30-day window; at least 14 are needed"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run_cli({"check", "--min-days", "7", write_ramp("short", 10, kMajors)}).status,
            kExitOk);
}

TEST(Cli, CheckTakesRatesAsPercentOrFraction) {
  const std::string dir =
      write_ramp("rates", 20, kMajors, "validation-failure");  // 2 of 1002 from Google
  EXPECT_EQ(run_cli({"check", "--max-failure-rate", "0.01%", dir}).status, kExitNotReady);
  EXPECT_EQ(run_cli({"check", "--max-failure-rate", "0.5%", dir}).status, kExitOk);
  EXPECT_EQ(run_cli({"check", "--max-failure-rate", "0.005", dir}).status, kExitOk);
  EXPECT_EQ(run_cli({"check", "--max-failure-rate", "5", dir}).status, kExitUsage);
  EXPECT_EQ(run_cli({"check", "--major-senders", "Google", "--min-days", "20", dir}).status,
            kExitOk);
}

TEST(Cli, CheckSaysInputsWereSkipped) {
  const auto run =
      run_cli({"check", write_ramp("skipped", 30, kMajors), testdata("bad/truncated.json.gz")});
  EXPECT_EQ(run.status, kExitInputSkipped);
}

TEST(Cli, AlertsExitOneWhenAnyFired) {
  EXPECT_EQ(run_cli({"alerts", write_ramp("quiet", 20, kMajors)}).status, kExitOk);
  const auto run = run_cli({"alerts", "--format", "json", testdata("reports"), testdata("mail")});
  EXPECT_EQ(run.status, kExitAlerts);
  const json alerts = json::parse(run.out);
  EXPECT_EQ(alerts["alerts"][0]["code"], "failure_rate");
  EXPECT_EQ(alerts["alerts"][0]["level"], "warning");
  EXPECT_EQ(run_cli({"alerts", "--warn-rate", "3%", "--critical-rate", "10%", "--format", "json",
                     testdata("reports"), testdata("mail")})
                .out.find("\"failure_rate\""),
            std::string::npos);
}

TEST(Cli, FiltersApplyToEveryCommand) {
  const auto since = json::parse(
      run_cli({"summary", "--format", "json", "--since", "2026-05-09", testdata("reports")}).out);
  EXPECT_EQ(since["reports"], 3);  // apple, concatenated-members, and the weekly Yahoo report
  const auto domain = json::parse(
      run_cli({"summary", "--format", "json", "--domain", "OTHER-example.org", testdata("reports")})
          .out);
  EXPECT_EQ(domain["domains"].size(), 1u);
  EXPECT_EQ(domain["totals"]["failed"], 303);
  const auto sender = json::parse(
      run_cli({"summary", "--format", "json", "--sender", "microsoft", testdata("reports")}).out);
  EXPECT_EQ(sender["reports"], 1);
  const auto until = json::parse(run_cli({"show", "--format", "json", "--until", "2026-05-07",
                                          testdata("reports/yahoo-weekly-quirks.json")})
                                     .out);
  EXPECT_EQ(until["reports"].size(), 1u);
  EXPECT_EQ(run_cli({"summary", "--since", "last tuesday", testdata("reports")}).status,
            kExitUsage);
}

TEST(Cli, SummaryShowsDaysTrendPersistenceAndAlerts) {
  const auto run = run_cli({"summary", "--color", "never", testdata("reports"), testdata("mail")});
  for (const char* heading :
       {"Per day (UTC)", "Senders by day", "Domains by day", "Trend 2026-05-05 to 2026-05-11",
        "Persistent and transient failures", "Alerts"}) {
    EXPECT_NE(run.out.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(run.out.find("  2026-05-08     8,694     344  3.96%"), std::string::npos) << run.out;
  const json summary =
      json::parse(run_cli({"summary", "--format", "json", testdata("reports")}).out);
  EXPECT_EQ(summary["days"].size(), 7u);
  EXPECT_EQ(summary["days"][0]["date"], "2026-05-04");
  EXPECT_EQ(summary["trend"]["recent"]["last_day"], "2026-05-10");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, CheckRecognisesAMajorSenderByTheMailsSubmitter) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "tlsrpt-cli-submitter";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string report =
      R"({"organization-name":"relay-7","date-range":{"start-datetime":"2026-05-09T00:00:00Z",)"
      R"("end-datetime":"2026-05-09T23:59:59Z"},"report-id":"r7","policies":[{"policy":{"policy-type":"sts",)"
      R"("policy-domain":"example.com"},"summary":{"total-successful-session-count":10,"total-failure-session-count":0}}]})";
  std::ofstream(dir / "r.eml")
      << "From: reports@relay.example\nTLS-Report-Submitter: bigmail.example\n"
         "Content-Type: application/tlsrpt+json\n\n"
      << report;
  const auto by_submitter = run_cli({"check", "--min-days", "1", "--major-senders",
                                     "Big=bigmail.example", (dir / "r.eml").string()});
  EXPECT_EQ(by_submitter.status, kExitOk) << by_submitter.out;
  std::ofstream(dir / "r.json") << report;
  EXPECT_EQ(run_cli({"check", "--min-days", "1", "--major-senders", "Big=bigmail.example",
                     (dir / "r.json").string()})
                .status,
            kExitInsufficientData);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, OutputIsIdenticalWhateverTheJobs) {
  for (const std::string command : {"summary", "export", "check"}) {
    const auto args = [&](const std::string& jobs) {
      return std::vector<std::string>{command,
                                      "--format",
                                      command == "export" ? "csv" : "json",
                                      "--jobs",
                                      jobs,
                                      testdata("reports"),
                                      testdata("mail"),
                                      testdata("bad"),
                                      testdata("mbox")};
    };
    const auto a = run_cli(args("1"));
    const auto b = run_cli(args("4"));
    EXPECT_NE(a.status, kExitUsage) << a.err;
    EXPECT_GT(a.out.size(), 1000u) << command;
    EXPECT_EQ(a.out, b.out) << command;
    EXPECT_EQ(a.err, b.err) << command;
    EXPECT_EQ(a.status, b.status) << command;
  }
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, CheckSaysWhichDomainsItLookedAt) {
  const json all = json::parse(run_cli({"check", "--format", "json", testdata("reports")}).out);
  EXPECT_EQ(all["domains"],
            (std::vector<std::string>{"(none)", "mail-example.net", "other-example.org"}));
  const json one = json::parse(
      run_cli({"check", "--format", "json", "--domain", "mail-example.net", testdata("reports")})
          .out);
  EXPECT_EQ(one["domains"], std::vector<std::string>{"mail-example.net"});
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, TopAndWindowShapeTheSummary) {
  const auto top = run_cli({"summary", "--color", "never", "--top", "2", testdata("reports")});
  EXPECT_NE(top.out.find("Receiving MX hosts with failures (top 2 of 8; --top to see more)"),
            std::string::npos)
      << top.out;
  const json narrow = json::parse(
      run_cli({"summary", "--format", "json", "--window", "2", testdata("reports")}).out);
  EXPECT_EQ(narrow["trend"]["recent"]["first_day"], "2026-05-09");
  EXPECT_EQ(narrow["trend"]["previous"]["first_day"], "2026-05-07");
  const json persistent = json::parse(
      run_cli({"summary", "--format", "json", "--persistent-periods", "1", testdata("reports")})
          .out);
  EXPECT_TRUE(persistent["failures"][0]["persistent"].get<bool>());
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, AlertAndCheckWindowsAreFlags) {
  // Microsoft reports on days 0-9 of a 25-day ramp of Google's: silent for 15 days.
  const std::string dir = write_ramp("silent", 10, {"Microsoft Corporation"});
  const std::string later = write_ramp("silent-later", 25, {"Google Inc."});
  const auto silent = run_cli({"alerts", "--format", "json", dir, later});
  EXPECT_EQ(silent.status, kExitAlerts);
  EXPECT_EQ(json::parse(silent.out)["alerts"][0]["code"], "sender_silent");
  EXPECT_EQ(run_cli({"alerts", "--silent-days", "20", dir, later}).status, kExitOk);
  // A 10-day window over 30 days of data covers 10 days: too few for the default --min-days 14.
  const std::string ramp = write_ramp("window", 30, kMajors);
  const json narrow =
      json::parse(run_cli({"check", "--format", "json", "--window", "10", ramp}).out);
  EXPECT_EQ(narrow["verdict"], "insufficient_data");
  EXPECT_EQ(narrow["window"]["days_covered"], 10);
  const std::string failing = write_ramp("periods", 30, kMajors, "certificate-expired");
  EXPECT_EQ(run_cli({"check", failing}).status, kExitNotReady);
  EXPECT_EQ(run_cli({"check", "--persistent-periods", "31", failing}).status, kExitOk);
}

}  // namespace
}  // namespace tlsrpt
