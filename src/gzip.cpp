#include "tlsrpt/gzip.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>
#include <zlib.h>

#include "tlsrpt/error.hpp"

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

}  // namespace

std::string gunzip(std::string_view compressed, std::uint64_t max_output_bytes) {
  std::string output;
  std::size_t offset = 0;
  // Not value-initialized: zeroing 64 KiB per report was a sixth of the run time.
  std::array<unsigned char, 64 * 1024> buffer;
  while (true) {
    Inflater inflater;
    z_stream& stream = inflater.stream();
    const std::string_view member = compressed.substr(offset);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
    // Reports are far below 4 GiB; larger input is cut by the file-size limit before this.
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(member.size(), UINT32_MAX));
    int status = Z_OK;
    while (status != Z_STREAM_END) {
      stream.next_out = buffer.data();
      stream.avail_out = static_cast<uInt>(buffer.size());
      status = inflate(&stream, Z_NO_FLUSH);
      const std::size_t consumed = offset + stream.total_in;
      if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
        throw InputError(fmt::format("byte {}", consumed),
                         fmt::format("gzip: corrupt data ({})", stream.msg ? stream.msg : "error"));
      }
      const std::size_t produced = buffer.size() - stream.avail_out;
      if (output.size() + produced > max_output_bytes) {
        throw InputError(fmt::format("byte {}", consumed),
                         fmt::format("gzip: inflates to more than {} bytes (the limit; raise it "
                                     "with --max-inflated-size if the report is genuine)",
                                     max_output_bytes));
      }
      output.append(reinterpret_cast<const char*>(buffer.data()), produced);
      if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && produced == 0)) {
        throw InputError(fmt::format("byte {}", consumed),
                         "gzip: truncated data (the file ends before the end of the stream)");
      }
    }
    offset += stream.total_in;
    const std::string_view rest = compressed.substr(offset);
    if (rest.empty() || only_zeros(rest)) return output;
    if (!has_gzip_magic(rest)) {
      throw InputError(
          fmt::format("byte {}", offset),
          fmt::format("gzip: {} bytes of trailing data after the end of the stream", rest.size()));
    }
    // Another member: gunzip concatenates them.
  }
}

}  // namespace tlsrpt
