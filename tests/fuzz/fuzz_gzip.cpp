// libFuzzer target: bounded gunzip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlsrpt/error.hpp"
#include "tlsrpt/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const std::string out =
        tlsrpt::gunzip(std::string_view(reinterpret_cast<const char*>(data), size), 1 << 20);
    if (out.size() > (1u << 20)) __builtin_trap();
  } catch (const tlsrpt::InputError&) {
  }
  return 0;
}
