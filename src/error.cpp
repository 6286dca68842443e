#include "tlsrpt/error.hpp"

#include <utility>

namespace tlsrpt {

InputError::InputError(std::string where, const std::string& what)
    : std::runtime_error(join_where(where, what)), where_(std::move(where)), detail_(what) {}

Diagnostic skipped_input(const std::string& file, const std::string& where,
                         const InputError& error) {
  return Diagnostic{Severity::error, file, join_where(where, error.where()), error.detail(),
                    "input_error"};
}

std::string join_where(const std::string& outer, const std::string& inner) {
  if (outer.empty()) return inner;
  if (inner.empty()) return outer;
  return outer + ": " + inner;
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::string format_location(const Diagnostic& diagnostic) {
  std::string text;
  for (const std::string* part : {&diagnostic.file, &diagnostic.where, &diagnostic.message}) {
    if (part->empty()) continue;
    if (!text.empty()) text += ": ";
    text += *part;
  }
  return text;
}

}  // namespace tlsrpt
