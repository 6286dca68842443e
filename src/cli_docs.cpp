#include "cli_docs.hpp"

#include <algorithm>
#include <cctype>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace tlsrpt {

namespace {

struct OptionDoc {
  std::vector<std::string> names;  // "-j", "--jobs"
  std::string value;               // "N", "FILE", "" for a flag
  std::vector<std::string> choices;
  std::string description;
  std::string default_value;
  bool paths = false;  // the value is a file or directory
};

struct CommandDoc {
  std::string name;
  std::string description;
  std::string positional;  // e.g. "PATH..."
  std::string positional_description;
  std::vector<std::string> positional_choices;  // when the argument is one of a fixed set
  std::vector<OptionDoc> options;
};

// "TEXT:{text,json}" → {"text", "json"}.
std::vector<std::string> choices_of(const std::string& type) {
  std::vector<std::string> choices;
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string list = type.substr(open + 1, close - open - 1);
  std::size_t at = 0;
  while (at <= list.size()) {
    const auto comma = std::min(list.find(',', at), list.size());
    choices.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return choices;
}

std::string value_name(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  if (option.get_expected_min() == 0) return "";  // a flag
  if (type.find("SIZE") != std::string::npos) return "SIZE";
  if (type.find("RATE") != std::string::npos) return "RATE";
  if (type.find("FILE") != std::string::npos) return "FILE";
  if (type.find("HOST:PORT") != std::string::npos) return "HOST:PORT:ADDR:PORT";
  if (type.find("UINT") != std::string::npos || type.find("INT") != std::string::npos ||
      type.find("rows") != std::string::npos || type.find("N") == 0) {
    return "N";
  }
  if (type.find("FLOAT") != std::string::npos) return "SECONDS";
  return "VALUE";
}

std::vector<CommandDoc> describe(const CLI::App& app) {
  std::vector<CommandDoc> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    CommandDoc command{sub->get_name(), sub->get_description(), "", "", {}, {}};
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_positional()) {
        std::string name = option->get_name();
        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (name == "PATHS") name = "PATH";
        if (name == "ARGUMENTS") name = "DOMAIN... [PATH";
        command.positional = name + (option->get_items_expected_max() > 1 ? "..." : "");
        if (name == "DOMAIN... [PATH") command.positional += "]";
        command.positional_description = option->get_description();
        command.positional_choices = choices_of(option->get_type_name());
        continue;
      }
      OptionDoc doc;
      for (const std::string& s : option->get_snames()) doc.names.push_back("-" + s);
      for (const std::string& l : option->get_lnames()) doc.names.push_back("--" + l);
      doc.value = value_name(*option);
      doc.choices = choices_of(option->get_type_name());
      doc.description = option->get_description();
      doc.default_value = option->get_default_str();
      doc.paths = doc.value == "FILE" || doc.names.back() == "--to" ||
                  doc.names.back() == "--output" || doc.names.back() == "--password-file";
      if (doc.paths && doc.value.empty()) doc.value = "FILE";
      command.options.push_back(std::move(doc));
    }
    commands.push_back(std::move(command));
  }
  return commands;
}

// Text for roff: backslashes and a leading dot or quote made harmless, hyphens as \-.
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string option_synopsis(const OptionDoc& option) {
  std::string text;
  for (std::size_t i = 0; i < option.names.size(); ++i) {
    text += (i ? ", " : "") + fmt::format("\\fB{}\\fR", roff(option.names[i]));
  }
  if (!option.choices.empty()) {
    text += " \\fI" + roff(fmt::format("{}", fmt::join(option.choices, "|"))) + "\\fR";
  } else if (!option.value.empty()) {
    text += " \\fI" + roff(option.value) + "\\fR";
  }
  return text;
}

