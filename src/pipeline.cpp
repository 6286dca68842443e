#include "tlsrpt/pipeline.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <sstream>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "tlsrpt/decode.hpp"
#include "tlsrpt/gzip.hpp"
#include "tlsrpt/input.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/mbox.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/sniff.hpp"
#include "tlsrpt/zip.hpp"

namespace tlsrpt {

namespace {

constexpr int kMaxPayloadNesting = 3;  // gzip inside zip inside gzip is already odd

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class Runner {
 public:
  // `proceed`, when given, is asked before each payload: false stops the input at hand there (a
  // worker whose results would pass the in-flight budget gives up on it; see ParallelRunner).
  Runner(const Limits& limits, const PipelineSinks& sinks,
         std::function<bool()> proceed = nullptr)
      : limits_(limits), sinks_(sinks), proceed_(std::move(proceed)) {}

  // The bytes of the input being read so far: read, and inflated from it.
  std::uint64_t input_bytes() const { return read_ + (limits_.max_inflated_bytes - budget_); }

  // Everything in the file at `path`, mailboxes included ("-": `standard_input`). `regular`: the
  // walk saw a regular file there (InputFile::mark_regular).
  void file(const std::string& path, std::istream& standard_input, bool regular = false) {
    if (sinks_.file) sinks_.file(path);
    if (path == "-") {
      begin_input();
      try {
        const std::string bytes = read_stream_capped(standard_input, limits_.max_file_bytes);
        if (sniff(bytes) == Content::mbox) {
          std::istringstream in(bytes);
          mailbox(in, path);
        } else {
          contents(bytes, path, file_provenance(path));
        }
      } catch (const InputError& error) {
        this->error(path, "", error);
      } catch (const std::bad_alloc&) {
        this->error(path, "", out_of_memory());
      }
      return;
    }
    if (!file_unless_mailbox(path, regular)) {
      std::ifstream in(path, std::ios::binary);
      mailbox(in, path);
    }
  }

  // The file at `path`, unless it is an mbox: then nothing is read past its first line and the
  // result is false, so that the caller can stream its messages.
  bool file_unless_mailbox(const std::string& path, bool regular) {
    begin_input();
    try {
      InputFile input = directories_.open(path, buffer(0));
      if (regular) input.mark_regular();
      if (sniff(input.head(5)) == Content::mbox) {
        if (input.regular()) return false;  // streamed by the caller, opened again
        // A FIFO or a device cannot be opened again from its start: read it whole, as stdin.
        std::istringstream in(std::string(input.read_all(limits_.max_file_bytes)));
        mailbox(in, path);
        return true;
      }
      contents(input.read_all(limits_.max_file_bytes), path, file_provenance(path));
    } catch (const InputError& error) {
      this->error(path, "", error);
    } catch (const std::bad_alloc&) {
      this->error(path, "", out_of_memory());
    }
    return true;
  }

  // One message of the mbox `file`.
  void mailbox_message(const std::string& file, const MboxMessage& entry) {
    const std::string where = fmt::format("message {}", entry.index);
    if (entry.oversized) {
      error(file, where,
            InputError(fmt::format("byte {}", entry.offset),
                       fmt::format("message larger than {} bytes (the limit; raise it with "
                                   "--max-file-size if the message is genuine)",
                                   limits_.max_file_bytes)));
      return;
    }
    Provenance provenance;
    provenance.mailbox = file;
    provenance.message_index = entry.index;
    begin_input();
    read_ = entry.text.size();
    try {
      message(entry.text, file, where, provenance);
    } catch (const InputError& failure) {
      error(file, where, failure);
    } catch (const std::bad_alloc&) {
      error(file, where, out_of_memory());
    }
  }

 private:
  // A top-level input starts: a file, or one message of an mbox.
  void begin_input() {
    budget_ = limits_.max_inflated_bytes;
    read_ = 0;
  }
  bool proceed() const { return !proceed_ || proceed_(); }

  static Provenance file_provenance(const std::string& path) {
    Provenance provenance;
    provenance.filename = path == "-" ? "" : base_name(path);
    provenance.filename_parts = parse_report_filename(provenance.filename);
    return provenance;
  }

  // Scratch space for the bytes at each payload nesting depth, reused from file to file.
  std::string& buffer(int depth) {
    return buffers_[static_cast<std::size_t>(std::min(depth, kMaxPayloadNesting + 1))];
  }

  // Allocation failure while reading one input (a limit set too high for the machine): an error
  // for that input, and the run goes on.
  static InputError out_of_memory() {
    return InputError("",
                      "ran out of memory reading it (lower --max-file-size or "
                      "--max-inflated-size, or give the process more memory)");
  }

  void error(const std::string& file, const std::string& where, const InputError& error) {
    sinks_.diagnostic(skipped_input(file, where, error));
  }
  void note(const std::string& file, const std::string& where, std::string message) {
    sinks_.diagnostic(Diagnostic{Severity::note, file, where, std::move(message), "not_a_report"});
  }

  // A whole file that is not an mbox: a report, an archive, or one message.
  void contents(std::string_view bytes, const std::string& file, Provenance provenance) {
    read_ = bytes.size();
    if (sniff(bytes) == Content::message) {
      message(bytes, file, "", Provenance{});
    } else {
      payload(bytes, file, "", std::move(provenance), 0);
    }
  }

  void mailbox(std::istream& in, const std::string& file) {
    MboxReader reader(in, limits_.max_file_bytes);
    MboxMessage entry;
    while (reader.next(entry)) mailbox_message(file, entry);
    if (in.bad()) error(file, "", InputError("", "read error"));
  }

  void message(std::string_view raw, const std::string& file, std::string where,
               const Provenance& outer) {
    MailScan scan = scan_message(parse_message(raw), limits_.trusted_authserv_ids);
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
      // A copy for each part but the last, which takes the message's own (a dozen strings).
      Provenance provenance = &part == &scan.parts.back() ? std::move(base) : base;
      provenance.part = part.number;
      provenance.filename = part.filename;
      provenance.filename_parts = parse_report_filename(part.filename);
      try {
        if (!part.decode_error.empty()) throw InputError("", part.decode_error);
        payload(part.body, file, part_where, std::move(provenance), 0);
      } catch (const InputError& failure) {
        error(file, part_where, failure);
      }
    }
  }

