// What one page fault costs on this machine: touches 4,096 fresh 4 KiB pages of an anonymous
// mapping, one write each, and prints the mean time per page. On a virtual machine a fault can
// cost ten times what it costs on bare metal, and a run that grows its heap pays one per page:
// bench/run prints this with its table so that results from different machines can be compared.
#include <chrono>
#include <cstdio>

#include <sys/mman.h>

int main() {
  constexpr std::size_t kPage = 4096;
  constexpr std::size_t kPages = 4096;
  const auto start = std::chrono::steady_clock::now();
  auto* memory = static_cast<volatile char*>(
      mmap(nullptr, kPage * kPages, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (memory == MAP_FAILED) return 1;
  // No huge pages here: the probe measures the 4 KiB faults a heap without them takes.
  madvise(const_cast<char*>(memory), kPage * kPages, MADV_NOHUGEPAGE);
  for (std::size_t page = 0; page < kPages; ++page) memory[page * kPage] = 1;
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
  std::printf("%.1f\n", took.count() / kPages);
}
