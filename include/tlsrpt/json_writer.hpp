// The one JSON writer of every machine output (summary, check, alerts, show, export NDJSON):
// writes straight to a stream, element by element, so that memory holds one element at a time
// (the summary of 100,000 reports is tens of MB). Pretty output is indented by two spaces, as
// nlohmann's dump(2) prints (scripts and the expected files were written against it); compact
// output is one line, as dump() prints.
//
// Strings are written as valid UTF-8 whatever they hold: a byte that is not UTF-8 becomes U+FFFD;
// C0 and C1 controls are escaped (\n, \u001b, \u009b…), so that no terminal acts on one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tlsrpt {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, bool compact = false);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // Before each member of an object: the separator, the indentation and "key": . Keys are the
  // writer's own snake_case names, which need no escaping.
  void key(std::string_view name);
  // Before each element of an array.
  void element();

  void string(std::string_view text);
  void text_or_null(std::string_view text) { text.empty() ? null() : string(text); }
  void number(std::uint64_t value);
  void number(double value);
  void boolean(bool value) { value ? append("true", 4) : append("false", 5); }
  void null() { append("null", 4); }

  // key and value in one call.
  void field(std::string_view name, std::string_view text) { key(name), string(text); }
  void field(std::string_view name, const char* text) { key(name), string(text); }
  void field(std::string_view name, const std::string& text) { key(name), string(text); }
  void field(std::string_view name, std::uint64_t value) { key(name), number(value); }
  void field(std::string_view name, double value) { key(name), number(value); }
  void field(std::string_view name, bool value) { key(name), boolean(value); }
  void field_text_or_null(std::string_view name, std::string_view text) {
    key(name), text_or_null(text);
  }
  void field_null(std::string_view name) { key(name), null(); }
  // An array of strings.
  void field(std::string_view name, const std::vector<std::string>& list);
  // Each element of `list` written by `write(item)`.
  template <typename List, typename Write>
  void array(const List& list, Write write) {
    begin_array();
    for (const auto& item : list) {
      element();
      write(item);
    }
    end_array();
  }

  // After the top-level value: a newline, and everything flushed.
  void end_document();

  // "YYYY-MM-DD" of a day number, formatted once: every sender's series repeats the same days.
  const std::string& date(std::int64_t day);
  // Writes what `render` writes, which must depend on `key` alone (and the depth here): from a
  // copy after the first time. A month of days for thousands of senders is mostly the same few
  // empty days over and over.
  template <typename Render>
  void repeated(std::int64_t key, Render render) {
    const auto depth_key = std::pair{key, depth_};
    if (const auto it = repeats_.find(depth_key); it != repeats_.end()) {
      append(it->second.data(), it->second.size());
      first_ = false;
      return;
    }
    const std::size_t start = used_;
    const std::size_t flushes = flushes_;
    render();
    if (flushes_ == flushes) repeats_.try_emplace(depth_key, buffer_.data() + start, used_ - start);
  }

 private:
  static constexpr std::size_t kSize = 64 * 1024;
  void open(char bracket);
  void close(char bracket);
  void newline();
  void put(char c) {
    if (used_ == kSize) flush();
    buffer_[used_++] = c;
  }
  void append(const char* data, std::size_t size);
  void flush();

  std::ostream& out_;
  bool compact_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  std::size_t flushes_ = 0;
  std::size_t depth_ = 0;  // open objects and arrays
  bool first_ = true;      // nothing written yet in the innermost open one
  std::unordered_map<std::int64_t, std::string> dates_;
  std::map<std::pair<std::int64_t, std::size_t>, std::string> repeats_;
};

}  // namespace tlsrpt
