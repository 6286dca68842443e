#include "tlsrpt/decode.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/gzip.hpp"

namespace tlsrpt {
namespace {

using testing::read_bytes;
using testing::testdata;

DecodeResult decode_fixture(const std::string& relative) {
  std::string bytes = read_bytes(testdata(relative));
  if (has_gzip_magic(bytes)) bytes = gunzip(bytes, 1 << 20);
  return decode_report(bytes);
}

// "where: message" of every warning, in order.
std::vector<std::string> warnings_of(const DecodeResult& result) {
  std::vector<std::string> list;
  for (const Diagnostic& warning : result.warnings) list.push_back(format_location(warning));
  return list;
}

std::string error_of(const std::string& relative) {
  try {
    decode_fixture(relative);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Decode, ReadsEveryFieldOfAGoogleReport) {
  const DecodeResult result =
      decode_fixture("reports/google.com!mail-example.net!1778198400!1778284799.json.gz");
  ASSERT_TRUE(result.is_report);
  EXPECT_TRUE(result.warnings.empty());
  const Report& report = result.report;
  EXPECT_EQ(report.organization_name, "Google Inc.");
  EXPECT_EQ(report.contact_info, "smtp-tls-reporting@google.com");
  EXPECT_EQ(report.report_id, "2026-05-08T00:00:00Z_mail-example.net");
  EXPECT_EQ(report.date_range.start, 1778198400);
  EXPECT_EQ(report.date_range.end, 1778198400 + 86399);
  ASSERT_EQ(report.policies.size(), 3u);
  EXPECT_EQ(report.policies[0].policy_type, PolicyType::no_policy_found);
  const Policy& sts = report.policies[2];
  EXPECT_EQ(sts.policy_type, PolicyType::sts);
  EXPECT_EQ(sts.policy_domain, "mail-example.net");
  EXPECT_EQ(sts.mx_host,
            (std::vector<std::string>{"mx1.mail-example.net", "*.backup.mail-example.net"}));
  ASSERT_TRUE(sts.sts);
  EXPECT_EQ(sts.sts->mode, StsMode::enforce);
  EXPECT_EQ(sts.total_successful_session_count, 1207u);
  EXPECT_EQ(sts.total_failure_session_count, 23u);
  ASSERT_EQ(sts.failure_details.size(), 2u);
  const FailureDetail& detail = sts.failure_details[0];
  EXPECT_EQ(detail.result_type, ResultType::certificate_host_mismatch);
  EXPECT_EQ(detail.sending_mta_ip, "209.85.220.41");
  EXPECT_EQ(detail.receiving_mx_hostname, "mx2.backup.mail-example.net");
  EXPECT_EQ(detail.receiving_ip, "198.51.100.22");
  EXPECT_EQ(detail.failed_session_count, 18u);
}

TEST(Decode, AcceptsMicrosoftZonelessDatesAndPackedTlsaRecords) {
  const DecodeResult result = decode_fixture("reports/microsoft-sts-tlsa.json.gz");
  EXPECT_EQ(warnings_of(result),
            (std::vector<std::string>{"date-range.start-datetime: date-time "
                                      "\"2026-05-08T00:00:00\" has no time zone; taken as UTC",
                                      "date-range.end-datetime: date-time \"2026-05-08T23:59:59\" "
                                      "has no time zone; taken as UTC",
                                      "policies[0].policy.policy-string: records packed as one "
                                      "JSON-encoded string; unpacked 2 records"}));
  EXPECT_EQ(result.report.date_range.start, 1778198400);
  const Policy& tlsa = result.report.policies[0];
  EXPECT_EQ(tlsa.policy_type, PolicyType::tlsa);
  ASSERT_EQ(tlsa.policy_string.size(), 2u);
  EXPECT_TRUE(tlsa.policy_string[1].starts_with("3 1 1 0C72AC70"));
  EXPECT_EQ(tlsa.failure_details[0].failure_reason_code, "MX_HOSTS_MISMATCH");
}

TEST(Decode, KeepsMailRuSummaryWhenDetailsAddUpToMore) {
  const DecodeResult result = decode_fixture("reports/mailru-nextday.json");
  EXPECT_EQ(
      warnings_of(result),
      (std::vector<std::string>{"policies[0].failure-details: failure-details add up to 2 failed "
                                "sessions but the summary's "
                                "total-failure-session-count is 1; the summary total is used"}));
  EXPECT_EQ(result.report.date_range.end - result.report.date_range.start, 86400);
  const Policy& policy = result.report.policies[0];
  EXPECT_TRUE(policy.policy_string.empty());
  EXPECT_FALSE(policy.sts);
  EXPECT_EQ(policy.total_failure_session_count, 1u);
  EXPECT_EQ(policy.failure_details[0].failure_reason_code,
            "Get \"https://mta-sts.mail-example.net/.well-known/mta-sts.txt\": context deadline "
            "exceeded");
}

TEST(Decode, ReadsRfcExampleShapeWithOldKeys) {
  const DecodeResult result = decode_fixture("reports/rfc-style.json");
  EXPECT_EQ(warnings_of(result),
            (std::vector<std::string>{
                "byte 0: 1 byte of whitespace before the JSON; ignored",
                "policies[0].policy.mx-host: expected an array of strings, got a single string",
                "policies[0].failure-details[2].failure-error-code: old key \"failure-error-code\" "
                "read as "
                "\"failure-reason-code\""}));
  const Policy& policy = result.report.policies[0];
  EXPECT_EQ(policy.mx_host, std::vector<std::string>{"*.mail.other-example.org"});
  EXPECT_EQ(policy.failure_details[2].failure_reason_code, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
  EXPECT_EQ(policy.failure_details[1].additional_information,
            "https://reports.company-x.example/report_info?id=9a8b#StarttlsNotSupported");
}

TEST(Decode, ReadsPostfixNoPolicyWithoutDomainOrContact) {
  const DecodeResult result = decode_fixture("reports/postfix-nopolicy.json");
  EXPECT_EQ(warnings_of(result), (std::vector<std::string>{"contact-info: null"}));
  const Policy& policy = result.report.policies[0];
  EXPECT_EQ(policy.policy_type, PolicyType::no_policy_found);
  EXPECT_EQ(policy.policy_domain, "");
  const FailureDetail& detail = policy.failure_details[0];
  EXPECT_EQ(detail.sending_mta_ip, "");
  EXPECT_EQ(detail.receiving_mx_helo,
            "250-mx3.mail-example.net\r\n250-PIPELINING\r\n250 \x1b[31mSIZE 10240000");
}

TEST(Decode, AcceptsCountsAsStringsAndFloatsAndOldMxKey) {
  const DecodeResult result = decode_fixture("reports/yahoo-weekly-quirks.json");
  EXPECT_EQ(
      warnings_of(result),
      (std::vector<std::string>{
          "policies[0].policy.mx-host-pattern: old key \"mx-host-pattern\" read as \"mx-host\"",
          "policies[0].policy.mx-host-pattern: entry \"mx: mx1.mail-example.net\" carries an "
          "\"mx:\" "
          "prefix; removed",
          "policies[0].summary.total-successful-session-count: count written as the string "
          "\"2400\"",
          "policies[0].summary.total-failure-session-count: count written as 7.0; taken as an "
          "integer",
          "policies[0].failure-details[0].failed-session-count: count written as the string \"4\"",
          "policies[0].failure-details[0].additional-info-uri: old key \"additional-info-uri\" "
          "read as "
          "\"additional-information\"",
          "policies[0].failure-details[1].result-type: result-type \"tls-version-too-old\" is not "
          "in the "
          "IANA registry; kept as is"}));
  const Policy& policy = result.report.policies[0];
  EXPECT_EQ(policy.total_successful_session_count, 2400u);
  EXPECT_EQ(policy.total_failure_session_count, 7u);
  EXPECT_EQ(policy.mx_host, std::vector<std::string>{"mx1.mail-example.net"});
  EXPECT_EQ(policy.sts->mode, StsMode::enforce);
  EXPECT_EQ(policy.failure_details[0].result_type, ResultType::mx_mismatch);
  EXPECT_EQ(policy.failure_details[1].result_type, ResultType::unknown);
  EXPECT_EQ(policy.failure_details[1].result_type_text, "tls-version-too-old");
  EXPECT_EQ(result.report.date_range.end - result.report.date_range.start, 7 * 86400 - 1);
}

TEST(Decode, IgnoresBomAndNulPadding) {
  const DecodeResult result = decode_fixture("reports/apple-report");
  EXPECT_EQ(warnings_of(result),
            (std::vector<std::string>{"byte 0: starts with a UTF-8 byte-order mark; ignored",
                                      "byte 607: 4 NUL bytes after the JSON; ignored"}));
  EXPECT_EQ(result.report.policies[0].total_successful_session_count, 812u);
}

TEST(Decode, WarnsAboutUnknownKeysAndEmptyPolicies) {
  const DecodeResult result = decode_report(
      R"({"organization-name":"X","date-range":{"start-datetime":"2026-01-01T00:00:00Z",)"
      R"("end-datetime":"2026-01-01T23:59:59Z"},"contact-info":"a@x","report-id":"1","policies":[],"extra":1})");
  EXPECT_EQ(warnings_of(result),
            (std::vector<std::string>{"extra: unknown key \"extra\" ignored",
                                      "policies: empty: the report counts no sessions"}));
}

TEST(Decode, SaysWhenJsonIsNotATlsReport) {
  EXPECT_EQ(decode_fixture("other/dmarc-aggregate.json").not_report_reason,
            "a DMARC aggregate report in JSON, not a TLS report");
  EXPECT_EQ(decode_fixture("other/array.json").not_report_reason,
            "JSON array, not a TLS report (an object)");
  const DecodeResult other = decode_report(R"({"name":"package.json"})");
  EXPECT_FALSE(other.is_report);
  EXPECT_EQ(other.not_report_reason,
            "JSON object without TLS-RPT keys (policies, date-range), not a TLS report");
}

TEST(Decode, NamesJsonPathOrByteOfEveryDefect) {
  EXPECT_EQ(error_of("bad/invalid-json.json"),
            "byte 242: invalid JSON: ',' where a value should be");
  EXPECT_EQ(error_of("bad/negative-count.json"),
            "policies[0].summary.total-successful-session-count: negative count -812");
  EXPECT_EQ(error_of("bad/fractional-count.json"),
            "policies[0].summary.total-successful-session-count: expected a non-negative integer "
            "count, got 8.5");
  EXPECT_EQ(
      error_of("bad/absurd-count.json"),
      "policies[0].summary.total-successful-session-count: count 1e+23 is absurdly "
      "large (over 9007199254740992)");
  EXPECT_EQ(
      error_of("bad/word-count.json"),
      "policies[0].summary.total-failure-session-count: expected a non-negative integer count, got "
      "the string \"many\"");
  EXPECT_EQ(error_of("bad/missing-summary.json"),
            "policies[0].summary: missing; without it the policy's sessions cannot be counted");
  EXPECT_EQ(
      error_of("bad/bad-date.json"),
      "date-range.start-datetime: expected an RFC 3339 date-time, got the string \"April fools\"");
  EXPECT_EQ(error_of("bad/end-before-start.json"),
            "date-range: end-datetime is before start-datetime");
  EXPECT_EQ(error_of("bad/policies-not-array.json"),
            "policies: expected an array, got the string \"none\"");
  EXPECT_EQ(error_of("bad/policy-not-object.json"),
            "policies[0]: expected an object, got the number 42");
  EXPECT_EQ(error_of("bad/details-not-array.json"),
            "policies[0].failure-details: expected an array, got an object");
  EXPECT_EQ(error_of("bad/trailing-garbage.json"),
            "byte 604: invalid JSON: '}' after the end of the JSON value");
  EXPECT_EQ(error_of("bad/deep-nesting.json"), "byte 75: JSON nested deeper than 64 levels");
}

TEST(Decode, RejectsCountAboveTwoToThe53) {
  try {
    decode_report(
        R"({"organization-name":"X","date-range":{"start-datetime":"2026-01-01T00:00:00Z",)"
        R"("end-datetime":"2026-01-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts"},)"
        R"("summary":{"total-successful-session-count":18446744073709551615,"total-failure-session-count":0}}]})");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(
        error.what(),
        "policies[0].summary.total-successful-session-count: count 18446744073709551615 is "
        "absurdly large (over 9007199254740992)");
  }
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

TEST(Decode, KeepsInvalidUtf8AsEscapedTextAndWarnsOfDuplicateKeys) {
  const DecodeResult result = decode_fixture("hostile/invalid-utf8-duplicate-key.json");
  EXPECT_EQ(result.report.organization_name, "Apple \\xFF\\xFE Inc.");
  EXPECT_EQ(warnings_of(result),
            (std::vector<std::string>{
                "byte 61: 2 bytes that are not UTF-8, kept as \\xNN text",
                "key \"organization-name\" appears twice in one object; the last value is used"}));
}

TEST(Decode, NamesTheOffsetOfARawNulByte) {
  EXPECT_TRUE(error_of("hostile/nul-byte.json")
                  .starts_with("byte 27: invalid JSON: the control character \\x00 inside a "
                               "string (it must be escaped)"))
      << error_of("hostile/nul-byte.json");
}

TEST(Decode, RejectsAHugeInteger) {
  EXPECT_EQ(error_of("hostile/huge-integer.json"),
            "policies[0].summary.total-successful-session-count: count 1.2345678901234568e+29 is "
            "absurdly large "
            "(over 9007199254740992)");
}

TEST(Decode, KeepsControlCharactersInStringsForTheRendererToEscape) {
  const DecodeResult result = decode_fixture("hostile/escape-sequences.json");
  EXPECT_EQ(result.report.organization_name, "Apple\x1b]0;pwned\x07 \x1b[2J Inc.\r\n");
  EXPECT_EQ(result.report.policies[0].failure_details[0].receiving_mx_hostname,
            std::string("mx1.mail-example.net\0", 21));
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Every input a fuzzer once crashed on (testdata/fuzz/decode/crash-*) now decodes or is rejected
// with an InputError.
TEST(Decode, SurvivesEveryFuzzerCrasher) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(testdata("fuzz/decode"))) {
    if (!entry.path().filename().string().starts_with("crash-")) continue;
    ++count;
    try {
      decode_report(read_bytes(entry.path().string()));
    } catch (const InputError&) {
    }
  }
  EXPECT_GE(count, 2);
  EXPECT_EQ(error_of("fuzz/decode/crash-number-overflow-in-report.json"),
            "byte 116: invalid JSON: a number too large for a double");
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// "-0" is zero written oddly, not a negative count: taken as 0 with a warning.
TEST(Decode, TakesMinusZeroAsZero) {
  for (const char* zero : {"-0", "-0.0"}) {
    const std::string text =
        std::string(R"({"organization-name":"Z","date-range":{"start-datetime":)") +
        R"("2026-05-08T00:00:00Z","end-datetime":"2026-05-08T23:59:59Z"},)" +
        R"("report-id":"z","policies":[{"policy":{"policy-type":"sts",)" +
        R"("policy-domain":"example.com"},"summary":{)" +
        R"("total-successful-session-count":5,"total-failure-session-count":)" + zero + "}}]}";
    const DecodeResult result = decode_report(text);
    ASSERT_TRUE(result.is_report) << zero;
    EXPECT_EQ(result.report.policies[0].total_failure_session_count, 0u) << zero;
    EXPECT_TRUE(std::any_of(result.warnings.begin(), result.warnings.end(),
                            [](const Diagnostic& d) { return d.code == "count_negative_zero"; }))
        << zero;
  }
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Error offsets are the file's bytes, also after invalid UTF-8 was rewritten as \xNN text: ten
// 0xFF bytes and a stray comma at byte 50 is an error at byte 50 (it said 90).
TEST(Decode, ErrorOffsetsAreTheFilesBytesAfterInvalidUtf8) {
  const std::string text =
      " {\"organization-name\":\"" + std::string(10, '\xFF') + "\",\"report-id\":\"x\",,\"a\":1}";
  ASSERT_EQ(text.find(",,") + 1, 51u);  // the second comma; the first space is skipped
  try {
    decode_report(text);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "byte 51");
  }
}

}  // namespace
}  // namespace tlsrpt
