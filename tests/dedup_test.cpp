// Telling duplicates apart: the compact index and the compressed names of where each report was
// read.
#include "tlsrpt/dedup.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

ReportIdentity identity(std::uint32_t n, std::uint32_t fingerprint = 7) {
  ReportIdentity id;
  id.key[0] = n * 2654435761u;  // spread, and sometimes the same low bits: probing is exercised
  id.key[1] = n;
  id.key[2] = ~n;
  id.fingerprint = fingerprint;
  return id;
}

TEST(NameArchive, GivesBackEveryNameAcrossBlocks) {
  NameArchive names;
  const std::size_t count = NameArchive::kNamesPerBlock * 3 + 17;
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(names.add("reports/2026-05/google.com!example.com!" + std::to_string(i) + ".json.gz"),
              i);
  }
  EXPECT_EQ(names.size(), count);
  // In order, backwards and jumping between blocks: each is read back exactly.
  for (std::size_t i = 0; i < count; i += 7) {
    EXPECT_EQ(names.name(static_cast<std::uint32_t>(i)),
              "reports/2026-05/google.com!example.com!" + std::to_string(i) + ".json.gz");
  }
  EXPECT_EQ(names.name(0), "reports/2026-05/google.com!example.com!0.json.gz");
  EXPECT_EQ(names.name(static_cast<std::uint32_t>(count - 1)),
            "reports/2026-05/google.com!example.com!" + std::to_string(count - 1) + ".json.gz");
  EXPECT_EQ(names.name(static_cast<std::uint32_t>(NameArchive::kNamesPerBlock)),
            "reports/2026-05/google.com!example.com!256.json.gz");
}

TEST(NameArchive, CompressesNamesThatShareTheirText) {
  NameArchive names;
  std::size_t plain = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::string name = "/var/lib/tlsrpt/mail/cur/17331" + std::to_string(480000 + i) +
                             ".M" + std::to_string(i) + "P4242.mx.example.com,S=4242:2,";
    plain += name.size() + 1;
    names.add(name);
  }
  EXPECT_LT(names.bytes() * 4, plain) << names.bytes() << " of " << plain;
  EXPECT_EQ(names.name(1234), "/var/lib/tlsrpt/mail/cur/17331481234.M1234P4242.mx.example.com,S=4242:2,");
}

TEST(NameArchive, KeepsNamesWithEmptyAndOddBytes) {
  NameArchive names;
  names.add("");
  names.add("caf\xc3\xa9\x01\xff");
  EXPECT_EQ(names.name(0), "");
  EXPECT_EQ(names.name(1), "caf\xc3\xa9\x01\xff");
}

TEST(DedupIndex, FindsWhatWasAddedAndNothingElse) {
  DedupIndex index;
  EXPECT_FALSE(index.find(identity(1)));
  for (std::uint32_t n = 0; n < 50'000; ++n) index.add(identity(n), "file-" + std::to_string(n));
  EXPECT_EQ(index.size(), 50'000u);
  for (std::uint32_t n = 0; n < 50'000; n += 997) {
    const auto seen = index.find(identity(n, 9));
    ASSERT_TRUE(seen) << n;
    EXPECT_EQ(seen->fingerprint, 7u);
    EXPECT_EQ(seen->source, "file-" + std::to_string(n));
  }
  EXPECT_FALSE(index.find(identity(50'000)));
  EXPECT_FALSE(index.find(identity(123'456)));
}

// The one structure that grows with reports: a few tens of bytes each (docs/performance.md).
TEST(DedupIndex, HoldsAFewTensOfBytesAReport) {
  DedupIndex index;
  const std::uint32_t count = 200'000;
  for (std::uint32_t n = 0; n < count; ++n) {
    index.add(identity(n), "bench/json/" + std::to_string(n % 64) + "/r" + std::to_string(n) +
                               ".json.gz");
  }
  EXPECT_LT(index.bytes() / count, 48u) << index.bytes();
}

}  // namespace
}  // namespace tlsrpt
