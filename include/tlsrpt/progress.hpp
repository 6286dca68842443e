// A one-line progress display on stderr for long runs, drawn only when stderr is a terminal: files
// and reports done, the rate, errors so far. Never mixed into stdout; lines printed meanwhile
// erase it first (clear_line()).
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace tlsrpt {

class Progress {
 public:
  // Draws on `err` when `enabled`, at most every `interval`.
  Progress(std::ostream& err, bool enabled,
           std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~Progress();  // erases the line when one is shown
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void file();
  void report() { ++reports_; }
  void error() { ++errors_; }
  // What to print before a line on stderr: erases the progress line when one is shown.
  const char* clear_line() const { return shown_ ? "\r\x1b[K" : ""; }
  // The line as drawn: "tlsrpt: 12 files, 10 reports (40/s), 1 errors".
  std::string line(double seconds) const;

 private:
  using Clock = std::chrono::steady_clock;

  std::ostream& err_;
  bool enabled_;
  std::chrono::milliseconds interval_;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_;
  std::uint64_t files_ = 0;
  std::uint64_t reports_ = 0;
  std::uint64_t errors_ = 0;
};

}  // namespace tlsrpt
