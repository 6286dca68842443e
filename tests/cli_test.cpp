#include "tlsrpt/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/text.hpp"
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
       "--warn-rate 6% is above --critical-rate 5%"},
      {{"check", "--major-senders", "Google,,Yahoo", reports},
       "--major-senders: \"Google,,Yahoo\""},
      {{"check", "--major-senders", "", reports}, "--major-senders: \"\" has an empty entry"},
      {{"check", "--max-failure-rate", "abc", reports},
       "--max-failure-rate: \"abc\" is not a rate: write a percentage like 1% or 0.5%"},
      {{"check", "--max-failure-rate", "1", reports},
       "--max-failure-rate: \"1\" is not a rate: write it with %, like 1%"},
      {{"alerts", "--warn-rate", "0.02", reports}, "\"0.02\" is not a rate: write it with %"},
      {{"check", "--max-failure-rate", "150%", reports}, "\"150%\" is not a rate"},
      {{"summary", "--max-file-size", "-1", reports}, "--max-file-size: \"-1\" is not a size"},
      {{"domain", reports}, "is not a domain name; name the domain first"},
      {{"domain", "ex ample.com"}, "\"ex ample.com\" is not a domain name"},
      {{"domain", "example.com", "--connect-to", "a:25"}, "is not HOST:PORT:ADDR:PORT"},
      {{"domain", "example.com", "--trust-anchor", "/nonexistent"}, "--trust-anchor"},
      {{"check", "--live", "", reports}, "--live: \"\" is not a domain name"},
      {{"summary", "--live", "a.example,x/y", reports}, "--live: \"x/y\" is not a domain name"},
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
      {"summary",
       {"--format", "json", "--domain", "mail-example.net", "--sender", "google", "--now",
        "2026-05-12"}},
      {"alerts",
       {"--format", "json", "--domain", "mail-example.net", "--alert-window", "3", "--now",
        "2026-05-12"}},
      {"check",
       {"--format", "json", "--domain", "mail-example.net", "--min-days", "2", "--now",
        "2026-05-12"}},
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
  EXPECT_EQ(run_cli({"summary", "--format", "json", "--now", "2026-05-12", "--domain",
                     "mail-example.net", "--domain", "other-example.org", reports, mail})
                .out,
            run_cli({"summary", "--format", "json", "--now", "2026-05-12", "--domain",
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
  EXPECT_NE(text.out.find("Left out:  9 reports: 9 without a DKIM pass (--authenticated-only)"),
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

using testing::kMajors;
using testing::write_ramp;
// --now for the day after a ramp of 10, 20, 25 or 30 days.
const char* const kAfter10 = "2026-02-26";
// --now for the reports of testdata/: the day after the newest one ends.
const char* const kTestdataNow = "2026-05-12";
const char* const kAfter20 = "2026-03-08";
const char* const kAfter25 = "2026-03-13";
const char* const kAfter30 = "2026-03-18";

TEST(Cli, CheckExitsZeroWhenReady) {
  const auto run =
      run_cli({"check", "--color", "never", "--now", kAfter30, write_ramp("ready", 30, kMajors)});
  EXPECT_EQ(run.status, kExitOk) << run.out;
  EXPECT_TRUE(run.out.starts_with("MTA-STS enforce check: READY\n")) << run.out;
}

TEST(Cli, CheckExitsOneWhenNotReady) {
  const auto run = run_cli({"check", "--format", "json", "--now", kAfter30,
                            write_ramp("not-ready", 30, kMajors, "certificate-host-mismatch")});
  EXPECT_EQ(run.status, kExitNotReady) << run.out;
  const json verdict = json::parse(run.out);
  EXPECT_EQ(verdict["verdict"], "not_ready");
  ASSERT_EQ(verdict["domains"].size(), 1u);
  const json& domain = verdict["domains"][0];
  EXPECT_EQ(domain["policy_domain"], "example.com");
  EXPECT_EQ(domain["blocking_failures"].size(), 1u);
  EXPECT_EQ(domain["items"][0]["code"], "persistent_failure");
}

TEST(Cli, CheckExitsFourOnInsufficientData) {
  const auto run =
      run_cli({"check", "--color", "never", "--now", kAfter10, write_ramp("short", 10, kMajors)});
  EXPECT_EQ(run.status, kExitInsufficientData);
  EXPECT_NE(run.out.find(
                "[need data] reports cover 10 days of the 30-day window; at least 14 are needed"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(
      run_cli({"check", "--min-days", "7", "--now", kAfter10, write_ramp("short", 10, kMajors)})
          .status,
      kExitOk);
}

TEST(Cli, CheckTakesRatesAsPercentagesOnly) {
  const std::string dir =
      write_ramp("rates", 20, kMajors, "validation-failure");  // 2 of 1002 from Google
  const auto check = [&](const std::string& option, const std::string& value) {
    return run_cli({"check", option, value, "--now", kAfter20, dir}).status;
  };
  EXPECT_EQ(check("--max-failure-rate", "0.01%"), kExitNotReady);
  EXPECT_EQ(check("--max-failure-rate", "0.5%"), kExitOk);
  EXPECT_EQ(check("--max-failure-rate", "0.5 %"), kExitOk);
  // A bare number is refused: 1 could mean 1% or 100%.
  EXPECT_EQ(check("--max-failure-rate", "0.005"), kExitUsage);
  EXPECT_EQ(check("--max-failure-rate", "1"), kExitUsage);
  EXPECT_EQ(check("--max-failure-rate", "5"), kExitUsage);
  EXPECT_EQ(
      run_cli({"check", "--major-senders", "Google", "--min-days", "20", "--now", kAfter20, dir})
          .status,
      kExitOk);
}

TEST(Cli, CheckSaysInputsWereSkipped) {
  const auto run = run_cli({"check", "--now", kAfter30, write_ramp("skipped", 30, kMajors),
                            testdata("bad/truncated.json.gz")});
  EXPECT_EQ(run.status, kExitInputSkipped);
}

TEST(Cli, AlertsExitOneWhenAnyFired) {
  EXPECT_EQ(run_cli({"alerts", "--now", kAfter20, write_ramp("quiet", 20, kMajors)}).status,
            kExitOk);
  const auto run = run_cli(
      {"alerts", "--format", "json", "--now", kTestdataNow, testdata("reports"), testdata("mail")});
  EXPECT_EQ(run.status, kExitAlerts);
  const json alerts = json::parse(run.out);
  EXPECT_EQ(alerts["alerts"][0]["code"], "failure_rate");
  EXPECT_EQ(alerts["alerts"][0]["level"], "warning");
  EXPECT_EQ(run_cli({"alerts", "--warn-rate", "3%", "--critical-rate", "10%", "--format", "json",
                     "--now", kTestdataNow, testdata("reports"), testdata("mail")})
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
  const auto run = run_cli({"summary", "--color", "never", "--now", kTestdataNow,
                            testdata("reports"), testdata("mail")});
  for (const char* heading : {"Per day (UTC)", "Senders by day", "Domains by day", "Trend",
                              "2026-05-06 to 2026-05-12 against 2026-04-29 to 2026-05-05",
                              "Persistent and transient failures", "Alerts (3)"}) {
    EXPECT_NE(run.out.find(heading), std::string::npos) << heading << run.out;
  }
  EXPECT_NE(run.out.find("  2026-05-08     8,694     344  3.96%"), std::string::npos) << run.out;
  const json summary = json::parse(
      run_cli({"summary", "--format", "json", "--now", kTestdataNow, testdata("reports")}).out);
  EXPECT_EQ(summary["days"].size(), 7u);
  EXPECT_EQ(summary["days"][0]["date"], "2026-05-04");
  EXPECT_EQ(summary["trend"]["recent"]["last_day"], "2026-05-12");
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
  const auto by_submitter =
      run_cli({"check", "--min-days", "1", "--major-senders", "Big=bigmail.example", "--now",
               "2026-05-10", (dir / "r.eml").string()});
  EXPECT_EQ(by_submitter.status, kExitOk) << by_submitter.out;
  std::ofstream(dir / "r.json") << report;
  EXPECT_EQ(run_cli({"check", "--min-days", "1", "--major-senders", "Big=bigmail.example", "--now",
                     "2026-05-10", (dir / "r.json").string()})
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
      std::vector<std::string> list{command,
                                    "--format",
                                    command == "export" ? "csv" : "json",
                                    "--jobs",
                                    jobs,
                                    testdata("reports"),
                                    testdata("mail"),
                                    testdata("bad"),
                                    testdata("mbox")};
      if (command != "export") list.insert(list.end(), {"--now", kTestdataNow});
      return list;
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

// One verdict per policy domain, each from its own reports; the exit status is the worst.
TEST(Cli, CheckGivesAVerdictPerPolicyDomain) {
  const auto run = run_cli(
      {"check", "--format", "json", "--now", kTestdataNow, testdata("reports"), testdata("mail")});
  EXPECT_EQ(run.status, kExitNotReady);
  const json all = json::parse(run.out);
  ASSERT_EQ(all["domains"].size(), 2u) << all.dump(2);  // a policy without a domain is no domain
  EXPECT_EQ(all["domains"][0]["policy_domain"], "mail-example.net");
  EXPECT_EQ(all["domains"][1]["policy_domain"], "other-example.org");
  // other-example.org: 305 of 5,655 sessions failed, above the 1% limit; mail-example.net's own
  // rate (57 of 9,472) is within it.
  EXPECT_EQ(all["domains"][1]["verdict"], "not_ready");
  EXPECT_EQ(all["domains"][1]["totals"]["failed"], 305);
  EXPECT_EQ(all["domains"][1]["totals"]["sessions"], 5655);
  EXPECT_EQ(all["domains"][0]["totals"]["failed"], 57);
  EXPECT_EQ(all["verdict"], "not_ready");
  const auto text = run_cli(
      {"check", "--color", "never", "--now", kTestdataNow, testdata("reports"), testdata("mail")});
  EXPECT_NE(text.out.find("\nmail-example.net: NOT READY\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\nother-example.org: NOT READY\n  [blocks]    failure rate 5.39%"),
            std::string::npos)
      << text.out;
  const json one = json::parse(run_cli({"check", "--format", "json", "--now", kTestdataNow,
                                        "--domain", "mail-example.net", testdata("reports")})
                                   .out);
  ASSERT_EQ(one["domains"].size(), 1u);
  EXPECT_EQ(one["domains"][0]["policy_domain"], "mail-example.net");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Cli, TopAndWindowShapeTheSummary) {
  const auto top = run_cli(
      {"summary", "--color", "never", "--top", "2", "--now", kTestdataNow, testdata("reports")});
  for (const char* title : {"Receiving MX hosts with failures (top 2 of 8; --top to see more)",
                            "Senders (top 2 of 8; --top to see more)",
                            "Failure types in all 9 reports, and what to do (top 2 of 7; --top to see more)",
                            "Senders by day (top 2 of 8; --top to see more)",
                            "Persistent and transient failures (top 2 of 11; --top to see more)"}) {
    EXPECT_NE(top.out.find(title), std::string::npos) << title << top.out;
  }
  const json narrow = json::parse(run_cli({"summary", "--format", "json", "--alert-window", "2", "--now",
                                           "2026-05-10T12:00:00Z", testdata("reports")})
                                      .out);
  EXPECT_EQ(narrow["trend"]["recent"]["first_day"], "2026-05-09");
  EXPECT_EQ(narrow["trend"]["previous"]["first_day"], "2026-05-07");
  const json persistent =
      json::parse(run_cli({"summary", "--format", "json", "--persistent-periods", "1", "--now",
                           kTestdataNow, testdata("reports")})
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
  const auto silent = run_cli({"alerts", "--format", "json", "--now", kAfter25, dir, later});
  EXPECT_EQ(silent.status, kExitAlerts);
  EXPECT_EQ(json::parse(silent.out)["alerts"][0]["code"], "sender_silent");
  EXPECT_EQ(run_cli({"alerts", "--silent-days", "20", "--now", kAfter25, dir, later}).status,
            kExitOk);
  // A 10-day window over 30 days of data covers 10 days: too few for the default --min-days 14.
  const std::string ramp = write_ramp("window", 30, kMajors);
  const json narrow = json::parse(run_cli({"check", "--format", "json", "--window", "10", "--now",
                                           "2026-03-17T12:00:00Z", ramp})
                                      .out);
  EXPECT_EQ(narrow["verdict"], "insufficient_data");
  EXPECT_EQ(narrow["window"]["first_day"], "2026-03-08");
  EXPECT_EQ(narrow["domains"][0]["days_covered"], 10);
  const std::string failing = write_ramp("periods", 30, kMajors, "certificate-expired");
  EXPECT_EQ(run_cli({"check", "--now", kAfter30, failing}).status, kExitNotReady);
  EXPECT_EQ(run_cli({"check", "--persistent-periods", "31", "--now", kAfter30, failing}).status,
            kExitOk);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Runs with COLUMNS set to `columns` (the terminal's width otherwise, 80 through a pipe).
testing::CliRun run_at_width(const std::vector<std::string>& args, const std::string& columns) {
  ::setenv("COLUMNS", columns.c_str(), 1);
  auto run = run_cli(args);
  ::unsetenv("COLUMNS");
  return run;
}

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    widest = std::max(widest, display_width(std::string_view(text).substr(start, end - start)));
    start = end + 1;
  }
  return widest;
}

TEST(Cli, AlertsOnNoReportsFire) {
  const auto run = run_cli({"alerts", "--now", kTestdataNow, testdata("other")});
  EXPECT_EQ(run.status, kExitAlerts);
  EXPECT_NE(run.out.find("CRITICAL  no TLS reports found in the inputs"), std::string::npos)
      << run.out;
  const auto stale =
      run_cli({"alerts", "--format", "json", "--now", "2026-11-30", testdata("reports")});
  EXPECT_EQ(stale.status, kExitAlerts);
  const json alerts = json::parse(stale.out);
  EXPECT_EQ(alerts["alerts"][0]["code"], "no_recent_reports");
  EXPECT_EQ(alerts["now"], "2026-11-30T00:00:00Z");
  EXPECT_EQ(alerts["newest_report_end"], "2026-05-10T23:59:59Z");
}

// Reports left out by the filters are counted and said, never "no reports were found".
TEST(Cli, ReportsLeftOutByFiltersAreSaid) {
  const auto check = run_cli({"check", "--format", "json", "--since", "2026-06-01", "--now",
                              kTestdataNow, testdata("reports")});
  EXPECT_EQ(check.status, kExitInsufficientData);
  const json verdict = json::parse(check.out);
  EXPECT_EQ(verdict["items"][0]["message"],
            "10 reports read, all left out: 10 ended before --since 2026-06-01");
  EXPECT_EQ(verdict["window"]["last_day"], "2026-05-12");
  const auto summary = run_cli({"summary", "--format", "json", "--domain", "other-example.org",
                                "--sender", "company", "--now", kTestdataNow, testdata("reports")});
  const json doc = json::parse(summary.out);
  EXPECT_EQ(doc["reports"], 1);
  EXPECT_EQ(doc["left_out"]["sender"], 9);  // the sender is asked before the domain
  EXPECT_EQ(doc["left_out"]["domain"], 0);
  const auto alerts =
      run_cli({"alerts", "--until", "2026-01-01", "--now", kTestdataNow, testdata("reports")});
  EXPECT_EQ(alerts.status, kExitAlerts);
  EXPECT_NE(alerts.out.find("10 reports read, all left out: 10 began after --until 2026-01-01"),
            std::string::npos)
      << alerts.out;
}

// A --domain or --sender that matches no report read is a usage error naming what was seen,
// closest first: a typo never reads as "not enough data yet".
TEST(Cli, AFilterThatMatchesNothingIsAUsageError) {
  for (const std::string command : {"check", "summary", "alerts", "export"}) {
    const auto typo = run_cli({command, "--domain", "mail-exmaple.net", "--now", kTestdataNow,
                               testdata("reports")});
    EXPECT_EQ(typo.status, kExitUsage) << command;
    EXPECT_EQ(typo.out, "") << command;
    EXPECT_NE(typo.err.find("tlsrpt: --domain mail-exmaple.net matches no report read; the "
                            "policy domains in them are, closest first: mail-example.net, "),
              std::string::npos)
        << typo.err;
  }
  const auto sender =
      run_cli({"check", "--sender", "gogle", "--now", kTestdataNow, testdata("reports")});
  EXPECT_EQ(sender.status, kExitUsage);
  EXPECT_NE(sender.err.find("--sender gogle matches no report read"), std::string::npos)
      << sender.err;
  EXPECT_NE(sender.err.find("closest first: Google Inc."), std::string::npos) << sender.err;
  // Nothing read at all: no names to compare with; the verdict says there are no reports.
  const auto empty = run_cli({"check", "--domain", "example.com", "--now", kTestdataNow,
                              testdata("bad/invalid-json.json")});
  EXPECT_NE(empty.status, kExitUsage) << empty.err;
}

// The first screen: verdicts and alerts before the detail tables; quirks as one line; notes and
// warnings on stderr, never on stdout.
TEST(Cli, SummaryOpensWithTheAnswer) {
  const auto run = run_cli({"summary", "--color", "never", "--verbose", "--now", kTestdataNow,
                            testdata("reports"), testdata("mail"), testdata("other")});
  const std::size_t enforce = run.out.find("  Enforce:   NOT READY for 2 domains");
  const std::size_t alerts = run.out.find("\nAlerts (3)\n");
  const std::size_t types = run.out.find("\nFailure types in all 19 reports, and what to do\n");
  const std::size_t senders = run.out.find("\nSenders (top 10 of 13; --top to see more)\n");
  ASSERT_NE(enforce, std::string::npos) << run.out;
  ASSERT_NE(alerts, std::string::npos) << run.out;
  EXPECT_LT(enforce, alerts);
  EXPECT_LT(alerts, types);
  EXPECT_LT(types, senders);
  EXPECT_NE(run.out.find("7 reports had format quirks (19 in all"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("tlsrpt: note:"), std::string::npos);
  EXPECT_EQ(run.out.find("tlsrpt: warning:"), std::string::npos);
  EXPECT_NE(run.err.find("tlsrpt: note:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("tlsrpt: warning:"), std::string::npos) << run.err;
  // The first 25 lines hold the verdict and every alert.
  std::size_t line_25 = 0;
  for (int i = 0; i < 25; ++i) line_25 = run.out.find('\n', line_25 + 1);
  EXPECT_LT(types, line_25 + 2);
}

// A stray 2016 report next to this month's adds no empty days; sections with nothing to say go.
TEST(Cli, AStrayOldReportKeepsTheSeriesShort) {
  const auto json_run = run_cli(
      {"summary", "--format", "json", "--now", kTestdataNow, testdata("reports"), testdata("old")});
  const json doc = json::parse(json_run.out);
  EXPECT_EQ(doc["reports"], 10);
  EXPECT_EQ(doc["days"].size(), 7u);
  EXPECT_EQ(doc["series"]["reports_before"], 1);
  EXPECT_LT(json_run.out.size(), 100'000u);
  const auto text = run_cli(
      {"summary", "--color", "never", "--now", kTestdataNow, testdata("reports"), testdata("old")});
  EXPECT_NE(text.out.find("1 report ended before 2026-05-04, the first day of the per-day tables"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("no reports"), std::string::npos);
  // One report of one day: no per-day table, no trend, no weekly note.
  const auto one = run_cli(
      {"summary", "--color", "never", "--now", "2026-05-09", testdata("reports/rfc-style.json")});
  EXPECT_EQ(one.out.find("Per day"), std::string::npos) << one.out;
  EXPECT_EQ(one.out.find("Trend"), std::string::npos) << one.out;
  EXPECT_EQ(one.out.find("spread"), std::string::npos) << one.out;
}

// A run of days without reports is one line, however long: --since 2016 over a 2016 report and
// this month's is a few lines, not ten years of them.
TEST(Cli, RunsOfEmptyDaysAreOneLine) {
  const auto text = run_cli({"summary", "--color", "never", "--since", "2016-01-01", "--now",
                             kTestdataNow, testdata("reports"), testdata("old")});
  const std::size_t days = text.out.find("Per day (UTC)");
  ASSERT_NE(days, std::string::npos) << text.out;
  const std::string table = text.out.substr(days, text.out.find("\n\n", days) - days);
  EXPECT_NE(table.find(" days without reports, to 2026-05-03"), std::string::npos) << table;
  EXPECT_LT(std::count(table.begin(), table.end(), '\n'), 15) << table;
  const auto html = run_cli({"summary", "--format", "html", "--since", "2016-01-01", "--now",
                             kTestdataNow, testdata("reports"), testdata("old")});
  EXPECT_NE(html.out.find(" days without reports, to 2026-05-03</td>"), std::string::npos);
}

// An archive judged long after: the verdict is "no recent reports", rightly, and the per-day views
// still show what the reports hold, marked as outside the window.
TEST(Cli, OldReportsStillShowTheirDays) {
  const std::vector<std::string> later{"--now", "2026-11-30", testdata("reports")};
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), later.begin(), later.end());
    return run_cli(args);
  };
  const auto text = run({"summary", "--color", "never"});
  EXPECT_NE(text.out.find("Per day (UTC)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  No report falls in the days up to now: these are the newest days"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  reports (2026-05-04 to 2026-05-10), outside the window of the verdicts"),
            std::string::npos)
      << text.out;
  const json doc = json::parse(run({"summary", "--format", "json"}).out);
  EXPECT_EQ(doc["check"]["verdict"], "insufficient_data");
  EXPECT_TRUE(doc["series"]["outside_window"].get<bool>());
  EXPECT_EQ(doc["series"]["first_day"], "2026-05-04");
  EXPECT_EQ(doc["series"]["last_day"], "2026-05-10");
  EXPECT_EQ(doc["days"].size(), 7u);
  const auto html = run({"summary", "--format", "html"});
  EXPECT_NE(html.out.find("id=\"outside-window\""), std::string::npos);
  // Within the window there is no such note.
  const json now = json::parse(
      run_cli({"summary", "--format", "json", "--now", kTestdataNow, testdata("reports")}).out);
  EXPECT_FALSE(now["series"]["outside_window"].get<bool>());
}

// Sparklines share one scale, and the title says which.
TEST(Cli, SparklinesShareOneScale) {
  const auto run = run_cli({"summary", "--color", "never", "--now", kTestdataNow,
                            testdata("reports"), testdata("mail")});
  EXPECT_NE(run.out.find("one mark per day, full height = 40.00% (all rows)"), std::string::npos)
      << run.out;
  // Yahoo at 0.29% and Company-X at 5.38%: neither reaches the top mark of the 40% sender.
  const std::size_t yahoo = run.out.find("\n  Yahoo ", run.out.find("Senders by day"));
  ASSERT_NE(yahoo, std::string::npos);
  const std::string row = run.out.substr(yahoo, run.out.find('\n', yahoo + 1) - yahoo);
  EXPECT_EQ(row.find("\u2588"), std::string::npos) << row;
  EXPECT_NE(run.out.find("Rows add up to more than the total"), std::string::npos);
}

// Text fits the terminal: at 80 columns no line is wider (but unbreakable words), at 160 the wide
// tables keep their columns.
TEST(Cli, TextFitsTheTerminalWidth) {
  const std::vector<std::string> args{"summary",    "--color",           "never",         "--now",
                                      kTestdataNow, testdata("reports"), testdata("mail")};
  const auto narrow = run_at_width(args, "80");
  EXPECT_LE(widest_line(narrow.out), 80u) << narrow.out;
  EXPECT_EQ(narrow.out.find("PERIODS"), std::string::npos);  // dropped to fit
  const auto wide = run_at_width(args, "160");
  EXPECT_LE(widest_line(wide.out), 160u);
  EXPECT_NE(wide.out.find("PERIODS  FIRST       LAST"), std::string::npos) << wide.out;
  EXPECT_EQ(wide.out.find("\u2026"), std::string::npos);  // nothing shortened
  const auto check = run_at_width(
      {"check", "--color", "never", "--now", kTestdataNow, testdata("reports"), testdata("mail")},
      "80");
  EXPECT_LE(widest_line(check.out), 80u) << check.out;
  // Through a pipe without COLUMNS: 80.
  EXPECT_EQ(run_cli(args).out, narrow.out);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// A report dated year 0000 or 9999 counts in the totals, is said, and stays out of every time view.
TEST(Cli, ImplausibleDatesStayOutOfTheTimeViews) {
  const auto run =
      run_cli({"summary", "--format", "json", "--now", kTestdataNow, testdata("reports"),
               testdata("hostile/year-0000.json"), testdata("hostile/year-9999.json")});
  const json doc = json::parse(run.out);
  EXPECT_EQ(doc["reports"], 11);
  EXPECT_EQ(doc["series"]["implausible_dates"], 2);
  EXPECT_EQ(doc["days"].size(), 7u);
  EXPECT_EQ(doc["newest_report_end"], "2026-05-10T23:59:59Z");
  const auto codes = doc["warning_groups"];
  EXPECT_TRUE(std::any_of(codes.begin(), codes.end(), [](const json& group) {
    return group["code"] == "implausible_date" && group["count"] == 2;
  })) << codes.dump();
  // The same verdicts as without them.
  const auto without =
      run_cli({"check", "--format", "json", "--now", kTestdataNow, testdata("reports")});
  const auto with = run_cli({"check", "--format", "json", "--now", kTestdataNow,
                             testdata("reports"), testdata("hostile/year-9999.json")});
  EXPECT_EQ(json::parse(without.out)["domains"], json::parse(with.out)["domains"]);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// --days sets the per-day window, --stale-days how old the newest report may be.
TEST(Cli, DaysAndStaleDaysAreFlags) {
  const json narrow = json::parse(run_cli({"summary", "--format", "json", "--days", "3", "--now",
                                           kTestdataNow, testdata("reports")})
                                      .out);
  EXPECT_EQ(narrow["series"]["first_day"], "2026-05-10");
  EXPECT_EQ(narrow["days"].size(), 1u);  // 05-10 .. 05-12, reports up to 05-10
  const std::vector<std::string> late{"alerts", "--format",   "json",
                                      "--now",  "2026-05-15", testdata("reports")};
  EXPECT_EQ(json::parse(run_cli(late).out)["alerts"][0]["code"], "no_recent_reports");
  std::vector<std::string> patient = late;
  patient.insert(patient.begin() + 1, {"--stale-days", "7"});
  const json alerts = json::parse(run_cli(patient).out)["alerts"];
  EXPECT_TRUE(std::none_of(alerts.begin(), alerts.end(), [](const json& alert) {
    return alert["code"] == "no_recent_reports";
  })) << alerts.dump();
}

}  // namespace
}  // namespace tlsrpt
