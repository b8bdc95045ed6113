#include "models/common/sparse_memory.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace gs {

namespace {

// The 8-byte pattern, as laid out from an 8-aligned address, that bytes [src, src + n)
// at an address with `phase` = address % 8 repeat; false if they do not repeat one. Fewer
// than 8 bytes set only their own phases of *pattern (the caller's base keeps the others).
bool periodic(const uint8_t* src, uint64_t n, unsigned phase, uint64_t* pattern) {
  if (n >= 8 && std::memcmp(src, src + 8, n - 8) != 0) return false;
  uint8_t p[8];
  std::memcpy(p, pattern, 8);
  for (unsigned i = 0; i < 8 && i < n; ++i) p[(phase + i) % 8] = src[i];
  std::memcpy(pattern, p, 8);
  return true;
}

void lay_pattern(uint8_t* dst, uint64_t off, uint64_t pattern, uint64_t n) {
  uint8_t p[8];
  std::memcpy(p, &pattern, 8);
  if (pattern == 0x0101010101010101ull * p[0]) {  // one repeated byte (zeros, a memset)
    std::memset(dst, p[0], n);
    return;
  }
  uint64_t i = 0;
  for (; i < n && (off + i) % 8; ++i) dst[i] = p[(off + i) % 8];
  for (; i + 8 <= n; i += 8) std::memcpy(dst + i, p, 8);
  for (; i < n; ++i) dst[i] = p[(off + i) % 8];
}

}  // namespace

SparseMemory::SparseMemory(uint64_t size_bytes, uint32_t page_bytes)
    : size_(size_bytes), page_bytes_(page_bytes) {
  if (page_bytes < 8 || (page_bytes & (page_bytes - 1)) != 0)
    throw std::invalid_argument("SparseMemory: page size must be a power of two of at least 8");
}

void SparseMemory::check(uint64_t addr, uint64_t len) const {
  if (!contains(addr, len))
    throw std::out_of_range("SparseMemory: access [" + std::to_string(addr) + ", +" +
                            std::to_string(len) + ") outside " + std::to_string(size_) + " bytes");
}

void SparseMemory::lay_runs(const Page& p, uint64_t off, uint8_t* dst, uint64_t n) const {
  for (unsigned i = 0; i < p.nruns && n; ++i) {
    uint64_t end = i + 1 < p.nruns ? p.runs[i + 1].start : page_bytes_;
    if (end <= off) continue;
    uint64_t m = std::min<uint64_t>(end - off, n);
    lay_pattern(dst, off, p.runs[i].pattern, m);
    dst += m; off += m; n -= m;
  }
}

bool SparseMemory::splice(Page& p, uint64_t off, uint64_t n, uint64_t pattern) const {
  Run out[kMaxRuns * 2 + 2];
  unsigned k = 0;
  auto add = [&](uint32_t start, uint64_t pat) {
    if (k && out[k - 1].pattern == pat) return;  // merge with the run before
    if (k && out[k - 1].start == start) {        // an empty run: replace it
      out[k - 1].pattern = pat;
      if (k > 1 && out[k - 2].pattern == pat) --k;
      return;
    }
    out[k++] = Run{start, pat};
  };
  uint64_t end = off + n, after = 0;
  for (unsigned i = 0; i < p.nruns; ++i) {
    uint64_t rs = p.runs[i].start, re = i + 1 < p.nruns ? p.runs[i + 1].start : page_bytes_;
    if (rs < off) add(uint32_t(rs), p.runs[i].pattern);
    if (rs <= end && end < re) after = p.runs[i].pattern;
  }
  add(uint32_t(off), pattern);
  if (end < page_bytes_) add(uint32_t(end), after);
  for (unsigned i = 0; i < p.nruns; ++i)
    if (p.runs[i].start > end) add(p.runs[i].start, p.runs[i].pattern);
  if (k > kMaxRuns) return false;
  std::copy(out, out + k, p.runs);
  p.nruns = k;
  return true;
}