  // Each entry of a zip archive, a payload of its own: a bad one is an error of its own.
  void zip_entries(std::string_view bytes, const std::string& file, const std::string& where,
                   const Provenance& provenance, int depth) {
    for (ZipEntry& entry : unzip_within(bytes, budget_)) {
      const std::string entry_where = join_where(where, fmt::format("zip entry {}", entry.name));
      if (!entry.error.empty()) {
        error(file, entry_where, InputError(entry.error_where, entry.error));
        continue;
      }
      Provenance inner = provenance;
      inner.filename = entry.name;
      inner.filename_parts = parse_report_filename(entry.name);
      try {
        payload(entry.data, file, entry_where, std::move(inner), depth + 1);
      } catch (const InputError& failure) {
        error(file, entry_where, failure);
      }
    }
  }

  // `provenance` goes into the decoded report.
  void payload(std::string_view bytes, const std::string& file, const std::string& where,
               Provenance provenance, int depth) {
    if (!proceed()) return;
    if (depth > kMaxPayloadNesting) throw InputError("", "archives nested too deeply");
    switch (sniff(bytes)) {
      case Content::zip:
        return zip_entries(bytes, file, where, provenance, depth);
      case Content::gzip: {
        std::string& inflated = buffer(depth + 1);
        gunzip(bytes, budget_, inflated);  // the input's budget, shared with its other parts
        budget_ -= inflated.size();
        payload(inflated, file, where, std::move(provenance), depth + 1);
        return;
      }
      case Content::json:
        break;
      case Content::empty:
        note(file, where, "empty, not a TLS report");
        return;
      case Content::dmarc_xml:
        note(file, where, "a DMARC aggregate report (XML), not a TLS report");
        return;
      case Content::xml:
        note(file, where, "XML, not a TLS report");
        return;
      case Content::mbox:
      case Content::message:
      case Content::other:
        note(file, where, "neither JSON nor gzip, not a TLS report");
        return;
    }
    DecodeResult result = decode_report(bytes);
    if (!result.is_report) {
      note(file, where, std::move(result.not_report_reason));
      return;
    }
    DecodedReport decoded{file, where, std::move(result.report), {}, std::move(provenance), {}};
    decoded.identity = identify(decoded.report);
    for (Diagnostic& warning : result.warnings) {
      warning.file = file;
      warning.where = join_where(where, warning.where);
      decoded.warnings.push_back(std::move(warning));
    }
    for (Diagnostic& warning : check_provenance(decoded.report, decoded.provenance)) {
      warning.file = file;
      warning.where = join_where(where, warning.where);
      decoded.warnings.push_back(std::move(warning));
    }
    sinks_.report(std::move(decoded));
  }

