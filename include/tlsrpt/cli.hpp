// The command line: CLI11 commands over the pipeline; the only place that picks an exit status.
#pragma once

#include <iosfwd>

namespace tlsrpt {

// Exit statuses (docs/exit-codes.md).
inline constexpr int kExitOk = 0;                // check: ready
inline constexpr int kExitNotReady = 1;          // check: not ready
inline constexpr int kExitAlerts = 1;            // alerts: at least one fired
inline constexpr int kExitUsage = 2;             // bad flags or arguments
inline constexpr int kExitInputSkipped = 3;      // output printed, but some input could not be used
inline constexpr int kExitInsufficientData = 4;  // check: not enough data to decide

int cli_main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace tlsrpt
