// The JSON reader of reports measured against nlohmann's DOM parser on the same texts: every
// .json.gz under a directory is inflated into memory first, then each parser reads all of them
// three times; the best pass of each is printed (MB/s of JSON text). docs/architecture.md says
// why tlsrpt keeps its own reader (JsonTree). Build and run: bench/run-json-reader DIR
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "tlsrpt/json_tree.hpp"

namespace {

std::string gunzip(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  std::string text;
  char buffer[1 << 16];
  for (int got; file && (got = gzread(file, buffer, sizeof buffer)) > 0;) text.append(buffer, got);
  if (file) gzclose(file);
  return text;
}

template <typename Parse>
double best_seconds(const std::vector<std::string>& texts, Parse parse) {
  double best = 1e9;
  for (int pass = 0; pass < 3; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& text : texts) parse(text);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::size_t limit = argc > 2 ? std::stoul(argv[2]) : 20000;
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (texts.size() == limit) break;
    if (!entry.is_regular_file() || !entry.path().string().ends_with(".json.gz")) continue;
    texts.push_back(gunzip(entry.path().string()));
    bytes += texts.back().size();
  }
  std::size_t values = 0;
  tlsrpt::JsonTree tree;
  const double ours = best_seconds(texts, [&](const std::string& text) {
    std::size_t offset = 0;
    if (tree.parse(text, 64, offset) == tlsrpt::JsonTree::Outcome::ok) values += tree.root().size();
  });
  const double theirs = best_seconds(texts, [&](const std::string& text) {
    values += nlohmann::json::parse(text).size();
  });
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("%zu reports, %.1f MB of JSON\n", texts.size(), mb);
  std::printf("| JsonTree | %.3f s | %.0f MB/s |\n", ours, mb / ours);
  std::printf("| nlohmann::json::parse | %.3f s | %.0f MB/s |\n", theirs, mb / theirs);
  std::printf("(%zu)\n", values);
}
