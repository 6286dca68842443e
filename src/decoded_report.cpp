#include "tlsrpt/decoded_report.hpp"

namespace tlsrpt {

std::string_view dkim_verdict_name(DkimVerdict verdict) {
  switch (verdict) {
    case DkimVerdict::none:
      return "none";
    case DkimVerdict::pass:
      return "pass";
    case DkimVerdict::fail:
      return "fail";
  }
  return "none";
}

}  // namespace tlsrpt
