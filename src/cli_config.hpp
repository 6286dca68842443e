// The configuration files of the command line (TOML, read with CLI11's own config parser): what
// operators set once — thresholds, major senders, windows, trusted authserv-ids, formats. Each
// setting becomes the option it names, placed after the command word, unless the command line
// gives that option itself.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tlsrpt {

struct ConfigSetting {
  std::string file;
  int line = 0;         // 1-based; 0 when it could not be found again
  std::string section;  // "" (every command that takes the option) or a command name
  std::string key;      // an option's long name without the dashes
  std::vector<std::string> values;
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// /etc/tlsrpt/config.toml, then $XDG_CONFIG_HOME/tlsrpt/config.toml (~/.config/…), those that
// exist; or only `explicit_file` when given (which must exist).
std::vector<std::string> config_files(const std::string& explicit_file);

// Every setting of `path`; throws ConfigError "FILE:LINE: …" when the file cannot be parsed.
std::vector<ConfigSetting> read_config(const std::string& path);

// Checks every setting against the commands of `app` (an unknown section or key is a
// ConfigError naming the file and line) and returns those that apply to `command`.
std::vector<ConfigSetting> settings_for(const CLI::App& app, const std::string& command,
                                        const std::vector<ConfigSetting>& settings);

// The arguments `settings` stand for, leaving out options `given` on the command line.
std::vector<std::string> config_arguments(const CLI::App& app, const std::string& command,
                                          const std::vector<ConfigSetting>& settings,
                                          const std::vector<std::string>& given);

// `tlsrpt config`: the effective settings of every command as TOML, each with where it came from.
std::string describe_config(const CLI::App& app, const std::vector<ConfigSetting>& settings,
                            const std::vector<std::string>& files);

}  // namespace tlsrpt
