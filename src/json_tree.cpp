#include "tlsrpt/json_tree.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

// Parses one text into a JsonTree; throws Failure at the first byte that is not valid JSON.
class JsonParser {
 public:
  struct Failure {
    std::size_t offset;
    bool too_deep = false;
    bool too_large = false;
    std::string message;  // why it is not JSON, for an invalid text
  };

  JsonParser(JsonTree& tree, std::string_view text, int max_depth, std::size_t max_values)
      : tree_(tree), text_(text), max_depth_(max_depth), max_values_(max_values) {}

  void run() {
    tree_.nodes_.clear();
    tree_.decoded_.clear();
    tree_.duplicate_keys_.clear();
    tree_.unlisted_duplicate_keys_ = 0;
    tree_.nodes_.emplace_back();
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a byte-order mark: skipped
    skip_space();
    value(0, 0);
    skip_space();
    if (pos_ != text_.size()) fail("%c after the end of the JSON value");
    tree_.duplicate_keys_.assign(duplicates_.begin(), duplicates_.end());
  }

 private:
  // Not JSON at pos_: `what` says why; "%c" in it stands for the byte there, shown.
  [[noreturn]] void fail(std::string_view what) const {
    const std::string shown =
        at_end() ? std::string("the end of the text") : shown_byte(text_[pos_]);
    std::string message(what);
    if (const std::size_t at = message.find("%c"); at != std::string::npos)
      message.replace(at, 2, shown);
    throw Failure{pos_, false, false, std::move(message)};
  }
  // A byte as an error message shows it: 'x', or \xNN for one that is not printable ASCII.
  static std::string shown_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7F ? fmt::format("'{}'", c) : fmt::format("\\x{:02X}", byte);
  }
  void check_depth(int depth) const {
    if (depth > max_depth_) throw Failure{pos_, true, false, {}};
  }
  JsonTree::Node& node(std::uint32_t index) { return tree_.nodes_[index]; }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  std::uint32_t new_node() {
    if (tree_.nodes_.size() >= max_values_) throw Failure{pos_, false, true, {}};
    if (tree_.nodes_.size() >= UINT32_MAX) fail("too many values");
    tree_.nodes_.emplace_back();
    return static_cast<std::uint32_t>(tree_.nodes_.size() - 1);
  }

  void value(std::uint32_t index, int depth) {
    if (at_end()) fail("the text ends where a value should be");
    switch (text_[pos_]) {
      case '{':
        return object(index, depth + 1);
      case '[':
        return array(index, depth + 1);
      case '"':
        ++pos_;
        node(index).type = JsonType::string;
        node(index).text = string();
        return;
      case 't':
        return literal(index, "true", JsonType::boolean, true);
      case 'f':
        return literal(index, "false", JsonType::boolean, false);
      case 'n':
        return literal(index, "null", JsonType::null, false);
      default:
        return number(index);
    }
  }

  void literal(std::uint32_t index, std::string_view word, JsonType type, bool boolean) {
    if (text_.substr(pos_, word.size()) != word) {
      // The error names the first byte that differs.
      for (std::size_t i = 0; !at_end() && i < word.size() && text_[pos_] == word[i]; ++i) ++pos_;
      fail(at_end() ? "the text ends inside a literal (true, false or null)"
                    : "%c inside a literal: expected true, false or null");
    }
    pos_ += word.size();
    node(index).type = type;
    node(index).boolean = boolean;
  }

  void object(std::uint32_t index, int depth) {
    container(index, depth, JsonType::object, '}', [this] {
      if (peek() != '"') fail("%c where a key in double quotes should be");
      ++pos_;
      const std::string_view key = string();
      skip_space();
      if (peek() != ':') fail("%c after a key, where ':' should be");
      ++pos_;
      skip_space();
      const std::uint32_t child = new_node();
      node(child).key = key;
      return child;
    });
    note_duplicates(index);
  }

  void array(std::uint32_t index, int depth) {
    container(index, depth, JsonType::array, ']', [this] { return new_node(); });
  }

  // An object or array at pos_: `start_item` reads what comes before each value (an object's key
  // and colon) and returns the value's new node.
  template <typename StartItem>
  void container(std::uint32_t index, int depth, JsonType type, char close, StartItem start_item) {
    check_depth(depth);
    ++pos_;
    node(index).type = type;
    skip_space();
    if (peek() == close) {
      ++pos_;
      return;
    }
    std::uint32_t previous = 0;
    while (true) {
      skip_space();
      const std::uint32_t child = start_item();
      (previous == 0 ? node(index).first : node(previous).next) = child;
      previous = child;
      ++node(index).size;
      value(child, depth);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != close)
        fail(close == '}' ? "%c after a member, where ',' or '}' should be"
                          : "%c after an element, where ',' or ']' should be");
      ++pos_;
      return;
    }
  }

  void note_duplicates(std::uint32_t index) {
    if (node(index).size < 2) return;
    keys_.clear();
    for (std::uint32_t child = node(index).first; child != 0; child = node(child).next)
      keys_.push_back(node(child).key);
    if (keys_.size() <= 16) {  // the usual object: comparing each pair is cheaper than sorting
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        for (std::size_t j = i + 1; j < keys_.size(); ++j) {
          if (keys_[i].size() == keys_[j].size() && keys_[i] == keys_[j]) note_duplicate(keys_[i]);
        }
      }
      return;
    }
    std::sort(keys_.begin(), keys_.end());
    for (std::size_t i = 1; i < keys_.size(); ++i) {
      if (keys_[i] == keys_[i - 1]) note_duplicate(keys_[i]);
    }
  }
  // Listed up to kMaxListedDuplicateKeys distinct keys; past that only counted, so that a
  // hostile object of millions of repeated keys costs no memory per key.
  void note_duplicate(std::string_view key) {
    if (duplicates_.size() < JsonTree::kMaxListedDuplicateKeys) {
      duplicates_.emplace(key);
    } else if (!duplicates_.contains(std::string(key))) {
      ++tree_.unlisted_duplicate_keys_;
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > text_.size()) {
      pos_ = text_.size();
      fail("the text ends inside a \\u escape");
    }
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        --pos_;
        fail("%c in a \\u escape, where a hexadecimal digit should be");
      }
    }
    return value;
  }

  void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // The string starting at pos_ (after its opening quote), up to and past its closing quote.
  std::string_view string() {
    const std::size_t start = pos_;
    std::string* out = nullptr;  // set once an escape is met
    std::size_t out_start = 0;
    std::size_t copied = start;  // text_[copied, pos_) is still to be appended to *out
    while (true) {
      skip_plain();  // stops at '"', '\\', a control byte or a byte of non-ASCII UTF-8
      if (at_end()) fail("the text ends inside a string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20) fail("the control character %c inside a string (it must be escaped)");
      if (c >= 0x80) {
        const std::size_t length = utf8_sequence_length(text_, pos_);
        if (length == 0) fail("%c inside a string is not UTF-8");
        pos_ += length;
        continue;
      }
      // A backslash: an escape.
      if (out == nullptr) {
        out = &tree_.decoded_;
        // Decoded text is never longer than its source: reserving the whole input once keeps
        // every view into it valid.
        if (out->capacity() < text_.size()) {
          if (!out->empty()) fail("too many escapes");  // cannot happen: reserved at the first
          out->reserve(text_.size());
        }
        out_start = out->size();
      }
      out->append(text_.substr(copied, pos_ - copied));
      ++pos_;
      if (at_end()) fail("the text ends inside an escape");
      const char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          *out += escape;
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xDC00 && code <= 0xDFFF) {
            pos_ -= 6;
            fail("a \\u escape of a low surrogate without the high one before it");
          }
          if (code >= 0xD800 && code <= 0xDBFF) {  // must be followed by a low one
            if (text_.substr(pos_, 2) != "\\u")
              fail("%c after a \\u escape of a high surrogate, where the low one should be");
            pos_ += 2;
            const unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) {
              pos_ -= 6;
              fail("a \\u escape after a high surrogate that is not a low one");
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(*out, code);
          break;
        }
        default:
          --pos_;
          fail("%c after a backslash: not an escape of JSON");
      }
      copied = pos_;
    }
    const std::size_t end = pos_++;
    if (out == nullptr) return text_.substr(start, end - start);
    out->append(text_.substr(copied, end - copied));
    return std::string_view(*out).substr(out_start);
  }

  // Skips the plain run at pos_: printable ASCII other than the quote and the backslash. Sixteen
  // bytes at a time where SSE2 is there (every x86-64): most of a report is string text.
  void skip_plain() {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (pos_ + 16 <= text_.size()) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + pos_));
      // Signed: bytes from 0x80 up are negative, so "less than 0x20" takes them in too.
      const __m128i stop =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                       _mm_cmplt_epi8(bytes, space));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
      if (mask != 0) {
        pos_ += static_cast<std::size_t>(__builtin_ctz(mask));
        return;
      }
      pos_ += 16;
    }
