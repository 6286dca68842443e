#include "tlsrpt/input.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "tlsrpt/gzip.hpp"
#include "tlsrpt/limits.hpp"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tlsrpt {

namespace fs = std::filesystem;

namespace {

// More than `max_bytes` came from a stream whose size is not known up front (a pipe, stdin).
[[noreturn]] void stream_too_large(std::uint64_t max_bytes) {
  throw InputError(fmt::format("byte {}", max_bytes),
                   fmt::format("larger than {} bytes (the limit; raise it with --max-file-size "
                               "if the input is genuine)",
                               max_bytes));
}

Diagnostic walk_error(const std::string& path, const std::string& message) {
  return Diagnostic{Severity::error, path, "", message, "unreadable_path"};
}

// A Maildir has cur/, new/ and tmp/; two of them are enough (an empty one may be lost in a copy
// or a git checkout).
bool is_maildir(const fs::path& directory) {
  std::error_code error;
  int present = 0;
  for (const char* sub : {"cur", "new", "tmp"})
    present += fs::is_directory(directory / sub, error) ? 1 : 0;
  return present >= 2;
}

// What a directory entry is, symbolic links followed as far as they lead.
struct EntryType {
  bool symlink = false;
  bool directory = false;  // a directory, or a symlink to one
  bool regular = false;    // a regular file, or a symlink to one
  bool broken = false;     // a symlink that leads nowhere
};

EntryType entry_type(int directory_fd, const char* name, unsigned char d_type) {
  EntryType type;
  struct stat status {};
  if (d_type == DT_UNKNOWN) {  // some file systems do not say: ask
    if (::fstatat(directory_fd, name, &status, AT_SYMLINK_NOFOLLOW) != 0) return type;
    d_type = S_ISLNK(status.st_mode)   ? DT_LNK
             : S_ISDIR(status.st_mode) ? DT_DIR
             : S_ISREG(status.st_mode) ? DT_REG
                                       : DT_UNKNOWN;
  }
  if (d_type == DT_LNK) {
    type.symlink = true;
    if (::fstatat(directory_fd, name, &status, 0) != 0) {
      type.broken = true;
      return type;
    }
    type.directory = S_ISDIR(status.st_mode);
    type.regular = S_ISREG(status.st_mode);
    return type;
  }
  type.directory = d_type == DT_DIR;
  type.regular = d_type == DT_REG;
  return type;
}

// Entries of one directory are handed out in name order, at most `held` (kWalkBatch) of them held
// at once: each pass over the listing keeps the `held` smallest names after the last one handed
// out, so that a directory of a million files costs no more memory than one of 65,536. Every
// directory but a huge flat one (a Maildir's cur/ of years) is walked in one pass.
struct Listed {
  std::string name;
  EntryType type;
  bool operator<(const Listed& other) const { return name < other.name; }
};

// One pass over `directory`: its entries after `after` (all with nullptr), the `held` smallest,
// sorted; `complete` when no entry after them is left. readdir and one string per entry:
// std::filesystem's iterator built two path objects per file, a fifth of the calling thread's work
// on a directory of small reports. Returns errno of a listing that failed (0 otherwise).
int list_batch(const std::string& directory, bool maildir, const std::string* after,
               std::size_t held, std::vector<Listed>& batch, bool& complete) {
  batch.clear();
  complete = true;
  std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(directory.c_str()), ::closedir);
  DIR* const dir = listing.get();
  if (dir == nullptr) return errno;
  const std::string prefix = directory.ends_with('/') ? directory : directory + '/';
  std::size_t qualifying = 0;
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) return errno;
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (after != nullptr && name <= *after) continue;
    if (qualifying >= held && name >= batch.front().name) {  // batch is a max-heap here
      complete = false;
      continue;
    }
    const bool hidden = name.starts_with('.');
    const EntryType type = entry_type(::dirfd(dir), entry->d_name, entry->d_type);
    // A Maildir: messages are in cur/ and new/ (tmp/ holds deliveries in progress); its
    // Maildir++ subfolders are hidden directories that are Maildirs themselves. Everything
    // else in it (dovecot indexes, uidlists) is the mail server's.
    if (maildir) {
      if (!type.directory) continue;
      if (name != "cur" && name != "new" && !(hidden && is_maildir(prefix + entry->d_name)))
        continue;
    } else if (hidden && !(type.directory && is_maildir(prefix + entry->d_name))) {
      continue;
    }
    if (++qualifying > held) {
      std::pop_heap(batch.begin(), batch.end());
      batch.pop_back();
      complete = false;
    }
    batch.push_back(Listed{std::string(name), type});
    std::push_heap(batch.begin(), batch.end());
  }
}

void walk_directory(const std::string& directory, int depth, std::size_t held,
                    const std::function<void(const std::string&, bool)>& visit,
                    const std::function<void(Diagnostic)>& problem) {
  if (depth > kMaxDirectoryDepth) {
    problem(walk_error(directory, fmt::format("directories nested deeper than {}; not walked",
                                              kMaxDirectoryDepth)));
    return;
  }
  const std::string prefix = directory.ends_with('/') ? directory : directory + '/';
  const bool maildir = is_maildir(directory);
  std::vector<Listed> batch;
  std::string after;
  for (bool first = true;; first = false) {
    bool complete = true;
    const int list_error =
        list_batch(directory, maildir, first ? nullptr : &after, held, batch, complete);
    // The listing is closed before walking deeper: one open directory at a time.
    if (list_error != 0) {
      problem(walk_error(directory,
                         fmt::format("cannot list directory: {}", std::strerror(list_error))));
    }
    std::sort_heap(batch.begin(), batch.end());
    for (const Listed& entry : batch) {
      // Symlinked directories are not followed inside a walk: that is how loops are avoided.
      if (entry.type.directory && !entry.type.symlink) {
        walk_directory(prefix + entry.name, depth + 1, held, visit, problem);
      } else if (entry.type.regular) {
        visit(prefix + entry.name, true);
      } else if (entry.type.broken) {
        problem(walk_error(prefix + entry.name, "broken symbolic link"));
      }
      // Sockets, FIFOs, devices and symlinks to directories are passed over.
    }
    if (complete || batch.empty() || list_error != 0) return;
    after = batch.back().name;
  }
}

}  // namespace

