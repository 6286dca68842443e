// The DNS records of the live check parsed as senders parse them (RFC 8460 §3, RFC 8461 §3.1),
// and --connect-to entries.
#include <gtest/gtest.h>

#include "tlsrpt/live.hpp"

namespace tlsrpt {
namespace {

TEST(TlsrptRecord, RuaListExtensionsAndSpaces) {
  const TlsrptRecord record = parse_tlsrpt_record(
      "v=TLSRPTv1 ; rua=mailto:a@example.com, https://r.example.com/tlsrpt ;ext=1;");
  EXPECT_TRUE(record.problems.empty());
  EXPECT_EQ(record.rua,
            (std::vector<std::string>{"mailto:a@example.com", "https://r.example.com/tlsrpt"}));
  ASSERT_EQ(record.extensions.size(), 1u);
  EXPECT_EQ(record.extensions[0].first, "ext");
}

TEST(TlsrptRecord, ProblemsSayWhy) {
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1;").problems.empty());  // no rua
  const TlsrptRecord bad = parse_tlsrpt_record("v=TLSRPTv1; rua=ftp://x,mailto:");
  EXPECT_EQ(bad.problems.size(), 2u);
  EXPECT_TRUE(bad.rua.empty());
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv2; rua=mailto:a@b").problems.empty());
  EXPECT_FALSE(parse_tlsrpt_record("v=TLSRPTv1; rua=mailto:a@b; junk").problems.empty());
}

TEST(StsRecord, IdIsOneToThirtyTwoAlphanumerics) {
  EXPECT_EQ(parse_sts_record("v=STSv1; id=20160831085700Z;").id, "20160831085700Z");
  EXPECT_TRUE(parse_sts_record("v=STSv1 ;id=abc").problems.empty());  // errata 6285 spaces
  EXPECT_TRUE(parse_sts_record("v=STSv1; id=" + std::string(32, 'a')).problems.empty());
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=" + std::string(33, 'a')).problems.empty());
  EXPECT_FALSE(parse_sts_record("v=STSv1; id=a-b").problems.empty());
  EXPECT_FALSE(parse_sts_record("v=STSv1;").problems.empty());
  EXPECT_TRUE(parse_sts_record("v=STSv1; id=x; other=ignored").problems.empty());
}

TEST(ConnectTo, MatchesHostAndPortAsCurlDoes) {
  const std::vector<std::string> entries{"mx.example:25:127.0.0.1:2525", ":443:[::1]:8443"};
  auto target = connect_to_target(entries, "MX.example", 25);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->first, "127.0.0.1");
  EXPECT_EQ(target->second, 2525);
  EXPECT_FALSE(connect_to_target(entries, "mx.example", 26));
  EXPECT_FALSE(connect_to_target(entries, "other.example", 25));
  target = connect_to_target(entries, "mta-sts.example", 443);  // empty host: any host
  ASSERT_TRUE(target);
  EXPECT_EQ(target->first, "::1");
  EXPECT_FALSE(connect_to_target({"garbage"}, "x", 25));
}

TEST(Tlsa, OnlyDaneTaAndDaneEeAreUsableForSmtp) {
  EXPECT_TRUE(tlsa_usable({3, 1, 1, "x"}));
  EXPECT_TRUE(tlsa_usable({2, 0, 2, "x"}));
  EXPECT_FALSE(tlsa_usable({1, 1, 1, "x"}));  // PKIX-EE: unusable (RFC 7672 §3.1.3)
  EXPECT_FALSE(tlsa_usable({0, 1, 1, "x"}));
  EXPECT_FALSE(tlsa_usable({3, 2, 1, "x"}));
  EXPECT_FALSE(tlsa_usable({3, 1, 3, "x"}));
}

}  // namespace
}  // namespace tlsrpt
