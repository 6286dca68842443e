// The man page and the shell completions, made from the same CLI11 definitions as --help, so
// that none of them can drift from the options the commands really take.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace tlsrpt {

// tlsrpt(1) in roff (man(7) macros): every command and option, exit status, files, environment,
// examples.
std::string man_page(const CLI::App& app, std::string_view version);

// A completion script for "bash", "zsh" or "fish" (empty for another shell): subcommands, their
// options, the values of options that take a fixed set (--format, --color), paths elsewhere.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace tlsrpt
