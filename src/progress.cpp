#include "tlsrpt/progress.hpp"

#include <fmt/format.h>

namespace tlsrpt {

Progress::Progress(std::ostream& err, bool enabled, std::chrono::milliseconds interval)
    : err_(err), enabled_(enabled), interval_(interval), start_(Clock::now()), last_(start_) {}

Progress::~Progress() {
  if (shown_) err_ << "\r\x1b[K" << std::flush;
}

void Progress::file() {
  ++files_;
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_ < interval_) return;
  last_ = now;
  err_ << "\r\x1b[K" << line(std::chrono::duration<double>(now - start_).count()) << std::flush;
  shown_ = true;
}

std::string Progress::line(double seconds) const {
  return fmt::format("tlsrpt: {} files, {} reports ({:.0f}/s), {} errors", files_, reports_,
                     seconds > 0 ? static_cast<double>(reports_) / seconds : 0.0, errors_);
}

}  // namespace tlsrpt
