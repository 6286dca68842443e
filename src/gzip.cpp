#include "tlsrpt/gzip.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>
#include <zlib.h>

#include "tlsrpt/error.hpp"
#include <libdeflate.h>

namespace tlsrpt {

namespace {

// Owns a z_stream set up for gzip decoding.
class Inflater {
 public:
  Inflater() {
    // 16 + MAX_WBITS: gzip wrapper only (RFC 1952).
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {
      throw InputError("", "gzip: cannot initialise zlib");
    }
  }
  ~Inflater() { inflateEnd(&stream_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
};

bool only_zeros(std::string_view bytes) {
  return bytes.find_first_not_of('\0') == std::string_view::npos;
}

// libdeflate's decompressor for this thread.
libdeflate_decompressor* fast_inflater() {
  struct Owner {
    libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
    ~Owner() { libdeflate_free_decompressor(decompressor); }
  };
  thread_local Owner owner;
  if (owner.decompressor == nullptr) throw InputError("", "gzip: cannot initialise libdeflate");
  return owner.decompressor;
}

// Every member of `compressed` into `output` with libdeflate, which inflates a whole member at a
// time into room it is given: the room starts at the trailer's stated size and doubles up to the
// limit. False when a member is corrupt, truncated, or does not fit the limit: the zlib path then
// reads the input again, to say exactly what is wrong and where.
bool gunzip_fast(std::string_view compressed, std::uint64_t max_output_bytes, std::string& output) {
  libdeflate_decompressor* decompressor = fast_inflater();
  // The last member's trailer states its size (mod 2^32): for the usual single member, room for
  // exactly that, if it is plausible (deflate expands at most 1032 times).
  std::uint64_t stated = 0;
  if (compressed.size() >= 18) {
    const auto* tail =
        reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    for (int i = 3; i >= 0; --i) stated = (stated << 8) | tail[i];
    if (stated > std::uint64_t{1032} * compressed.size()) stated = 0;
  }
  std::size_t offset = 0;
  while (true) {
    const std::string_view member = compressed.substr(offset);
    std::size_t room = std::max<std::size_t>(
        {static_cast<std::size_t>(std::min(stated, max_output_bytes)), 4 * member.size(), 4096});
    const std::size_t used = output.size();
    while (true) {
      room = static_cast<std::size_t>(std::min<std::uint64_t>(room, max_output_bytes - used));
      output.resize(used + room);
      std::size_t in = 0, out = 0;
      const libdeflate_result result = libdeflate_gzip_decompress_ex(
          decompressor, member.data(), member.size(), output.data() + used, room, &in, &out);
      if (result == LIBDEFLATE_SUCCESS) {
        output.resize(used + out);
        offset += in;
        break;
      }
      output.resize(used);
      if (result != LIBDEFLATE_INSUFFICIENT_SPACE || used + room >= max_output_bytes) return false;
      room *= 2;
    }
    const std::string_view rest = compressed.substr(offset);
    if (rest.empty() || only_zeros(rest)) return true;
    if (!has_gzip_magic(rest)) return false;  // trailing data: the zlib path says how much
  }
}

}  // namespace

void gunzip(std::string_view compressed, std::uint64_t max_output_bytes, std::string& output) {
  output.clear();
  if (gunzip_fast(compressed, max_output_bytes, output)) return;
  output.clear();
  std::size_t hint = 0;
  // The last member's trailer says how long its output is (mod 2^32): a hint for one allocation,
  // never trusted beyond what deflate can produce from this input or the limit.
  if (compressed.size() >= 18) {
    const auto* tail =
        reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    std::uint64_t stated = 0;
    for (int i = 3; i >= 0; --i) stated = (stated << 8) | tail[i];
    hint = static_cast<std::size_t>(
        std::min({stated, max_output_bytes, std::uint64_t{1032} * compressed.size()}));
    output.reserve(hint + 1);
  }
  // One z_stream per thread, reset for each member: inflateInit allocates its window.
  thread_local Inflater inflater;
  std::size_t offset = 0;
  while (true) {
    z_stream& stream = inflater.stream();
    inflateReset(&stream);
    const std::string_view member = compressed.substr(offset);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
    // Reports are far below 4 GiB; larger input is cut by the file-size limit before this.
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(member.size(), UINT32_MAX));
    int status = Z_OK;
    while (status != Z_STREAM_END) {
      // Inflate straight into the output's free space, growing it as needed.
      const std::size_t used = output.size();
      // (resize zero-fills, so grow by what is expected rather than to the capacity.)
      const std::size_t room =
          used < hint ? hint - used + 1
                      : std::min<std::size_t>(std::max<std::size_t>(used / 2, 16 * 1024),
                                              max_output_bytes - used + 1);
      output.resize(used + room);
      stream.next_out = reinterpret_cast<Bytef*>(output.data() + used);
      stream.avail_out = static_cast<uInt>(std::min<std::size_t>(room, UINT32_MAX));
      status = inflate(&stream, Z_NO_FLUSH);
      const std::size_t produced = std::min<std::size_t>(room, UINT32_MAX) - stream.avail_out;
      output.resize(used + produced);
      const std::size_t consumed = offset + stream.total_in;
      if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
        throw InputError(fmt::format("byte {}", consumed),
                         fmt::format("gzip: corrupt data ({})", stream.msg ? stream.msg : "error"));
      }
      if (output.size() > max_output_bytes) {
        throw InputError(fmt::format("byte {}", consumed),
                         fmt::format("gzip: inflates to more than {} bytes (the limit, or what "
                                     "is left of it for this input; raise it with "
                                     "--max-inflated-size if the report is genuine)",
                                     max_output_bytes));
      }
      if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && produced == 0)) {
        throw InputError(fmt::format("byte {}", consumed),
                         "gzip: truncated data (the file ends before the end of the stream)");
      }
    }
    offset += stream.total_in;
    const std::string_view rest = compressed.substr(offset);
    if (rest.empty() || only_zeros(rest)) return;
    if (!has_gzip_magic(rest)) {
      throw InputError(
          fmt::format("byte {}", offset),
          fmt::format("gzip: {} bytes of trailing data after the end of the stream", rest.size()));
    }
    // Another member: gunzip concatenates them.
  }
}

std::string gunzip(std::string_view compressed, std::uint64_t max_output_bytes) {
  std::string output;
  gunzip(compressed, max_output_bytes, output);
  return output;
}

}  // namespace tlsrpt
