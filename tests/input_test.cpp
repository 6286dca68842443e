#include "tlsrpt/input.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include <sys/stat.h>
#include <unistd.h>

namespace tlsrpt {
namespace {

using testing::testdata;

TEST(Input, WalksDirectoriesSortedAndSkipsHidden) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "tlsrpt-input-test";
  fs::remove_all(root);
  fs::create_directories(root / "b-dir");
  fs::create_directories(root / ".hidden");
  for (const fs::path& file :
       {root / "c.json", root / "a.json", root / "b-dir" / "x.json", root / ".hidden" / "y"}) {
    std::ofstream(file) << "{}";
  }
  fs::create_directory_symlink(root, root / "loop");
  std::vector<std::string> visited;
  std::vector<Diagnostic> problems;
  walk_paths(
      {root.string(), (root / "missing").string()},
      [&](const std::string& path, bool regular) {
        EXPECT_TRUE(regular) << path;
        visited.push_back(fs::path(path).lexically_relative(root).string());
      },
      [&](Diagnostic problem) { problems.push_back(std::move(problem)); });
  EXPECT_EQ(visited, (std::vector<std::string>{"a.json", "b-dir/x.json", "c.json"}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(format_location(problems[0]),
            (root / "missing").string() + ": no such file or directory");
  fs::remove_all(root);
}

// A directory larger than what the walk holds at once is listed in passes, each handing out the
// next names in order: the same order, every file once, whatever the batch.
TEST(Input, WalksALargeDirectoryInPassesInTheSameOrder) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("tlsrpt-input-passes-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "sub");
  fs::create_directories(root / ".hidden");
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back(fmt::format("r{:03}.json", (i * 17) % 40));
  for (const std::string& name : names) std::ofstream(root / name) << "{}";
  std::ofstream(root / "sub" / "inner.json") << "{}";
  std::ofstream(root / ".hidden" / "skipped.json") << "{}";
  const auto walk = [&](std::size_t held) {
    std::vector<std::string> visited;
    walk_paths(
        {root.string()},
        [&](const std::string& path, bool) {
          visited.push_back(fs::path(path).lexically_relative(root).string());
        },
        [](Diagnostic problem) { ADD_FAILURE() << format_location(problem); }, held);
    return visited;
  };
  const std::vector<std::string> whole = walk(kWalkBatch);
  ASSERT_EQ(whole.size(), 41u);
  EXPECT_TRUE(std::is_sorted(whole.begin(), whole.end()));
  EXPECT_EQ(whole.back(), "sub/inner.json");
  for (const std::size_t held : {1, 2, 7, 40, 41}) EXPECT_EQ(walk(held), whole) << held;
  fs::remove_all(root);
}

TEST(Input, FollowsFileSymlinksReportsBrokenOnesAndPassesOverTheRest) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "tlsrpt-input-links";
  fs::remove_all(root);
  fs::create_directories(root / "d");
  std::ofstream(root / "d" / "r.json") << "{}";
  fs::create_symlink(root / "d" / "r.json", root / "link.json");
  fs::create_symlink(root / "gone.json", root / "broken.json");
  fs::create_directory_symlink(root / "d", root / "dir-link");
  ASSERT_EQ(::mkfifo((root / "fifo").c_str(), 0600), 0);
  std::vector<std::string> visited;
  std::vector<std::string> problems;
  walk_paths(
      {root.string() + "/"},
      [&](const std::string& path, bool regular) {
        EXPECT_TRUE(regular) << path;  // a symlink to a regular file is one
        visited.push_back(path);
      },
      [&](Diagnostic problem) { problems.push_back(format_location(problem)); });
  // Named with a trailing slash: the paths keep it as the separator, one slash each.
  EXPECT_EQ(visited,
            (std::vector<std::string>{root.string() + "/d/r.json", root.string() + "/link.json"}));
  // Named as given, a FIFO is visited (it may be a pipe of reports), as not regular; a file is.
  std::vector<std::pair<std::string, bool>> named;
  walk_paths(
      {(root / "fifo").string(), (root / "link.json").string()},
      [&](const std::string& path, bool regular) { named.emplace_back(path, regular); },
      [](Diagnostic) {});
  EXPECT_EQ(named, (std::vector<std::pair<std::string, bool>>{
                       {(root / "fifo").string(), false}, {(root / "link.json").string(), true}}));
  EXPECT_EQ(problems,
            std::vector<std::string>{root.string() + "/broken.json: broken symbolic link"});
  fs::remove_all(root);
}

TEST(Input, PassesStdinThrough) {
  std::vector<std::string> visited;
  walk_paths(
      {"-"},
      [&](const std::string& path, bool regular) {
        EXPECT_FALSE(regular);
        visited.push_back(path);
      },
      [](Diagnostic) {});
  EXPECT_EQ(visited, std::vector<std::string>{"-"});
}

TEST(Input, CapsWhatItReads) {
  std::istringstream in(std::string(100, 'x'));
  try {
    read_stream_capped(in, 10);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "byte 10: larger than 10 bytes (the limit; raise it with --max-file-size if the "
                 "input is genuine)");
  }
  EXPECT_THROW(read_file_capped(testdata("reports/rfc-style.json"), 100), InputError);
  EXPECT_EQ(read_file_capped(testdata("reports/rfc-style.json"), 1 << 20).size(), 1644u);
  // The largest limit CLI11 takes: nothing wraps around to a limit of 0.
  EXPECT_EQ(read_file_capped(testdata("reports/rfc-style.json"), UINT64_MAX).size(), 1644u);
}

TEST(Input, ReadsAKnownRegularFileWholeAtEverySizeAroundItsReads) {
  namespace fs = std::filesystem;
  const fs::path file = fs::temp_directory_path() / "tlsrpt-input-sizes";
  std::string buffer;
  // The first read asks for 64 KiB; the buffer then doubles: sizes on both sides of each.
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{65535}, std::size_t{65536},
        std::size_t{65537}, std::size_t{131072}, std::size_t{200000}}) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + i % 26);
    std::ofstream(file, std::ios::binary) << bytes;
    for (const bool known : {false, true}) {
      InputFile input(file.string(), buffer);
      if (known) input.mark_regular();
      EXPECT_EQ(input.read_all(1 << 20), bytes) << size << (known ? " known regular" : "");
    }
    InputFile limited(file.string(), buffer);
    limited.mark_regular();
    if (size > 65536) {
      EXPECT_THROW(limited.read_all(65536), InputError) << size;
    }
  }
  fs::remove(file);
}

TEST(Input, NamesAFileThatCannotBeOpened) {
  try {
    read_file_capped(testdata("does-not-exist.json"), 100);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "cannot open: No such file or directory");
  }
}

}  // namespace
}  // namespace tlsrpt
