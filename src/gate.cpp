#include "tlsrpt/gate.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return "ready";
    case Verdict::not_ready:
      return "not_ready";
    case Verdict::insufficient_data:
      return "insufficient_data";
  }
  return "insufficient_data";
}

std::vector<MajorSender> default_major_senders() {
  return {{"Google", {"google", "gmail.com"}},
          {"Microsoft", {"microsoft", "outlook.com", "hotmail.com"}},
          {"Yahoo", {"yahoo", "aol.com"}},
          {"Apple", {"apple", "icloud.com"}}};
}

namespace {

// What a major sender's name alone matches: a default sender's organization names and reporting
// domains, else the name itself, lower-cased.
std::vector<std::string> matches_of_name(const std::string& name) {
  for (MajorSender& sender : default_major_senders()) {
    if (iequals(sender.name, name)) return std::move(sender.matches);
  }
  return {lowercase(name)};
}

}  // namespace

std::vector<MajorSender> parse_major_senders(const std::string& list) {
  std::vector<MajorSender> senders;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const std::size_t comma = std::min(list.find(',', pos), list.size());
    const std::string entry(trim(std::string_view(list).substr(pos, comma - pos)));
    pos = comma + 1;
    const std::size_t equals = entry.find('=');
    MajorSender sender;
    sender.name = std::string(trim(std::string_view(entry).substr(0, equals)));
    if (sender.name.empty()) {
      throw std::invalid_argument(fmt::format(
          "\"{}\" has an empty entry: write NAME or NAME=match|match, separated by commas", list));
    }
    sender.matches = matches_of_name(sender.name);
    if (equals != std::string::npos) {
      std::size_t at = equals + 1;
      while (at <= entry.size()) {
        const std::size_t bar = std::min(entry.find('|', at), entry.size());
        const std::string match = lowercase(trim(std::string_view(entry).substr(at, bar - at)));
        if (match.empty()) {
          throw std::invalid_argument(
              fmt::format("\"{}\" has an empty match for {}", list, sender.name));
        }
        if (std::find(sender.matches.begin(), sender.matches.end(), match) ==
            sender.matches.end()) {
          sender.matches.push_back(match);
        }
        at = bar + 1;
      }
    }
    senders.push_back(std::move(sender));
  }
  return senders;
}

std::string major_senders_text(const std::vector<MajorSender>& senders) {
  std::vector<std::string> entries;
  for (const MajorSender& sender : senders) {
    const std::vector<std::string> implied = matches_of_name(sender.name);
    std::vector<std::string> extra;
    for (const std::string& match : sender.matches) {
      if (std::find(implied.begin(), implied.end(), match) == implied.end()) extra.push_back(match);
    }
    entries.push_back(extra.empty() ? sender.name
                                    : fmt::format("{}={}", sender.name, fmt::join(extra, "|")));
  }
  return fmt::format("{}", fmt::join(entries, ","));
}

Verdict worse(Verdict a, Verdict b) { return verdict_rank(a) <= verdict_rank(b) ? a : b; }

int verdict_rank(Verdict verdict) {
  switch (verdict) {
    case Verdict::not_ready:
      return 0;
    case Verdict::insufficient_data:
      return 1;
    case Verdict::ready:
      return 2;
  }
  return 1;
}

}  // namespace tlsrpt
