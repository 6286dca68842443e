// The configuration files of the command line (TOML, read with toml++): what operators set once —
// the gate's thresholds and windows, major senders, trusted authserv-ids, formats. Each setting
// becomes the option it names, placed after the command word, unless the command line gives that
// option itself. The gate's settings (cli_options.hpp) are set at the top level or under [gate]
// and reach every command that shows a verdict alike; under a [command] section they are an
// error, since that command would then judge differently from the others.
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
  int line = 0;         // 1-based
  std::string section;  // "" (every command that takes the option), "gate", or a command name
  std::string key;      // an option's long name without the dashes
  std::vector<std::string> values;
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Configuration files are small; a larger one is refused before it is parsed.
inline constexpr std::size_t kMaxConfigBytes = 1 << 20;
// Keys (and table headers) of more parts than this, and values nested deeper, are refused before
// parsing: toml++ builds them recursively.
inline constexpr int kMaxConfigKeyParts = 4;
inline constexpr int kMaxConfigNesting = 8;

// /etc/tlsrpt/config.toml, then $XDG_CONFIG_HOME/tlsrpt/config.toml (~/.config/…), those that
// exist; or only `explicit_file` when given (which must exist).
std::vector<std::string> config_files(const std::string& explicit_file);

// Every setting of TOML `text` read from `path`; throws ConfigError "FILE:LINE: …" when the text
// cannot be parsed, is too large or nests too deep. Time and memory are linear in its size.
std::vector<ConfigSetting> parse_config(const std::string& path, const std::string& text);
// The same from the file at `path`.
std::vector<ConfigSetting> read_config(const std::string& path);

// What the configuration did to one run.
struct ConfigRun {
  std::vector<std::string> files;
  std::vector<ConfigSetting> all;       // every file's settings, for `tlsrpt config`
  std::vector<ConfigSetting> applied;   // those that became options of this command
  std::vector<std::string> arguments;   // the options they became
  // " (set in FILE line N)" when `message` (a usage error) names an option set by a file.
  std::string origin_of(const std::string& message) const;
};

// Reads the files, checks every setting against the commands of `app` (an unknown section or key,
// or a gate key under a command's section, is a ConfigError naming the file and line) and inserts
// the options for `command` into `arguments` after the command word at `command_at`.
ConfigRun apply_config(const CLI::App& app, const std::string& explicit_file,
                       const std::string& command, std::size_t command_at,
                       std::vector<std::string>& arguments,
                       const std::vector<std::string>& gate_keys);

// `tlsrpt config`: the effective settings as TOML, each once with where it came from: the gate's
// under [gate], then each command's own.
std::string describe_config(const CLI::App& app, const ConfigRun& run,
                            const std::vector<std::string>& gate_keys);

}  // namespace tlsrpt
