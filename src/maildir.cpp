#include "tlsrpt/maildir.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tlsrpt {

namespace {

constexpr std::string_view kMarker = ".sha256-";  // in a file name: the content hash follows

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

void make_directory(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create", path);
}

void sync_directory(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const int result = fsync(fd);
  close(fd);
  if (result != 0) fail("cannot flush", path);
}

}  // namespace

MaildirWriter::MaildirWriter(std::string directory) : directory_(std::move(directory)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
  make_directory(directory_);
  for (const char* sub : {"tmp", "new", "cur"}) make_directory(directory_ + "/" + sub);
  for (const char* sub : {"new", "cur"}) {
    const std::string path = directory_ + "/" + sub;
    DIR* listing = opendir(path.c_str());
    if (!listing) fail("cannot read", path);
    while (const dirent* entry = readdir(listing)) {
      const std::string_view name = entry->d_name;
      const auto at = name.find(kMarker);
      if (at != std::string_view::npos && name.size() >= at + kMarker.size() + 32) {
        hashes_.emplace(name.substr(at + kMarker.size(), 32));
      }
    }
    closedir(listing);
  }
}

std::string MaildirWriter::content_hash(std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(message.data(), message.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string MaildirWriter::deliver(std::string_view message, const std::string& hash) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  for (char* c = host; *c; ++c) {
    if (*c == '/' || *c == ':') *c = '_';
  }
  const std::string name = fmt::format("{}.P{}Q{}{}{}.{}", std::time(nullptr), getpid(), ++counter_,
                                       kMarker, hash, host);
  const std::string temporary = directory_ + "/tmp/" + name;
  const std::string final_path = directory_ + "/new/" + name;
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create", temporary);
  std::size_t written = 0;
  while (written < message.size()) {
    const ssize_t result = write(fd, message.data() + written, message.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      close(fd);
      unlink(temporary.c_str());
      errno = saved;
      fail("cannot write", temporary);
    }
    written += static_cast<std::size_t>(result);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    const int saved = errno;
    unlink(temporary.c_str());
    errno = saved;
    fail("cannot flush", temporary);
  }
  if (rename(temporary.c_str(), final_path.c_str()) != 0) {
    const int saved = errno;
    unlink(temporary.c_str());
    errno = saved;
    fail("cannot move into new/", temporary);
  }
  sync_directory(directory_ + "/new");
  hashes_.insert(hash);
  return final_path;
}

}  // namespace tlsrpt
