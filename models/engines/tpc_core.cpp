#include "models/engines/tpc_core.hpp"

#include <algorithm>
#include <cstring>

#include "models/engines/kernels/tpc_kernels.hpp"

namespace gs {

static_assert(sizeof(gsim_tensor) == 80, "gsim_tensor layout");
static_assert(sizeof(gsim_tpc_desc) == 752, "gsim_tpc_desc layout");

TpcCore::TpcCore(sc_core::sc_module_name name, const TpcParams& p, BusTarget& noc, unsigned index,
                 double clock_mhz, sc_core::sc_time reg_latency)
    : ComputeEngine(name, noc, index, sizeof(gsim_tpc_desc), p.port_gbps, p.launch_ns, reg_latency),
      p_(p),
      clock_mhz_(clock_mhz),
      io_(noc) {
  // The upstream driver's TPC-memory init: it executes a raw TPC program (gaudi_tpc.bin) and
  // waits for the pipes to drain. gaudisim runs no TPC ISA: the execute is counted and the
  // pipes read empty whenever no kernel of gaudisim's launch interface is queued or running.
  using Reg = RegBank::Reg;
  regs().add(GAUDI_TPC_CFG_TPC_CMD, "TPC_CMD");
  regs().add(GAUDI_TPC_CFG_TPC_EXECUTE, "TPC_EXECUTE").on_write = [this](Reg&, sc_core::sc_time) { ++raw_executes_; };
  regs().add(GAUDI_TPC_CFG_STATUS, "STATUS", 0, false).on_read = [this](const Reg&) {
    return idle() ? GAUDI_TPC_CFG_STATUS_IDLE : 0u;
  };
  regs().add(GAUDI_TPC_CFG_WQ_INFLIGHT_CNTR, "WQ_INFLIGHT_CNTR", 0, false).on_read = [this](const Reg&) {
    return idle() ? 0u : 1u;
  };
}

uint32_t TpcCore::decode(const std::vector<uint8_t>& bytes, Kernel* k) const {
  if (bytes.size() != sizeof(gsim_tpc_desc)) return GSIM_ENG_ERR_DESC_BAD;
  std::memcpy(&k->d, bytes.data(), sizeof k->d);
  const gsim_tpc_desc& d = k->d;
  if (d.magic != GSIM_TPC_DESC_MAGIC) return GSIM_ENG_ERR_DESC_BAD;
  if (!kern::tpc_kernel_known(d.kernel)) return GSIM_ENG_ERR_KERNEL;
  if (!kern::tpc_inputs_ok(d.kernel, d.num_inputs)) return GSIM_ENG_ERR_DESC_BAD;
  if (uint32_t c = kern::TensorView::decode(d.output, &k->out)) return c;
  if (!k->out.writable()) return GSIM_ENG_ERR_SHAPE;
  if (!reachable(k->out)) return GSIM_ENG_ERR_RANGE;
  for (uint32_t j = 0; j < d.num_inputs; ++j) {
    if (uint32_t c = kern::TensorView::decode(d.input[j], &k->in[j])) return c;
    if (!k->in[j].same_shape(k->out)) return GSIM_ENG_ERR_SHAPE;
    if (!reachable(k->in[j])) return GSIM_ENG_ERR_RANGE;
  }
  return 0;
}

uint32_t TpcCore::check(const std::vector<uint8_t>& desc) {
  Kernel k;
  return decode(desc, &k);
}

ComputeEngine::Result TpcCore::execute(const std::vector<uint8_t>& desc, uint64_t epoch) {
  Kernel k;
  decode(desc, &k);  // checked at launch
  const uint32_t kernel = k.d.kernel, nin = k.d.num_inputs;
  const uint64_t row = k.out.shape[0];  // softmax rows: the logical dim 0, before collapsing
  kern::TensorView out = k.out.collapsed(), in[GSIM_TPC_MAX_INPUTS];
  bool all_bf16 = out.dtype == GSIM_DTYPE_BF16;
  for (uint32_t j = 0; j < nin; ++j) {
    in[j] = k.in[j].collapsed();
    all_bf16 = all_bf16 && in[j].dtype == GSIM_DTYPE_BF16;
  }
  const uint64_t n = out.elements();
  uint64_t chunk = std::max<uint64_t>(1, p_.chunk_bytes / out.esize());
  if (kernel == GSIM_TPC_SOFTMAX) chunk = std::max<uint64_t>(row, chunk / row * row);  // whole rows
  const unsigned window = std::max<uint32_t>(1, p_.outstanding_chunks);
  in_buf_.resize(size_t(window) * nin * chunk);
  out_buf_.resize(chunk);
  io_.pace(p_.chunk_bytes, uint64_t(p_.chunk_bytes) * window,
           [this, epoch](sc_core::sc_time t) { return wait_until(t, epoch); });
  const double lanes = all_bf16 ? p_.bf16_ops_per_cycle : p_.ops_per_cycle;
  const double seconds_per_element = kern::tpc_ops_per_element(kernel, nin) / (lanes * clock_mhz_ * 1e6);

  auto count_of = [&](uint64_t i) { return std::min(chunk, n - i * chunk); };
  auto slot = [&](uint64_t i, uint32_t j) { return &in_buf_[((i % window) * nin + j) * chunk]; };
  Pipeline pl;
  pl.steps = (n + chunk - 1) / chunk;
  pl.window = window;
  pl.load = [&](uint64_t i, sc_core::sc_time* ready, uint64_t* bytes) {
    kern::TensorIo::Status st;
    for (uint32_t j = 0; j < nin; ++j) {
      if (!io_.read(in[j], i * chunk, count_of(i), slot(i, j), st)) {
        if (!st.aborted) fail(GSIM_ENG_ERR_BUS_RD, st.bad_addr);
        return false;
      }
    }
    *ready = std::max(*ready, st.done);
    *bytes = st.bytes;
    return true;
  };
  pl.compute = [&](uint64_t i) {
    return sc_core::sc_time(double(count_of(i)) * seconds_per_element, sc_core::SC_SEC);
  };
  pl.store = [&](uint64_t i, sc_core::sc_time* landed, uint64_t* bytes) {
    const float* ptrs[GSIM_TPC_MAX_INPUTS];
    for (uint32_t j = 0; j < nin; ++j) ptrs[j] = slot(i, j);
    const uint64_t cnt = count_of(i);
    kern::tpc_compute(kernel, ptrs, nin, k.d.scalar, out_buf_.data(), cnt, row);
    kern::TensorIo::Status st;
    if (!io_.write(out, i * chunk, cnt, out_buf_.data(), st)) {
      if (!st.aborted) fail(GSIM_ENG_ERR_BUS_WR, st.bad_addr);
      return false;
    }
    *landed = std::max(*landed, st.done);
    *bytes = st.bytes;
    elements_ += cnt;
    return true;
  };
  Result r = run_pipeline(pl, epoch);
  if (queued() == 0) {
    std::vector<float>().swap(in_buf_);  // idle cores hold no buffers
    std::vector<float>().swap(out_buf_);
  }
  return r;
}

}  // namespace gs
