// The application layer's judging flow: collect → summarize with the one gate → (live merge).
// Every face that shows a verdict (summary, alerts, check, the Prometheus export, domain) runs it.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "tlsrpt/app.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

// "12 ended before --since 2026-05-12, 7 with no policy for --domain example.com": which filters
// left how many reports out ("" when none did).
std::string left_out_sentence(const ReportFilter& filter, const LeftOut& left_out) {
  std::vector<std::string> parts;
  const FilterCounts& f = left_out.filtered;
  if (f.since > 0)
    parts.push_back(fmt::format("{} ended before --since {}", f.since, filter.since_text));
  if (f.until > 0)
    parts.push_back(fmt::format("{} began after --until {}", f.until, filter.until_text));
  if (f.sender > 0) {
    parts.push_back(fmt::format("{} from other senders than --sender {}", f.sender,
                                fmt::join(filter.senders, ",")));
  }
  if (f.domain > 0) {
    parts.push_back(fmt::format("{} with no policy for --domain {}", f.domain,
                                fmt::join(filter.domains, ",")));
  }
  if (left_out.unauthenticated > 0) {
    parts.push_back(
        fmt::format("{} without a DKIM pass (--authenticated-only)", left_out.unauthenticated));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string reports_text(std::uint64_t count) {
  return fmt::format("{} report{}", count, count == 1 ? "" : "s");
}

}  // namespace

Judgement judge(const ReportSource& source, const JudgeRequest& request, std::ostream& err) {
  const std::int64_t now = request.gate.time.now.value_or(0);
  Collected collected = collect(source, request.read, now, err);
  // For bench/memory: what telling duplicates apart holds, the one structure that grows with
  // the number of reports (the aggregates grow with senders, domains, hosts and days).
  if (const char* stats = std::getenv("TLSRPT_MEMORY_STATS"); stats != nullptr && *stats != '\0') {
    err << fmt::format("tlsrpt: memory: {} reports, {} bytes to tell duplicates apart\n",
                       collected.tally.reports_total(), collected.tally.dedup_bytes());
  }
  check_filter_matched(request.read.filter, collected.seen);
  const LeftOut& left_out = collected.left_out;
  const std::string sentence = left_out_sentence(request.read.filter, left_out);
  GateOptions gate = request.gate;
  if (collected.tally.reports_total() == 0 && left_out.total() > 0) {
    gate.time.nothing_left = fmt::format("{} read, all left out: {}",
                                         reports_text(left_out.total()), sentence);
  }
  SeriesOptions series = request.series;
  series.since = request.read.filter.since;
  series.until = request.read.filter.until;
  Judgement judgement;
  Summary& summary = judgement.summary;
  summary = collected.tally.take_summary(gate, series);
  summary.left_out_unauthenticated = left_out.unauthenticated;
  summary.left_out_by_filter = left_out.filtered;
  if (left_out.total() > 0)
    summary.left_out_text = fmt::format("{}: {}", reports_text(left_out.total()), sentence);
  if (!request.live.domains.empty()) {
    judgement.live = check_live(request.live);
    judgement.live->with_reports = true;
    judgement.live->reported = reconcile(reported_failures(summary), judgement.live->domains);
    add_live_verdict(summary.check, *judgement.live);
  }
  return judgement;
}

LiveCheck check_live(const LiveRequest& request) {
  LiveCheck result;
  result.now = request.options.now;
  for (const std::string& domain : request.domains) {
    try {
      result.domains.push_back(check_domain(domain, request.options));
    } catch (const std::runtime_error& error) {
      throw UsageError(error.what());  // the resolver could not be set up as asked
    }
  }
  return result;
}

std::vector<ReportedFailure> reported_failures(const Summary& summary) {
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failed;
  for (const PersistentFailure& failure : summary.history.failures) {
    failed[{failure.result_type, failure.policy_domain, failure.receiving_mx_hostname}] +=
        failure.failed;
  }
  std::vector<ReportedFailure> list;
  for (const auto& [key, count] : failed) {
    ReportedFailure failure;
    std::tie(failure.result_type, failure.policy_domain, failure.receiving_mx_hostname) = key;
    failure.failed = count;
    list.push_back(std::move(failure));
  }
  std::stable_sort(
      list.begin(), list.end(),
      [](const ReportedFailure& a, const ReportedFailure& b) { return a.failed > b.failed; });
  return list;
}

void add_live_verdict(CheckResult& result, const LiveCheck& live) {
  for (const DomainState& state : live.domains) {
    CheckItem item;
    if (state.blocks()) {
      item = {Verdict::not_ready, "live_blocks",
              fmt::format("{}: the live state blocks mode: enforce (see the live findings)",
                          state.domain)};
    } else if (state.could_not_tell()) {
      item = {Verdict::insufficient_data, "live_could_not_tell",
              fmt::format("{}: some live checks could not be made from here", state.domain)};
    } else {
      item = {Verdict::ready, "live_ok",
              fmt::format("{}: the live state allows mode: enforce", state.domain)};
    }
    result.verdict = worse(result.verdict, item.outcome);
    result.items.push_back(std::move(item));
  }
}

}  // namespace tlsrpt
