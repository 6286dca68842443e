// Streaming mbox splitter (RFC 4155): messages separated by "From " lines, mboxo/mboxrd ">From "
// quoting undone. Holds one message at a time, so a mailbox of any size reads in bounded memory.
// An unquoted "From " line inside a message's multipart body (before its closing delimiter) and
// not followed by a header line does not split the message. Knows nothing of TLS-RPT.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace tlsrpt {

inline bool has_mbox_magic(std::string_view bytes) { return bytes.starts_with("From "); }

struct MboxMessage {
  std::uint64_t index = 0;   // 1-based
  std::uint64_t offset = 0;  // byte offset of its "From " line in the mailbox
  std::string text;          // the message without its "From " line, unquoted
  bool oversized = false;    // longer than the limit: `text` holds only the start
  // Unquoted "From " lines kept in the message: inside its open multipart body and not followed
  // by a header line, so not a separator.
  std::uint64_t unquoted_from_lines = 0;
};

class MboxReader {
 public:
  // Messages longer than `max_message_bytes` are cut there and marked oversized.
  MboxReader(std::istream& in, std::uint64_t max_message_bytes);

  // The next message; false at the end of the mailbox.
  bool next(MboxMessage& message);

 private:
  // Reads one line (with its '\n') into line_, keeping at most max_ bytes of it.
  bool read_line();

  std::istream& in_;
  std::uint64_t max_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;       // offset of the line in line_
  std::uint64_t next_offset_ = 0;  // offset of the next line
  std::string line_;
  std::string stash_;  // a line read ahead and given back
  std::uint64_t stash_offset_ = 0;
  bool stashed_ = false;
  bool have_line_ = false;  // line_ holds a "From " separator not yet consumed
  bool previous_blank_ = true;
  std::uint64_t count_ = 0;
  std::size_t last_size_ = 0;  // of the last message read
};

}  // namespace tlsrpt
