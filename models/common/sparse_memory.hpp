// Byte-addressable memory whose pages exist only once written, so that a 32 GiB HBM
// costs nothing until used and hundreds of cards fit in one process.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace gs {

class SparseMemory {
 public:
  explicit SparseMemory(uint64_t size_bytes, uint32_t page_bytes = 64 * 1024);

  uint64_t size() const { return size_; }
  bool contains(uint64_t addr, uint64_t len) const { return len <= size_ && addr <= size_ - len; }

  // Unwritten bytes read as zero. Out-of-range accesses throw std::out_of_range.
  void read(uint64_t addr, void* dst, uint64_t len) const;
  void write(uint64_t addr, const void* src, uint64_t len);
  void fill(uint64_t addr, uint8_t value, uint64_t len);
  // Copy inside this memory (overlap handled like memmove).
  void copy(uint64_t dst, uint64_t src, uint64_t len);

  uint64_t resident_bytes() const { return pages_.size() * uint64_t(page_bytes_); }
  void clear() { pages_.clear(); }

 private:
  uint8_t* page_for_write(uint64_t page_index);
  const uint8_t* page_for_read(uint64_t page_index) const;
  void check(uint64_t addr, uint64_t len) const;

  uint64_t size_;
  uint32_t page_bytes_;
  std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
};

}  // namespace gs