#endif
    while (pos_ < text_.size() && kPlain[static_cast<unsigned char>(text_[pos_])]) ++pos_;
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // Bytes a string may hold as they are, with no further look: printable ASCII but '"' and '\\'.
  static constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
  }();

  void number(std::uint32_t index) {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (digit(peek())) {
      while (digit(peek())) ++pos_;
    } else {
      fail(negative ? "%c after '-', where a digit should be" : "%c where a value should be");
    }
    bool integer = true;
    if (peek() == '.') {
      integer = false;
      ++pos_;
      if (!digit(peek())) fail("%c after a decimal point, where a digit should be");
      while (digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit(peek())) fail("%c in an exponent, where a digit should be");
      while (digit(peek())) ++pos_;
    }
    const std::string_view token = text_.substr(start, pos_ - start);
    JsonTree::Node& target = node(index);
    if (integer) {
      std::uint64_t magnitude = 0;
      bool overflow = false;
      for (const char c : token.substr(negative ? 1 : 0)) {
        const auto d = static_cast<std::uint64_t>(c - '0');
        overflow = overflow || magnitude > (UINT64_MAX - d) / 10;
        magnitude = magnitude * 10 + d;
      }
      if (!overflow && !negative) {
        target.type = JsonType::unsigned_number;
        target.unsigned_value = magnitude;
        return;
      }
      if (!overflow && magnitude <= (std::uint64_t{1} << 63)) {
        target.type = JsonType::signed_number;
        target.signed_value = magnitude == (std::uint64_t{1} << 63)
                                  ? INT64_MIN
                                  : -static_cast<std::int64_t>(magnitude);
        return;
      }
    }
    // A fraction, an exponent or a 64-bit overflow: a double, read as strtod reads it.
    const std::string copy(token);
    const double value = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(value)) {
      pos_ = start;
      fail("a number too large for a double");
    }
    target.type = JsonType::float_number;
    target.float_value = value;
  }

  JsonTree& tree_;
  std::string_view text_;
  int max_depth_;
  std::size_t max_values_;
  std::size_t pos_ = 0;
  std::vector<std::string_view>& keys_ = tree_.keys_;  // the tree's, for their room
  std::set<std::string> duplicates_;
};

