// Turning command-line paths into bytes: walk directories, read files with a size cap, and
// recognise what the bytes are by content rather than by name.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/error.hpp"

namespace tlsrpt {

// Calls `visit` with each file named by `paths`, in order. A directory is walked recursively,
// entries sorted by name so runs are reproducible; symlinks to directories inside a walk are
// not followed (no loops). "-" is passed through as is (standard input). Hidden entries
// (".name") inside a walk are skipped, except Maildir++ folders. In a Maildir (a directory with
// two of cur/, new/, tmp/) only cur/, new/ and Maildir++ subfolders are walked. Problems (missing
// path, unreadable directory) go to `problem` as errors; the walk goes on. `regular` tells that the
// path was a regular file when seen (the directory entry's type or a stat, symlinks followed), not
// a FIFO, a device or "-"; see InputFile::mark_regular. At most `held` entries of a directory are
// held at once (the walk streams: a larger directory is listed again for each next `held`).
inline constexpr std::size_t kWalkBatch = 65536;
void walk_paths(const std::vector<std::string>& paths,
                const std::function<void(const std::string& path, bool regular)>& visit,
                const std::function<void(Diagnostic)>& problem, std::size_t held = kWalkBatch);

// One input file, opened once and read with plain POSIX calls into a buffer the caller reuses (no
// stream buffers, and fstat only for a file larger than the first read or an mbox: with 100,000
// small reports the per-file cost is what counts).
class InputFile {
 public:
  // Throws InputError("", "cannot open: ...") when the file cannot be opened. `buffer` is scratch
  // space reused from file to file: it only grows, and holds more than the file's bytes.
  InputFile(const std::string& path, std::string& buffer);
  // The same for `name` in the directory open as `directory` (openat: the kernel resolves one
  // name instead of the whole path).
  InputFile(int directory, const std::string& name, std::string& buffer);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // At least the first `count` bytes (fewer when the file is shorter), kept for read_all: for
  // sniffing. A file of up to 64 KiB is read whole by this call.
  std::string_view head(std::size_t count);
  // The whole file. Throws InputError when it cannot be read or is larger than `max_bytes`.
  std::string_view read_all(std::uint64_t max_bytes);
  // A regular file (not a pipe, a FIFO, a device): one that can be opened again from its start.
  bool regular() const;
  // The caller saw that the file is a regular one (walk_paths): a read that returns less than it
  // asked for has reached the end, so the read that would return 0 (one system call in four per
  // file) is not made. A short read that was not the end can only come from a file that changed
  // while read, or from a file system that breaks the POSIX rule for regular files; the file is
  // then read only up to there, and a report cut short fails to decode, with an error naming it.
  void mark_regular() { short_read_ends_ = true; }

 private:
  // Reads into the free part of the buffer, up to its end; false at the end of the file.
  bool read_more();
  // The file's size when it is a regular file (fstat: only where a decision needs it).
  std::optional<std::uint64_t> regular_size() const;

  int fd_ = -1;
  std::string& buffer_;
  std::size_t used_ = 0;  // bytes of the file in buffer_
  bool at_end_ = false;   // the end of the file has been seen
  bool short_read_ends_ = false;
};

// An open directory kept for the files that follow in it: walks hand files over in directory order,
// so most files are opened relative to the directory of the one before.
class DirectoryCache {
 public:
  DirectoryCache() = default;
  ~DirectoryCache();
  DirectoryCache(const DirectoryCache&) = delete;
  DirectoryCache& operator=(const DirectoryCache&) = delete;
  // Opens `path` relative to its directory when that can be opened; else as given.
  InputFile open(const std::string& path, std::string& buffer);

 private:
  std::string directory_;
  int fd_ = -1;
};

// Reads a whole file. Throws InputError when it cannot be opened or read, or when it is
// larger than `max_bytes`.
std::string read_file_capped(const std::string& path, std::uint64_t max_bytes);
std::string read_stream_capped(std::istream& in, std::uint64_t max_bytes);

}  // namespace tlsrpt
