// libFuzzer target: the bounded zip reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlsrpt/error.hpp"
#include "tlsrpt/zip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    std::uint64_t total = 0;
    for (const tlsrpt::ZipEntry& entry :
         tlsrpt::unzip(std::string_view(reinterpret_cast<const char*>(data), size), 1 << 20)) {
      total += entry.data.size();
    }
    if (total > (1u << 20)) __builtin_trap();
  } catch (const tlsrpt::InputError&) {
  }
  return 0;
}
