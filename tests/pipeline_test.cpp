#include "tlsrpt/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/analyze.hpp"
#include <sys/stat.h>
#include <unistd.h>

namespace tlsrpt {
namespace {

using testing::testdata;

struct Collected {
  std::vector<std::string> reports;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> of(Severity severity) const {
    std::vector<std::string> lines;
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == severity) lines.push_back(testing::relative_paths(format_location(d)));
    }
    return lines;
  }
};

Collected run(const std::vector<std::string>& paths, const std::string& input = "") {
  Collected collected;
  std::istringstream in(input);
  run_pipeline(
      paths, Limits{}, in,
      PipelineSinks{
          [&](DecodedReport&& r) { collected.reports.push_back(testing::relative_paths(r.file)); },
          [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  return collected;
}

TEST(Pipeline, DecodesEveryValidReportNextToBrokenOnes) {
  const Collected collected = run({testdata("reports"), testdata("bad"), testdata("other")});
  EXPECT_EQ(
      collected.reports,
      (std::vector<std::string>{
          "testdata/reports/apple-report", "testdata/reports/concatenated-members.json.gz",
          "testdata/reports/duplicate-of-google.json",
          "testdata/reports/google.com!mail-example.net!1778198400!1778284799.json.gz",
          "testdata/reports/mailru-nextday.json", "testdata/reports/microsoft-sts-tlsa.json.gz",
          "testdata/reports/postfix-nopolicy.json", "testdata/reports/rfc-style.json",
          "testdata/reports/socketlabs-split.gz", "testdata/reports/yahoo-weekly-quirks.json"}));
  const std::vector<std::string> errors = collected.of(Severity::error);
  EXPECT_EQ(errors.size(), 20u);
  EXPECT_EQ(
      errors.front(),
      "testdata/bad/absurd-count.json: policies[0].summary.total-successful-session-count: count "
      "1e+23 is absurdly large (over 9007199254740992)");
  EXPECT_EQ(
      collected.of(Severity::note),
      (std::vector<std::string>{
          "testdata/other/array.json: JSON array, not a TLS report (an object)",
          "testdata/other/dmarc-aggregate.json: a DMARC aggregate report in JSON, not a TLS report",
          "testdata/other/empty.json: empty, not a TLS report",
          "testdata/other/notes.txt: neither JSON nor gzip, not a TLS report"}));
}

TEST(Pipeline, NamesFileAndPlaceOfEachError) {
  const Collected collected = run({testdata("bad/truncated.json.gz"), testdata("nope")});
  EXPECT_EQ(collected.of(Severity::error),
            (std::vector<std::string>{"testdata/bad/truncated.json.gz: byte 244: gzip: truncated "
                                      "data (the file ends before the end of the stream)",
                                      "testdata/nope: no such file or directory"}));
}

TEST(Pipeline, ReadsStandardInput) {
  const Collected collected =
      run({"-"}, testing::read_bytes(testdata("reports/microsoft-sts-tlsa.json.gz")));
  EXPECT_EQ(collected.reports, std::vector<std::string>{"-"});
}

TEST(Pipeline, AppliesTheInflateLimit) {
  Collected collected;
  std::istringstream in;
  Limits limits;
  limits.max_inflated_bytes = 100;
  run_pipeline(
      {testdata("reports/microsoft-sts-tlsa.json.gz")}, limits, in,
      PipelineSinks{[&](DecodedReport&&) { collected.reports.emplace_back("report"); },
                    [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  EXPECT_TRUE(collected.reports.empty());
  ASSERT_EQ(collected.of(Severity::error).size(), 1u);
  EXPECT_NE(collected.of(Severity::error)[0].find("gzip: inflates to more than 100 bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Pipeline, ReadsAMixedMailboxMessageByMessage) {
  const Collected collected = run({testdata("mbox/postmaster.mbox")});
  // google, microsoft, and google again (the duplicate is the tally's business).
  EXPECT_EQ(collected.reports.size(), 3u);
  EXPECT_EQ(collected.of(Severity::error),
            std::vector<std::string>{
                "testdata/mbox/postmaster.mbox: message 4 <000000000000a1b2c3@google.com>: part 2 "
                "(google.com!mail-example.net!1778284800!1778371199!001.json.gz): byte 362: gzip: "
                "truncated data "
                "(the file ends before the end of the stream)"});
  EXPECT_EQ(
      collected.of(Severity::note),
      (std::vector<std::string>{
          "testdata/mbox/postmaster.mbox: message 2 <dmarc-1234567890123456789@google.com>: part 1 "
          "(google.com!mail-example.net!1778284800!1778371199.zip): zip entry "
          "google.com!mail-example.net!1778284800!1778371199.xml: a DMARC aggregate report (XML), "
          "not a TLS report",
          "testdata/mbox/postmaster.mbox: message 3 <lunch@mail-example.net>: a message without a "
          "report "
          "attachment (text/plain), not a TLS report",
          "testdata/mbox/postmaster.mbox: message 7 <bounce-1@mx.mail-example.net>: a delivery "
          "status "
          "notification (bounce), not a TLS report"}));
}

TEST(Pipeline, KeepsProvenanceOfMailboxReports) {
  std::vector<DecodedReport> reports;
  std::istringstream in;
  run_pipeline({testdata("mbox/postmaster.mbox")}, Limits{}, in,
               PipelineSinks{[&](DecodedReport&& r) { reports.push_back(std::move(r)); },
                             [](Diagnostic&&) {}});
  ASSERT_EQ(reports.size(), 3u);
  const Provenance& microsoft = reports[1].provenance;
  EXPECT_EQ(testing::relative_paths(microsoft.mailbox), "testdata/mbox/postmaster.mbox");
  EXPECT_EQ(microsoft.message_index, 5u);
  EXPECT_EQ(microsoft.message_id, "<134228729600000000+mail-example.net@mail-example.net>");
  EXPECT_EQ(microsoft.part, "2");
  EXPECT_EQ(microsoft.dkim, DkimVerdict::pass);
  ASSERT_TRUE(microsoft.filename_parts);
  EXPECT_EQ(microsoft.filename_parts->submitter, "microsoft.com");
  EXPECT_EQ(reports[1].report.organization_name, "Microsoft Corporation");
  EXPECT_EQ(reports[1].where,
            "message 5 <134228729600000000+mail-example.net@mail-example.net>: part 2 "
            "(microsoft.com!mail-example.net!1778284800!1778371199!134228729600000000.json.gz)");
}

TEST(Pipeline, WalksAMaildirSkippingTmpAndServerFiles) {
  const Collected collected = run({testdata("mail/Maildir")});
  EXPECT_EQ(collected.reports,
            (std::vector<std::string>{"testdata/mail/Maildir/.Reports/cur/1778547600.M3P1.host:2,S",
                                      "testdata/mail/Maildir/new/1778461200.M1P1.host"}));
  EXPECT_EQ(collected.of(Severity::note),
            std::vector<std::string>{
                "testdata/mail/Maildir/cur/1778374800.M2P1.host:2,S: a message without a report "
                "attachment (text/plain), not a TLS report"});
  EXPECT_TRUE(collected.of(Severity::error).empty());
}

TEST(Pipeline, ReadsEveryMimeShapeInTheMailFixtures) {
  const Collected collected = run({testdata("mail")});
  EXPECT_EQ(collected.reports,
            (std::vector<std::string>{
                "testdata/mail/Maildir/.Reports/cur/1778547600.M3P1.host:2,S",
                "testdata/mail/Maildir/new/1778461200.M1P1.host", "testdata/mail/google-report.eml",
                "testdata/mail/microsoft-report.eml", "testdata/mail/nested-mixed-octet-stream.eml",
                "testdata/mail/raw-json-no-closing-boundary.eml",
                "testdata/mail/two-attachments.eml", "testdata/mail/two-attachments.eml",
                "testdata/mail/whole-body-qp.eml", "testdata/mail/zip-attachment.eml"}));
  EXPECT_TRUE(collected.of(Severity::error).empty());
}

TEST(Pipeline, NamesTheMimePartOfABrokenAttachment) {
  const Collected collected =
      run({testdata("bad/mail-bad-base64.eml"), testdata("bad/mail-nested-1000-deep.eml")});
  EXPECT_EQ(collected.of(Severity::error),
            (std::vector<std::string>{"testdata/bad/mail-bad-base64.eml: part 1 (r.json.gz): byte "
                                      "12: base64: invalid character 0x21",
                                      "testdata/bad/mail-nested-1000-deep.eml: part "
                                      "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1: multiparts nested "
                                      "deeper than 16 levels"}));
}

TEST(Pipeline, ReportsAnOversizedMailboxMessageAndReadsTheRest) {
  Collected collected;
  std::istringstream in;
  Limits limits;
  limits.max_file_bytes = 1200;  // the report messages are larger, the other mail smaller
  run_pipeline(
      {testdata("mbox/postmaster.mbox")}, limits, in,
      PipelineSinks{[&](DecodedReport&& r) { collected.reports.push_back(r.file); },
                    [&](Diagnostic&& d) { collected.diagnostics.push_back(std::move(d)); }});
  const auto errors = collected.of(Severity::error);
  ASSERT_EQ(errors.size(), 4u);  // the four report messages
  EXPECT_EQ(errors[0],
            "testdata/mbox/postmaster.mbox: message 1: byte 0: message larger than 1200 bytes (the "
            "limit; raise it "
            "with --max-file-size if the message is genuine)");
  EXPECT_EQ(collected.of(Severity::note).size(),
            3u);  // the DMARC, ordinary and bounce mail are still read
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-pipeline-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(Pipeline, ReadsFilesWithSpacesNewlinesAndNonUtf8InTheirNames) {
  const fs::path dir = fresh_dir("names");
  const std::string report = testing::read_bytes(testdata("reports/rfc-style.json"));
  for (const std::string name : {"with space.json", "with\nnewline.json", "latin1-\xe9.json"}) {
    std::ofstream(dir / name) << report;
  }
  std::ofstream(dir / "broken\nname.json.gz") << "\x1f\x8b\x08";
  std::vector<std::string> reports;
  std::vector<Diagnostic> errors;
  std::istringstream in;
  run_pipeline({dir.string()}, Limits{}, in,
               PipelineSinks{[&](DecodedReport&& r) { reports.push_back(r.file); },
                             [&](Diagnostic&& d) {
                               if (d.severity == Severity::error) errors.push_back(std::move(d));
                             }});
  EXPECT_EQ(reports.size(), 3u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, (dir / "broken\nname.json.gz").string());
  // The JSON stays valid whatever bytes the names hold.
  const auto run = testing::run_cli({"summary", "--format", "json", dir.string()});
  EXPECT_TRUE(nlohmann::json::accept(run.out));
  EXPECT_EQ(nlohmann::json::parse(run.out)["reports"], 1);  // the three are one report (duplicates)
  EXPECT_NE(run.err.find("broken\\nname.json.gz"), std::string::npos) << run.err;
}

TEST(Pipeline, RefusesAHundredMegabyteLineAndReadsTheNextFile) {
  const fs::path dir = fresh_dir("long-line");
  {
    std::ofstream big(dir / "a-long-line.json", std::ios::binary);
    big << "{\"organization-name\":\"";
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) big << chunk;
    big << "\"}";
  }
  {
    std::ofstream mbox(dir / "b-long-line.mbox", std::ios::binary);
    mbox << "From a@b Sat May 10 00:00:00 2026\nSubject: long\n\n";
    const std::string chunk(1 << 20, 'y');
    for (int i = 0; i < 100; ++i) mbox << chunk;
    mbox << "\n";
  }
  fs::copy_file(testdata("reports/rfc-style.json"), dir / "c-good.json");
  Collected collected = run({dir.string()});
  EXPECT_EQ(collected.reports.size(), 1u);
  const auto errors = collected.of(Severity::error);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_TRUE(errors[0].ends_with(
      "a-long-line.json: file is 104857624 bytes, larger than the limit of 67108864 bytes "
      "(raise it with --max-file-size if the input is genuine)"))
      << errors[0];
  EXPECT_TRUE(errors[1].ends_with(
      "b-long-line.mbox: message 1: byte 0: message larger than 67108864 bytes (the limit; "
      "raise it with --max-file-size if the message is genuine)"))
      << errors[1];
  fs::remove_all(dir);
}

TEST(Pipeline, ReportsAnUnreadableFileAndGoesOn) {
  if (geteuid() == 0)
    GTEST_SKIP() << "root reads files whatever their mode; run as a user to exercise this";
  const fs::path dir = fresh_dir("unreadable");
  fs::copy_file(testdata("reports/rfc-style.json"), dir / "a.json");
  fs::copy_file(testdata("reports/rfc-style.json"), dir / "b.json");
  fs::permissions(dir / "a.json", fs::perms::none);
  const Collected collected = run({dir.string()});
  EXPECT_EQ(collected.reports.size(), 1u);
  EXPECT_EQ(collected.of(Severity::error).size(), 1u);
}

TEST(Pipeline, NothingIsLostInAMixOfGoodAndHostileInputs) {
  const Collected collected =
      run({testdata("hostile"), testdata("reports"), testdata("bad"), testdata("mbox")});
  // 10 good files, 3 good mailbox reports, and the six hostile reports that are still reports
  // (two with escapes, one with NULs in its strings, two with implausible years, one with markup).
  EXPECT_EQ(collected.reports.size(), 19u);
  // 20 bad/ files, the NUL byte, the huge integer, the broken mailbox report.
  EXPECT_EQ(collected.of(Severity::error).size(), 23u);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Every event the pipeline gives, in order, as one line each.
std::vector<std::string> pipeline_events(const std::vector<std::string>& paths, unsigned jobs) {
  std::vector<std::string> list;
  std::istringstream in;
  run_pipeline(
      paths, Limits{}, in,
      PipelineSinks{[&](DecodedReport&& r) { list.push_back("report " + r.file + " " + r.where); },
                    [&](Diagnostic&& d) { list.push_back(format_location(d)); },
                    [&](const std::string& file) { list.push_back("file " + file); }},
      jobs);
  return list;
}

TEST(Pipeline, GivesTheSameEventsInTheSameOrderWhateverTheJobs) {
  const std::vector<std::string> paths{testdata("reports"), testdata("mail"),    testdata("bad"),
                                       testdata("mbox"),    testdata("hostile"), testdata("nope")};
  const auto events = [&](unsigned jobs) { return pipeline_events(paths, jobs); };
  const std::vector<std::string> one = events(1);
  EXPECT_GT(one.size(), 60u);
  EXPECT_EQ(events(2), one);
  EXPECT_EQ(events(7), one);
}

// Results held past the in-flight budget (16 MiB) are dropped by the worker and decoded again on
// the calling thread in their turn: 48 reports of about 1 MB each, as files and as one mbox of
// messages, give the same events in the same order with one job and with several.
TEST(Pipeline, ResultsPastTheInFlightBudgetAreRedoneInOrder) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-budget-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "files");
  std::ofstream mbox(dir / "all.mbox", std::ios::binary);
  for (int i = 0; i < 48; ++i) {
    std::string details;
    for (int d = 0; d < 4000; ++d) {
      details += fmt::format(R"({{"result-type":"validation-failure","failed-session-count":1,)"
                             R"("receiving-mx-hostname":"mx{}.example.com","additional-information":"{}"}},)",
                             d, std::string(200, 'x'));
    }
    details.pop_back();
    const std::string report = fmt::format(
        R"({{"organization-name":"Big","date-range":{{"start-datetime":"2026-05-{:02}T00:00:00Z",)"
        R"("end-datetime":"2026-05-{:02}T23:59:59Z"}},"contact-info":"x@big.example",)"
        R"("report-id":"r{}","policies":[{{"policy":{{"policy-type":"sts","policy-domain":)"
        R"("example.com"}},"summary":{{"total-successful-session-count":1,)"
        R"("total-failure-session-count":4000}},"failure-details":[{}]}}]}})",
        1 + i % 28, 1 + i % 28, i, details);
    std::ofstream(dir / "files" / fmt::format("r{:02}.json", i)) << report;
    mbox << "From big@example Sat May  9 00:00:00 2026\nContent-Type: application/json\n\n"
         << report << "\n\n";
  }
  mbox.close();
  for (const std::string& path : {(dir / "files").string(), (dir / "all.mbox").string()}) {
    const std::vector<std::string> one = pipeline_events({path}, 1);
    EXPECT_GE(one.size(), 48u) << path;
    EXPECT_EQ(pipeline_events({path}, 4), one) << path;
  }
  fs::remove_all(dir);
}

// A FIFO named on the command line is read like a file, whatever it holds; an mbox in one cannot be
// opened again to be streamed, so it is read whole.
TEST(Pipeline, ReadsReportsAndMailboxesFromAFifo) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-fifo-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const unsigned jobs : {1u, 2u}) {
    for (const std::string fixture : {"reports/rfc-style.json", "mbox/postmaster.mbox"}) {
      const fs::path fifo = dir / "in";
      ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
      const std::string bytes = testing::read_bytes(testdata(fixture));
      std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
      const std::vector<std::string> events = pipeline_events({fifo.string()}, jobs);
      writer.join();
      const std::vector<std::string> from_file = pipeline_events({testdata(fixture)}, jobs);
      ASSERT_EQ(events.size(), from_file.size()) << fixture;
      const auto reports = [](const std::vector<std::string>& list) {
        return std::count_if(list.begin(), list.end(),
                             [](const std::string& e) { return e.starts_with("report "); });
      };
      EXPECT_EQ(reports(events), reports(from_file)) << fixture;
      EXPECT_GT(reports(events), 0) << fixture;
      fs::remove(fifo);
    }
  }
  fs::remove_all(dir);
}

// Work goes to the threads in batches of 32 files or messages: runs longer than a batch, an mbox
// between files, and errors in between keep their order too.
TEST(Pipeline, KeepsTheOrderAcrossBatchesOfFilesAndMessages) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-batches-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string report = testing::read_bytes(testdata("reports/rfc-style.json"));
  const std::string mbox = testing::read_bytes(testdata("mbox/postmaster.mbox"));
  for (int i = 0; i < 75; ++i) {
    std::ofstream(dir / fmt::format("a{:03}.json", i)) << (i % 10 == 3 ? "{broken" : report);
  }
  std::ofstream big(dir / "b.mbox");
  for (int i = 0; i < 15; ++i) big << mbox;  // 105 messages
  big.close();
  for (int i = 0; i < 40; ++i) std::ofstream(dir / fmt::format("c{:03}.json", i)) << report;
  const auto events = [&](unsigned jobs) { return pipeline_events({dir.string()}, jobs); };
  const std::vector<std::string> one = events(1);
  EXPECT_GT(one.size(), 75u + 105u + 40u);
  EXPECT_EQ(events(2), one);
  EXPECT_EQ(events(3), one);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tlsrpt
