#include "tlsrpt/mbox.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace tlsrpt {
namespace {

std::vector<MboxMessage> split(const std::string& text, std::uint64_t limit = 1 << 20) {
  std::istringstream in(text);
  MboxReader reader(in, limit);
  std::vector<MboxMessage> messages;
  MboxMessage message;
  while (reader.next(message)) messages.push_back(message);
  return messages;
}

TEST(Mbox, SplitsOnFromLinesAfterABlankLine) {
  const auto messages = split(
      "From a@b Sat May 10 00:00:00 2026\nSubject: one\n\nbody\nFrom inside a paragraph\n\n"
      "From c@d Sat May 10 01:00:00 2026\nSubject: two\n\nx\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].index, 1u);
  EXPECT_EQ(messages[0].offset, 0u);
  EXPECT_EQ(messages[0].text, "Subject: one\n\nbody\nFrom inside a paragraph\n\n");
  EXPECT_EQ(messages[1].index, 2u);
  EXPECT_EQ(messages[1].offset, 78u);
  EXPECT_EQ(messages[1].text, "Subject: two\n\nx\n");
}

TEST(Mbox, TakesTheLargestLimitWithoutWrappingAround) {
  const std::string text = "From a@b x\nS: 1\n\nbody\n\nFrom c@d y\nS: 2\n\nx\n";
  const auto messages = split(text, UINT64_MAX);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].text, "S: 1\n\nbody\n\n");
  EXPECT_EQ(messages[1].text, "S: 2\n\nx\n");
  EXPECT_FALSE(messages[0].oversized);
}

TEST(Mbox, UndoesFromQuoting) {
  const auto messages = split("From a@b x\nS: 1\n\n>From here\n>>From there\n> From not quoted\n");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "S: 1\n\nFrom here\n>From there\n> From not quoted\n");
}

TEST(Mbox, MarksAnOversizedMessageAndGoesOn) {
  const std::string big(5000, 'x');
  const auto messages =
      split("From a@b x\nS: 1\n\n" + big + "\n\nFrom c@d y\nS: 2\n\nsmall\n", 1000);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(messages[0].oversized);
  EXPECT_LE(messages[0].text.size(), 1000u);
  EXPECT_FALSE(messages[1].oversized);
  EXPECT_EQ(messages[1].text, "S: 2\n\nsmall\n");
}

TEST(Mbox, ReadsCrlfAndAMissingFinalNewline) {
  const auto messages =
      split("From a@b x\r\nS: 1\r\n\r\nbody\r\n\r\nFrom c@d y\r\nS: 2\r\n\r\nend");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].text, "S: 2\r\n\r\nend");
}

TEST(Mbox, SplitsTheTestMailbox) {
  const auto messages = split(testing::read_bytes(testing::testdata("mbox/postmaster.mbox")));
  EXPECT_EQ(messages.size(), 7u);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// An unquoted "From " line inside an open multipart body, not followed by a header line, stays in
// its message: the report attached after it is not lost. A real separator (a header line follows)
// still splits, even when a multipart never closed.
TEST(Mbox, KeepsAnUnquotedFromLineInsideAMultipartBody) {
  const std::string report = testing::read_bytes(testing::testdata("reports/rfc-style.json"));
  const std::string message =
      "From sender@example.com Sat May 10 00:00:00 2026\n"
      "From: reports@company-x.example\n"
      "Subject: Report Domain: other-example.org\n"
      "Content-Type: multipart/report;\n report-type=\"tlsrpt\"; boundary=\"b1\"\n\n"
      "--b1\nContent-Type: text/plain\n\nThis is a TLS report.\n\n"
      "From the sender's point of view, some sessions failed.\n\n"
      "--b1\nContent-Type: application/tlsrpt+json\n\n" +
      report + "\n--b1--\n\n";
  const std::string unclosed =
      "From a@b Sat May 10 02:00:00 2026\nSubject: cut\n"
      "Content-Type: multipart/mixed; boundary=zz\n\n--zz\n\ntext\n\n";
  const std::string last = "From c@d Sat May 10 03:00:00 2026\nSubject: last\n\nx\n";
  const auto messages = split(message + unclosed + last);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_NE(messages[0].text.find("From the sender's point of view"), std::string::npos);
  EXPECT_NE(messages[0].text.find("\"organization-name\""), std::string::npos);
  EXPECT_EQ(messages[0].unquoted_from_lines, 1u);
  EXPECT_TRUE(messages[1].text.starts_with("Subject: cut\n")) << messages[1].text;
  EXPECT_EQ(messages[2].text, "Subject: last\n\nx\n");
  EXPECT_EQ(messages[2].offset, (message + unclosed).size());
  // Through the whole pipeline: the report is counted, and nothing is an error.
  const std::string path = ::testing::TempDir() + "tlsrpt-from-in-body.mbox";
  std::ofstream(path, std::ios::binary) << message + unclosed + last;
  const auto run = testing::run_cli({"summary", "--format", "json", "--now", "2026-05-10", path});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["reports"], 1);
}

}  // namespace
}  // namespace tlsrpt