JsonTree::Outcome JsonTree::parse(std::string_view text, int max_depth, std::size_t& error_offset,
                                  std::size_t max_values) {
  try {
    JsonParser(*this, text, max_depth, max_values).run();
    return Outcome::ok;
  } catch (const JsonParser::Failure& failure) {
    error_offset = failure.offset;
    error_ = failure.message;
    nodes_.clear();
    return failure.too_large  ? Outcome::too_large
           : failure.too_deep ? Outcome::too_deep
                              : Outcome::invalid;
  }
}

void JsonTree::release_if_large() {
  constexpr std::size_t kKeepNodes = 1 << 16;  // 3.5 MiB; the usual report needs a few hundred
  if (nodes_.capacity() > kKeepNodes) {
    nodes_ = {};
    decoded_ = {};
    keys_ = {};
  }
}

JsonType JsonRef::type() const { return tree_->nodes_[index_].type; }
bool JsonRef::as_bool() const { return tree_->nodes_[index_].boolean; }
std::uint64_t JsonRef::as_unsigned() const { return tree_->nodes_[index_].unsigned_value; }
std::int64_t JsonRef::as_signed() const { return tree_->nodes_[index_].signed_value; }
double JsonRef::as_double() const {
  const auto& node = tree_->nodes_[index_];
  switch (node.type) {
    case JsonType::unsigned_number:
      return static_cast<double>(node.unsigned_value);
    case JsonType::signed_number:
      return static_cast<double>(node.signed_value);
    default:
      return node.float_value;
  }
}
std::string_view JsonRef::as_string() const { return tree_->nodes_[index_].text; }
std::uint32_t JsonRef::size() const { return tree_->nodes_[index_].size; }
std::string_view JsonRef::key() const { return tree_->nodes_[index_].key; }

JsonRef JsonRef::first() const {
  const std::uint32_t child = tree_->nodes_[index_].first;
  return child == 0 ? JsonRef() : JsonRef(tree_, child);
}

JsonRef JsonRef::next() const {
  const std::uint32_t sibling = tree_->nodes_[index_].next;
  return sibling == 0 ? JsonRef() : JsonRef(tree_, sibling);
}

JsonRef JsonRef::find(std::string_view key) const {
  if (!is_object()) return {};
  JsonRef found;
  for (JsonRef member = first(); member; member = member.next()) {
    if (member.key() == key) found = member;  // the last one wins
  }
  return found;
}

const char* JsonRef::type_name() const {
  switch (type()) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return "boolean";
    case JsonType::unsigned_number:
    case JsonType::signed_number:
    case JsonType::float_number:
      return "number";
    case JsonType::string:
      return "string";
    case JsonType::array:
      return "array";
    case JsonType::object:
      return "object";
  }
  return "null";
}

std::string JsonRef::number_text() const {
  switch (type()) {
    case JsonType::unsigned_number:
      return fmt::format("{}", as_unsigned());
    case JsonType::signed_number:
      return fmt::format("{}", as_signed());
    case JsonType::float_number: {
      char digits[kShortestDoubleChars];
      return std::string(digits, shortest_double(as_double(), digits));
    }
    default:
      return "";
  }
}

}  // namespace tlsrpt
