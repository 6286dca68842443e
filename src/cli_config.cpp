#include "cli_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <toml++/toml.h>

namespace tlsrpt {

namespace {

// The commands whose options a configuration file may set.
bool configurable(const CLI::App* command) {
  const std::string& name = command->get_name();
  return name != "man" && name != "completion" && name != "config";
}

const CLI::Option* long_option(const CLI::App& command, const std::string& key) {
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      if (name == key && name != "help" && name != "config") return option;
    }
  }
  return nullptr;
}

std::string where(const ConfigSetting& setting) {
  return fmt::format("{}:{}", setting.file, setting.line);
}

bool is_gate_key(const std::vector<std::string>& gate_keys, const std::string& key) {
  return std::find(gate_keys.begin(), gate_keys.end(), key) != gate_keys.end();
}

// One pass over the text before toml++ sees it, refusing what it would build recursively: keys
// and table headers of more than kMaxConfigKeyParts parts, values nested deeper than
// kMaxConfigNesting. Strings (basic, literal, multi-line) and comments are skipped as TOML
// defines them, so that a dot or a bracket inside one counts for nothing.
class DepthScan {
 public:
  DepthScan(const std::string& path, const std::string& text) : path_(path), text_(text) {}

  void run() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\n') {
        ++line_;
        key_parts_ = 1;
        in_key_ = nesting_ == 0;
        ++at_;
      } else if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else if (c == '"' || c == '\'') {
        skip_string(c);
      } else {
        structure(c);
        ++at_;
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ConfigError(fmt::format("{}:{}: {}", path_, line_, what));
  }

  void structure(char c) {
    // Dotted keys, in table headers, assignments and inline tables alike: the dots of one run of
    // key characters (quoted parts are skipped as strings and do not end the run).
    const bool key_char = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                          c == ' ' || c == '\t';
    if (c == '.') {
      if (++key_parts_ > kMaxConfigKeyParts) {
        fail(fmt::format("a key of more than {} dotted parts: tlsrpt reads [command] sections "
                         "and their keys only",
                         kMaxConfigKeyParts));
      }
    } else if (!key_char) {
      key_parts_ = 1;
    }
    if (in_key_ && (c == '=' || c == ']')) in_key_ = false;  // past the key or table header
    if (in_key_) return;  // a table header's brackets are not nesting
    if ((c == '[' || c == '{') && ++nesting_ > kMaxConfigNesting) {
      fail(fmt::format("values nested more than {} deep", kMaxConfigNesting));
    }
    if ((c == ']' || c == '}') && nesting_ > 0) --nesting_;
  }

  // Past the string starting at `at_` with quote `quote` (tripled: multi-line).
  void skip_string(char quote) {
    const std::string triple(3, quote);
    const bool multi = text_.compare(at_, 3, triple) == 0;
    at_ += multi ? 3 : 1;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\\' && quote == '"') {
        at_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi) return;  // toml++ reports the unterminated string
        ++line_;
      }
      if (multi ? text_.compare(at_, 3, triple) == 0 : c == quote) {
        at_ += multi ? 3 : 1;
        return;
      }
      ++at_;
    }
  }

  const std::string& path_;
  const std::string& text_;
  std::size_t at_ = 0;
  int line_ = 1;
  int key_parts_ = 1;
  int nesting_ = 0;
  bool in_key_ = true;
};

// A leaf value as the option's text: strings as they are, numbers and booleans as TOML writes
// them. Throws ConfigError for a table or an array of tables where a value belongs.
std::string value_text(const toml::node& node, const std::string& place) {
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* number = node.as_integer()) return std::to_string(number->get());
  if (const auto* number = node.as_floating_point()) return fmt::format("{}", number->get());
  if (const auto* flag = node.as_boolean()) return flag->get() ? "true" : "false";
  throw ConfigError(fmt::format("{}: expected a string, number or true/false", place));
}

ConfigSetting setting_of(const std::string& path, const std::string& section,
                         const std::string& key, const toml::node& node) {
  ConfigSetting setting;
  setting.file = path;
  setting.line = static_cast<int>(node.source().begin.line);
  setting.section = section;
  setting.key = key;
  const std::string place = where(setting);
  if (const auto* list = node.as_array()) {
    for (const toml::node& item : *list) setting.values.push_back(value_text(item, place));
  } else {
    setting.values.push_back(value_text(node, place));
  }
  return setting;
}

}  // namespace

std::vector<std::string> config_files(const std::string& explicit_file) {
  if (!explicit_file.empty()) {
    if (!std::filesystem::is_regular_file(explicit_file)) {
      throw ConfigError(fmt::format("--config {}: no such file", explicit_file));
    }
    return {explicit_file};
  }
  std::vector<std::string> files;
  if (std::filesystem::is_regular_file("/etc/tlsrpt/config.toml")) {
    files.emplace_back("/etc/tlsrpt/config.toml");
  }
  std::string user;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    user = std::string(xdg) + "/tlsrpt/config.toml";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    user = std::string(home) + "/.config/tlsrpt/config.toml";
  }
  if (!user.empty() && std::filesystem::is_regular_file(user)) files.push_back(user);
  return files;
}

