#include "tlsrpt/zip.hpp"

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
  try {
    unzip(zip_from("mail/zip-attachment.eml"), 10);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_TRUE(std::string(error.what())
                    .ends_with("zip: inflates to more than the limit (raise it with "
                               "--max-inflated-size if genuine)"))
        << error.what();
  }
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
  EXPECT_THROW(unzip(archive, 1 << 20), InputError);
}

}  // namespace
}  // namespace tlsrpt
