// Bounded reading of zip archives (PKWARE APPNOTE: stored and deflate entries, no zip64, no
// encryption) with zlib, which the project links already. Knows nothing of TLS-RPT; some
// senders zip their reports, and DMARC reports arrive zipped next to TLS reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

inline bool has_zip_magic(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\x03\x04", 4));
}

struct ZipEntry {
  std::string name;
  std::string data;
};

// Every file entry of the archive (directories left out). Throws InputError("byte N", "zip: ...")
// for a corrupt or truncated archive, an encrypted or zip64 entry, a method other than stored or
// deflate, a CRC mismatch, or output beyond `max_output_bytes` in all.
std::vector<ZipEntry> unzip(std::string_view archive, std::uint64_t max_output_bytes);

}  // namespace tlsrpt
