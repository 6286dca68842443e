#include "tlsrpt/gzip.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/error.hpp"

namespace tlsrpt {
namespace {

using testing::read_bytes;
using testing::testdata;

std::string error_of(const std::string& bytes, std::uint64_t limit) {
  try {
    gunzip(bytes, limit);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Gzip, InflatesAReport) {
  const std::string json =
      gunzip(read_bytes(testdata("reports/microsoft-sts-tlsa.json.gz")), 1 << 20);
  EXPECT_TRUE(json.starts_with("{\"organization-name\":\"Microsoft Corporation\""));
  EXPECT_EQ(json, read_bytes(testdata("src/microsoft-sts-tlsa.json")));
}

TEST(Gzip, JoinsConcatenatedMembers) {
  const std::string json =
      gunzip(read_bytes(testdata("reports/concatenated-members.json.gz")), 1 << 20);
  EXPECT_NE(json.find("2026-05-10T23:59:59Z"), std::string::npos);
  EXPECT_TRUE(json.ends_with("}\n"));
}

TEST(Gzip, NamesByteOfTruncation) {
  EXPECT_EQ(error_of(read_bytes(testdata("bad/truncated.json.gz")), 1 << 20),
            "byte 244: gzip: truncated data (the file ends before the end of the stream)");
}

TEST(Gzip, RejectsTrailingGarbage) {
  EXPECT_EQ(error_of(read_bytes(testdata("bad/trailing-garbage.json.gz")), 1 << 20),
            "byte 488: gzip: 7 bytes of trailing data after the end of the stream");
}

TEST(Gzip, IgnoresTrailingZeroPadding) {
  const std::string padded =
      read_bytes(testdata("reports/microsoft-sts-tlsa.json.gz")) + std::string(16, '\0');
  EXPECT_EQ(gunzip(padded, 1 << 20), read_bytes(testdata("src/microsoft-sts-tlsa.json")));
}

TEST(Gzip, ReportsCorruptData) {
  EXPECT_EQ(error_of(read_bytes(testdata("bad/corrupt.json.gz")), 1 << 20),
            "byte 15: gzip: corrupt data (invalid code lengths set)");
}

TEST(Gzip, StopsABombAtTheLimit) {
  const std::string message = error_of(read_bytes(testdata("bad/gzip-bomb.json.gz")), 1 << 20);
  EXPECT_TRUE(message.ends_with(
      "gzip: inflates to more than 1048576 bytes (the limit, or what is left of it for this input; "
      "raise it with --max-inflated-size if "
      "the report is genuine)"))
      << message;
  EXPECT_TRUE(message.starts_with("byte ")) << message;
}

TEST(Gzip, RejectsHeaderOnly) {
  EXPECT_EQ(error_of(std::string("\x1f\x8b", 2), 1 << 20),
            "byte 2: gzip: truncated data (the file ends before the end of the stream)");
}

}  // namespace
}  // namespace tlsrpt
