// Messages delivered into a Maildir: tmp/ then new/, recognised by content when opened again.
#include "tlsrpt/maildir.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include <unistd.h>

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;

TEST(Maildir, DeliversIntoNewAndKnowsWhatItHolds) {
  const fs::path dir = fs::temp_directory_path() / ("tlsrpt-maildir-" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::string message = "Subject: x\r\n\r\nbody\r\n";
  const std::string hash = MaildirWriter::content_hash(message);
  EXPECT_EQ(hash.size(), 32u);
  EXPECT_NE(hash, MaildirWriter::content_hash(message + " "));
  {
    MaildirWriter maildir(dir.string() + "/");  // a trailing slash is the same directory
    EXPECT_FALSE(maildir.contains(hash));
    const std::string path = maildir.deliver(message, hash);
    EXPECT_EQ(fs::path(path).parent_path(), dir / "new");
    EXPECT_EQ(testing::read_bytes(path), message);
    EXPECT_TRUE(maildir.contains(hash));
    EXPECT_TRUE(fs::is_empty(dir / "tmp"));
  }
  // A reader moved it to cur/ and added flags: still recognised.
  for (const auto& entry : fs::directory_iterator(dir / "new")) {
    fs::rename(entry.path(), dir / "cur" / (entry.path().filename().string() + ":2,S"));
  }
  const MaildirWriter reopened(dir.string());
  EXPECT_TRUE(reopened.contains(hash));
  fs::remove_all(dir);
}

TEST(Maildir, ADirectoryThatCannotBeMadeIsNamed) {
  try {
    MaildirWriter maildir("/proc/tlsrpt-cannot-be-here");
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/proc/tlsrpt-cannot-be-here"), std::string::npos);
  }
}

}  // namespace
}  // namespace tlsrpt
