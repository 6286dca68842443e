// The command line: CLI11 commands over the pipeline; the only place that picks an exit status.
#pragma once

#include <iosfwd>

namespace tlsrpt {

// Exit statuses (docs/exit-codes.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;         // bad flags or arguments
inline constexpr int kExitInputSkipped = 3;  // output printed, but some input could not be used

int cli_main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace tlsrpt
