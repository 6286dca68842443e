// The progress line on stderr: drawn only when enabled, erased when done.
#include "tlsrpt/progress.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(Progress, DrawsNothingWhenNotATerminal) {
  std::ostringstream err;
  {
    Progress progress(err, false, std::chrono::milliseconds(0));
    for (int i = 0; i < 3; ++i) progress.file();
    EXPECT_STREQ(progress.clear_line(), "");
  }
  EXPECT_EQ(err.str(), "");
}

TEST(Progress, DrawsOneLineAndErasesItAtTheEnd) {
  std::ostringstream err;
  {
    Progress progress(err, true, std::chrono::milliseconds(0));
    progress.report();
    progress.report();
    progress.error();
    progress.file();
    EXPECT_STREQ(progress.clear_line(), "\r\x1b[K");
    EXPECT_EQ(progress.line(2.0), "tlsrpt: 1 files, 2 reports (1/s), 1 errors");
  }
  const std::string text = err.str();
  EXPECT_TRUE(text.starts_with("\r\x1b[Ktlsrpt: 1 files, 2 reports")) << text;
  EXPECT_TRUE(text.ends_with("\r\x1b[K")) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << "never a new line of its own";
}

}  // namespace
}  // namespace tlsrpt
