// A Maildir that messages are delivered into safely: written to tmp/, flushed to disk, then
// renamed into new/ (so that a crash never leaves half a message where readers look), and
// recognised by content so that a message fetched twice is stored once.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace tlsrpt {

class MaildirWriter {
 public:
  // Creates DIR/tmp, DIR/new and DIR/cur when missing, and reads the content hashes of the
  // messages already delivered (in their file names). Throws std::runtime_error naming the
  // directory when it cannot be created or read.
  explicit MaildirWriter(std::string directory);

  static std::string content_hash(std::string_view message);  // hex SHA-256, first 32 digits
  bool contains(const std::string& hash) const { return hashes_.contains(hash); }
  // Delivers `message` (whose hash is `hash`) and returns its path under new/. Throws
  // std::runtime_error naming the file on a write error; nothing is left in new/ then.
  std::string deliver(std::string_view message, const std::string& hash);

  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::unordered_set<std::string> hashes_;
  unsigned long counter_ = 0;
};

}  // namespace tlsrpt
