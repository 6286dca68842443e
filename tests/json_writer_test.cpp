#include "tlsrpt/json_writer.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tlsrpt {
namespace {

std::string written(bool compact, const auto& write) {
  std::ostringstream out;
  {
    JsonWriter writer(out, compact);
    write(writer);
    writer.end_document();
  }
  return out.str();
}

// Pretty output is what nlohmann's dump(2) prints, compact output what dump() prints.
TEST(JsonWriter, FormatsAsNlohmannDumps) {
  const auto document = [](JsonWriter& out) {
    out.begin_object();
    out.field("name", "Company-X");
    out.field("count", std::uint64_t{42});
    out.field("rate", 0.05382838870136791);
    out.field("whole", 100.0);
    out.field("zero", 0.0);
    out.field("flag", true);
    out.field_null("nothing");
    out.field_text_or_null("empty", "");
    out.field("list", std::vector<std::string>{"a", "b"});
    out.field("none", std::vector<std::string>{});
    out.key("nested");
    out.begin_object();
    out.key("deeper");
    out.begin_array();
    out.element();
    out.begin_object();
    out.end_object();
    out.end_array();
    out.end_object();
    out.end_object();
  };
  const std::string pretty = written(false, document);
  const std::string compact = written(true, document);
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(pretty);
  EXPECT_EQ(pretty, parsed.dump(2) + "\n");
  EXPECT_EQ(compact, parsed.dump() + "\n");
  EXPECT_NE(pretty.find("\"whole\": 100.0"), std::string::npos) << pretty;
  EXPECT_NE(pretty.find("\"zero\": 0.0"), std::string::npos) << pretty;
}

// Strings: escapes as JSON wants them, C1 controls too, invalid UTF-8 as U+FFFD, the rest as is.
TEST(JsonWriter, EscapesStrings) {
  const auto string = [](std::string_view text) {
    return written(true, [&](JsonWriter& out) { out.string(text); });
  };
  EXPECT_EQ(string("plain"), "\"plain\"\n");
  EXPECT_EQ(string("q\"b\\"), "\"q\\\"b\\\\\"\n");
  EXPECT_EQ(string("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"\n");
  EXPECT_EQ(string(std::string("\x1b[0m\x01", 5)), "\"\\u001b[0m\\u0001\"\n");
  EXPECT_EQ(string(std::string("a\0b", 3)), "\"a\\u0000b\"\n");
  EXPECT_EQ(string("\x7f"), "\"\x7f\"\n");
  EXPECT_EQ(string("\xC2\x9B"
                   "31m"),
            "\"\\u009b31m\"\n");
  EXPECT_EQ(string("Caf\xC3\xA9 \xE2\x9C\x93"), "\"Caf\xC3\xA9 \xE2\x9C\x93\"\n");
  EXPECT_EQ(string("bad \xFF\xFE"), "\"bad \xEF\xBF\xBD\xEF\xBF\xBD\"\n");
  EXPECT_TRUE(nlohmann::json::accept(string("\xC0\xAF\xED\xA0\x80")));
}

// Numbers read back as the same double, in the shortest form.
TEST(JsonWriter, WritesShortestRoundTripNumbers) {
  for (const double value : {0.1, 1.0 / 3, 2.9799674988685467e-07, 0.39905357921110157, 1e21}) {
    const std::string text = written(true, [&](JsonWriter& out) { out.number(value); });
    EXPECT_EQ(nlohmann::json::parse(text).get<double>(), value) << text;
  }
  EXPECT_EQ(
      written(true, [](JsonWriter& out) { out.number(std::uint64_t{18446744073709551615u}); }),
      "18446744073709551615\n");
}

}  // namespace
}  // namespace tlsrpt
