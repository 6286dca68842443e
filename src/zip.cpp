#include "tlsrpt/zip.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <zlib.h>

#include "tlsrpt/error.hpp"
#include <libdeflate.h>

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

// A deflate stream of `stated` bytes by the central directory, with libdeflate: "" when it is
// not exactly that, or more than `budget`.
std::string inflate_fast(std::string_view data, std::uint32_t stated, std::uint64_t budget) {
  struct Owner {
    libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
    ~Owner() { libdeflate_free_decompressor(decompressor); }
  };
  thread_local Owner owner;
  std::string output;
  if (owner.decompressor == nullptr || stated == 0 || stated > budget) return output;
  output.resize(stated);
  std::size_t in = 0, out = 0;
  const libdeflate_result result = libdeflate_deflate_decompress_ex(
      owner.decompressor, data.data(), data.size(), output.data(), output.size(), &in, &out);
  if (result != LIBDEFLATE_SUCCESS || out != stated) output.clear();
  return output;
}

}  // namespace

std::vector<ZipEntry> unzip_within(std::string_view archive, std::uint64_t& budget) {
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

  // First the central directory: where each entry's data lies. An entry that cannot be read is
  // an error of its own; the others are still read.
  struct Located {
    ZipEntry entry;
    std::uint32_t method = 0, crc = 0, size = 0;
    std::size_t data_start = 0, compressed = 0;
  };
  std::vector<Located> located;
  for (std::uint32_t n = 0; n < count; ++n) {
    if (read_le(archive, offset, 4) != kCentralHeader) {
      throw InputError(fmt::format("byte {}", offset), "zip: corrupt central directory");
    }
    Located item;
    const std::uint32_t flags = read_le(archive, offset + 8, 2);
    item.method = read_le(archive, offset + 10, 2);
    item.crc = read_le(archive, offset + 16, 4);
    item.compressed = read_le(archive, offset + 20, 4);
    item.size = read_le(archive, offset + 24, 4);
    const std::uint32_t name_length = read_le(archive, offset + 28, 2);
    const std::uint32_t extra_length = read_le(archive, offset + 30, 2);
    const std::uint32_t comment_length = read_le(archive, offset + 32, 2);
    const std::size_t local = read_le(archive, offset + 42, 4);
    if (offset + 46 + name_length > archive.size())
      throw InputError(fmt::format("byte {}", offset), "zip: truncated archive");
    ZipEntry& entry = item.entry;
    entry.name = std::string(archive.substr(offset + 46, name_length));
    const std::size_t where = offset;
    offset += 46 + name_length + extra_length + comment_length;
    if (entry.name.ends_with('/')) continue;
    const auto fail = [&](std::size_t at, std::string message) {
      entry.error_where = fmt::format("byte {}", at);
      entry.error = std::move(message);
    };
    if (flags & 1u) {
      fail(where, fmt::format("zip: entry {} is encrypted", entry.name));
    } else if (item.compressed == 0xFFFFFFFFu || item.size == 0xFFFFFFFFu || local == 0xFFFFFFFFu) {
      fail(where, "zip: zip64 entries are not supported");
    } else if (item.method != 0 && item.method != 8) {
      fail(where,
           fmt::format("zip: entry {} uses compression method {}; only stored and deflate are read",
                       entry.name, item.method));
    } else if (local + 30 > archive.size() || read_le(archive, local, 4) != kLocalHeader) {
      fail(local, "zip: corrupt local header");
    } else {
      item.data_start =
          local + 30 + read_le(archive, local + 26, 2) + read_le(archive, local + 28, 2);
      if (item.data_start + item.compressed > archive.size()) {
        fail(archive.size(), fmt::format("zip: entry {} is truncated", entry.name));
      }
    }
    located.push_back(std::move(item));
  }

  // Entries whose data overlap are a zip bomb (one compressed stream listed a thousand times): the
  // archive is refused.
  std::vector<const Located*> by_start;
  for (const Located& item : located) {
    if (item.entry.error.empty()) by_start.push_back(&item);
  }
  std::stable_sort(by_start.begin(), by_start.end(), [](const Located* a, const Located* b) {
    return a->data_start < b->data_start;
  });
  for (std::size_t i = 1; i < by_start.size(); ++i) {
    const Located& before = *by_start[i - 1];
    const Located& after = *by_start[i];
    if (after.data_start < before.data_start + std::max<std::size_t>(before.compressed, 1)) {
      throw InputError(fmt::format("byte {}", after.data_start),
                       fmt::format("zip: entries {} and {} share their data (a zip bomb); the "
                                   "archive is not read",
                                   before.entry.name, after.entry.name));
    }
  }

  std::vector<ZipEntry> entries;
  for (Located& item : located) {
    ZipEntry& entry = item.entry;
    if (entry.error.empty()) {
      const std::string_view data = archive.substr(item.data_start, item.compressed);
      try {
        if (item.method == 0) {
          if (item.compressed > budget) {
            throw InputError(fmt::format("byte {}", item.data_start),
                             "zip: inflates to more than the limit (raise it with "
                             "--max-inflated-size if genuine)");
          }
          entry.data = std::string(data);
        } else {
          entry.data = inflate_fast(data, item.size, budget);
          // Corrupt, truncated, or not the size the directory says: zlib reads it again, to say
          // exactly what is wrong and where (or to find that the directory lied about the size,
          // which the CRC check below reports).
          if (item.size == 0 || entry.data.size() != item.size) {
            entry.data = inflate_raw(data, item.data_start, budget);
          }
        }
        budget -= entry.data.size();
        const auto actual =
            static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(entry.data.data()),
                                             static_cast<uInt>(entry.data.size())));
        if (entry.data.size() != item.size || actual != item.crc) {
          entry.data.clear();
          throw InputError(fmt::format("byte {}", item.data_start),
                           fmt::format("zip: entry {} fails its CRC check", entry.name));
        }
      } catch (const InputError& error) {
        entry.error_where = error.where();
        entry.error = error.detail();
        if (budget == 0 || entry.error.find("the limit") != std::string::npos) {
          entries.push_back(std::move(entry));  // the budget is spent: nothing more is read
          break;
        }
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<ZipEntry> unzip(std::string_view archive, std::uint64_t max_output_bytes) {
  return unzip_within(archive, max_output_bytes);
}

}  // namespace tlsrpt
