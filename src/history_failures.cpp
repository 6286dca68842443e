// Persistent and transient failures: each (sender, result type, receiving MX, policy domain) with
// the report periods it appeared in.
#include <algorithm>

#include "history_internal.hpp"
#include "tlsrpt/judge.hpp"

namespace tlsrpt {

using namespace history_detail;

std::vector<PersistentFailure> persistent_failures(const History& history,
                                                   const GateOptions& gate) {
  const HistoryData& data = history.data();
  const ReportNames& names = *data.names;
  // Persistent first, then by failed sessions; ties in name order. Ordered before the rows are
  // made, so that their strings are not moved around.
  const auto persistent = [&](const HistoryData::FailureAgg& agg) {
    return agg.periods.size() >= gate.persistent_periods;
  };
  auto ordered = data.failures_by_name();
  std::stable_sort(ordered.begin(), ordered.end(), [&](const auto* a, const auto* b) {
    if (persistent(a->second) != persistent(b->second)) return persistent(a->second);
    return a->second.failed > b->second.failed;
  });
  std::vector<PersistentFailure> list;
  list.reserve(ordered.size());
  for (const auto* entry : ordered) {
    const HistoryData::FailureKey& key = entry->first;
    const HistoryData::FailureAgg& agg = entry->second;
    list.push_back(PersistentFailure{names.senders.name(key.sender), names.types.name(key.type),
                                     names.mx.name(key.mx), names.domains.name(key.domain),
                                     agg.periods.size(), persistent(agg), agg.first, agg.last,
                                     agg.failed});
  }
  return list;
}

}  // namespace tlsrpt
