#include <iostream>

#include "tlsrpt/cli.hpp"

int main(int argc, char** argv) {
  return tlsrpt::cli_main(argc, argv, std::cin, std::cout, std::cerr);
}
