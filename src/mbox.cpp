#include "tlsrpt/mbox.hpp"

#include <algorithm>
#include <cstring>

namespace tlsrpt {

namespace {

bool is_blank(const std::string& line) { return line == "\n" || line == "\r\n"; }

// ">From ", ">>From ", ...: quoted by the writer (mboxo quotes "From ", mboxrd every level).
bool is_quoted_from(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.compare(i, 5, "From ") == 0;
}

}  // namespace

MboxReader::MboxReader(std::istream& in, std::uint64_t max_message_bytes)
    : in_(in), max_(max_message_bytes), buffer_(64 * 1024) {}

bool MboxReader::read_line() {
  line_.clear();
  offset_ = next_offset_;
  bool any = false;
  while (true) {
    if (begin_ == end_) {
      in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
      begin_ = 0;
      end_ = static_cast<std::size_t>(in_.gcount());
      if (end_ == 0) return any;
    }
    any = true;
    const void* found = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    std::size_t stop =
        found ? static_cast<std::size_t>(static_cast<const char*>(found) - buffer_.data()) : end_;
    const bool newline = stop < end_;
    if (newline) ++stop;
    const std::size_t length = stop - begin_;
    // A line longer than a whole message is cut: what follows it is dropped, not buffered.
    const std::uint64_t cap = max_ == UINT64_MAX ? max_ : max_ + 1;  // no wrap for an absurd limit
    const std::size_t room = line_.size() < cap ? static_cast<std::size_t>(cap - line_.size()) : 0;
    line_.append(buffer_.data() + begin_, std::min(length, room));
    next_offset_ += length;
    begin_ = stop;
    if (newline) return true;
  }
}

bool MboxReader::next(MboxMessage& message) {
  message = MboxMessage{};
  // Find the separator that starts this message.
  while (!have_line_) {
    if (!read_line()) return false;
    if (previous_blank_ && line_.starts_with("From ")) {
      have_line_ = true;
    } else {
      previous_blank_ = is_blank(line_);
    }
  }
  have_line_ = false;
  message.index = ++count_;
  message.offset = offset_;
  // Room for a message like the last one: most of a mailbox's messages are alike in size.
  message.text.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(last_size_ + 1024, max_)));
  previous_blank_ = false;
  while (read_line()) {
    if (previous_blank_ && line_.starts_with("From ")) {
      have_line_ = true;
      break;
    }
    previous_blank_ = is_blank(line_);
    const std::size_t skip = is_quoted_from(line_) ? 1 : 0;
    if (message.text.size() + line_.size() - skip > max_) {
      message.oversized = true;
    }
    if (!message.oversized) message.text.append(line_, skip);
  }
  last_size_ = message.text.size();
  return true;
}

}  // namespace tlsrpt
