#include "models/engines/mme_engine.hpp"

#include <algorithm>
#include <cstring>

#include "models/engines/kernels/gemm.hpp"

namespace gs {

static_assert(sizeof(gsim_mme_desc) == 352, "gsim_mme_desc layout");

namespace {
uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// A stored matrix: 2-D (dims 2.. of size 1), rows contiguous, `rows` x `cols`.
uint32_t check_matrix(const kern::TensorView& v, uint64_t rows, uint64_t cols) {
  for (unsigned d = 2; d < GSIM_MAX_DIMS; ++d)
    if (v.shape[d] != 1) return GSIM_ENG_ERR_SHAPE;
  if (v.shape[1] != rows || v.shape[0] != cols) return GSIM_ENG_ERR_SHAPE;
  if (cols > 1 && v.stride[0] != 1) return GSIM_ENG_ERR_SHAPE;
  return 0;
}
}  // namespace

MmeEngine::MmeEngine(sc_core::sc_module_name name, const MmeParams& p, BusTarget& noc, unsigned master,
                     double clock_mhz, sc_core::sc_time reg_latency)
    : ComputeEngine(name, noc, master, sizeof(gsim_mme_desc), p.port_gbps, p.launch_ns, reg_latency),
      p_(p),
      clock_mhz_(clock_mhz),
      io_(noc) {}

double MmeEngine::peak_flops(bool bf16) const {
  return 2.0 * p_.array_rows * p_.array_cols * clock_mhz_ * 1e6 / (bf16 ? 1 : p_.fp32_slowdown);
}

uint32_t MmeEngine::decode(const std::vector<uint8_t>& bytes, Gemm* g) const {
  if (bytes.size() != sizeof(gsim_mme_desc)) return GSIM_ENG_ERR_DESC_BAD;
  std::memcpy(&g->d, bytes.data(), sizeof g->d);
  const gsim_mme_desc& d = g->d;
  if (d.magic != GSIM_MME_DESC_MAGIC) return GSIM_ENG_ERR_DESC_BAD;
  if (d.flags & ~(GSIM_MME_TRANS_A | GSIM_MME_TRANS_B | GSIM_MME_BIAS)) return GSIM_ENG_ERR_DESC_BAD;
  if (d.m == 0 || d.n == 0 || d.k == 0) return GSIM_ENG_ERR_SHAPE;
  const bool ta = d.flags & GSIM_MME_TRANS_A, tb = d.flags & GSIM_MME_TRANS_B;
  g->has_bias = d.flags & GSIM_MME_BIAS;
  if (uint32_t c = kern::TensorView::decode(d.a, &g->a)) return c;
  if (uint32_t c = kern::TensorView::decode(d.b, &g->b)) return c;
  if (uint32_t c = kern::TensorView::decode(d.c, &g->c)) return c;
  if (uint32_t c = check_matrix(g->a, ta ? d.k : d.m, ta ? d.m : d.k)) return c;
  if (uint32_t c = check_matrix(g->b, tb ? d.n : d.k, tb ? d.k : d.n)) return c;
  if (uint32_t c = check_matrix(g->c, d.m, d.n)) return c;
  if (!g->c.writable()) return GSIM_ENG_ERR_SHAPE;
  if (!reachable(g->a) || !reachable(g->b) || !reachable(g->c)) return GSIM_ENG_ERR_RANGE;
  if (g->has_bias) {
    if (uint32_t c = kern::TensorView::decode(d.bias, &g->bias)) return c;
    if (check_matrix(g->bias, 1, d.n)) return GSIM_ENG_ERR_SHAPE;
    if (!reachable(g->bias)) return GSIM_ENG_ERR_RANGE;
  }
  g->op_a = ta ? g->a.transposed() : g->a;
  g->op_b = tb ? g->b.transposed() : g->b;
  return 0;
}

uint32_t MmeEngine::check(const std::vector<uint8_t>& desc) {
  Gemm g;
  return decode(desc, &g);
}

ComputeEngine::Result MmeEngine::execute(const std::vector<uint8_t>& desc, uint64_t epoch) {
  Gemm g;
  decode(desc, &g);  // checked at launch
  const uint64_t a_bytes = uint64_t(g.d.m) * g.d.k * g.a.esize(), b_bytes = uint64_t(g.d.k) * g.d.n * g.b.esize();
  const bool rows_mode = b_bytes <= a_bytes;  // B stationary, A streams by rows; else the reverse
  io_.pace(p_.chunk_bytes, uint64_t(p_.chunk_bytes) * std::max<uint32_t>(1, p_.outstanding_chunks),
           [this, epoch](sc_core::sc_time t) { return wait_until(t, epoch); });
  Result r = load_stationary(g, rows_mode, epoch);
  if (r == Result::kOk) r = stream_blocks(g, rows_mode, epoch);
  if (r == Result::kOk) macs_ += uint64_t(g.d.m) * g.d.n * g.d.k;
  if (queued() == 0) {  // idle engines hold no buffers
    for (auto* v : {&stationary_, &bias_, &stream_buf_, &c_buf_}) std::vector<float>().swap(*v);
  }
  return r;
}

// The stationary operand (op(B) in rows mode, op(A) otherwise) and the bias, into fp32
// buffers, in steps of about chunk_bytes.
ComputeEngine::Result MmeEngine::load_stationary(const Gemm& g, bool rows_mode, uint64_t epoch) {
  const kern::TensorView& s = rows_mode ? g.op_b : g.op_a;
  const uint64_t rows = s.shape[1], cols = s.shape[0];
  const bool fn = p_.functional;
  stationary_.resize(fn ? rows * cols : 0);
  bias_.resize(fn && g.has_bias ? g.d.n : 0);
  const uint64_t piece = std::max<uint64_t>(1, p_.chunk_bytes / (cols * s.esize()));
  Pipeline pl;
  pl.steps = ceil_div(rows, piece);
  pl.window = std::max<uint32_t>(2, p_.outstanding_blocks);
  pl.load = [&](uint64_t i, sc_core::sc_time* ready, uint64_t* bytes) {
    kern::TensorIo::Status st;
    uint64_t r0 = i * piece, nr = std::min(piece, rows - r0);
    bool ok = io_.read_block(s, r0, nr, 0, cols, fn ? &stationary_[r0 * cols] : nullptr, cols, st);
    if (ok && i == 0 && g.has_bias) ok = io_.read(g.bias, 0, g.d.n, fn ? bias_.data() : nullptr, st);
    if (!ok) {
      if (!st.aborted) fail(GSIM_ENG_ERR_BUS_RD, st.bad_addr);
      return false;
    }
    *ready = std::max(*ready, st.done);
    *bytes = st.bytes;
    return true;
  };
  pl.compute = [](uint64_t) { return sc_core::SC_ZERO_TIME; };
  pl.store = [](uint64_t, sc_core::sc_time*, uint64_t*) { return true; };
  return run_pipeline(pl, epoch);
}

// Rows mode: block i is rows [i R, i R + mb) of op(A) and of C. Columns mode: columns
// [i C, i C + nb) of op(B) and of C.
ComputeEngine::Result MmeEngine::stream_blocks(const Gemm& g, bool rows_mode, uint64_t epoch) {
  const uint64_t M = g.d.m, N = g.d.n, K = g.d.k;
  const uint64_t R = p_.array_rows, C = p_.array_cols;
  const uint64_t block = rows_mode ? R : C, total = rows_mode ? M : N;
  const unsigned window = std::max<uint32_t>(1, p_.outstanding_blocks);
  const bool fn = p_.functional, read_c = g.d.beta != 0.0f;
  const bool fp32 = g.a.dtype == GSIM_DTYPE_FP32 || g.b.dtype == GSIM_DTYPE_FP32;
  const double mac_cycles = double(K) * (fp32 ? p_.fp32_slowdown : 1);
  const double cycle_s = 1e-6 / clock_mhz_;
  // Per block: the streamed operand (block x K or K x block) and its C tile.
  const uint64_t s_elems = block * K, c_elems = rows_mode ? block * N : M * block;
  stream_buf_.resize(fn ? window * s_elems : 0);
  c_buf_.resize(fn ? window * c_elems : 0);
  auto width = [&](uint64_t i) { return std::min(block, total - i * block); };
  auto sbuf = [&](uint64_t i) { return fn ? &stream_buf_[(i % window) * s_elems] : nullptr; };
  auto cbuf = [&](uint64_t i) { return fn ? &c_buf_[(i % window) * c_elems] : nullptr; };

  Pipeline pl;
  pl.steps = ceil_div(total, block);
  pl.window = window;
  pl.load = [&](uint64_t i, sc_core::sc_time* ready, uint64_t* bytes) {
    kern::TensorIo::Status st;
    const uint64_t w = width(i), o = i * block;
    bool ok = rows_mode ? io_.read_block(g.op_a, o, w, 0, K, sbuf(i), K, st)
                        : io_.read_block(g.op_b, 0, K, o, w, sbuf(i), w, st);
    if (ok && read_c)
      ok = rows_mode ? io_.read_block(g.c, o, w, 0, N, cbuf(i), N, st) : io_.read_block(g.c, 0, M, o, w, cbuf(i), w, st);
    if (!ok) {
      if (!st.aborted) fail(GSIM_ENG_ERR_BUS_RD, st.bad_addr);
      return false;
    }
    *ready = std::max(*ready, st.done);
    *bytes = st.bytes;
    return true;
  };
  pl.compute = [&](uint64_t i) {
    const uint64_t w = width(i);
    const double tiles = rows_mode ? double(ceil_div(w, R) * ceil_div(N, C)) : double(ceil_div(M, R) * ceil_div(w, C));
    return sc_core::sc_time((tiles * mac_cycles + double(R + C)) * cycle_s, sc_core::SC_SEC);
  };
  pl.store = [&](uint64_t i, sc_core::sc_time* landed, uint64_t* bytes) {
    const uint64_t w = width(i), o = i * block;
    if (fn) {
      kern::GemmBlock b;
      if (rows_mode) {
        b = {sbuf(i), K, stationary_.data(), N, cbuf(i), N, nullptr, w, N, K, g.d.alpha, g.d.beta};
        if (g.has_bias) b.bias = bias_.data();
      } else {
        b = {stationary_.data(), K, sbuf(i), w, cbuf(i), w, nullptr, M, w, K, g.d.alpha, g.d.beta};
        if (g.has_bias) b.bias = bias_.data() + o;
      }
      kern::gemm_block(b);
    }
    kern::TensorIo::Status st;
    bool ok = rows_mode ? io_.write_block(g.c, o, w, 0, N, cbuf(i), N, st, !fn)
                        : io_.write_block(g.c, 0, M, o, w, cbuf(i), w, st, !fn);
    if (!ok) {
      if (!st.aborted) fail(GSIM_ENG_ERR_BUS_WR, st.bad_addr);
      return false;
    }
    *landed = std::max(*landed, st.done);
    *bytes = st.bytes;
    return true;
  };
  return run_pipeline(pl, epoch);
}

}  // namespace gs