  const Limits& limits_;
  const PipelineSinks& sinks_;
  std::function<bool()> proceed_;
  std::uint64_t read_ = 0;  // bytes of the top-level input being read
  // What the top-level input being read (a file, or one message of an mbox) may still inflate to:
  // every gzip member, zip entry and nested archive of it draws from this one budget.
  std::uint64_t budget_ = 0;
  std::array<std::string, kMaxPayloadNesting + 2> buffers_;
  DirectoryCache directories_;
};

}  // namespace

namespace {

// What the decoded results waiting for their turn may hold, and what the mbox messages in flight
// may: with it, memory with --jobs N stays within a small constant of one job's.
constexpr std::uint64_t kMaxHeldBytes = 16ull << 20;

// What a decoded result holds, about, per byte of the input it came from (read and inflated): a
// report keeps copies of its strings, in structs a little larger than their JSON.
constexpr std::uint64_t kHeldPerInputByte = 2;

// Decodes files, and the messages of mboxes, on `jobs` threads (the calling thread is one of them)
// and hands the results to the sinks on the calling thread in input order, so the output does not
// depend on the number of threads. Work goes out in batches of files or messages (handing over
// each small file alone cost more than decoding it); at most `window` batches of files, and as many
// of messages, are in flight: memory does not grow with the number of inputs.
class ParallelRunner {
 public:
  ParallelRunner(const Limits& limits, const PipelineSinks& sinks, unsigned jobs)
      : limits_(limits), sinks_(sinks), window_(jobs * 4) {
    for (unsigned i = 1; i < jobs; ++i) workers_.emplace_back([this] { work(); });
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

  void file(const std::string& path, std::istream& standard_input, bool regular) {
    if (path == "-") {
      drain(0);
      Runner(limits_, sinks_).file(path, standard_input);
      return;
    }
    batch_.push_back(WalkedFile{path, regular});
    if (batch_.size() == kBatch) {
      submit_batch();
      drain(window_);
    }
  }

  // Delivers results in order until no more than `keep` batches of files are in flight.
  void drain(std::size_t keep) {
    if (keep == 0) submit_batch();
    deliver_batches(file_batches_, keep, [this](Result& result) {
      if (sinks_.file) sinks_.file(result.path);
      deliver(result);
      if (result.mailbox) stream_mailbox(result.path);
    });
  }

 private:
  static constexpr std::size_t kBatch = 32;

  struct WalkedFile {
    std::string path;
    bool regular = false;  // as walk_paths saw it
  };
  struct Task {
    std::uint64_t key = 0;
    std::vector<WalkedFile> paths;  // files, or…
    std::string mailbox;            // …the mbox that `messages` come from
    std::vector<MboxMessage> messages;
  };
  struct Result {
    std::string path;
    bool regular = false;  // as walk_paths saw the file
    bool mailbox = false;  // the file is an mbox: its messages are still to be read
    // Its events would have held more than the in-flight budget: decoded again on the calling
    // thread when its turn comes, delivered as they are made.
    bool redo = false;
    std::uint64_t bytes = 0;  // what `events` hold, about
    std::vector<std::variant<DecodedReport, Diagnostic>> events;
  };
  // The results of one task. They are freed on the calling thread once delivered: the binary
  // links jemalloc, which frees another thread's memory as fast as its own.
  struct Done {
    std::vector<Result> results;
    std::vector<MboxMessage> messages;  // the task's, read on the calling thread
  };

  // A Runner whose sinks append to the result at hand; kept from task to task so that its
  // buffers are reused.
  class Worker {
   public:
    Worker(const Limits& limits, std::atomic<std::uint64_t>& held)
        : held_(held),
          sinks_{[this](DecodedReport&& report) { keep(std::move(report)); },
                 [this](Diagnostic&& diagnostic) { keep(std::move(diagnostic)); }},
          runner_(limits, sinks_, [this] { return !over_budget_; }) {}
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    Done run(Task& task) {
      Done done{std::vector<Result>(task.paths.size() + task.messages.size()), {}};
      for (std::size_t i = 0; i < task.paths.size(); ++i) {
        begin(done.results[i], task.paths[i].path);
        current_->regular = task.paths[i].regular;
        current_->mailbox =
            !runner_.file_unless_mailbox(task.paths[i].path, task.paths[i].regular);
        finish();
      }
      for (std::size_t i = 0; i < task.messages.size(); ++i) {
        begin(done.results[task.paths.size() + i], task.mailbox);  // after the files: a task
        runner_.mailbox_message(task.mailbox, task.messages[i]);   // has either
        finish();
      }
      done.messages = std::move(task.messages);
      return done;
    }

   private:
    void begin(Result& result, const std::string& path) {
      current_ = &result;
      current_->path = path;
      over_budget_ = false;
    }
    // An event of the current result. What it holds grows with its input's bytes; when the
    // results in flight would then hold more than kMaxHeldBytes (and others hold some: one input
    // larger than that still goes, as with one job), the rest of the input is not read.
    template <typename Event>
    void keep(Event&& event) {
      if (over_budget_) return;
      const std::uint64_t bytes = kHeldPerInputByte * runner_.input_bytes();
      const std::uint64_t grown = bytes > current_->bytes ? bytes - current_->bytes : 0;
      const std::uint64_t held = held_.load();
      if (held > current_->bytes && held + grown > kMaxHeldBytes) {
        over_budget_ = true;
        return;
      }
      held_ += grown;
      current_->bytes += grown;
      current_->events.emplace_back(std::forward<Event>(event));
    }
    // A result that went over the budget is dropped: the calling thread makes it again, in turn.
    void finish() {
      if (!over_budget_) return;
      held_ -= current_->bytes;
      current_->bytes = 0;
      current_->events.clear();
      current_->redo = true;
    }

    std::atomic<std::uint64_t>& held_;
    Result* current_ = nullptr;
    bool over_budget_ = false;
    PipelineSinks sinks_;
    Runner runner_;
  };

  void submit(Task task) {
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_workers_.notify_one();
  }

  void submit_batch() {
    if (batch_.empty()) return;
    file_batches_.push_back(next_key_);
    submit(Task{next_key_++, std::move(batch_), {}, {}});
    batch_.clear();
  }

  // Waits for the results of task `key`, decoding queued tasks on this thread meanwhile.
  Done take(std::uint64_t key) {
    std::unique_lock lock(mutex_);
    while (!results_.contains(key)) {
      if (!queue_.empty()) {
        Task task = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        Done done = main_worker_.run(task);
        lock.lock();
        results_.emplace(task.key, std::move(done));
      } else {
        done_.wait(lock);
      }
    }
    return std::move(results_.extract(key).mapped());
  }

  // Takes the oldest of `batches` (task keys in input order) until no more than `keep` are left,
  // handing each result to `each` in order.
  template <typename Each>
  void deliver_batches(std::deque<std::uint64_t>& batches, std::size_t keep, Each each) {
    while (batches.size() > keep) {
      const std::uint64_t key = batches.front();
      batches.pop_front();
      Done done = take(key);
      for (std::size_t i = 0; i < done.results.size(); ++i) {
        Result& result = done.results[i];
        held_ -= result.bytes;
        if (result.redo) {
          redo(result, done, i);
        } else {
          each(result);
        }
      }
    }
  }

  // Decodes again, on this thread and straight into the sinks, what a worker gave up on.
  void redo(Result& result, Done& done, std::size_t index) {
    Runner runner(limits_, sinks_);
    if (done.messages.empty()) {
      if (sinks_.file) sinks_.file(result.path);
      runner.file_unless_mailbox(result.path, result.regular);
    } else {
      runner.mailbox_message(result.path, done.messages[index]);
    }
  }

  void deliver(Result& result) {
    for (auto& event : result.events) {
      if (auto* report = std::get_if<DecodedReport>(&event)) {
        const std::string file = report->file;
        const std::string where = report->where;
        try {
          sinks_.report(std::move(*report));
        } catch (const InputError& error) {  // the tally's overflow check, as Runner catches it
          sinks_.diagnostic(skipped_input(file, where, error));
        }
      } else {
        sinks_.diagnostic(std::move(std::get<Diagnostic>(event)));
      }
    }
  }

  // Reads the mbox `path` message by message on this thread and has the messages decoded in
  // parallel, delivered in order.
  void stream_mailbox(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    MboxReader reader(in, limits_.max_file_bytes);
    std::deque<std::uint64_t> batches;
    std::deque<std::uint64_t> batch_bytes;  // the messages' bytes of each batch in flight
    std::uint64_t message_bytes = 0;        // their sum, and the batch being filled's
    Task task{0, {}, path, {}};
    std::uint64_t task_bytes = 0;
    const auto submit_messages = [&] {
      if (task.messages.empty()) return;
      batches.push_back(next_key_);
      batch_bytes.push_back(task_bytes);
      task.key = next_key_++;
      submit(std::move(task));
      task = Task{0, {}, path, {}};
      task_bytes = 0;
    };
    // Delivers the oldest batches until no more than `keep` are in flight and their messages
    // hold at most kMaxHeldBytes.
    const auto deliver_until = [&](std::size_t keep) {
      while (batches.size() > keep || (!batches.empty() && message_bytes > kMaxHeldBytes)) {
        deliver_batches(batches, batches.size() - 1, [this](Result& result) { deliver(result); });
        message_bytes -= batch_bytes.front();
        batch_bytes.pop_front();
      }
    };
    MboxMessage entry;
    while (reader.next(entry)) {
      task_bytes += entry.text.size();
      message_bytes += entry.text.size();
      task.messages.push_back(std::move(entry));
      entry = MboxMessage{};
      if (task.messages.size() == kBatch || task_bytes > kMaxHeldBytes / 8) {
        submit_messages();
        deliver_until(window_);
      }
    }
    submit_messages();
    deliver_until(0);
    if (in.bad()) {
      sinks_.diagnostic(Diagnostic{Severity::error, path, "", "read error", "input_error"});
    }
  }

  void work() {
    Worker worker(limits_, held_);
    while (true) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        wake_workers_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      Done done = worker.run(task);
      {
        const std::lock_guard lock(mutex_);
        results_.emplace(task.key, std::move(done));
      }
      done_.notify_one();
    }
  }

