#include "tlsrpt/json_tree.hpp"

#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tlsrpt {
namespace {

JsonTree::Outcome parse(JsonTree& tree, std::string_view text, int depth = 64) {
  std::size_t offset = 0;
  return tree.parse(text, depth, offset);
}

// Strings are scanned sixteen bytes at a time: put each kind of byte that ends a plain run at
// every position around those blocks.
TEST(JsonTree, ReadsStringsWhateverWhereTheirSpecialBytesFall) {
  for (std::size_t prefix = 0; prefix < 40; ++prefix) {
    const std::string plain(prefix, 'a');
    const auto read = [](const std::string& text) {  // the tree's strings point into `text`
      JsonTree tree;
      if (parse(tree, text) != JsonTree::Outcome::ok) return std::string("(invalid)");
      return std::string(tree.root().first().as_string());
    };
    EXPECT_EQ(read("[\"" + plain + "\\n" + plain + "\"]"), plain + "\n" + plain);
    EXPECT_EQ(read("[\"" + plain + "\xC3\xA9\x7F\"]"), plain + "\xC3\xA9\x7F");
    EXPECT_EQ(read("[\"" + plain + "\"]"), plain);
    EXPECT_EQ(read("[\"" + plain + "\tx\"]"), "(invalid)") << prefix;
    EXPECT_EQ(read("[\"" + plain + "\xFFx\"]"), "(invalid)") << prefix;
    EXPECT_EQ(read("[\"" + plain), "(invalid)") << prefix;
  }
}

TEST(JsonTree, ReadsObjectsArraysAndScalars) {
  const std::string text =
      R"({"a": [1, -2, 1.5, "x", true, false, null], "b": {"c": {}}, "d": []})";
  JsonTree tree;
  ASSERT_EQ(parse(tree, text), JsonTree::Outcome::ok);
  const JsonRef root = tree.root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.size(), 3u);
  const JsonRef a = root.find("a");
  ASSERT_TRUE(a.is_array());
  EXPECT_EQ(a.size(), 7u);
  JsonRef element = a.first();
  EXPECT_TRUE(element.is_number_unsigned());
  EXPECT_EQ(element.as_unsigned(), 1u);
  element = element.next();
  EXPECT_EQ(element.type(), JsonType::signed_number);
  EXPECT_EQ(element.as_signed(), -2);
  element = element.next();
  EXPECT_TRUE(element.is_number_float());
  EXPECT_EQ(element.as_double(), 1.5);
  element = element.next();
  EXPECT_EQ(element.as_string(), "x");
  element = element.next();
  EXPECT_EQ(element.type(), JsonType::boolean);
  element = element.next().next();
  EXPECT_TRUE(element.is_null());
  EXPECT_FALSE(element.next());
  EXPECT_TRUE(root.find("b").find("c").is_object());
  EXPECT_EQ(root.find("d").size(), 0u);
  EXPECT_FALSE(root.find("e"));
  EXPECT_FALSE(root.contains("c"));  // only direct members
}

TEST(JsonTree, TypesNumbersAsNlohmannDoes) {
  JsonTree tree;
  ASSERT_EQ(parse(tree,
                  "[18446744073709551615, 18446744073709551616, -0, "
                  "-9223372036854775808, -9223372036854775809, 1e2, 0.1]"),
            JsonTree::Outcome::ok);
  JsonRef n = tree.root().first();
  EXPECT_EQ(n.as_unsigned(), UINT64_MAX);
  n = n.next();
  EXPECT_TRUE(n.is_number_float());  // past 64 bits
  EXPECT_EQ(n.number_text(), "18446744073709551616.0");  // the shortest form that reads back
  n = n.next();
  EXPECT_EQ(n.type(), JsonType::signed_number);  // "-0" is signed, as in nlohmann
  EXPECT_EQ(n.as_signed(), 0);
  n = n.next();
  EXPECT_EQ(n.as_signed(), INT64_MIN);
  n = n.next();
  EXPECT_TRUE(n.is_number_float());
  n = n.next();
  EXPECT_EQ(n.number_text(), "100.0");
  EXPECT_EQ(n.next().number_text(), "0.1");
}

TEST(JsonTree, DecodesEscapesAndKeepsPlainStringsInPlace) {
  const std::string text = R"(["plain", "tab\tquote\"slash\/\u00e9\ud83d\ude00\u0000end"])";
  JsonTree tree;
  ASSERT_EQ(parse(tree, text), JsonTree::Outcome::ok);
  const JsonRef plain = tree.root().first();
  EXPECT_EQ(plain.as_string().data(), text.data() + 2);  // a view into the input
  EXPECT_EQ(plain.next().as_string(),
            std::string("tab\tquote\"slash/\xC3\xA9\xF0\x9F\x98\x80\0end", 26));
}

