#include "tlsrpt/mbox.hpp"

#include <algorithm>
#include <cstring>

#include "tlsrpt/mime.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

bool is_blank(const std::string& line) { return line == "\n" || line == "\r\n"; }

// ">From ", ">>From ", ...: quoted by the writer (mboxo quotes "From ", mboxrd every level).
bool is_quoted_from(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') ++i;
  return i > 0 && line.compare(i, 5, "From ") == 0;
}

// "Content-Type: …" in a header line (case-insensitive name).
bool is_content_type(std::string_view line) {
  constexpr std::string_view kName = "content-type:";
  if (line.size() < kName.size()) return false;
  for (std::size_t i = 0; i < kName.size(); ++i) {
    if (ascii_lower(line[i]) != kName[i]) return false;
  }
  return true;
}

// A header field line ("Name: value", RFC 5322 field-name characters), as follows a real "From "
// separator.
bool looks_like_header(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > ' ' && line[i] < 127 && line[i] != ':') ++i;
  return i > 0 && i < line.size() && line[i] == ':';
}

// The line without its line end.
std::string_view content(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

MboxReader::MboxReader(std::istream& in, std::uint64_t max_message_bytes)
    : in_(in), max_(max_message_bytes), buffer_(64 * 1024) {}

bool MboxReader::read_line() {
  if (stashed_) {  // the line looked ahead at, given back
    stashed_ = false;
    line_.swap(stash_);
    offset_ = stash_offset_;
    return true;
  }
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
  // The message's top-level multipart boundary, once its header is read; while its closing
  // delimiter has not come, an unquoted "From " line that no header line follows is part of
  // the body, not the next message (a sender that did not quote it must not cost its report).
  bool in_header = true;
  std::string header_value;  // the Content-Type field, unfolded
  bool in_content_type = false;
  std::string close;  // "--boundary--"
  bool open = false;
  while (read_line()) {
    if (previous_blank_ && line_.starts_with("From ")) {
      if (!open) {
        have_line_ = true;
        break;
      }
      std::string from = std::move(line_);
      const std::uint64_t from_offset = offset_;
      const bool more = read_line();
      const bool separator = more && looks_like_header(line_);
      stash_.swap(line_);
      stash_offset_ = offset_;
      stashed_ = more;
      line_ = std::move(from);
      offset_ = from_offset;
      if (separator) {
        have_line_ = true;
        break;
      }
      ++message.unquoted_from_lines;
    }
    if (in_header) {
      if (is_blank(line_)) {
        in_header = false;
        const ContentType type = parse_content_type(header_value);
        if (const auto boundary = type.params.find("boundary"); type.type == "multipart" &&
                                                                boundary != type.params.end() &&
                                                                !boundary->second.empty()) {
          close = "--" + boundary->second + "--";
          open = true;
        }
      } else if (is_content_type(line_)) {
        in_content_type = true;
        header_value.assign(content(line_).substr(13));
      } else if (in_content_type && (line_[0] == ' ' || line_[0] == '\t')) {
        if (header_value.size() < 4096) header_value.append(content(line_));
      } else {
        in_content_type = false;
      }
    } else if (open && content(line_) == close) {
      open = false;
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
