#include "tlsrpt/mime.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/error.hpp"

namespace tlsrpt {
namespace {

using testing::read_bytes;
using testing::testdata;

TEST(Mime, UnfoldsHeadersAndFindsTheBody) {
  std::size_t body = 0;
  const Headers headers =
      parse_headers("Subject: Report Domain: a\r\n    Submitter: b\r\nX: 1\r\n\r\nbody", body);
  EXPECT_EQ(headers.get("subject"), "Report Domain: a Submitter: b");
  EXPECT_EQ(headers.get("X"), "1");
  EXPECT_EQ(headers.get("Missing"), "");
  EXPECT_EQ(body, 53u);
}

TEST(Mime, KeepsHeaderFieldsInOrderAndUnfoldsTheLast) {
  Headers headers;
  headers.continue_last("nothing to continue");  // ignored: no field yet
  headers.add("Received", "from a");
  headers.add("DKIM-Signature", "v=1;");
  headers.continue_last("b=abc");
  headers.add("received", "from b");
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers.name(1), "DKIM-Signature");
  EXPECT_EQ(headers.value(1), "v=1; b=abc");
  EXPECT_EQ(headers.get("dkim-signature"), "v=1; b=abc");
  EXPECT_EQ(headers.all("RECEIVED"), (std::vector<std::string_view>{"from a", "from b"}));
  const Headers copy = headers;  // views into the copy's own buffer
  headers.add("X", std::string(5000, 'x'));
  EXPECT_EQ(copy.get("Received"), "from a");
  EXPECT_EQ(copy.size(), 3u);
}

TEST(Mime, ParsesContentTypeWithQuotedUnquotedAndTrailingSpace) {
  const ContentType type =
      parse_content_type("Multipart/Report; report-type=tlsrpt;\tboundary=\"a b;c\"");
  EXPECT_EQ(type.mime_type(), "multipart/report");
  EXPECT_EQ(type.params.at("report-type"), "tlsrpt");
  EXPECT_EQ(type.params.at("boundary"), "a b;c");
  const ContentType spaced = parse_content_type("application/tlsrpt+gzip;  name=\"x.json.gz\"");
  EXPECT_EQ(spaced.params.at("name"), "x.json.gz");
  EXPECT_EQ(parse_content_type("").mime_type(), "text/plain");
  EXPECT_EQ(parse_content_type("garbage").mime_type(), "text/plain");
}

TEST(Mime, ReadsQuotedPairsInParameters) {
  EXPECT_EQ(parse_parameters(R"(attachment; filename="a\"b\\c.json"; size=12)").at("filename"),
            R"(a"b\c.json)");
  EXPECT_EQ(parse_parameters(R"(attachment; filename="report.json)").at("filename"), "report.json");
  // A backslash with nothing after it is kept as it is.
  EXPECT_EQ(parse_parameters(R"(attachment; filename="report\)").at("filename"), R"(report\)");
}

TEST(Mime, DecodesRfc2231Parameters) {
  EXPECT_EQ(parse_parameters("attachment; filename*=utf-8''a%21b%21c.json.gz").at("filename"),
            "a!b!c.json.gz");
  EXPECT_EQ(parse_parameters("attachment; filename*0*=iso-8859-1''caf%E9; filename*1=\".json\"")
                .at("filename"),
            "caf\xC3\xA9.json");
}

TEST(Mime, DecodesRfc2047EncodedWords) {
  EXPECT_EQ(decode_encoded_words("=?UTF-8?B?UmVwb3J0IERvbWFpbjogYQ==?= =?UTF-8?Q?_Submitter:_b?="),
            "Report Domain: a Submitter: b");
  EXPECT_EQ(decode_encoded_words("Hello =?iso-8859-1?q?caf=E9?= bar"), "Hello caf\xC3\xA9 bar");
  EXPECT_EQ(decode_encoded_words("=?broken"), "=?broken");
}

TEST(Mime, DecodesBase64WithOddLineBreaksAndNoPadding) {
  EXPECT_EQ(decode_base64("aGVs\r\nbG8g d29y\nbGQ"), "hello world");
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  try {
    decode_base64("aGVs!bG8=");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "byte 4: base64: invalid character 0x21");
  }
}

TEST(Mime, DecodesQuotedPrintable) {
  EXPECT_EQ(decode_quoted_printable("a=3Db=\r\nc=E2=80=93 d=\n"), "a=bc\xE2\x80\x93 d");
  EXPECT_EQ(decode_quoted_printable("50% =XY"), "50% =XY");
}

TEST(Mime, WalksNestedMultipartsInOrder) {
  const Message message = parse_message(read_bytes(testdata("mail/nested-mixed-octet-stream.eml")));
  ASSERT_EQ(message.leaves.size(), 3u);
  EXPECT_EQ(message.leaves[0].number, "1.1");
  EXPECT_EQ(message.leaves[0].content_type.mime_type(), "text/plain");
  EXPECT_EQ(message.leaves[1].number, "1.2");
  EXPECT_EQ(message.leaves[2].number, "2");
  EXPECT_EQ(message.leaves[2].filename, "report.json.gz");
  EXPECT_TRUE(message.leaves[2].body.starts_with("\x1f\x8b"));
}

TEST(Mime, TakesTheLastPartToTheEndWithoutClosingBoundary) {
  const Message message =
      parse_message(read_bytes(testdata("mail/raw-json-no-closing-boundary.eml")));
  ASSERT_EQ(message.leaves.size(), 2u);
  EXPECT_EQ(message.leaves[1].content_type.mime_type(), "application/tlsrpt");
  EXPECT_EQ(message.leaves[1].filename,
            "company-y.example!mail-example.net!1778284800!1778371199.json");
  EXPECT_TRUE(message.leaves[1].body.starts_with("{\r\n    \"organization-name\": \"Company-Y\""));
}

TEST(Mime, ReadsASinglePartBody) {
  const Message message = parse_message(read_bytes(testdata("mail/whole-body-qp.eml")));
  ASSERT_EQ(message.leaves.size(), 1u);
  EXPECT_EQ(message.leaves[0].number, "1");
  EXPECT_TRUE(message.leaves[0].body.starts_with("{\n \"organization-name\": \"Json Sender\""));
}

TEST(Mime, KeepsABadPartsErrorInsteadOfFailingTheMessage) {
  const Message message = parse_message(read_bytes(testdata("bad/mail-bad-base64.eml")));
  ASSERT_EQ(message.leaves.size(), 1u);
  EXPECT_EQ(message.leaves[0].decode_error, "byte 12: base64: invalid character 0x21");
}

TEST(Mime, RefusesMultipartsNestedTooDeep) {
  try {
    parse_message(read_bytes(testdata("bad/mail-nested-1000-deep.eml")));
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "part 1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1: multiparts nested deeper than 16 levels");
  }
}

TEST(Mime, RecognisesMessages) {
  EXPECT_TRUE(looks_like_message("Return-Path: <a@b>\n"));
  EXPECT_TRUE(looks_like_message("X-Mozilla-Status: 0001\r\n"));
  EXPECT_TRUE(looks_like_message("From a@b Sat May 10 00:00:00 2026\nSubject: x\n"));
  EXPECT_FALSE(looks_like_message("These are the operator notes: none\n"));
  EXPECT_FALSE(looks_like_message("{\"a\": 1}"));
}

}  // namespace
}  // namespace tlsrpt
