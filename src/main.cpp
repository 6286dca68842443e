#include <iostream>

#include "tlsrpt/cli.hpp"

// Read by jemalloc at start-up when the binary links it (CMakeLists.txt; the C library's malloc
// ignores it): back the heap with transparent huge pages where the kernel allows them, so that a
// run takes far fewer page faults, which are slow on virtual machines (measurements in
// docs/performance.md). MALLOC_CONF in the environment overrides it ("thp:default" turns it off).
extern "C" const char* malloc_conf;
const char* malloc_conf = "thp:always";

int main(int argc, char** argv) {
  return tlsrpt::cli_main(argc, argv, std::cin, std::cout, std::cerr);
}
