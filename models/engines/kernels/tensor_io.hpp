// Moves tensor elements between device memory and an engine's fp32 working buffers through
// the card's router: one bus access per contiguous run (cut into granules), so the memories'
// bandwidth servers see every byte an engine moves, at the simulated time it moves it. An
// engine keeps a bounded number of bytes in flight: before a new access it waits until
// older ones have completed, so engines sharing a memory interleave their requests instead
// of one queueing a whole tensor ahead of the other. bf16 is widened on the way in and
// rounded (nearest even) on the way out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <systemc>
#include <vector>

#include "models/common/bus_target.hpp"
#include "models/engines/kernels/tensor_view.hpp"

namespace gs::kern {

class TensorIo {
 public:
  explicit TensorIo(BusTarget& noc) : noc_(noc) {}

  // Set per kernel: accesses of at most `granule` bytes, at most `inflight` bytes issued and
  // not yet complete (0: no limit); `wait(t)` waits until t in the engine's thread and
  // returns false if the engine was reset meanwhile.
  void pace(uint64_t granule, uint64_t inflight, std::function<bool(sc_core::sc_time)> wait);

  // Outcome of a batch of accesses issued now: when the last one completes, bytes moved,
  // and the first failing address if one failed.
  struct Status {
    bool ok = true;
    bool aborted = false;  // the engine was reset while waiting for room
    uint64_t bad_addr = 0;
    sc_core::sc_time done = sc_core::SC_ZERO_TIME;
    uint64_t bytes = 0;
  };

  // Logical elements [first, first + count) of v, into / from dst[0..count).
  // dst may be null: the bytes are read for their timing only.
  bool read(const TensorView& v, uint64_t first, uint64_t count, float* dst, Status& st);
  // timing_only: the same bytes are read instead of written (memory is left unchanged).
  bool write(const TensorView& v, uint64_t first, uint64_t count, const float* src, Status& st,
             bool timing_only = false);

  // Rows [r0, r0 + nr) x columns [c0, c0 + nc) of a 2-D view (shape[0] = columns), into /
  // from a row-major buffer with leading dimension ld (null: timing only, as above).
  bool read_block(const TensorView& v, uint64_t r0, uint64_t nr, uint64_t c0, uint64_t nc,
                  float* dst, size_t ld, Status& st);
  bool write_block(const TensorView& v, uint64_t r0, uint64_t nr, uint64_t c0, uint64_t nc,
                   const float* src, size_t ld, Status& st, bool timing_only = false);

 private:
  // n elements of v at element offsets off, off + step, ...; values at vals[i * vstride].
  bool run(bool write, bool timing_only, const TensorView& v, uint64_t off, uint64_t n,
           uint64_t step, float* vals, ptrdiff_t vstride, Status& st);
  bool access(bool write, uint64_t addr, uint64_t len, Status& st);
  bool make_room(uint64_t len, Status& st);

  struct Flight {
    sc_core::sc_time done;
    uint64_t bytes;
  };
  BusTarget& noc_;
  std::vector<uint8_t> bytes_;
  uint64_t granule_ = 0, inflight_limit_ = 0, inflight_ = 0;
  std::function<bool(sc_core::sc_time)> wait_;
  std::deque<Flight> flights_;
};

}  // namespace gs::kern
