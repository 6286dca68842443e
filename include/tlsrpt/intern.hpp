// Names (senders, domains, hosts, failure types) turned into small integer ids once, so that the
// aggregates are keyed by integers and a lookup by name hashes a string_view without allocating.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tlsrpt {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

class NameTable {
 public:
  // The id of `name`, added when new. Ids are dense: 0, 1, 2… in order of first appearance.
  std::uint32_t id(std::string_view name) {
    if (const auto it = ids_.find(name); it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.push_back(&ids_.emplace(std::string(name), id).first->first);
    return id;
  }
  // The id of `name`, or -1 when it was never added.
  std::int64_t find(std::string_view name) const {
    const auto it = ids_.find(name);
    return it == ids_.end() ? std::int64_t{-1} : std::int64_t{it->second};
  }
  const std::string& name(std::uint32_t id) const { return *names_[id]; }
  std::size_t size() const { return names_.size(); }
  // Every id, ordered by name (what std::map iteration gave): for reproducible output.
  std::vector<std::uint32_t> by_name() const;
  // The place of every id in by_name(): comparing two ids' ranks compares their names.
  std::vector<std::uint32_t> ranks() const;
  // The same from by_name() already made (it sorts the names).
  static std::vector<std::uint32_t> ranks(const std::vector<std::uint32_t>& by_name);

 private:
  StringMap<std::uint32_t> ids_;
  std::vector<const std::string*> names_;  // the keys of ids_ (nodes do not move)
};

inline std::vector<std::uint32_t> NameTable::by_name() const {
  std::vector<std::uint32_t> order(names_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [this](std::uint32_t a, std::uint32_t b) { return *names_[a] < *names_[b]; });
  return order;
}

inline std::vector<std::uint32_t> NameTable::ranks() const { return ranks(by_name()); }

inline std::vector<std::uint32_t> NameTable::ranks(const std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> rank(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  return rank;
}

// The names of the reports as ids, one table each for senders, policy domains, failure types and
// receiving MX hosts. The tally and the history both hold it (shared, neither borrows it from
// the other): the history turns a report's names into ids once, and the tally keys its own
// aggregates by the same ids.
struct ReportNames {
  NameTable senders;
  NameTable domains;
  NameTable types;
  NameTable mx;
};

}  // namespace tlsrpt
