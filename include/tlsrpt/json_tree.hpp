// The one JSON reader of reports: a strict RFC 8259 parser into a flat tree, one vector of nodes,
// strings as views into the input (or, when they hold escapes, into one buffer of decoded text).
// Building an nlohmann DOM instead costs a map node and a string allocation per key and value
// (docs/architecture.md has the numbers). It accepts exactly what nlohmann accepts, but text after
// a NUL byte (fuzz_json_tree checks both agree), and says why it refuses a text, at which byte.
//
// Numbers follow nlohmann's typing: an integer token is unsigned, or signed when it starts with
// '-'; one that does not fit 64 bits, or that has a fraction or exponent, is a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

enum class JsonType : std::uint8_t {
  null,
  boolean,
  unsigned_number,
  signed_number,
  float_number,
  string,
  array,
  object
};

class JsonTree;

// A value in a JsonTree (cheap to copy; valid while the tree and its input live).
class JsonRef {
 public:
  JsonRef() = default;
  JsonRef(const JsonTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  explicit operator bool() const { return tree_ != nullptr; }
  JsonType type() const;
  bool is_null() const { return type() == JsonType::null; }
  bool is_string() const { return type() == JsonType::string; }
  bool is_array() const { return type() == JsonType::array; }
  bool is_object() const { return type() == JsonType::object; }
  bool is_number() const {
    return type() == JsonType::unsigned_number || type() == JsonType::signed_number ||
           type() == JsonType::float_number;
  }
  bool is_number_unsigned() const { return type() == JsonType::unsigned_number; }
  // Signed or unsigned (as nlohmann's is_number_integer).
  bool is_number_integer() const {
    return type() == JsonType::unsigned_number || type() == JsonType::signed_number;
  }
  bool is_number_float() const { return type() == JsonType::float_number; }
  bool as_bool() const;
  std::uint64_t as_unsigned() const;
  std::int64_t as_signed() const;
  double as_double() const;
  std::string_view as_string() const;
  // "null", "boolean", "number", "string", "array", "object" (nlohmann's type_name()).
  const char* type_name() const;
  // A number as nlohmann's dump() writes it.
  std::string number_text() const;

  // Arrays and objects: the number of elements or members (duplicate keys included).
  std::uint32_t size() const;
  // The first element or member; next() walks on. Invalid at the end.
  JsonRef first() const;
  JsonRef next() const;
  // For a member of an object: its key.
  std::string_view key() const;
  // The member named `key` (the last one when the key is repeated), or an invalid ref.
  JsonRef find(std::string_view key) const;
  bool contains(std::string_view key) const { return static_cast<bool>(find(key)); }

 private:
  const JsonTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

class JsonTree {
 public:
  enum class Outcome { ok, invalid, too_deep, too_large };
  // Parses `text` (which must outlive the tree). On invalid JSON, an array or object nested
  // deeper than `max_depth`, or more than `max_values` values (each key-value pair and each
  // element counts once), `error_offset` is the byte where it was noticed.
  // Repeated keys in one object are kept and listed in `duplicate_keys` (sorted, distinct).
  Outcome parse(std::string_view text, int max_depth, std::size_t& error_offset,
                std::size_t max_values = SIZE_MAX);
  // Why the last parse found the text invalid, naming the byte at error_offset ("'}' after a
  // member, where ',' or '}' should be").
  const std::string& error() const { return error_; }
  // Gives back the room of a tree that grew large (a tree is reused from report to report).
  void release_if_large();
  JsonRef root() const { return JsonRef(this, 0); }
  const std::vector<std::string>& duplicate_keys() const { return duplicate_keys_; }
  // Repeated keys past the first kMaxListedDuplicateKeys, counted (each time one repeats).
  static constexpr std::size_t kMaxListedDuplicateKeys = 100;
  std::uint64_t unlisted_duplicate_keys() const { return unlisted_duplicate_keys_; }

 private:
  friend class JsonRef;
  friend class JsonParser;
  struct Node {
    JsonType type = JsonType::null;
    bool boolean = false;
    std::uint32_t next = 0;   // next sibling (0: none; the root is never a sibling)
    std::uint32_t first = 0;  // first child (0: none)
    std::uint32_t size = 0;
    std::string_view key;
    std::string_view text;  // strings
    union {
      std::uint64_t unsigned_value = 0;
      std::int64_t signed_value;
      double float_value;
    };
  };
  std::vector<Node> nodes_;
  std::string decoded_;  // strings that held escapes, decoded; reserved so that views stay valid
  std::vector<std::string> duplicate_keys_;
  std::uint64_t unlisted_duplicate_keys_ = 0;
  std::vector<std::string_view> keys_;  // the parser's scratch space
  std::string error_;
};

}  // namespace tlsrpt