// Gives a page of runs its own bytes; none are laid out yet (lay_up_to does that when a
// write or read needs them). False when the host memory for it is not there.
bool SparseMemory::materialize(Page& p, bool) {
  if (limit_ && (resident_pages_ + 1) * uint64_t(page_bytes_) > limit_) return false;
  SharedBlock data = SharedBlocks::take(page_bytes_);
  if (!data) return false;
  p.data = std::move(data);
  p.laid = 0;
  ++resident_pages_;
  return true;
}

// Copy on write: a block others share is never written; the page takes a copy of the bytes
// it holds in it ([0, laid): beyond that the block's bytes are not the page's).
bool SparseMemory::own(Page& p) {
  if (p.data.use_count() == 1) return true;
  SharedBlock copy = SharedBlocks::take(page_bytes_);
  if (!copy) return false;
  std::memcpy(copy.get(), p.data.get(), p.laid);
  p.data = std::move(copy);
  return true;
}

void SparseMemory::lay_up_to(Page& p, uint64_t end) const {
  if (end <= p.laid) return;
  lay_runs(p, p.laid, p.data.get() + p.laid, end - p.laid);
  p.laid = uint32_t(end);
}

bool SparseMemory::put(uint64_t index, uint64_t off, const uint8_t* src, uint64_t pattern, uint64_t n) {
  auto it = pages_.find(index);
  if (src && n < 8 && it != pages_.end() && !it->second.data) {  // keep the run's other bytes
    const Page& p = it->second;
    unsigned i = 0;
    while (i + 1 < p.nruns && p.runs[i + 1].start <= off) ++i;
    pattern = p.runs[i].pattern;
  }
  bool uniform = !src || periodic(src, n, unsigned(off % 8), &pattern);
  if (uniform && n == page_bytes_) {  // the whole page becomes one pattern: no bytes needed
    if (it != pages_.end() && it->second.data) --resident_pages_;
    if (pattern == 0) {
      if (it != pages_.end()) pages_.erase(it);
      return true;
    }
    Page& p = it != pages_.end() ? it->second : pages_[index];
    p.data.reset();
    p.runs[0] = Run{0, pattern};
    p.nruns = 1;
    return true;
  }
  bool fresh = it == pages_.end();
  Page scratch;
  Page& p = fresh ? scratch : it->second;
  if (!p.data && uniform && splice(p, off, n, pattern)) {
    if (p.nruns == 1 && p.runs[0].pattern == 0) {
      if (!fresh) pages_.erase(it);
    } else if (fresh) {
      pages_.emplace(index, std::move(scratch));
    }
    return true;
  }
  if (p.data ? !own(p) : !materialize(p, n == page_bytes_)) {
    ++failed_writes_;
    return false;
  }
  lay_up_to(p, off);  // the bytes before this write, if not yet laid out
  if (src)
    std::memcpy(p.data.get() + off, src, n);
  else
    lay_pattern(p.data.get() + off, off, pattern, n);
  if (off + n > p.laid) p.laid = uint32_t(off + n);
  if (fresh) pages_.emplace(index, std::move(scratch));
  return true;
}

void SparseMemory::read(uint64_t addr, void* dst, uint64_t len) const {
  check(addr, len);
  auto* out = static_cast<uint8_t*>(dst);
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    auto it = pages_.find(addr / page_bytes_);
    if (it == pages_.end())
      std::memset(out, 0, n);
    else if (it->second.data) {
      const Page& p = it->second;
      const uint64_t have = off < p.laid ? std::min<uint64_t>(n, p.laid - off) : 0;
      std::memcpy(out, p.data.get() + off, have);
      if (have < n) lay_runs(p, off + have, out + have, n - have);
    } else {
      lay_runs(it->second, off, out, n);
    }
    out += n; addr += n; len -= n;
  }
}

bool SparseMemory::write(uint64_t addr, const void* src, uint64_t len) {
  check(addr, len);
  auto* in = static_cast<const uint8_t*>(src);
  bool ok = true;
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    ok = put(addr / page_bytes_, off, in, 0, n) && ok;
    in += n; addr += n; len -= n;
  }
  return ok;
}

