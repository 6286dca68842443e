#include "tlsrpt/zip.hpp"

#include <array>

#include <fmt/format.h>
#include <zlib.h>

#include "tlsrpt/error.hpp"

namespace tlsrpt {

namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::size_t kMaxEntries = 1000;

std::uint32_t read_le(std::string_view bytes, std::size_t offset, int width) {
  if (offset + static_cast<std::size_t>(width) > bytes.size()) {
    throw InputError(fmt::format("byte {}", offset), "zip: truncated archive");
  }
  std::uint32_t value = 0;
  for (int i = width - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(i)]);
  }
  return value;
}

std::string inflate_raw(std::string_view data, std::size_t offset, std::uint64_t budget) {
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    throw InputError("", "zip: cannot initialise zlib");
  std::string output;
  std::array<unsigned char, 64 * 1024> buffer;  // not zeroed: written before read
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = buffer.size() - stream.avail_out;
    const std::size_t at = offset + stream.total_in;
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw InputError(fmt::format("byte {}", at),
                       status == Z_BUF_ERROR ? "zip: truncated entry" : "zip: corrupt entry");
    }
    if (output.size() + produced > budget) {
      inflateEnd(&stream);
      throw InputError(
          fmt::format("byte {}", at),
          "zip: inflates to more than the limit (raise it with --max-inflated-size if genuine)");
    }
    output.append(reinterpret_cast<const char*>(buffer.data()), produced);
    if (status == Z_OK && produced == 0 && stream.avail_in == 0) {
      inflateEnd(&stream);
      throw InputError(fmt::format("byte {}", at), "zip: truncated entry");
    }
  }
  inflateEnd(&stream);
  return output;
}

}  // namespace

std::vector<ZipEntry> unzip(std::string_view archive, std::uint64_t max_output_bytes) {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = archive.size() > 22 + 65535 ? archive.size() - 22 - 65535 : 0;
  for (std::size_t i = archive.size() >= 22 ? archive.size() - 22 + 1 : 0; i-- > lowest;) {
    if (read_le(archive, i, 4) == kEndOfCentralDirectory) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) {
    throw InputError(fmt::format("byte {}", archive.size()),
                     "zip: no central directory (truncated archive?)");
  }
  const std::uint32_t count = read_le(archive, eocd + 10, 2);
  std::size_t offset = read_le(archive, eocd + 16, 4);
  if (count > kMaxEntries) throw InputError(fmt::format("byte {}", eocd), "zip: too many entries");
  std::vector<ZipEntry> entries;
  std::uint64_t budget = max_output_bytes;
  for (std::uint32_t n = 0; n < count; ++n) {
    if (read_le(archive, offset, 4) != kCentralHeader) {
      throw InputError(fmt::format("byte {}", offset), "zip: corrupt central directory");
    }
    const std::uint32_t flags = read_le(archive, offset + 8, 2);
    const std::uint32_t method = read_le(archive, offset + 10, 2);
    const std::uint32_t crc = read_le(archive, offset + 16, 4);
    const std::uint32_t compressed = read_le(archive, offset + 20, 4);
    const std::uint32_t size = read_le(archive, offset + 24, 4);
    const std::uint32_t name_length = read_le(archive, offset + 28, 2);
    const std::uint32_t extra_length = read_le(archive, offset + 30, 2);
    const std::uint32_t comment_length = read_le(archive, offset + 32, 2);
    const std::size_t local = read_le(archive, offset + 42, 4);
    if (offset + 46 + name_length > archive.size())
      throw InputError(fmt::format("byte {}", offset), "zip: truncated archive");
    ZipEntry entry;
    entry.name = std::string(archive.substr(offset + 46, name_length));
    const std::size_t where = offset;
    offset += 46 + name_length + extra_length + comment_length;
    if (entry.name.ends_with('/')) continue;
    if (flags & 1u)
      throw InputError(fmt::format("byte {}", where),
                       fmt::format("zip: entry {} is encrypted", entry.name));
    if (compressed == 0xFFFFFFFFu || size == 0xFFFFFFFFu || local == 0xFFFFFFFFu) {
      throw InputError(fmt::format("byte {}", where), "zip: zip64 archives are not supported");
    }
    if (read_le(archive, local, 4) != kLocalHeader)
      throw InputError(fmt::format("byte {}", local), "zip: corrupt local header");
    const std::size_t data_start =
        local + 30 + read_le(archive, local + 26, 2) + read_le(archive, local + 28, 2);
    if (data_start + compressed > archive.size()) {
      throw InputError(fmt::format("byte {}", archive.size()),
                       fmt::format("zip: entry {} is truncated", entry.name));
    }
    const std::string_view data = archive.substr(data_start, compressed);
    if (method == 0) {
      if (compressed > budget)
        throw InputError(fmt::format("byte {}", data_start), "zip: larger than the limit");
      entry.data = std::string(data);
    } else if (method == 8) {
      entry.data = inflate_raw(data, data_start, budget);
    } else {
      throw InputError(
          fmt::format("byte {}", where),
          fmt::format("zip: entry {} uses compression method {}; only stored and deflate are read",
                      entry.name, method));
    }
    budget -= entry.data.size();
    const auto actual =
        static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(entry.data.data()),
                                         static_cast<uInt>(entry.data.size())));
    if (entry.data.size() != size || actual != crc) {
      throw InputError(fmt::format("byte {}", data_start),
                       fmt::format("zip: entry {} fails its CRC check", entry.name));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace tlsrpt
