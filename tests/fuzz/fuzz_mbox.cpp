// libFuzzer target: the mbox splitter, with a small message limit so oversize paths run too.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "tlsrpt/mbox.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  tlsrpt::MboxReader reader(in, 4096);
  tlsrpt::MboxMessage message;
  std::uint64_t total = 0;
  while (reader.next(message)) {
    if (message.text.size() > 4096) __builtin_trap();
    total += message.text.size();
  }
  if (total > size) __builtin_trap();
  return 0;
}