  const Limits& limits_;
  const PipelineSinks& sinks_;
  const std::size_t window_;
  std::atomic<std::uint64_t> held_{0};  // what the results in flight hold, about
  Worker main_worker_{limits_, held_};  // the calling thread decodes too while it waits
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_workers_;
  std::condition_variable done_;
  std::deque<Task> queue_;
  std::map<std::uint64_t, Done> results_;
  std::uint64_t next_key_ = 0;
  std::vector<WalkedFile> batch_;           // files walked, not yet submitted
  std::deque<std::uint64_t> file_batches_;  // keys of the batches of files in flight, in order
  bool stopping_ = false;
};

}  // namespace

void run_pipeline(const std::vector<std::string>& paths, const Limits& limits,
                  std::istream& standard_input, const PipelineSinks& sinks, unsigned jobs) {
  if (jobs <= 1) {
    Runner runner(limits, sinks);
    walk_paths(
        paths,
        [&](const std::string& path, bool regular) { runner.file(path, standard_input, regular); },
        [&](Diagnostic problem) { sinks.diagnostic(std::move(problem)); });
    return;
  }
  ParallelRunner runner(limits, sinks, jobs);
  walk_paths(
      paths,
      [&](const std::string& path, bool regular) { runner.file(path, standard_input, regular); },
      [&](Diagnostic problem) {
        runner.drain(0);  // keep walk problems in input order too
        sinks.diagnostic(std::move(problem));
      });
  runner.drain(0);
}

}  // namespace tlsrpt