std::vector<ConfigSetting> parse_config(const std::string& path, const std::string& text) {
  if (text.size() > kMaxConfigBytes) {
    throw ConfigError(fmt::format("{}: larger than {} bytes; a configuration file is a few lines",
                                  path, kMaxConfigBytes));
  }
  DepthScan(path, text).run();
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    throw ConfigError(
        fmt::format("{}:{}: {}", path, error.source().begin.line, error.description()));
  }
  std::vector<ConfigSetting> settings;
  for (const auto& [key, node] : root) {
    if (const auto* table = node.as_table()) {
      for (const auto& [inner, value] : *table) {
        if (value.is_table() || value.is_array_of_tables()) {
          throw ConfigError(fmt::format("{}:{}: [{}.{}] nests too deep: use [command] sections only",
                                        path, value.source().begin.line, key.str(), inner.str()));
        }
        settings.push_back(setting_of(path, std::string(key.str()), std::string(inner.str()), value));
      }
    } else {
      settings.push_back(setting_of(path, "", std::string(key.str()), node));
    }
  }
  return settings;
}

std::vector<ConfigSetting> read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read it", path));
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_config(path, text);
}

namespace {

// Checks one setting against the commands; throws ConfigError when no command takes it there.
void check_setting(const std::vector<const CLI::App*>& commands, const ConfigSetting& setting,
                   const std::vector<std::string>& gate_keys) {
  const bool gate = is_gate_key(gate_keys, setting.key);
  if (setting.section == "gate") {
    if (gate) return;
    throw ConfigError(fmt::format("{}: [gate] has no setting \"{}\"; the gate's are {}",
                                  where(setting), setting.key, fmt::join(gate_keys, ", ")));
  }
  if (!setting.section.empty()) {
    const auto section = std::find_if(commands.begin(), commands.end(), [&](const CLI::App* c) {
      return c->get_name() == setting.section;
    });
    if (section == commands.end()) {
      throw ConfigError(fmt::format("{}: [{}] is not a command", where(setting), setting.section));
    }
    if (gate) {
      throw ConfigError(fmt::format(
          "{}: {} under [{}] would make {} judge differently from the other commands: set it at "
          "the top level or under [gate], where it counts for every command that shows a verdict",
          where(setting), setting.key, setting.section, setting.section));
    }
    if (!long_option(**section, setting.key)) {
      throw ConfigError(fmt::format("{}: tlsrpt {} has no option --{}", where(setting),
                                    setting.section, setting.key));
    }
    return;
  }
  const bool known = std::any_of(commands.begin(), commands.end(), [&](const CLI::App* c) {
    return long_option(*c, setting.key) != nullptr;
  });
  if (!known) {
    throw ConfigError(fmt::format("{}: unknown setting \"{}\": no command has --{}",
                                  where(setting), setting.key, setting.key));
  }
}

bool on_command_line(const CLI::Option& option, const std::vector<std::string>& given) {
  for (const std::string& argument : given) {
    for (const std::string& name : option.get_lnames()) {
      if (argument == "--" + name || argument.starts_with("--" + name + "=")) return true;
    }
    for (const std::string& name : option.get_snames()) {
      if (argument == "-" + name) return true;
    }
  }
  return false;
}

// The settings that apply to `sub`, one per key: a later file (the user's after the system's)
// replaces an earlier one's, and a [command] section the top level.
std::vector<const ConfigSetting*> chosen_settings(const CLI::App& sub,
                                                  const std::vector<ConfigSetting>& settings) {
  std::vector<const ConfigSetting*> chosen;
  for (const ConfigSetting& setting : settings) {
    if (setting.section != "" && setting.section != "gate" && setting.section != sub.get_name())
      continue;
    if (!long_option(sub, setting.key)) continue;  // a top-level setting for another command
    const auto same = std::find_if(chosen.begin(), chosen.end(),
                                   [&](const ConfigSetting* c) { return c->key == setting.key; });
    if (same != chosen.end()) {
      const bool command_section = [](const ConfigSetting& s) {
        return !s.section.empty() && s.section != "gate";
      }(**same);
      if (command_section && (setting.section.empty() || setting.section == "gate")) continue;
      chosen.erase(same);
    }
    chosen.push_back(&setting);
  }
  return chosen;
}

// The arguments a setting stands for: a flag when true, else --key VALUE per value.
void append_arguments(const CLI::Option& option, const ConfigSetting& setting,
                      std::vector<std::string>& arguments) {
  if (option.get_expected_min() == 0) {  // a flag: true or false
    if (setting.values.size() == 1 && (setting.values[0] == "true" || setting.values[0] == "1"))
      arguments.push_back("--" + setting.key);
    return;
  }
  for (const std::string& value : setting.values) {
    arguments.push_back("--" + setting.key);
    arguments.push_back(value);
  }
}

}  // namespace

