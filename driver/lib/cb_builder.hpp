// Fills a command buffer with packets, one call per packet type, so that user code never
// deals with bit layouts. Works on any byte buffer: a mapped CB of an external queue, or a
// host buffer mapped to the device that an internal queue fetches from.
#pragma once
#include <cstdint>
#include <cstring>

#include "specs/gaudi/packets.h"

namespace hlthunk {

class CbBuilder {
 public:
  CbBuilder(void* buffer, uint32_t capacity) : buf_(static_cast<uint8_t*>(buffer)), cap_(capacity) {}

  uint32_t size() const { return size_; }
  bool overflowed() const { return overflow_; }
  void clear() { size_ = 0; overflow_ = false; }

  void lin_dma(uint64_t src, uint64_t dst, uint32_t bytes, bool eb = false, bool write_completion = false);
  void memset(uint64_t dst, uint64_t pattern, uint32_t bytes, bool eb = false);
  void msg_long(uint64_t addr, uint32_t value, bool eb = false);
  void timestamp(uint64_t addr, bool eb = false);  // writes the device time (ns, low 32 bits)
  void wreg32(uint32_t reg_offset, uint32_t value, bool eb = false);
  void wreg_bulk(uint32_t reg_offset, const uint64_t* values, uint32_t count, bool eb = false);
  void fence(uint32_t id, uint32_t target, uint32_t dec, bool eb = false);
  void nop();
  void stop();
  void arb_point(uint32_t priority, bool release);
  void wait(uint32_t cycles, uint32_t inc, uint32_t fence_id);
  void repeat(uint32_t jmp_ptr_qwords, uint32_t count);
  void cp_dma(uint64_t src, uint32_t bytes, bool eb = false);
  void load_and_exe(uint64_t src);

  // Sync objects and monitors of the W_S sync manager, through MSG_SHORT.
  void sob_add(uint32_t sob, uint32_t value, bool eb = false);
  void sob_set(uint32_t sob, uint32_t value, bool eb = false);
  // Arm monitor `mon` to write `data` to `addr` once sync object `sob` >= target.
  void monitor(uint32_t mon, uint32_t sob, uint32_t target, uint64_t addr, uint32_t data);
  // The same over several objects of one group of 8 (sob / 8): fires once every object whose
  // bit is set in `select` (bit i: object 8 x group + i) is >= target.
  void monitor_group(uint32_t mon, uint32_t group, uint8_t select, uint32_t target, uint64_t addr, uint32_t data);
  // Raw bytes (for tests that need malformed packets).
  void raw(const void* bytes, uint32_t n) { put(bytes, n); }

 private:
  template <class P> void put(const P& p) { put(&p, sizeof p); }
  void put(const void* p, uint32_t n);

  uint8_t* buf_;
  uint32_t cap_;
  uint32_t size_ = 0;
  bool overflow_ = false;
};

// Device addresses a user program needs to point monitors at queue fences.
uint64_t fence_rdata_addr(unsigned queue_id, unsigned fence);
uint64_t sob_addr(uint32_t sob);

}  // namespace hlthunk
