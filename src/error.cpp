#include "tlsrpt/error.hpp"

#include <utility>

namespace tlsrpt {

namespace {
std::string join_where(const std::string& where, const std::string& what) {
  return where.empty() ? what : where + ": " + what;
}
}  // namespace

InputError::InputError(std::string where, const std::string& what)
    : std::runtime_error(join_where(where, what)), where_(std::move(where)), detail_(what) {}

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
