#include "cli_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

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
      if (name == key && name != "help") return option;
    }
  }
  return nullptr;
}

std::string where(const ConfigSetting& setting) {
  return setting.line > 0 ? fmt::format("{}:{}", setting.file, setting.line) : setting.file;
}

// The line of `key` in `section` of the file's text (CLI11's parser does not keep lines).
int line_of(const std::vector<std::string>& lines, const std::string& section,
            const std::string& key) {
  std::string current;
  const std::regex header(R"(^\s*\[\s*([^\]\s]+)\s*\]\s*(#.*)?$)");
  const std::regex assignment(
      "^\\s*\"?" + std::regex_replace(key, std::regex(R"([.^$|()\[\]*+?{}\\])"), R"(\$&)") +
      "\"?\\s*[=:]");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch match;
    if (std::regex_match(lines[i], match, header)) {
      current = match[1].str();
    } else if (current == section && std::regex_search(lines[i], assignment)) {
      return static_cast<int>(i + 1);
    }
  }
  return 0;
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

std::vector<ConfigSetting> read_config(const std::string& path) {
  std::vector<std::string> lines;
  {
    std::ifstream in(path);
    if (!in) throw ConfigError(fmt::format("{}: cannot read it", path));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::ParseError& error) {
    throw ConfigError(fmt::format("{}: {}", path, error.what()));
  }
  std::vector<ConfigSetting> settings;
  for (const CLI::ConfigItem& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // CLI11's section markers
    if (item.parents.size() > 1) {
      throw ConfigError(fmt::format("{}:{}: [{}] nests too deep: use [command] sections only", path,
                                    line_of(lines, item.parents[0], item.parents[1]),
                                    CLI::detail::join(item.parents, ".")));
    }
    ConfigSetting setting;
    setting.file = path;
    setting.section = item.parents.empty() ? "" : item.parents[0];
    setting.key = item.name;
    setting.values = item.inputs;
    setting.line = line_of(lines, setting.section, setting.key);
    settings.push_back(std::move(setting));
  }
  return settings;
}

std::vector<ConfigSetting> settings_for(const CLI::App& app, const std::string& command,
                                        const std::vector<ConfigSetting>& settings) {
  std::vector<ConfigSetting> applying;
  const auto commands = app.get_subcommands([](const CLI::App* sub) { return configurable(sub); });
  for (const ConfigSetting& setting : settings) {
    if (!setting.section.empty()) {
      const auto section = std::find_if(commands.begin(), commands.end(), [&](const CLI::App* c) {
        return c->get_name() == setting.section;
      });
      if (section == commands.end()) {
        throw ConfigError(
            fmt::format("{}: [{}] is not a command", where(setting), setting.section));
      }
      if (!long_option(**section, setting.key)) {
        throw ConfigError(fmt::format("{}: tlsrpt {} has no option --{}", where(setting),
                                      setting.section, setting.key));
      }
      if (setting.section == command) applying.push_back(setting);
      continue;
    }
    const bool known = std::any_of(commands.begin(), commands.end(), [&](const CLI::App* c) {
      return long_option(*c, setting.key) != nullptr;
    });
    if (!known) {
      throw ConfigError(fmt::format("{}: unknown setting \"{}\": no command has --{}",
                                    where(setting), setting.key, setting.key));
    }
    applying.push_back(setting);
  }
  return applying;
}

std::vector<std::string> config_arguments(const CLI::App& app, const std::string& command,
                                          const std::vector<ConfigSetting>& settings,
                                          const std::vector<std::string>& given) {
  std::vector<std::string> arguments;
  const CLI::App* sub = nullptr;
  for (const CLI::App* each : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (each->get_name() == command) sub = each;
  }
  if (!sub) return arguments;
  // A later file (the user's after the system's) replaces an earlier one's setting of a key, and
  // a [command] section a top-level one.
  std::vector<const ConfigSetting*> chosen;
  for (const ConfigSetting& setting : settings) {
    const CLI::Option* option = long_option(*sub, setting.key);
    if (!option) continue;  // a top-level setting for another command
    bool on_command_line = false;
    for (const std::string& argument : given) {
      for (const std::string& name : option->get_lnames()) {
        on_command_line =
            on_command_line || argument == "--" + name || argument.starts_with("--" + name + "=");
      }
      for (const std::string& name : option->get_snames()) {
        on_command_line = on_command_line || argument == "-" + name;
      }
    }
    if (on_command_line) continue;
    const auto same = std::find_if(chosen.begin(), chosen.end(),
                                   [&](const ConfigSetting* c) { return c->key == setting.key; });
    if (same != chosen.end()) {
      if (!(*same)->section.empty() && setting.section.empty()) continue;
      chosen.erase(same);
    }
    chosen.push_back(&setting);
  }
  for (const ConfigSetting* setting : chosen) {
    const CLI::Option* option = long_option(*sub, setting->key);
    if (option->get_expected_min() == 0) {  // a flag: true or false
      if (setting->values.size() == 1 &&
          (setting->values[0] == "true" || setting->values[0] == "1")) {
        arguments.push_back("--" + setting->key);
      }
      continue;
    }
    for (const std::string& value : setting->values) {
      arguments.push_back("--" + setting->key);
      arguments.push_back(value);
    }
  }
  return arguments;
}

std::string describe_config(const CLI::App& app, const std::vector<ConfigSetting>& settings,
                            const std::vector<std::string>& files) {
  std::string out = "# tlsrpt's effective settings: the defaults, changed by ";
  out += files.empty() ? "no configuration file" : fmt::format("{}", fmt::join(files, ", then "));
  out += "\n# (the command line wins over all of them). Valid as a configuration file.\n";
  for (const CLI::App* command :
       app.get_subcommands([](const CLI::App* sub) { return configurable(sub); })) {
    std::vector<std::string> lines;
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_positional() || option->get_lnames().empty()) continue;
      const std::string key = option->get_lnames().front();
      if (key == "help") continue;
      const ConfigSetting* from = nullptr;
      for (const ConfigSetting& setting : settings) {
        if (setting.key == key &&
            (setting.section.empty() || setting.section == command->get_name()) &&
            (!from || from->section.empty() || !setting.section.empty())) {
          from = &setting;
        }
      }
      std::string value;
      std::string origin;
      if (from) {
        std::vector<std::string> quoted;
        for (const std::string& v : from->values) quoted.push_back(fmt::format("\"{}\"", v));
        value = from->values.size() == 1 ? quoted[0] : fmt::format("[{}]", fmt::join(quoted, ", "));
        origin = where(*from);
      } else if (!option->get_default_str().empty()) {
        value = fmt::format("\"{}\"", option->get_default_str());
        origin = "default";
      } else {
        continue;  // unset, no default
      }
      lines.push_back(fmt::format("{} = {}  # {}", key, value, origin));
    }
    if (lines.empty()) continue;
    out += fmt::format("\n[{}]\n{}\n", command->get_name(), fmt::join(lines, "\n"));
  }
  return out;
}

}  // namespace tlsrpt