bool SparseMemory::write_from(uint64_t addr, const std::shared_ptr<const uint8_t>& block, const void* src,
                              uint64_t len) {
  check(addr, len);
  const auto* in = static_cast<const uint8_t*>(src);
  const uint64_t off = addr & (page_bytes_ - 1);
  if (SharedBlocks::block_bytes(block) != page_bytes_ || in != block.get() + off || off + len > page_bytes_)
    return write(addr, src, len);  // not at its own offset in one page: bytes are copied
  return alias(addr / page_bytes_, off, block, len) || put(addr / page_bytes_, off, in, 0, len);
}

// The page refers to `block` when [0, off) of it already does (or off is 0 on a page without
// data) and the bytes are not ones put() stores as runs: the page then holds data exactly
// when a copy would (resident bytes, the limit and failed writes do not see the difference).
bool SparseMemory::alias(uint64_t index, uint64_t off, const std::shared_ptr<const uint8_t>& block, uint64_t n) {
  uint64_t pattern = 0;
  auto uniform = [&] { return periodic(block.get() + off, n, unsigned(off % 8), &pattern); };
  auto it = pages_.find(index);
  if (it != pages_.end() && it->second.data) {
    Page& p = it->second;
    if (p.data.get() != block.get() || off > p.laid || (n == page_bytes_ && uniform())) return false;
    p.laid = std::max<uint32_t>(p.laid, uint32_t(off + n));
    return true;
  }
  if (off != 0 || uniform()) return false;
  if (limit_ && (resident_pages_ + 1) * uint64_t(page_bytes_) > limit_) return false;  // put() fails it
  Page& p = it != pages_.end() ? it->second : pages_[index];  // no data: zeros or runs beyond n
  p.data = std::const_pointer_cast<uint8_t>(block);
  p.laid = uint32_t(n);
  ++resident_pages_;
  return true;
}

SharedBlock SparseMemory::share(uint64_t addr, uint64_t len) {
  check(addr, len);
  const uint64_t end = (addr & (page_bytes_ - 1)) + len;
  if (end > page_bytes_) return nullptr;
  auto it = pages_.find(addr / page_bytes_);
  if (it == pages_.end() || !it->second.data) return nullptr;
  Page& p = it->second;
  if (p.laid < end) {
    if (p.data.use_count() > 1) return nullptr;  // its bytes beyond laid are not ours to lay
    lay_up_to(p, end);
  }
  return p.data;
}

bool SparseMemory::fill_words(uint64_t addr, uint64_t pattern, uint64_t len) {
  check(addr, len);
  bool ok = true;
  // Zeroing whole pages drops them: with few pages stored (a scrub of the whole HBM at
  // probe), visit the stored pages rather than every page of the range.
  const uint64_t first = (addr + page_bytes_ - 1) / page_bytes_, last = (addr + len) / page_bytes_;
  if (pattern == 0 && last > first && last - first > pages_.size()) {
    const uint64_t head = first * page_bytes_ - addr, tail_at = last * page_bytes_;
    ok = fill_words(addr, 0, head);
    for (auto it = pages_.begin(); it != pages_.end();) {
      if (it->first < first || it->first >= last) { ++it; continue; }
      if (it->second.data) --resident_pages_;
      it = pages_.erase(it);
    }
    return fill_words(tail_at, 0, addr + len - tail_at) && ok;
  }
  while (len) {
    uint64_t off = addr & (page_bytes_ - 1);
    uint64_t n = std::min<uint64_t>(len, page_bytes_ - off);
    ok = put(addr / page_bytes_, off, nullptr, pattern, n) && ok;
    addr += n; len -= n;
  }
  return ok;
}

bool SparseMemory::copy(uint64_t dst, uint64_t src, uint64_t len) {
  check(dst, len);
  check(src, len);
  std::vector<uint8_t> chunk(std::min<uint64_t>(len, 1u << 20));
  // Copy backwards when the destination overlaps the source from above.
  bool backwards = dst > src && dst < src + len;
  uint64_t done = 0;
  bool ok = true;
  while (done < len) {
    uint64_t n = std::min<uint64_t>(chunk.size(), len - done);
    uint64_t pos = backwards ? len - done - n : done;
    read(src + pos, chunk.data(), n);
    ok = write(dst + pos, chunk.data(), n) && ok;
    done += n;
  }
  return ok;
}

}  // namespace gs
