// Bounds on untrusted input. Every limit here has a command-line flag or is documented in
// docs/limits.md; hitting one is an InputError for that input, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tlsrpt {

inline constexpr std::uint64_t kDefaultMaxFileBytes = 64ull << 20;      // 64 MiB read per file
inline constexpr std::uint64_t kDefaultMaxInflatedBytes = 64ull << 20;  // 64 MiB after gunzip
inline constexpr int kMaxJsonDepth = 64;                                // nesting of [ and {
inline constexpr int kMaxDirectoryDepth = 64;                           // directory walk
// A single count above this (2^53, the largest integer a JSON double holds exactly) is absurd:
// the biggest senders report millions of sessions a day.
inline constexpr std::uint64_t kMaxSessionCount = 1ull << 53;

struct Limits {
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
  std::uint64_t max_inflated_bytes = kDefaultMaxInflatedBytes;
};

}  // namespace tlsrpt
