#include "tlsrpt/credentials.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "tlsrpt/error.hpp"

namespace tlsrpt {

std::optional<std::string> netrc_password(std::istream& netrc, std::string_view host,
                                          std::string_view user) {
  std::string token;
  std::string machine;
  std::string login;
  std::string password;
  bool entry = false;  // inside a "machine" entry (a "default" one matches nothing here)
  const auto matches = [&] {
    return entry && machine == host && (login.empty() || login == user) && !password.empty();
  };
  while (netrc >> token) {
    if (token == "machine" || token == "default") {
      if (matches()) return password;
      machine.clear(), login.clear(), password.clear();
      entry = token == "machine";
      if (entry) netrc >> machine;
    } else if (token == "login") {
      netrc >> login;
    } else if (token == "password") {
      netrc >> password;
    }
  }
  if (matches()) return password;
  return std::nullopt;
}

std::string imap_password(const std::string& file, const std::string& host,
                          const std::string& user) {
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      throw UsageError(fmt::format("--password-file {}: cannot read a password from it", file));
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (const char* password = std::getenv("TLSRPT_IMAP_PASSWORD"); password && *password) {
    return password;
  }
  if (const char* home = std::getenv("HOME")) {
    std::ifstream netrc(std::string(home) + "/.netrc");
    if (auto password = netrc_password(netrc, host, user)) return *password;
  }
  throw UsageError(fmt::format(
      "fetch: no password for {} at {}: give --password-file FILE, set TLSRPT_IMAP_PASSWORD, or "
      "add \"machine {} login {} password …\" to ~/.netrc (or use --oauth2-token-command)",
      user, host, host, user));
}

std::string token_from_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw UsageError(fmt::format("--oauth2-token-command: cannot run \"{}\"", command));
  std::string output;
  char buffer[4096];
  while (output.size() < 64 * 1024) {
    const std::size_t got = fread(buffer, 1, sizeof buffer, pipe);
    if (got == 0) break;
    output.append(buffer, got);
  }
  const int status = pclose(pipe);
  std::string token = output.substr(0, output.find('\n'));
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (status != 0 || token.empty()) {
    throw UsageError(
        fmt::format("--oauth2-token-command \"{}\" {}: it must print an access token and exit 0",
                    command, status != 0 ? "failed" : "printed nothing"));
  }
  return token;
}

}  // namespace tlsrpt
