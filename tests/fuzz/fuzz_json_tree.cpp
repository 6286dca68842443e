// libFuzzer target: JsonTree against nlohmann. Property: JsonTree accepts a text exactly when
// nlohmann does (within the nesting limit), and then reads the same document: same values, same
// number types, the last of repeated keys. (Except after a NUL byte, which nlohmann takes for the
// end of the input.)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tlsrpt/json_tree.hpp"

namespace {

nlohmann::json convert(tlsrpt::JsonRef value) {
  switch (value.type()) {
    case tlsrpt::JsonType::null:
      return nullptr;
    case tlsrpt::JsonType::boolean:
      return value.as_bool();
    case tlsrpt::JsonType::unsigned_number:
      return value.as_unsigned();
    case tlsrpt::JsonType::signed_number:
      return value.as_signed();
    case tlsrpt::JsonType::float_number:
      return value.as_double();
    case tlsrpt::JsonType::string:
      return std::string(value.as_string());
    case tlsrpt::JsonType::array: {
      nlohmann::json array = nlohmann::json::array();
      for (tlsrpt::JsonRef element = value.first(); element; element = element.next())
        array.push_back(convert(element));
      return array;
    }
    case tlsrpt::JsonType::object: {
      nlohmann::json object = nlohmann::json::object();
      for (tlsrpt::JsonRef member = value.first(); member; member = member.next())
        object[std::string(member.key())] = convert(member);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tlsrpt::JsonTree tree;
  std::size_t offset = 0;
  const auto outcome = tree.parse(text, 64, offset);
  if (outcome == tlsrpt::JsonTree::Outcome::too_deep) return 0;
  bool ours = outcome == tlsrpt::JsonTree::Outcome::ok;
  nlohmann::json theirs;
  bool accepted = true;
  try {
    theirs = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    accepted = false;
  }
  if (!ours && accepted) {
    // The one difference allowed: nlohmann takes a NUL byte for the end of the input and ignores
    // what follows; JsonTree refuses anything after the value. The part before the NUL must agree.
    const std::size_t nul = text.find('\0');
    if (nul == std::string_view::npos ||
        tree.parse(text.substr(0, nul), 64, offset) != tlsrpt::JsonTree::Outcome::ok)
      __builtin_trap();
    ours = true;
  }
  if (ours != accepted) __builtin_trap();
  if (ours && convert(tree.root()).dump() != theirs.dump()) __builtin_trap();
  return 0;
}