ConfigRun apply_config(const CLI::App& app, const std::string& explicit_file,
                       const std::string& command, std::size_t command_at,
                       std::vector<std::string>& arguments,
                       const std::vector<std::string>& gate_keys) {
  ConfigRun run;
  run.files = config_files(explicit_file);
  for (const std::string& file : run.files) {
    std::vector<ConfigSetting> each = read_config(file);
    run.all.insert(run.all.end(), each.begin(), each.end());
  }
  const auto commands = app.get_subcommands([](const CLI::App* sub) { return configurable(sub); });
  for (const ConfigSetting& setting : run.all) check_setting(commands, setting, gate_keys);
  const auto sub = std::find_if(commands.begin(), commands.end(),
                                [&](const CLI::App* c) { return c->get_name() == command; });
  if (sub == commands.end() || command_at >= arguments.size()) return run;
  for (const ConfigSetting* setting : chosen_settings(**sub, run.all)) {
    const CLI::Option& option = *long_option(**sub, setting->key);
    if (on_command_line(option, arguments)) continue;
    run.applied.push_back(*setting);
    append_arguments(option, *setting, run.arguments);
  }
  arguments.insert(arguments.begin() + static_cast<std::ptrdiff_t>(command_at) + 1,
                   run.arguments.begin(), run.arguments.end());
  return run;
}

std::string ConfigRun::origin_of(const std::string& message) const {
  for (const ConfigSetting& setting : applied) {
    if (message.find("--" + setting.key) != std::string::npos)
      return fmt::format(" (set in {} line {})", setting.file, setting.line);
  }
  return "";
}

namespace {

// "key = value  # origin" of an option, from the settings or its default; "" when neither.
std::string setting_line(const CLI::Option& option, const ConfigSetting* from) {
  const std::string key = option.get_lnames().front();
  if (from) {
    std::vector<std::string> quoted;
    for (const std::string& v : from->values) quoted.push_back(fmt::format("\"{}\"", v));
    const std::string value =
        from->values.size() == 1 ? quoted[0] : fmt::format("[{}]", fmt::join(quoted, ", "));
    return fmt::format("{} = {}  # {}", key, value, where(*from));
  }
  if (option.get_default_str().empty()) return "";
  return fmt::format("{} = \"{}\"  # default", key, option.get_default_str());
}

}  // namespace

std::string describe_config(const CLI::App& app, const ConfigRun& run,
                            const std::vector<std::string>& gate_keys) {
  std::string out = "# tlsrpt's effective settings: the defaults, changed by ";
  out += run.files.empty() ? "no configuration file"
                           : fmt::format("{}", fmt::join(run.files, ", then "));
  out += "\n# (the command line wins over all of them). Valid as a configuration file.\n";
  const auto commands = app.get_subcommands([](const CLI::App* sub) { return configurable(sub); });
  const CLI::App* check = *std::find_if(commands.begin(), commands.end(),
                                        [](const CLI::App* c) { return c->get_name() == "check"; });
  const std::vector<const ConfigSetting*> check_settings = chosen_settings(*check, run.all);
  const auto from_of = [](const std::vector<const ConfigSetting*>& chosen, const std::string& key) {
    const auto found = std::find_if(chosen.begin(), chosen.end(),
                                    [&](const ConfigSetting* s) { return s->key == key; });
    return found == chosen.end() ? nullptr : *found;
  };
  std::vector<std::string> gate;
  for (const std::string& key : gate_keys) {
    const std::string line = setting_line(*long_option(*check, key), from_of(check_settings, key));
    if (!line.empty()) gate.push_back(line);
  }
  out += fmt::format("\n# The gate: the same for every command that shows a verdict.\n[gate]\n{}\n",
                     fmt::join(gate, "\n"));
  for (const CLI::App* command : commands) {
    const std::vector<const ConfigSetting*> chosen = chosen_settings(*command, run.all);
    std::vector<std::string> lines;
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_positional() || option->get_lnames().empty()) continue;
      const std::string key = option->get_lnames().front();
      if (key == "help" || key == "config" || is_gate_key(gate_keys, key)) continue;
      const std::string line = setting_line(*option, from_of(chosen, key));
      if (!line.empty()) lines.push_back(line);
    }
    if (lines.empty()) continue;
    out += fmt::format("\n[{}]\n{}\n", command->get_name(), fmt::join(lines, "\n"));
  }
  return out;
}

}  // namespace tlsrpt
