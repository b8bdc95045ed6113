#include "testbench/workloads/tpc_workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <sstream>

#include "driver/lib/compute_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "models/engines/kernels/tpc_kernels.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/host_buffer.hpp"

namespace gs {

namespace {
constexpr uint32_t kSobIn = GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT + 24;
constexpr uint32_t kSobDone = kSobIn + 1;
constexpr uint32_t kMon = GAUDI_FIRST_AVAILABLE_W_S_MONITOR + 24;  // kMon .. kMon + 8
constexpr unsigned kQueueIn = GAUDI_QUEUE_ID_DMA_0_0, kQueueOut = GAUDI_QUEUE_ID_DMA_1_0;
constexpr uint32_t kTsOff = 0, kDescOff = 4096, kCbOff = 16384, kCbSize = 1024, kWorkBytes = kCbOff + 8 * kCbSize;
constexpr float kAlpha = 0.75f;


uint32_t inputs_of(uint32_t kernel, uint32_t k) {
  for (uint32_t n : {k, 2u, 1u})
    if (kern::tpc_inputs_ok(kernel, n)) return n;
  return 1;
}

// The CPU reference: plain loops over the fp32 values the engine sees.
std::vector<float> reference(uint32_t kernel, const std::vector<std::vector<float>>& in, uint32_t nin, uint64_t row) {
  const size_t n = in[0].size();
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    const float a = in[0][i], b = nin > 1 ? in[1][i] : 0;
    float v = a;
    switch (kernel) {
      case GSIM_TPC_ADD: v = a + b; break;
      case GSIM_TPC_SUB: v = a - b; break;
      case GSIM_TPC_MUL: v = a * b; break;
      case GSIM_TPC_AXPY: v = kAlpha * a + b; break;
      case GSIM_TPC_SUM: for (uint32_t j = 1; j < nin; ++j) v += in[j][i]; break;
      case GSIM_TPC_MAX: for (uint32_t j = 1; j < nin; ++j) v = std::max(v, in[j][i]); break;
      case GSIM_TPC_RELU: v = a > 0 ? a : 0; break;
      case GSIM_TPC_GELU: v = 0.5f * a * (1 + std::tanh(0.7978845608f * (a + 0.044715f * a * a * a))); break;
    }
    out[i] = v;
  }
  if (kernel == GSIM_TPC_SOFTMAX)
    for (size_t r = 0; r < n; r += row) {
      float m = *std::max_element(in[0].begin() + r, in[0].begin() + r + row), s = 0;
      for (size_t i = r; i < r + row; ++i) s += (out[i] = std::exp(in[0][i] - m));
      for (size_t i = r; i < r + row; ++i) out[i] /= s;
    }
  return out;
}

float load(const uint8_t* p, size_t i, uint32_t dt) {
  if (dt == GSIM_DTYPE_BF16) {
    uint16_t h;
    std::memcpy(&h, p + 2 * i, 2);
    return gsim_bf16_to_fp32(h);
  }
  float f;
  std::memcpy(&f, p + 4 * i, 4);
  return f;
}
}  // namespace

const std::map<std::string, uint32_t>& tpc_kernel_ids() {
  static const std::map<std::string, uint32_t> ids{
      {"copy", GSIM_TPC_COPY}, {"add", GSIM_TPC_ADD}, {"sub", GSIM_TPC_SUB},   {"mul", GSIM_TPC_MUL},
      {"axpy", GSIM_TPC_AXPY}, {"sum", GSIM_TPC_SUM}, {"max", GSIM_TPC_MAX},   {"relu", GSIM_TPC_RELU},
      {"gelu", GSIM_TPC_GELU}, {"softmax", GSIM_TPC_SOFTMAX}};
  return ids;
}

void TpcWorkload::setup(System& sys) {
  sys.hosts()[0]->spawn_process("tpc", [this, &sys] { run_all(sys); });
}

