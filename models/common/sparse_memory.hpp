// Byte-addressable memory whose pages exist only once written, so that a 32 GiB HBM
// costs nothing until used and hundreds of cards fit in one process. A page made of up to
// four runs of a repeated 8-byte pattern (zeros, a memset value; a DMA writes a page in
// several chunks) is stored as those runs and costs no page of host RAM; zero pages are not
// stored at all.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "models/common/page_blocks.hpp"

namespace gs {

class SparseMemory {
 public:
  explicit SparseMemory(uint64_t size_bytes, uint32_t page_bytes = 64 * 1024);

  uint64_t size() const { return size_; }
  bool contains(uint64_t addr, uint64_t len) const { return len <= size_ && addr <= size_ - len; }

  // Unwritten bytes read as zero. Out-of-range accesses throw std::out_of_range. Writes
  // return false when a page could not get host memory (the limit below, or the host
  // itself is out of memory): the bytes of that page were not written.
  void read(uint64_t addr, void* dst, uint64_t len) const;
  bool write(uint64_t addr, const void* src, uint64_t len);
  bool fill(uint64_t addr, uint8_t value, uint64_t len);
  // Copy inside this memory (overlap handled like memmove).
  bool copy(uint64_t dst, uint64_t src, uint64_t len);

  // Host bytes held by pages with their own data (pattern and zero pages hold none).
  uint64_t resident_bytes() const { return resident_pages_ * uint64_t(page_bytes_); }
  // At most this many resident bytes (0: no limit but the host's own).
  void set_resident_limit(uint64_t bytes) { limit_ = bytes; }
  uint64_t failed_writes() const { return failed_writes_; }
  void clear() {
    pages_.clear();
    resident_pages_ = 0;
  }

 private:
  static constexpr unsigned kMaxRuns = 4;
  struct Run {
    uint32_t start;    // page offset where the run begins (it ends where the next begins)
    uint64_t pattern;  // 8 bytes as laid out from an 8-aligned address
  };
  // A page with data holds its own bytes for [0, laid) only; from `laid` on its bytes are
  // still the runs. A page written front to back in pieces (DMA chunks, NIC frames) is so
  // never laid out (zero-filled) before being overwritten.
  struct Page {
    PageBlocks::Block data;  // null: the bytes are the runs
    Run runs[kMaxRuns] = {{0, 0}};
    unsigned nruns = 1;
    uint32_t laid = 0;
  };
  // Makes the bytes of a data page valid up to `end` (lays out the runs in [laid, end)).
  void lay_up_to(Page& p, uint64_t end) const;
  // Writes n bytes at page offset off of page `index`; `src` null means the pattern.
  bool put(uint64_t index, uint64_t off, const uint8_t* src, uint64_t pattern, uint64_t n);
  // The runs of `p` with [off, off + n) set to `pattern`; false if that needs more runs.
  bool splice(Page& p, uint64_t off, uint64_t n, uint64_t pattern) const;
  void lay_runs(const Page& p, uint64_t off, uint8_t* dst, uint64_t n) const;
  bool materialize(Page& p, bool whole);
  void check(uint64_t addr, uint64_t len) const;

  uint64_t size_;
  uint32_t page_bytes_;
  uint64_t limit_ = 0;
  uint64_t resident_pages_ = 0;
  uint64_t failed_writes_ = 0;
  std::unique_ptr<PageBlocks> blocks_;  // before pages_: destroyed after them
  std::unordered_map<uint64_t, Page> pages_;
};

}  // namespace gs
