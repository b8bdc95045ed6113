#include "models/common/sparse_memory.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs {

SparseMemory::SparseMemory(uint64_t size_bytes, uint32_t page_bytes)
    : size_(size_bytes), page_bytes_(page_bytes) {
  if (page_bytes == 0 || (page_bytes & (page_bytes - 1)) != 0)
    throw std::invalid_argument("SparseMemory: page size must be a power of two");
}

void SparseMemory::check(uint64_t addr, uint64_t len) const {
  if (!contains(addr, len))
    throw std::out_of_range("SparseMemory: access [" + std::to_string(addr) + ", +" +
                            std::to_string(len) + ") outside " + std::to_string(size_) + " bytes");
}

uint8_t* SparseMemory::page_for_write(uint64_t page_index) {
  auto& slot = pages_[page_index];
  if (!slot) {
    slot.reset(new uint8_t[page_bytes_]);
    std::memset(slot.get(), 0, page_bytes_);
  }
  return slot.get();
}

const uint8_t* SparseMemory::page_for_read(uint64_t page_index) const {
  auto it = pages_.find(page_index);
  return it == pages_.end() ? nullptr : it->second.get();
}

void SparseMemory::read(uint64_t addr, void* dst, uint64_t len) const {
  check(addr, len);
  auto* out = static_cast<uint8_t*>(dst);
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    const uint8_t* page = page_for_read(addr / page_bytes_);
    if (page)
      std::memcpy(out, page + off, n);
    else
      std::memset(out, 0, n);
    out += n; addr += n; len -= n;
  }
}

void SparseMemory::write(uint64_t addr, const void* src, uint64_t len) {
  check(addr, len);
  auto* in = static_cast<const uint8_t*>(src);
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    std::memcpy(page_for_write(addr / page_bytes_) + off, in, n);
    in += n; addr += n; len -= n;
  }
}

void SparseMemory::fill(uint64_t addr, uint8_t value, uint64_t len) {
  check(addr, len);
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    uint64_t index = addr / page_bytes_;
    // Zero-filling an untouched page leaves it untouched: memset(0) stays free.
    if (value != 0 || page_for_read(index))
      std::memset(page_for_write(index) + off, value, n);
    addr += n; len -= n;
  }
}

void SparseMemory::copy(uint64_t dst, uint64_t src, uint64_t len) {
  check(dst, len);
  check(src, len);
  std::vector<uint8_t> chunk(std::min<uint64_t>(len, 1u << 20));
  // Copy backwards when the destination overlaps the source from above.
  bool backwards = dst > src && dst < src + len;
  uint64_t done = 0;
  while (done < len) {
    uint64_t n = std::min<uint64_t>(chunk.size(), len - done);
    uint64_t pos = backwards ? len - done - n : done;
    read(src + pos, chunk.data(), n);
    write(dst + pos, chunk.data(), n);
    done += n;
  }
}

}  // namespace gs
