// libFuzzer target for cost: one input through the whole pipeline as standard input (sniffing,
// mbox, MIME, zip, gzip, decode, tally, summary), with the limits a user would set for small
// inputs. Run with -rss_limit_mb, -malloc_limit_mb and -timeout (scripts/fuzz does): an input that
// makes the pipeline take long or allocate much is a finding, like a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/pipeline.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  tlsrpt::Limits limits;
  limits.max_file_bytes = 4 << 20;
  limits.max_inflated_bytes = 16 << 20;
  tlsrpt::Tally tally;
  const tlsrpt::PipelineSinks sinks{
      [&](tlsrpt::DecodedReport&& decoded) {
        try {
          tally.add(decoded.report, decoded.file, decoded.provenance.dkim,
                    decoded.provenance.tls_report_submitter, &decoded.identity);
        } catch (const tlsrpt::InputError&) {
        }
        for (tlsrpt::Diagnostic& warning : decoded.warnings)
          tally.add_diagnostic(std::move(warning));
      },
      [&](tlsrpt::Diagnostic&& diagnostic) { tally.add_diagnostic(std::move(diagnostic)); }};
  tlsrpt::run_pipeline({"-"}, limits, in, sinks);
  tlsrpt::GateOptions options;
  options.time.now = 1778544000;  // 2026-05-12
  const tlsrpt::Summary summary = tally.finish(options);
  std::ostringstream out;
  tlsrpt::write_summary_json(summary, out);
  tlsrpt::render_summary_text(summary, tlsrpt::OutputOptions{}, out);
  return 0;
}
