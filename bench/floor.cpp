// The decompression floor: read every file under the given paths and inflate it with zlib, doing
// nothing else, on one thread. Files are read with open/read into one reused buffer and inflated
// into another (the cheapest way to touch every byte), so the floor is a fair lower bound for one
// core; bench/run compares tlsrpt against it.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <zlib.h>

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
    } else {
      files.emplace_back(argv[i]);
    }
  }
  unsigned long long total = 0;
  std::vector<unsigned char> in(1 << 20);
  std::vector<unsigned char> out(1 << 20);
  z_stream stream{};
  inflateInit2(&stream, 16 + MAX_WBITS);
  for (const std::string& file : files) {
    const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    std::size_t size = 0;
    for (ssize_t got; (got = read(fd, in.data() + size, in.size() - size)) > 0;) {
      size += static_cast<std::size_t>(got);
      if (size == in.size()) in.resize(in.size() * 2);
    }
    close(fd);
    inflateReset(&stream);
    stream.next_in = in.data();
    stream.avail_in = static_cast<uInt>(size);
    int status = Z_OK;
    while (status == Z_OK) {
      stream.next_out = out.data();
      stream.avail_out = static_cast<uInt>(out.size());
      status = inflate(&stream, Z_NO_FLUSH);
      total += out.size() - stream.avail_out;
    }
  }
  inflateEnd(&stream);
  std::printf("{\"files\": %zu, \"inflated_bytes\": %llu}\n", files.size(), total);
}
