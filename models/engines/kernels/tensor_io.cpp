#include "models/engines/kernels/tensor_io.hpp"

#include <algorithm>
#include <cstring>

namespace gs::kern {

void TensorIo::pace(uint64_t granule, uint64_t inflight, std::function<bool(sc_core::sc_time)> wait) {
  granule_ = granule;
  inflight_limit_ = inflight;
  wait_ = std::move(wait);
  flights_.clear();
  inflight_ = 0;
}

bool TensorIo::make_room(uint64_t len, Status& st) {
  if (!inflight_limit_) return true;
  for (;;) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    while (!flights_.empty() && flights_.front().done <= now) {
      inflight_ -= flights_.front().bytes;
      flights_.pop_front();
    }
    if (flights_.empty() || inflight_ + len <= inflight_limit_) return true;
    if (!wait_ || !wait_(flights_.front().done)) {
      st.ok = false;
      st.aborted = true;
      return false;
    }
  }
}

bool TensorIo::access(bool write, uint64_t addr, uint64_t len, Status& st) {
  const uint64_t g = granule_ ? granule_ : len;
  auto cmd = write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND;
  for (uint64_t off = 0; off < len; off += g) {
    const uint64_t n = std::min(g, len - off);
    if (!make_room(n, st)) return false;
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    if (bus_access(noc_, cmd, addr + off, bytes_.data() + off, n, d) != tlm::TLM_OK_RESPONSE) {
      st.ok = false;
      st.bad_addr = addr + off;
      return false;
    }
    st.bytes += n;
    const sc_core::sc_time done = sc_core::sc_time_stamp() + d;
    if (done > st.done) st.done = done;
    if (inflight_limit_) {
      flights_.push_back({done, n});
      inflight_ += n;
    }
  }
  return true;
}

bool TensorIo::run(bool write, bool timing_only, const TensorView& v, uint64_t off, uint64_t n,
                   uint64_t step, float* vals, ptrdiff_t vstride, Status& st) {
  const unsigned es = v.esize();
  const bool bf16 = v.dtype == GSIM_DTYPE_BF16;
  if (step != 1 && !(step == 0 && !write)) {  // spaced elements: one access each
    for (uint64_t i = 0; i < n; ++i)
      if (!run(write, timing_only, v, off + i * step, 1, 1, vals ? vals + i * vstride : nullptr, vstride, st))
        return false;
    return true;
  }
  // step 1: one contiguous access; step 0 (a broadcast input): one element, repeated.
  const uint64_t stored = step == 0 ? 1 : n;
  const uint64_t len = stored * es;
  if (bytes_.size() < len) bytes_.resize(len);
  const bool do_write = write && !timing_only;
  if (do_write) {
    for (uint64_t i = 0; i < stored; ++i) {
      float f = vals[i * vstride];
      if (bf16) {
        uint16_t h = gsim_fp32_to_bf16(f);
        std::memcpy(&bytes_[i * 2], &h, 2);
      } else {
        std::memcpy(&bytes_[i * 4], &f, 4);
      }
    }
  }
  if (!access(do_write, v.addr + off * es, len, st)) return false;
  if (write || !vals) return true;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t s = step == 0 ? 0 : i;
    float f;
    if (bf16) {
      uint16_t h;
      std::memcpy(&h, &bytes_[s * 2], 2);
      f = gsim_bf16_to_fp32(h);
    } else {
      std::memcpy(&f, &bytes_[s * 4], 4);
    }
    vals[i * vstride] = f;
  }
  return true;
}

bool TensorIo::read(const TensorView& v, uint64_t first, uint64_t count, float* dst, Status& st) {
  return for_each_run(v, first, count, [&](const Run& r) {
    return run(false, false, v, r.offset, r.count, r.step, dst ? dst + (r.first - first) : nullptr, 1, st);
  });
}

bool TensorIo::write(const TensorView& v, uint64_t first, uint64_t count, const float* src, Status& st,
                     bool timing_only) {
  float* s = const_cast<float*>(src);  // only read from: run() shares the read path
  return for_each_run(v, first, count, [&](const Run& r) {
    return run(true, timing_only || !src, v, r.offset, r.count, r.step, s ? s + (r.first - first) : nullptr, 1, st);
  });
}

// Rows are walked along whichever axis is contiguous, so that a transposed matrix still
// moves as long runs (one per stored row) instead of one access per element.
bool TensorIo::read_block(const TensorView& v, uint64_t r0, uint64_t nr, uint64_t c0, uint64_t nc,
                          float* dst, size_t ld, Status& st) {
  if (v.stride[0] != 1 && v.stride[1] == 1) {
    for (uint64_t c = 0; c < nc; ++c)
      if (!run(false, false, v, (c0 + c) * v.stride[0] + r0, nr, 1, dst ? dst + c : nullptr, ptrdiff_t(ld), st))
        return false;
    return true;
  }
  for (uint64_t r = 0; r < nr; ++r)
    if (!run(false, false, v, (r0 + r) * v.stride[1] + c0 * v.stride[0], nc, v.stride[0],
             dst ? dst + r * ld : nullptr, 1, st))
      return false;
  return true;
}

bool TensorIo::write_block(const TensorView& v, uint64_t r0, uint64_t nr, uint64_t c0, uint64_t nc,
                           const float* src, size_t ld, Status& st, bool timing_only) {
  float* s = const_cast<float*>(src);
  bool t = timing_only || !src;
  if (v.stride[0] != 1 && v.stride[1] == 1) {
    for (uint64_t c = 0; c < nc; ++c)
      if (!run(true, t, v, (c0 + c) * v.stride[0] + r0, nr, 1, s ? s + c : nullptr, ptrdiff_t(ld), st))
        return false;
    return true;
  }
  for (uint64_t r = 0; r < nr; ++r)
    if (!run(true, t, v, (r0 + r) * v.stride[1] + c0 * v.stride[0], nc, v.stride[0], s ? s + r * ld : nullptr, 1, st))
      return false;
  return true;
}

}  // namespace gs::kern
