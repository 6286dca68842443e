// Record data decoders of the DNS layer (the lookups themselves run against a real unbound in
// live_test.cpp).
#include "tlsrpt/dns.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

using namespace std::string_literals;

TEST(DnsRecords, TxtStringsAreConcatenated) {
  EXPECT_EQ(txt_text("\x05v=abc\x03; x"s), "v=abc; x");
  EXPECT_EQ(txt_text(""s), "");
  EXPECT_FALSE(txt_text("\x09short"s));  // a length past the end
}

TEST(DnsRecords, MxWithNullMx) {
  auto mx = mx_record(
      "\x00\x0a\x02mx\x07"
      "example\x00"s);
  ASSERT_TRUE(mx);
  EXPECT_EQ(mx->preference, 10);
  EXPECT_EQ(mx->host, "mx.example");
  mx = mx_record("\x00\x00\x00"s);  // RFC 7505 "0 ."
  ASSERT_TRUE(mx);
  EXPECT_EQ(mx->host, "");
  EXPECT_FALSE(mx_record("\x00\x0a\x05mx"s));          // label past the end
  EXPECT_FALSE(mx_record("\x00\x0a\x02mx\x00junk"s));  // bytes after the name
  EXPECT_FALSE(mx_record("\x00\x0a\xc0\x0c"s));        // a compression pointer is not a label
}

TEST(DnsRecords, AddressesAndTlsa) {
  EXPECT_EQ(address_text("\x7f\x00\x00\x01"s), "127.0.0.1");
  EXPECT_EQ(address_text(std::string(15, '\0') + "\x01"), "::1");
  EXPECT_FALSE(address_text("\x01\x02"s));
  auto tlsa = tlsa_record("\x03\x01\x01\xab\xcd"s);
  ASSERT_TRUE(tlsa);
  EXPECT_EQ(tlsa->usage, 3);
  EXPECT_EQ(tlsa->data, "\xab\xcd"s);
  EXPECT_FALSE(tlsa_record("\x03\x01"s));
}

TEST(DnsRecords, StatusNames) {
  EXPECT_EQ(dns_status_name(DnsStatus::bogus), "bogus");
  EXPECT_EQ(dns_status_name(DnsStatus::nxdomain), "nxdomain");
}

}  // namespace
}  // namespace tlsrpt
