#include "tlsrpt/pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "tlsrpt/decode.hpp"
#include "tlsrpt/gzip.hpp"
#include "tlsrpt/input.hpp"
#include "tlsrpt/mbox.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/zip.hpp"

namespace tlsrpt {

namespace {

constexpr int kMaxPayloadNesting = 3;  // gzip inside zip inside gzip is already odd

bool looks_like_xml(std::string_view bytes) {
  const auto first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && bytes[first] == '<';
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Reads the first bytes of `in` and rewinds it: true when they are an mbox "From " line.
bool starts_like_mbox(std::ifstream& in) {
  char magic[5] = {};
  in.read(magic, sizeof magic);
  const bool mbox =
      in.gcount() == sizeof magic && has_mbox_magic(std::string_view(magic, sizeof magic));
  in.clear();
  in.seekg(0);
  return mbox;
}

class Runner {
 public:
  Runner(const Limits& limits, const PipelineSinks& sinks) : limits_(limits), sinks_(sinks) {}

  void file(const std::string& path, std::istream& standard_input) {
    if (sinks_.file) sinks_.file(path);
    Provenance provenance;
    provenance.filename = path == "-" ? "" : base_name(path);
    provenance.filename_parts = parse_report_filename(provenance.filename);
    try {
      if (path == "-") {
        const std::string bytes = read_stream_capped(standard_input, limits_.max_file_bytes);
        if (has_mbox_magic(bytes)) {
          std::istringstream in(bytes);
          mailbox(in, path);
        } else {
          contents(bytes, path, provenance);
        }
        return;
      }
      std::ifstream in(path, std::ios::binary);
      if (starts_like_mbox(in)) {
        mailbox(in, path);
        return;
      }
      contents(read_file_capped(path, limits_.max_file_bytes), path, provenance);
    } catch (const InputError& error) {
      this->error(path, "", error);
    }
  }

 private:
  void error(const std::string& file, const std::string& where, const InputError& error) {
    sinks_.diagnostic(Diagnostic{Severity::error, file, join_where(where, error.where()),
                                 error.detail(), "input_error"});
  }
  void note(const std::string& file, const std::string& where, std::string message) {
    sinks_.diagnostic(Diagnostic{Severity::note, file, where, std::move(message), "not_a_report"});
  }

  // A whole file that is not an mbox: a report, an archive, or one message.
  void contents(std::string_view bytes, const std::string& file, const Provenance& provenance) {
    if (sniff_payload(bytes) == PayloadKind::other && !has_zip_magic(bytes) &&
        looks_like_message(bytes)) {
      message(bytes, file, "", Provenance{});
    } else {
      payload(bytes, file, "", provenance, 0);
    }
  }

  void mailbox(std::istream& in, const std::string& file) {
    MboxReader reader(in, limits_.max_file_bytes);
    MboxMessage entry;
    while (reader.next(entry)) {
      const std::string where = fmt::format("message {}", entry.index);
      if (entry.oversized) {
        error(file, where,
              InputError(
                  fmt::format("byte {}", entry.offset),
                  fmt::format(
                      "message larger than {} bytes (the limit; raise it with --max-file-size if "
                      "the message is genuine)",
                      limits_.max_file_bytes)));
        continue;
      }
      Provenance provenance;
      provenance.mailbox = file;
      provenance.message_index = entry.index;
      try {
        message(entry.text, file, where, provenance);
      } catch (const InputError& failure) {
        error(file, where, failure);
      }
    }
    if (in.bad()) error(file, "", InputError("", "read error"));
  }

  void message(std::string_view raw, const std::string& file, std::string where,
               const Provenance& outer) {
    MailScan scan = scan_message(parse_message(raw));
    Provenance base = std::move(scan.provenance);
    base.mailbox = outer.mailbox;
    base.message_index = outer.message_index;
    if (!base.message_id.empty() && !where.empty()) where += " " + base.message_id;
    if (scan.parts.empty()) {
      note(file, where, scan.not_report_reason);
      return;
    }
    for (ReportPart& part : scan.parts) {
      const std::string part_where = join_where(
          where, part.filename.empty() ? fmt::format("part {}", part.number)
                                       : fmt::format("part {} ({})", part.number, part.filename));
      Provenance provenance = base;
      provenance.part = part.number;
      provenance.filename = part.filename;
      provenance.filename_parts = parse_report_filename(part.filename);
      try {
        if (!part.decode_error.empty()) throw InputError("", part.decode_error);
        payload(part.body, file, part_where, provenance, 0);
      } catch (const InputError& failure) {
        error(file, part_where, failure);
      }
    }
  }

  void payload(std::string_view bytes, const std::string& file, const std::string& where,
               const Provenance& provenance, int depth) {
    if (depth > kMaxPayloadNesting) throw InputError("", "archives nested too deeply");
    if (has_zip_magic(bytes)) {
      for (ZipEntry& entry : unzip(bytes, limits_.max_inflated_bytes)) {
        const std::string entry_where = join_where(where, fmt::format("zip entry {}", entry.name));
        Provenance inner = provenance;
        inner.filename = entry.name;
        inner.filename_parts = parse_report_filename(entry.name);
        try {
          payload(entry.data, file, entry_where, inner, depth + 1);
        } catch (const InputError& failure) {
          error(file, entry_where, failure);
        }
      }
      return;
    }
    switch (sniff_payload(bytes)) {
      case PayloadKind::gzip:
        payload(gunzip(bytes, limits_.max_inflated_bytes), file, where, provenance, depth + 1);
        return;
      case PayloadKind::json:
        break;
      case PayloadKind::empty:
        note(file, where, "empty, not a TLS report");
        return;
      case PayloadKind::other:
        if (looks_like_xml(bytes)) {
          note(file, where,
               bytes.find("<feedback") != std::string_view::npos
                   ? "a DMARC aggregate report (XML), not a TLS report"
                   : "XML, not a TLS report");
        } else {
          note(file, where, "neither JSON nor gzip, not a TLS report");
        }
        return;
    }
    DecodeResult result = decode_report(bytes);
    if (!result.is_report) {
      note(file, where, std::move(result.not_report_reason));
      return;
    }
    DecodedReport decoded{file, where, std::move(result.report), provenance, {}};
    for (Diagnostic& warning : result.warnings) {
      warning.file = file;
      warning.where = join_where(where, warning.where);
      decoded.warnings.push_back(std::move(warning));
    }
    for (Diagnostic& warning : check_provenance(decoded.report, provenance)) {
      warning.file = file;
      warning.where = join_where(where, warning.where);
      decoded.warnings.push_back(std::move(warning));
    }
    sinks_.report(std::move(decoded));
  }

  const Limits& limits_;
  const PipelineSinks& sinks_;
};

}  // namespace

std::string join_where(const std::string& outer, const std::string& inner) {
  if (outer.empty()) return inner;
  if (inner.empty()) return outer;
  return outer + ": " + inner;
}

namespace {

// Whether `path` must be read by the calling thread: standard input, and mboxes (streamed message
// by message, in order).
bool read_in_order(const std::string& path) {
  if (path == "-") return true;
  std::ifstream in(path, std::ios::binary);
  return starts_like_mbox(in);
}

// Decodes files on worker threads and hands the results to the sinks on the calling thread in input
// order, so the output does not depend on the number of threads. At most `window` files are in
// flight: memory does not grow with the number of files.
class ParallelRunner {
 public:
  ParallelRunner(const Limits& limits, const PipelineSinks& sinks, unsigned jobs)
      : limits_(limits), sinks_(sinks), window_(jobs * 4) {
    for (unsigned i = 0; i < jobs; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ParallelRunner() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_workers_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  ParallelRunner(const ParallelRunner&) = delete;
  ParallelRunner& operator=(const ParallelRunner&) = delete;

  void file(const std::string& path, std::istream& standard_input) {
    if (read_in_order(path)) {
      drain(0);
      Runner(limits_, sinks_).file(path, standard_input);
      return;
    }
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(Task{next_++, path});
    }
    wake_workers_.notify_one();
    drain(window_);
  }

  // Delivers results in order until no more than `keep` files are in flight.
  void drain(std::uint64_t keep) {
    std::unique_lock lock(mutex_);
    while (next_ - delivered_ > keep) {
      done_.wait(lock, [&] { return results_.contains(delivered_); });
      Result result = std::move(results_.extract(delivered_).mapped());
      ++delivered_;
      lock.unlock();
      if (sinks_.file) sinks_.file(result.path);
      for (auto& event : result.events) {
        if (auto* report = std::get_if<DecodedReport>(&event)) {
          const std::string file = report->file;
          const std::string where = report->where;
          try {
            sinks_.report(std::move(*report));
          } catch (const InputError& error) {  // the tally's overflow check, as Runner catches it
            sinks_.diagnostic(Diagnostic{Severity::error, file, join_where(where, error.where()),
                                         error.detail(), "input_error"});
          }
        } else {
          sinks_.diagnostic(std::move(std::get<Diagnostic>(event)));
        }
      }
      lock.lock();
    }
  }

 private:
  struct Task {
    std::uint64_t sequence;
    std::string path;
  };
  struct Result {
    std::string path;
    std::vector<std::variant<DecodedReport, Diagnostic>> events;
  };

  void work() {
    std::istringstream no_input;
    while (true) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        wake_workers_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      Result result{task.path, {}};
      const PipelineSinks collect{
          [&](DecodedReport&& report) { result.events.emplace_back(std::move(report)); },
          [&](Diagnostic&& diagnostic) { result.events.emplace_back(std::move(diagnostic)); }};
      Runner(limits_, collect).file(task.path, no_input);
      {
        const std::lock_guard lock(mutex_);
        results_.emplace(task.sequence, std::move(result));
      }
      done_.notify_all();
    }
  }

  const Limits& limits_;
  const PipelineSinks& sinks_;
  const std::uint64_t window_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_workers_;
  std::condition_variable done_;
  std::deque<Task> queue_;
  std::map<std::uint64_t, Result> results_;
  std::uint64_t next_ = 0;
  std::uint64_t delivered_ = 0;
  bool stopping_ = false;
};

}  // namespace

void run_pipeline(const std::vector<std::string>& paths, const Limits& limits,
                  std::istream& standard_input, const PipelineSinks& sinks, unsigned jobs) {
  if (jobs <= 1) {
    Runner runner(limits, sinks);
    walk_paths(
        paths, [&](const std::string& path) { runner.file(path, standard_input); },
        [&](Diagnostic problem) { sinks.diagnostic(std::move(problem)); });
    return;
  }
  ParallelRunner runner(limits, sinks, jobs);
  walk_paths(
      paths, [&](const std::string& path) { runner.file(path, standard_input); },
      [&](Diagnostic problem) {
        runner.drain(0);  // keep walk problems in input order too
        sinks.diagnostic(std::move(problem));
      });
  runner.drain(0);
}

}  // namespace tlsrpt
