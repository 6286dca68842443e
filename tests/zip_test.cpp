#include "tlsrpt/zip.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/error.hpp"
#include "tlsrpt/mime.hpp"

namespace tlsrpt {
namespace {

std::string zip_from(const std::string& relative) {
  const Message message = parse_message(testing::read_bytes(testing::testdata(relative)));
  for (const MimePart& part : message.leaves) {
    if (has_zip_magic(part.body)) return part.body;
  }
  return {};
}

TEST(Zip, ReadsADeflatedEntry) {
  const auto entries = unzip(zip_from("mail/zip-attachment.eml"), 1 << 20);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "zip-sender.example!mail-example.net!1778284800!1778371199.json");
  EXPECT_TRUE(entries[0].data.starts_with("{\"organization-name\":\"Zip Sender\""));
}

TEST(Zip, StopsAtTheLimit) {
  const auto entries = unzip(zip_from("mail/zip-attachment.eml"), 10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].data.empty());
  EXPECT_EQ(entries[0].error,
            "zip: inflates to more than the limit (raise it with --max-inflated-size if genuine)");
}

// The budget is shared by every entry: three entries of 40 bytes in a budget of 100 give two.
TEST(Zip, EntriesShareOneBudget) {
  const std::string data(40, 'x');
  std::uint64_t budget = 100;
  testing::ZipSpec spec;
  spec.entries = {{"a", data}, {"b", data}, {"c", data}, {"d", data}};
  const auto entries = unzip_within(testing::build_zip(spec), budget);
  ASSERT_EQ(entries.size(), 3u);  // the third spends the budget: nothing after it is read
  EXPECT_EQ(entries[0].data, data);
  EXPECT_EQ(entries[1].data, data);
  EXPECT_FALSE(entries[2].error.empty());
  EXPECT_EQ(budget, 20u);
}

// A thousand entries pointing at one stream: refused, naming the entries.
TEST(Zip, RefusesEntriesThatShareTheirData) {
  testing::ZipSpec spec;
  spec.shared_data = true;
  for (int i = 0; i < 1000; ++i) spec.entries.emplace_back(fmt::format("r{}", i), "{}");
  try {
    unzip(testing::build_zip(spec), 1 << 20);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.detail(),
              "zip: entries r0 and r1 share their data (a zip bomb); the archive is not read");
  }
}

// An encrypted entry or one that fails its CRC is an error of its own; its siblings are read.
TEST(Zip, ABadEntryKeepsItsSiblings) {
  testing::ZipSpec spec;
  spec.entries = {{"good1", "one"}, {"crc", "two"}, {"locked", "three"}, {"good2", "four"}};
  spec.bad_crc = {1};
  spec.encrypted = {2};
  const auto entries = unzip(testing::build_zip(spec), 1 << 20);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].data, "one");
  EXPECT_EQ(entries[1].error, "zip: entry crc fails its CRC check");
  EXPECT_EQ(entries[2].error, "zip: entry locked is encrypted");
  EXPECT_EQ(entries[3].data, "four");
}

TEST(Zip, RejectsATruncatedArchive) {
  const std::string archive = zip_from("mail/zip-attachment.eml");
  try {
    unzip(archive.substr(0, archive.size() / 2), 1 << 20);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.detail(), "zip: no central directory (truncated archive?)");
  }
}

TEST(Zip, RejectsACorruptEntry) {
  std::string archive = zip_from("mail/zip-attachment.eml");
  archive[100] = static_cast<char>(archive[100] ^ 0x5A);  // inside the deflated data
  const auto entries = unzip(archive, 1 << 20);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].error.starts_with("zip: ")) << entries[0].error;
  EXPECT_TRUE(entries[0].data.empty());
}

}  // namespace
}  // namespace tlsrpt
