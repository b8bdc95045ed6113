// Byte-addressable memory whose pages exist only once written, so that a 32 GiB HBM
// costs nothing until used and hundreds of cards fit in one process. A page made of up to
// four runs of a repeated 8-byte pattern (zeros, a memset value; a DMA writes a page in
// several chunks) is stored as those runs and costs no page of host RAM; zero pages are not
// stored at all. A data page's bytes are a SharedBlock that other holders (another memory's
// pages, a NIC's payload chunk and its frames) may share: bytes received from a block land by
// reference, not by copy (write_from), a whole page may be lent out (share), and a write to
// a page whose block is shared copies the block first (copy on write).
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "models/common/shared_block.hpp"

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
  bool fill(uint64_t addr, uint8_t value, uint64_t len) { return fill_words(addr, 0x0101010101010101ull * value, len); }
  // Fills with an 8-byte pattern, as laid out from an 8-aligned address (the byte at address
  // a is byte a % 8 of it): what write() of those bytes stores, without reading them.
  bool fill_words(uint64_t addr, uint64_t pattern, uint64_t len);
  // Copy inside this memory (overlap handled like memmove).
  bool copy(uint64_t dst, uint64_t src, uint64_t len);

  // A write of bytes that lie in `block` (a SharedBlocks block; src points into it): where
  // they land at their own block offset in a page that is empty or already refers to the
  // block up to them, the page refers to the block (no copy); anything else is write().
  bool write_from(uint64_t addr, const std::shared_ptr<const uint8_t>& block, const void* src, uint64_t len);
  // The block of the page that holds [addr, addr + len) when the page holds those bytes in
  // it (at their page offset): the caller shares it (read-only) instead of reading a copy.
  // Null: read() instead.
  SharedBlock share(uint64_t addr, uint64_t len);
  uint32_t page_bytes() const { return page_bytes_; }

  // Host bytes held by pages with data (pattern and zero pages hold none). A page whose
  // block other pages or frames share counts in each memory that holds it: the figure (and
  // the limit below) is what the memory would hold if it copied, the same whoever shares.
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
    SharedBlock data;  // null: the bytes are the runs; shared with others: read-only
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
  bool own(Page& p);  // the page's block is its own (copied if shared); false: no memory
  // Page `index` refers to `block` for [0, off + n) if it can (see write_from).
  bool alias(uint64_t index, uint64_t off, const std::shared_ptr<const uint8_t>& block, uint64_t n);
  void check(uint64_t addr, uint64_t len) const;

  uint64_t size_;
  uint32_t page_bytes_;
  uint64_t limit_ = 0;
  uint64_t resident_pages_ = 0;
  uint64_t failed_writes_ = 0;
  std::unordered_map<uint64_t, Page> pages_;
};

}  // namespace gs