TEST(JsonTree, ListsRepeatedKeysAndUsesTheLastValue) {
  JsonTree tree;
  ASSERT_EQ(parse(tree, R"({"k": 1, "x": {"k": 2, "k": 3}, "k": 4, "a\u0062": 5, "ab": 6})"),
            JsonTree::Outcome::ok);
  EXPECT_EQ(tree.duplicate_keys(), (std::vector<std::string>{"ab", "k"}));
  EXPECT_EQ(tree.root().find("k").as_unsigned(), 4u);
  EXPECT_EQ(tree.root().find("x").find("k").as_unsigned(), 3u);
}

TEST(JsonTree, RefusesNestingPastTheLimitAtTheBracket) {
  JsonTree tree;
  std::size_t offset = 0;
  EXPECT_EQ(tree.parse("[[[[1]]]]", 4, offset), JsonTree::Outcome::ok);
  EXPECT_EQ(tree.parse(R"({"a": [[[[1]]]]})", 4, offset), JsonTree::Outcome::too_deep);
  EXPECT_EQ(offset, 9u);
}

// Every text is accepted by JsonTree exactly when nlohmann accepts it.
TEST(JsonTree, AcceptsExactlyWhatNlohmannAccepts) {
  const std::vector<std::string> texts = {
      "{}", "[]", "0", "-0", "1.0", "1e5", "1E+5", "1e-5", "-1.5e-300", "1e-999", "\"\"", "null",
      " \t\r\n{} \n", "\xEF\xBB\xBF{}", "\xEF\xBB{}", " \xEF\xBB\xBF{}",
      R"({"a":1,"b":[true,false,null]})", R"("\u00e9")", R"("\ud83d\ude00")",
      // refused
      "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{1:2}", "01", "-", "+1",
      ".5", "1.", "1e", "1e+", "tru", "nul", "True", "NaN", "Infinity", "1E999", "-1e400", "\"abc",
      "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"",
      "\"\xC3\"", "\"\xFF\"", "{} {}", "[1] x", "'a'", "[1 2]", "\"\x01\"", "/* c */ {}",
      "{\"a\":1}\0"};
  for (const std::string& text : texts) {
    JsonTree tree;
    const bool ours = parse(tree, text) == JsonTree::Outcome::ok;
    EXPECT_EQ(ours, nlohmann::json::accept(text)) << "text: " << text;
  }
}

// nlohmann stops reading at a NUL byte and ignores what follows; JsonTree does not.
TEST(JsonTree, RefusesBytesAfterANul) {
  const std::string text("{\"a\":1}\0garbage", 15);
  JsonTree tree;
  EXPECT_TRUE(nlohmann::json::accept(std::string_view(text)));
  EXPECT_EQ(parse(tree, text), JsonTree::Outcome::invalid);
}

}  // namespace
}  // namespace tlsrpt

namespace tlsrpt {
namespace {

// Every way a text is not JSON is said in words, at the byte where it was noticed: the one reader
// words its own errors (no second parse).
TEST(JsonTree, SaysWhyATextIsNotJsonAndWhere) {
  const std::vector<std::tuple<std::string, std::size_t, std::string>> cases{
      {"", 0, "the text ends where a value should be"},
      {"{\"a\": ,}", 6, "',' where a value should be"},
      {"{\"a\": 1,}", 8, "'}' where a key in double quotes should be"},
      {"{\"a\" 1}", 5, "'1' after a key, where ':' should be"},
      {"{\"a\": 1 \"b\": 2}", 8, "'\"' after a member, where ',' or '}' should be"},
      {"[1 2]", 3, "'2' after an element, where ',' or ']' should be"},
      {"{} x", 3, "'x' after the end of the JSON value"},
      {"[tru]", 4, "']' inside a literal: expected true, false or null"},
      {"[nul", 4, "the text ends inside a literal (true, false or null)"},
      {"[\"abc", 5, "the text ends inside a string"},
      {"[\"a\x01\"]", 3, "the control character \\x01 inside a string (it must be escaped)"},
      {"[\"a\xFF\"]", 3, "\\xFF inside a string is not UTF-8"},
      {"[\"\\q\"]", 3, "'q' after a backslash: not an escape of JSON"},
      {"[\"\\u12G4\"]", 6, "'G' in a \\u escape, where a hexadecimal digit should be"},
      {"[\"\\uDC00\"]", 2, "a \\u escape of a low surrogate without the high one before it"},
      {"[\"\\uD800x\"]", 8, "'x' after a \\u escape of a high surrogate, where the low one should be"},
      {"[-x]", 2, "'x' after '-', where a digit should be"},
      {"[1.]", 3, "']' after a decimal point, where a digit should be"},
      {"[1e+]", 4, "']' in an exponent, where a digit should be"},
      {"[1e999]", 1, "a number too large for a double"},
      {"[\x80]", 1, "\\x80 where a value should be"},
  };
  for (const auto& [text, offset, message] : cases) {
    JsonTree tree;
    std::size_t at = 0;
    EXPECT_EQ(tree.parse(text, 64, at), JsonTree::Outcome::invalid) << text;
    EXPECT_EQ(at, offset) << text;
    EXPECT_EQ(tree.error(), message) << text;
  }
}

}  // namespace
}  // namespace tlsrpt
