#include "tlsrpt/dedup.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <libdeflate.h>

namespace tlsrpt {

namespace {

// One compressor and decompressor per thread, made once (the tally lives on the calling thread).
libdeflate_compressor* compressor() {
  thread_local std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> one(
      libdeflate_alloc_compressor(1), libdeflate_free_compressor);
  return one.get();
}

libdeflate_decompressor* decompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> one(
      libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  return one.get();
}

}  // namespace

NameArchive::NameArchive() = default;
NameArchive::~NameArchive() = default;
NameArchive::NameArchive(NameArchive&&) noexcept = default;
NameArchive& NameArchive::operator=(NameArchive&&) noexcept = default;

std::uint32_t NameArchive::add(std::string_view name) {
  if (count_ == UINT32_MAX) throw std::length_error("too many reports to tell duplicates apart");
  open_.append(name.substr(0, name.find('\0'))) += '\0';
  if (++count_ % kNamesPerBlock == 0) seal();
  return count_ - 1;
}

void NameArchive::seal() {
  // The size first (4 bytes), then the deflate stream.
  std::string sealed(4 + libdeflate_deflate_compress_bound(compressor(), open_.size()), '\0');
  const auto size = static_cast<std::uint32_t>(open_.size());
  std::memcpy(sealed.data(), &size, 4);
  const std::size_t written = libdeflate_deflate_compress(compressor(), open_.data(), open_.size(),
                                                          sealed.data() + 4, sealed.size() - 4);
  sealed.resize(4 + written);
  sealed.shrink_to_fit();
  sealed_.push_back(std::move(sealed));
  open_.clear();
  open_.shrink_to_fit();  // the next block grows again from nothing: no room kept per block
}

const std::string& NameArchive::block(std::size_t index) const {
  if (index == sealed_.size()) return open_;
  if (index != cached_index_) {
    const std::string& sealed = sealed_[index];
    std::uint32_t size = 0;
    std::memcpy(&size, sealed.data(), 4);
    cached_.resize(size);
    std::size_t got = 0;
    const libdeflate_result result = libdeflate_deflate_decompress(
        decompressor(), sealed.data() + 4, sealed.size() - 4, cached_.data(), size, &got);
    if (result != LIBDEFLATE_SUCCESS || got != size) cached_.clear();  // cannot happen: ours
    cached_index_ = index;
  }
  return cached_;
}

std::string NameArchive::name(std::uint32_t id) const {
  const std::string& text = block(id / kNamesPerBlock);
  std::size_t at = 0;
  for (std::size_t skip = id % kNamesPerBlock; skip > 0 && at < text.size(); --skip)
    at = text.find('\0', at) + 1;
  return at < text.size() ? text.substr(at, text.find('\0', at) - at) : std::string();
}

std::size_t NameArchive::bytes() const {
  std::size_t total = open_.capacity() + sealed_.capacity() * sizeof(std::string);
  for (const std::string& block : sealed_) total += block.capacity();
  return total;
}

std::size_t DedupIndex::slot(const std::uint32_t (&key)[3]) const {
  const std::size_t mask = table_.size() - 1;
  for (std::size_t at = key[0] & mask;; at = (at + 1) & mask) {
    const std::uint32_t id = table_[at];
    if (id == 0 || std::equal(key, key + 3, entries_[id - 1].key)) return at;
  }
}

std::optional<SeenReport> DedupIndex::find(const ReportIdentity& identity) const {
  if (table_.empty()) return std::nullopt;
  const std::uint32_t id = table_[slot(identity.key)];
  if (id == 0) return std::nullopt;
  return SeenReport{entries_[id - 1].fingerprint, names_.name(id - 1)};
}

void DedupIndex::add(const ReportIdentity& identity, std::string_view source) {
  if ((entries_.size() + 1) * 4 > table_.size() * 3) grow();
  names_.add(source);
  Entry& entry = entries_.emplace_back();
  std::copy(std::begin(identity.key), std::end(identity.key), entry.key);
  entry.fingerprint = identity.fingerprint;
  table_[slot(identity.key)] = static_cast<std::uint32_t>(entries_.size());
}

void DedupIndex::grow() {
  table_.assign(std::max<std::size_t>(1024, table_.size() * 2), 0);
  for (std::size_t id = 0; id < entries_.size(); ++id)
    table_[slot(entries_[id].key)] = static_cast<std::uint32_t>(id + 1);
}

std::size_t DedupIndex::bytes() const {
  return entries_.size() * sizeof(Entry) + table_.capacity() * sizeof(std::uint32_t) +
         names_.bytes();
}

}  // namespace tlsrpt
