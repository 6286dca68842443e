// Telling duplicate reports apart with a few tens of bytes per report: each report counted leaves
// its identity (report.hpp: a 96-bit hash of organization-name + report-id + date-range and a
// 32-bit hash of the content) and where it was read, so that a later copy is recognised and
// named. Memory grows by these alone, never by report bodies (docs/performance.md measures it).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/report.hpp"

namespace tlsrpt {

// Names (where each report was read) kept compressed: they arrive in blocks of kNamesPerBlock,
// and each full block is deflated (text of one directory or mailbox shares most of its bytes). A
// name is read back only to say where a duplicate's first copy was; the block last inflated is
// kept, since copies usually arrive in the order of their originals.
class NameArchive {
 public:
  static constexpr std::size_t kNamesPerBlock = 256;

  NameArchive();
  ~NameArchive();
  NameArchive(NameArchive&&) noexcept;
  NameArchive& operator=(NameArchive&&) noexcept;

  // Adds `name`; its id is the number of names before it.
  std::uint32_t add(std::string_view name);
  std::string name(std::uint32_t id) const;
  std::size_t size() const { return count_; }
  // What the archive holds, in bytes (the compressed blocks and the open one).
  std::size_t bytes() const;

 private:
  void seal();
  const std::string& block(std::size_t index) const;

  std::vector<std::string> sealed_;  // deflated blocks of NUL-ended names
  std::string open_;                 // the block being filled, as it is
  std::uint32_t count_ = 0;
  mutable std::size_t cached_index_ = SIZE_MAX;  // the sealed block last inflated, and its text
  mutable std::string cached_;
};

// What the index knows of a report seen before.
struct SeenReport {
  std::uint32_t fingerprint = 0;
  std::string source;  // where it was read
};

class DedupIndex {
 public:
  // The report seen before with the same identity key, if any.
  std::optional<SeenReport> find(const ReportIdentity& identity) const;
  // Records a report not seen before, read at `source`.
  void add(const ReportIdentity& identity, std::string_view source);
  std::size_t size() const { return entries_.size(); }
  // What the index holds, in bytes: its entries, its table and its names.
  std::size_t bytes() const;

 private:
  struct Entry {
    std::uint32_t key[3] = {};
    std::uint32_t fingerprint = 0;
  };
  // The table slot of `key`: the one holding it, or the empty one where it goes.
  std::size_t slot(const std::uint32_t (&key)[3]) const;
  void grow();

  std::deque<Entry> entries_;  // by id, in the order added; the names share the ids
  // Open addressing (linear probing) over entry ids + 1, 0 for empty; a power of two in size, at
  // most 3/4 full. Four bytes a slot, where std::unordered_map spends about 40 a report.
  std::vector<std::uint32_t> table_;
  NameArchive names_;
};

}  // namespace tlsrpt