constexpr const char* kManTail = R"roff(.SH EXIT STATUS
.TP
.B 0
Every input was read; \fBcheck\fR: ready; \fBalerts\fR: none fired; \fBdomain\fR: nothing blocks
and everything could be checked; \fBfetch\fR: everything new was fetched.
.TP
.B 1
\fBcheck\fR: not ready; \fBalerts\fR: at least one alert fired; \fBdomain\fR: a live finding
blocks mode: enforce.
.TP
.B 2
Usage error: an unknown command or option, a missing or unreadable value, contradictory
settings, a bad configuration file (named with its line).
.TP
.B 3
Output was printed, but an input could not be read or decoded and was skipped (each named on
standard error); \fBfetch\fR: it stopped or skipped messages.
.TP
.B 4
\fBcheck\fR: not enough data to decide; \fBdomain\fR: something could not be checked and nothing
blocks.
.SH FILES
.TP
.I ~/.config/tlsrpt/config.toml
Settings for every run of this user (\fB$XDG_CONFIG_HOME/tlsrpt/config.toml\fR when set); see
\fBtlsrpt config\fR and the CONFIGURATION section.
.TP
.I /etc/tlsrpt/config.toml
Settings for every user; the user's file and the command line win over it.
.TP
.I DIR.tlsrpt\-fetch.json
Beside the Maildir \fIDIR\fR of \fBtlsrpt fetch\fR: what was fetched from which folder.
.SH CONFIGURATION
A TOML file of settings written once: top-level keys apply to every command that takes the
option, a \fB[command]\fR section to that command only; keys are option names without the
dashes.
.PP
.nf
trusted\-authserv\-id = ["mx.example.com"]
[check]
max\-failure\-rate = "0.5%"
major\-senders = "Google,Microsoft,Yahoo,Apple,Example=example.net"
[summary]
format = "text"
.fi
.PP
Options on the command line win over the files; an unknown key or a bad value is an error
naming the file and line.
.SH ENVIRONMENT
.TP
.B NO_COLOR
When set, text output has no colour unless \fB\-\-color always\fR.
.TP
.B COLUMNS
The width text output fits when standard output is not a terminal that says its own.
.TP
.B TLSRPT_IMAP_PASSWORD
The IMAP password of \fBtlsrpt fetch\fR when no \fB\-\-password\-file\fR is given.
.TP
.B XDG_CONFIG_HOME
Where the user's configuration file is looked for (default \fI~/.config\fR).
.TP
.B HOME
For \fI~/.netrc\fR (IMAP passwords) and the configuration file.
.SH EXAMPLES
.nf
tlsrpt show report.json.gz
tlsrpt summary ~/Maildir/.TLS\-Reports
tlsrpt summary \-\-format json reports/ | jq .totals
tlsrpt summary \-\-format html reports/ \-o report.html
tlsrpt check \-\-max\-failure\-rate 0.5% reports/; echo $?
tlsrpt check \-\-live example.com reports/
tlsrpt domain example.com
tlsrpt alerts \-\-stale\-days 2 reports/ || notify\-operator
tlsrpt export \-\-format csv reports/ > rows.csv
tlsrpt fetch imaps://reports@imap.example.com/INBOX \-\-to ~/tlsrpt/mail \e
    \-\-password\-file ~/.imap\-password
tlsrpt completion bash > ~/.local/share/bash\-completion/completions/tlsrpt
.fi
.SH SEE ALSO
RFC 8460 (SMTP TLS Reporting), RFC 8461 (MTA\-STS), RFC 7672 (DANE for SMTP); the project's
docs/ directory, installed under /usr/share/doc/tlsrpt.
)roff";

}  // namespace

std::string man_page(const CLI::App& app, std::string_view version) {
  std::string out = fmt::format(
      ".TH TLSRPT 1 \"\" \"tlsrpt {}\" \"User Commands\"\n.SH NAME\ntlsrpt \\- read SMTP TLS "
      "Reporting (RFC 8460) reports and tell what fails and why\n.SH SYNOPSIS\n",
      roff(version));
  const std::vector<CommandDoc> commands = describe(app);
  for (const CommandDoc& command : commands) {
    out +=
        fmt::format(".B tlsrpt {}\n[\\fIOPTIONS\\fR]{}\n.br\n", command.name,
                    command.positional.empty() ? "" : " \\fI" + roff(command.positional) + "\\fR");
  }
  out += ".B tlsrpt\n.RB [ \\-\\-version | \\-\\-help ]\n";
  out +=
      ".SH DESCRIPTION\n"
      "tlsrpt reads TLS reports \\(em single .json or .json.gz files, raw report e\\-mails "
      "(.eml), mbox files and Maildirs, directories of them \\(em decodes them into RFC 8460 "
      "reports, and prints aggregate, per\\-sender, per\\-domain, per\\-failure\\-type and "
      "per\\-day failure rates with a remediation hint for every failure type. "
      "\\fBcheck\\fR says whether a domain may move MTA\\-STS from mode: testing to mode: "
      "enforce; \\fBdomain\\fR looks at the live DNS records, policy and MX hosts.\n"
      ".SH COMMANDS\n";
  for (const CommandDoc& command : commands) {
    out += fmt::format(".SS \"tlsrpt {}{}\"\n{}\n", command.name,
                       command.positional.empty() ? "" : " " + roff(command.positional),
                       roff(command.description));
    if (!command.positional_description.empty()) {
      out += fmt::format(".TP\n.I {}\n{}\n", roff(command.positional),
                         roff(command.positional_description));
    }
    for (const OptionDoc& option : command.options) {
      out += ".TP\n" + option_synopsis(option) + "\n" + roff(option.description);
      if (!option.default_value.empty()) {
        out += fmt::format(" (default: {})", roff(option.default_value));
      }
      out += "\n";
    }
  }
  out += kManTail;
  return out;
}

