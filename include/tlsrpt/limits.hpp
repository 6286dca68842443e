// Bounds on untrusted input. Every limit here has a command-line flag or is documented in
// docs/limits.md; hitting one is an InputError for that input, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tlsrpt {

inline constexpr std::uint64_t kDefaultMaxFileBytes = 64ull << 20;      // 64 MiB read per file
inline constexpr std::uint64_t kDefaultMaxInflatedBytes = 64ull << 20;  // 64 MiB after gunzip
inline constexpr int kMaxJsonDepth = 64;                                // nesting of [ and {
// JSON values in one report (56 bytes each parsed): a report of 100,000 failure details has
// about 700,000. More is refused, so that a small hostile report cannot cost gigabytes.
inline constexpr std::size_t kMaxJsonValues = 2'000'000;
inline constexpr int kMaxDirectoryDepth = 64;  // directory walk
// A single count above this (2^53, the largest integer a JSON double holds exactly) is absurd:
// the biggest senders report millions of sessions a day.
inline constexpr std::uint64_t kMaxSessionCount = 1ull << 53;

// Warnings listed per report; past this they are counted by code in one more warning.
inline constexpr std::size_t kMaxWarningsPerReport = 100;
// Failure details itemized per report (about 300 bytes each decoded); the failed sessions of the
// others still count in the policy's totals.
inline constexpr std::uint64_t kMaxFailureDetails = 100'000;

// How inputs are read: the bounds above, and whose mail-authentication verdict is believed.
struct Limits {
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
  std::uint64_t max_inflated_bytes = kDefaultMaxInflatedBytes;
  // --trusted-authserv-id, lower-cased: the DKIM verdict of a message is read from the topmost
  // Authentication-Results header of one of these servers; none there, no verdict. Empty: the
  // topmost header, whoever added it.
  std::vector<std::string> trusted_authserv_ids;
};

}  // namespace tlsrpt