void TpcWorkload::run_all(System& sys) {
  const TpcWorkloadParams& wp = sys.params().tpc_workload;
  const uint32_t dt = wp.dtype == "bf16" ? GSIM_DTYPE_BF16 : GSIM_DTYPE_FP32, es = gsim_dtype_size(dt);
  const unsigned cores = std::min<unsigned>(wp.cores, unsigned(sys.params().card.tpc_cores));
  const uint64_t n = wp.elements, row = wp.row, bytes = n * es;
  hlthunk::Thunk t(sys.hosts()[0]->driver(), 2001);
  const int fd = t.open(0);
  // Inputs: values in [-4, 4) exact in bf16, one host buffer per input slot.
  std::vector<std::vector<float>> x(std::max<uint32_t>(2, wp.inputs), std::vector<float>(n));
  std::vector<std::unique_ptr<HostBuffer>> hx;
  for (size_t j = 0; j < x.size(); ++j) {
    uint64_t s = sys.params().sim.seed * 1000003u + j + 1;
    hx.push_back(std::make_unique<HostBuffer>(bytes));
    for (uint64_t i = 0; i < n; ++i) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      x[j][i] = float(int(s >> 40 & 0xFF) - 128) / 32.0f;
      if (dt == GSIM_DTYPE_BF16) {
        uint16_t h = gsim_fp32_to_bf16(x[j][i]);
        std::memcpy(hx[j]->data() + 2 * i, &h, 2);
      } else {
        std::memcpy(hx[j]->data() + 4 * i, &x[j][i], 4);
      }
    }
  }
  HostBuffer hout(bytes), work(kWorkBytes);

  std::stringstream list(wp.kernels);
  std::string op;
  while (std::getline(list, op, ',')) {
    Run r;
    r.op = op;
    r.dtype = wp.dtype;
    r.cols = row;
    r.rows = row ? n / row : 0;
    r.cores = cores;
    auto fail = [&](const std::string& why, int rc = 0) {
      r.error = output::failure_text(why, rc);
      r.rc = rc;
      runs_.push_back(r);
    };
    auto id = tpc_kernel_ids().find(op);
    if (id == tpc_kernel_ids().end()) { fail("unknown kernel in tpc.kernels"); continue; }
    if (fd < 0) { fail("open", fd); continue; }
    if (n % row || n / row > 0xFFFFFFFFull) { fail("tpc.elements must be a multiple of tpc.row"); continue; }
    if (bytes > 0xFFFFFFFFull) { fail("a tensor exceeds one DMA transfer (4 GiB)"); continue; }
    if (cores == 0) { fail("the card has no TPC"); continue; }
    const uint32_t kernel = id->second, nin = inputs_of(kernel, wp.inputs);
    r.inputs = nin;
    std::vector<uint64_t> din(nin), hmap(nin);
    uint64_t dout = 0, mout = 0, mw = 0, h1 = 0, h3 = 0;
    int rc = 0;
    for (uint32_t j = 0; j < nin && !rc; ++j)
      if (!(rc = t.mem_alloc(fd, bytes, &din[j]))) rc = t.map_host(fd, hx[j]->data(), bytes, &hmap[j]);
    if (rc || (rc = t.mem_alloc(fd, bytes, &dout)) || (rc = t.map_host(fd, hout.data(), bytes, &mout)) ||
        (rc = t.map_host(fd, work.data(), kWorkBytes, &mw)) || (rc = t.cb_create(fd, 4096, &h1)) || (rc = t.cb_create(fd, 4096, &h3))) {
      fail("alloc, map or CB", rc);
      continue;
    }
    // The whole kernel, then one slice per core (by rows).
    std::vector<gsim_tensor> ins;
    for (uint32_t j = 0; j < nin; ++j) ins.push_back(hlthunk::tensor(din[j], dt, {uint32_t(row), uint32_t(n / row)}));
    auto whole = hlthunk::tpc_kernel(kernel, ins, hlthunk::tensor(dout, dt, {uint32_t(row), uint32_t(n / row)}), kAlpha);
    auto slices = hlthunk::split_tpc_kernel(whole, cores);
    r.cores = unsigned(slices.size());

    hlthunk::CbBuilder c1(t.cb_map(fd, h1, 4096), 4096);
    hlthunk::DescArena arena(work.data() + kDescOff, mw + kDescOff, kCbOff - kDescOff);
    std::vector<hlthunk::Thunk::Job> jobs{{kQueueIn, h1, 0}};
    for (unsigned c = 0; c < slices.size(); ++c) {
      const unsigned q = GAUDI_QUEUE_ID_TPC_0_0 + 4 * c;
      c1.monitor(kMon + c, kSobIn, 1, hlthunk::fence_rdata_addr(q, 0), 1);
      hlthunk::CbBuilder cb(work.data() + kCbOff + c * kCbSize, kCbSize);
      cb.fence(0, 1, 1);
      cb.timestamp(mw + kTsOff + 8 * c);
      hlthunk::launch(cb, q, arena.put(slices[c]), hlthunk::sob_increment(kSobDone));
      cb.timestamp(mw + kTsOff + 8 * c + 4, /*eb*/ true);
      jobs.push_back({q, mw + kCbOff + c * kCbSize, cb.size()});
    }
    for (uint32_t j = 0; j < nin; ++j) c1.lin_dma(hmap[j], din[j], uint32_t(bytes), j + 1 == nin);
    c1.sob_add(kSobIn, 1, true);
    jobs[0].size = c1.size();
    hlthunk::CbBuilder c3(t.cb_map(fd, h3, 4096), 4096);
    c3.monitor(kMon + 8, kSobDone, uint32_t(slices.size()), hlthunk::fence_rdata_addr(kQueueOut, 0), 1);
    c3.fence(0, 1, 1);
    c3.lin_dma(dout, mout, uint32_t(bytes), true);
    c3.sob_set(kSobIn, 0, true);
    c3.sob_set(kSobDone, 0);
    jobs.push_back({kQueueOut, h3, c3.size()});

    uint32_t status = 0;
    const double t0 = sc_core::sc_time_stamp().to_seconds();
    rc = t.run(fd, jobs, 600'000'000, &status);
    if (rc || status != HL_WAIT_CS_STATUS_COMPLETED) {
      fail(status == hlthunk::Thunk::kNotSubmitted ? "submit" : "wait CS status " + std::to_string(status), rc);
      continue;
    }
    r.cs_us = (sc_core::sc_time_stamp().to_seconds() - t0) * 1e6;
    const uint32_t* ts = reinterpret_cast<const uint32_t*>(work.data() + kTsOff);
    uint32_t first = ts[0], last = ts[1];
    for (unsigned c = 1; c < slices.size(); ++c) {
      first = std::min(first, ts[2 * c]);
      last = std::max(last, ts[2 * c + 1]);
    }
    r.sim_us = (last - first) / 1000.0;
    r.gbps = r.sim_us > 0 ? double(nin + 1) * bytes / (r.sim_us * 1e3) : 0;
    auto want = reference(kernel, x, nin, row);
    const double tol = dt == GSIM_DTYPE_BF16 ? 1.0 / 128 : 1e-5;
    for (uint64_t i = 0; i < n; ++i) {
      float w = dt == GSIM_DTYPE_BF16 ? gsim_bf16_to_fp32(gsim_fp32_to_bf16(want[i])) : want[i];
      r.max_error = std::max(r.max_error, double(std::fabs(load(hout.data(), i, dt) - w)) / std::max(1.0f, std::fabs(w)));
    }
    r.verified = r.max_error <= tol;
    for (uint64_t h : {h1, h3}) t.cb_destroy(fd, h);
    for (uint64_t m : {mout, mw}) t.unmap_host(fd, m);
    for (uint64_t m : hmap) t.unmap_host(fd, m);
    for (uint64_t d : din) t.mem_free(fd, d);
    t.mem_free(fd, dout);
    runs_.push_back(r);
  }
  if (fd >= 0) t.close(fd);
}

int TpcWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  out << fmt::format("{:>8} {:>5} {:>14} {:>6} {:>5} {:>10} {:>9} {:>9}  {}\n", "kernel", "dtype", "shape", "inputs",
                     "cores", "sim us", "GB/s", "verified", "error");
  nlohmann::json runs = nlohmann::json::array();
  int bad = 0;
  for (const Run& r : runs_) {
    out << fmt::format("{:>8} {:>5} {:>14} {:>6} {:>5} {:>10.2f} {:>9.1f} {:>9}  {}\n", r.op, r.dtype,
                       fmt::format("{}x{}", r.rows, r.cols), r.inputs, r.cores, r.sim_us, r.gbps, r.verified ? "yes" : "NO",
                       r.error);
    if (!r.verified) ++bad;
    nlohmann::json j = {{"op", r.op},
                        {"shape", fmt::format("{}x{}", r.rows, r.cols)},
                        {"rows", r.rows},
                        {"cols", r.cols},
                        {"dtype", r.dtype},
                        {"inputs", r.inputs},
                        {"cores", r.cores},
                        {"verified", r.verified},
                        {"sim_us", r.sim_us},
                        {"gbyte_s", r.gbps},
                        {"max_rel_error", r.max_error},
                        {"cs_us", r.cs_us},
                        {"error", r.error}};
    if (r.rc) j["errno"] = r.rc;
    runs.push_back(j);
  }
  record["results"] = std::move(runs);
  record["summary"] = {{"kernels", runs_.size()}};
  record["totals"] = {{"runs", runs_.size()}, {"runs_verified", runs_.size() - bad}};
  out << fmt::format("total: {} of {} kernels verified\n", runs_.size() - bad, runs_.size());
  return bad || runs_.empty() ? 1 : 0;
}

}  // namespace gs
