#include <iostream>

#include "tlsrpt/cli.hpp"

// Read by jemalloc at start-up when the binary links it (CMakeLists.txt; the C library's malloc
// ignores it): back the heap with transparent huge pages where the kernel allows them (the
// default "madvise" mode does). A first touch of a 4 KiB page costs a page fault, 12 µs on the
// benchmark's virtual machine; a run over 10,000 report emails took 3,500 of them, a tenth of its
// CPU time. With huge pages ~1,400, for ~8 MiB more peak RSS (docs/performance.md). MALLOC_CONF in
// the environment still overrides it ("thp:default" turns it off).
extern "C" const char* malloc_conf;
const char* malloc_conf = "thp:always";

int main(int argc, char** argv) {
  return tlsrpt::cli_main(argc, argv, std::cin, std::cout, std::cerr);
}
