// Errors about input and the diagnostics the pipeline collects from them; usage errors.
#pragma once

#include <stdexcept>
#include <string>

namespace tlsrpt {

// Thrown by any stage that cannot use what it reads. `where` is the most precise place known:
// a JSON path as spelled in the report, a MIME part, or "byte N"; it may be empty.
class InputError : public std::runtime_error {
 public:
  InputError(std::string where, const std::string& what);
  const std::string& where() const { return where_; }
  // The message without the place.
  const std::string& detail() const { return detail_; }

 private:
  std::string where_;
  std::string detail_;
};

// A command asked for something that cannot be done as asked (contradictory or unknown settings,
// a filter that matches nothing): the face says it and exits with the usage status.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Severity { error, warning, note };

// One thing worth telling about one input. `file` is the path as given (or "-" for stdin).
struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  std::string where;
  std::string message;
  // Stable identifier of the kind of problem, snake_case (e.g. "datetime_without_zone"); used to
  // group warnings and in machine output.
  std::string code;
};

const char* severity_name(Severity severity);

// "a: b" without empty parts.
std::string join_where(const std::string& outer, const std::string& inner);

// The error diagnostic for an input skipped at `where` in `file` because of `error`.
Diagnostic skipped_input(const std::string& file, const std::string& where,
                         const InputError& error);

// "file: where: message" (parts left out when empty).
std::string format_location(const Diagnostic& diagnostic);

}  // namespace tlsrpt