void walk_paths(const std::vector<std::string>& paths,
                const std::function<void(const std::string& path, bool regular)>& visit,
                const std::function<void(Diagnostic)>& problem, std::size_t held) {
  for (const std::string& path : paths) {
    if (path == "-") {
      visit(path, false);
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      problem(walk_error(path, "no such file or directory"));
    } else if (fs::is_directory(status)) {
      walk_directory(path, 0, std::max<std::size_t>(1, held), visit, problem);
    } else {
      // Named explicitly: read it whatever it is (a FIFO or /dev/stdin works too).
      visit(path, fs::is_regular_file(status));
    }
  }
}

std::string read_stream_capped(std::istream& in, std::uint64_t max_bytes) {
  std::string data;
  std::array<char, 64 * 1024> buffer;  // not zeroed: written before read
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (data.size() + got > max_bytes) {
      stream_too_large(max_bytes);
    }
    data.append(buffer.data(), got);
  }
  if (in.bad()) throw InputError(fmt::format("byte {}", data.size()), "read error");
  return data;
}

namespace {

[[noreturn]] void too_large(std::uint64_t size, std::uint64_t max_bytes) {
  throw InputError("", fmt::format("file is {} bytes, larger than the limit of {} bytes (raise it "
                                   "with --max-file-size if the input is genuine)",
                                   size, max_bytes));
}

// read(2) until `count` bytes or the end of the file; returns the number read. With
// `short_read_ends`, a read that returns less than asked is taken as the end (a regular file).
std::size_t read_some(int fd, char* data, std::size_t count, std::size_t offset,
                      bool short_read_ends) {
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got = ::read(fd, data + done, count - done);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw InputError(fmt::format("byte {}", offset + done),
                       fmt::format("read error: {}", std::strerror(errno)));
    }
    done += static_cast<std::size_t>(got);
    if (short_read_ends) break;  // all asked for, or the end
  }
  return done;
}

}  // namespace

InputFile::InputFile(const std::string& path, std::string& buffer)
    : InputFile(AT_FDCWD, path, buffer) {}

InputFile::InputFile(int directory, const std::string& name, std::string& buffer)
    : buffer_(buffer) {
  fd_ = ::openat(directory, name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError("", fmt::format("cannot open: {}", std::strerror(errno)));
}

DirectoryCache::~DirectoryCache() {
  if (fd_ >= 0) ::close(fd_);
}

InputFile DirectoryCache::open(const std::string& path, std::string& buffer) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == path.size())
    return InputFile(path, buffer);
  const std::string_view directory(path.data(), slash);
  if (fd_ < 0 || directory != directory_) {
    if (fd_ >= 0) ::close(fd_);
    directory_.assign(directory);
    fd_ = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd_ < 0) return InputFile(path, buffer);
  return InputFile(fd_, path.substr(slash + 1), buffer);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool InputFile::read_more() {
  const std::size_t want = buffer_.size() - used_;
  const std::size_t got = read_some(fd_, buffer_.data() + used_, want, used_, short_read_ends_);
  used_ += got;
  at_end_ = got < want;  // read_some stops short only at the end of the file (as it takes it)
  return !at_end_;
}

std::string_view InputFile::head(std::size_t count) {
  constexpr std::size_t kFirstRead = 64 * 1024;
  if (buffer_.size() < std::max(count, kFirstRead)) buffer_.resize(std::max(count, kFirstRead));
  while (used_ < count && !at_end_) read_more();
  if (used_ == 0 && !at_end_) read_more();  // count 0: still one read
  return std::string_view(buffer_.data(), std::min(count, used_));
}

bool InputFile::regular() const { return regular_size().has_value(); }

std::optional<std::uint64_t> InputFile::regular_size() const {
  struct stat status {};
  if (::fstat(fd_, &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(status.st_size);
}

std::string_view InputFile::read_all(std::uint64_t max_bytes) {
  head(0);
  if (!at_end_) {  // more than the first read: refuse a regular file over the limit unread
    if (const auto size = regular_size(); size && *size > max_bytes) too_large(*size, max_bytes);
  }
  while (!at_end_ && used_ <= max_bytes) {
    if (used_ == buffer_.size()) {  // full: twice the room, up to one byte past the limit
      buffer_.resize(static_cast<std::size_t>(
          std::min<std::uint64_t>(std::max<std::size_t>(buffer_.size() * 2, 64 * 1024),
                                  max_bytes == UINT64_MAX ? max_bytes : max_bytes + 1)));
      if (used_ == buffer_.size()) break;
    }
    read_more();
  }
  if (used_ > max_bytes) {
    if (const auto size = regular_size()) too_large(*size, max_bytes);  // it grew while read
    stream_too_large(max_bytes);
  }
  return std::string_view(buffer_.data(), used_);
}

std::string read_file_capped(const std::string& path, std::uint64_t max_bytes) {
  std::string buffer;
  return std::string(InputFile(path, buffer).read_all(max_bytes));
}

}  // namespace tlsrpt
