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
  // Why the entry could not be read ("" when it was): encrypted, zip64, an unknown method, a
  // corrupt local header, truncated or corrupt data, a CRC mismatch, or the budget spent. Its
  // siblings are read all the same.
  std::string error;
  std::string error_where;  // "byte N"
};

// Every file entry of the archive (directories left out), in central-directory order. `budget`
// is what all entries together may inflate to, shared with everything else the same input expands
// to; it is decreased by what they produce, and the entry that would overrun it is the last one
// read (with an error). Throws InputError("byte N", "zip: ...") for an archive that cannot be read
// at all: no or a corrupt central directory, more than 1,000 entries, or entries whose data
// overlap (a zip bomb).
std::vector<ZipEntry> unzip_within(std::string_view archive, std::uint64_t& budget);
// The same with a budget of its own.
std::vector<ZipEntry> unzip(std::string_view archive, std::uint64_t max_output_bytes);

}  // namespace tlsrpt