std::string completion_script(const CLI::App& app, std::string_view shell) {
  const std::vector<CommandDoc> commands = describe(app);
  std::string names;
  for (const CommandDoc& command : commands) names += (names.empty() ? "" : " ") + command.name;
  if (shell == "bash") {
    std::string pattern = names;  // "summary|alerts|…"
    std::replace(pattern.begin(), pattern.end(), ' ', '|');
    std::string values;   // case arms: "cmd:--opt) COMPREPLY=(...)"
    std::string options;  // case arms: "cmd) opts=..."
    for (const CommandDoc& command : commands) {
      std::string list;
      for (const OptionDoc& option : command.options) {
        for (const std::string& name : option.names) list += (list.empty() ? "" : " ") + name;
        for (const std::string& name : option.names) {
          if (!option.choices.empty()) {
            values += fmt::format(
                "      {}:{}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); "
                "return ;;\n",
                command.name, name, fmt::join(option.choices, " "));
          } else if (option.paths) {
            values += fmt::format("      {}:{}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
                                  command.name, name);
          } else if (!option.value.empty()) {
            values += fmt::format("      {}:{}) return ;;\n", command.name, name);
          }
        }
      }
      options += fmt::format(
          "      {}) opts=\"{}\"{} ;;\n", command.name, list,
          command.positional_choices.empty()
              ? ""
              : fmt::format("; words=\"{}\"", fmt::join(command.positional_choices, " ")));
    }
    return fmt::format(R"bash(# bash completion for tlsrpt (made by `tlsrpt completion bash`)
_tlsrpt() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" command="" word
  for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
    case "$word" in
      {0}) command=$word; break ;;
    esac
  done
  if [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "{1} --help --version" -- "$cur"))
    return
  fi
  case "$command:$prev" in
{2}  esac
  local opts="" words=""
  case "$command" in
{3}  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
  elif [[ -n $words ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -o filenames -o bashdefault -F _tlsrpt tlsrpt
)bash",
                       pattern, names, values, options);
  }
  if (shell == "zsh") {
    std::string out =
        "#compdef tlsrpt\n# zsh completion for tlsrpt (made by `tlsrpt completion "
        "zsh`)\n_tlsrpt() {\n  local -a commands\n  commands=(\n";
    for (const CommandDoc& command : commands) {
      std::string description = command.description.substr(0, command.description.find(':'));
      std::replace(description.begin(), description.end(), '\'', ' ');
      out += fmt::format("    '{}:{}'\n", command.name, description.substr(0, 70));
    }
    out +=
        "  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  "
        "fi\n  case ${words[2]} in\n";
    for (const CommandDoc& command : commands) {
      out += fmt::format("    {})\n      _arguments -s \\\n", command.name);
      for (const OptionDoc& option : command.options) {
        std::string description = option.description.substr(0, 60);
        for (char& c : description) {
          if (c == '\'' || c == '[' || c == ']' || c == ':') c = ' ';
        }
        const std::string action = !option.choices.empty()
                                       ? fmt::format(":value:({})", fmt::join(option.choices, " "))
                                   : option.paths          ? ":file:_files"
                                   : !option.value.empty() ? fmt::format(":{}: ", option.value)
                                                           : "";
        const std::string names_text = option.names.size() > 1
                                           ? fmt::format("{{{}}}", fmt::join(option.names, ","))
                                           : option.names[0];
        out += fmt::format("        '{}[{}]{}' \\\n", names_text, description, action);
      }
      out += "        '*:path:_files' ;;\n";
    }
    out += "  esac\n}\n_tlsrpt \"$@\"\n";
    return out;
  }
  if (shell == "fish") {
    std::string out =
        "# fish completion for tlsrpt (made by `tlsrpt completion fish`)\n"
        "complete -c tlsrpt -f\n";
    for (const CommandDoc& command : commands) {
      std::string description = command.description.substr(0, command.description.find(':'));
      std::replace(description.begin(), description.end(), '\'', ' ');
      out += fmt::format("complete -c tlsrpt -n '__fish_use_subcommand' -a {} -d '{}'\n",
                         command.name, description.substr(0, 70));
      for (const OptionDoc& option : command.options) {
        std::string line =
            fmt::format("complete -c tlsrpt -n '__fish_seen_subcommand_from {}'", command.name);
        for (const std::string& name : option.names) {
          line += name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1);
        }
        if (!option.choices.empty()) {
          line += fmt::format(" -x -a '{}'", fmt::join(option.choices, " "));
        } else if (option.paths) {
          line += " -r -F";
        } else if (!option.value.empty()) {
          line += " -x";
        }
        std::string about = option.description.substr(0, 60);
        std::replace(about.begin(), about.end(), '\'', ' ');
        out += line + fmt::format(" -d '{}'\n", about);
      }
      out +=
          fmt::format("complete -c tlsrpt -n '__fish_seen_subcommand_from {}' -F\n", command.name);
    }
    return out;
  }
  return "";
}

}  // namespace tlsrpt
