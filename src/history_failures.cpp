// Persistent and transient failures: each (sender, result type, receiving MX, policy domain) with
// the report periods it appeared in. Part of History::finish (history.cpp).
#include <algorithm>

#include "history_internal.hpp"
#include "tlsrpt/history.hpp"

namespace tlsrpt {

using namespace history_detail;

std::vector<PersistentFailure> History::persistent_failures(const HistoryOptions& options) const {
  std::vector<PersistentFailure> list;
  const auto failures = failures_by_name();
  // Persistent first, then by failed sessions; ties in name order. Ordered before the rows are
  // made, so that their strings are not moved around.
  const auto persistent = [&](const FailureAgg& agg) {
    return agg.periods.size() >= options.persistent_periods;
  };
  auto ordered = failures;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const auto* a, const auto* b) {
    if (persistent(a->second) != persistent(b->second)) return persistent(a->second);
    return a->second.failed > b->second.failed;
  });
  list.reserve(ordered.size());
  for (const auto* entry : ordered) {
    const FailureKey& key = entry->first;
    const FailureAgg& agg = entry->second;
    list.push_back(PersistentFailure{names_->senders.name(key.sender), names_->types.name(key.type),
                                     names_->mx.name(key.mx), names_->domains.name(key.domain),
                                     agg.periods.size(), persistent(agg), agg.first, agg.last,
                                     agg.failed});
  }
  return list;
}

}  // namespace tlsrpt
