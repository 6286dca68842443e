// Turning command-line paths into bytes: walk directories, read files with a size cap, and
// recognise what the bytes are by content rather than by name.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/error.hpp"

namespace tlsrpt {

enum class PayloadKind { gzip, json, empty, other };

// gzip by magic 1f 8b; JSON when the first byte after an optional UTF-8 BOM and whitespace
// is '{' or '['; empty when nothing but whitespace/NUL; other otherwise.
PayloadKind sniff_payload(std::string_view bytes);

// Calls `visit` with each file named by `paths`, in order. A directory is walked recursively,
// entries sorted by name so runs are reproducible; symlinks to directories inside a walk are
// not followed (no loops). "-" is passed through as is (standard input). Hidden entries
// (".name") inside a walk are skipped, except Maildir++ folders. In a Maildir (a directory with
// two of cur/, new/, tmp/) only cur/, new/ and Maildir++ subfolders are walked. Problems (missing
// path, unreadable directory) go to `problem` as errors; the walk goes on.
void walk_paths(const std::vector<std::string>& paths,
                const std::function<void(const std::string& path)>& visit,
                const std::function<void(Diagnostic)>& problem);

// Reads a whole file. Throws InputError when it cannot be opened or read, or when it is
// larger than `max_bytes`.
std::string read_file_capped(const std::string& path, std::uint64_t max_bytes);
std::string read_stream_capped(std::istream& in, std::uint64_t max_bytes);

}  // namespace tlsrpt
