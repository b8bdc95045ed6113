#include "testbench/workloads/gemm_workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <sstream>

#include "driver/lib/compute_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "models/engines/mme_engine.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/host_buffer.hpp"

namespace gs {

namespace {
constexpr uint32_t kSobIn = GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT + 16;  // inputs are in HBM
constexpr uint32_t kSobDone = kSobIn + 1;                                // MME completions
constexpr uint32_t kMon = GAUDI_FIRST_AVAILABLE_W_S_MONITOR + 16;       // kMon .. kMon + 2
constexpr unsigned kQueueIn = GAUDI_QUEUE_ID_DMA_0_0, kQueueOut = GAUDI_QUEUE_ID_DMA_1_0;
constexpr unsigned kMmeQueue[2] = {GAUDI_QUEUE_ID_MME_0_0, GAUDI_QUEUE_ID_MME_1_0};
// Work buffer layout: timestamps, descriptors, one CB per MME queue.
constexpr uint32_t kTsOff = 0, kDescOff = 4096, kCbOff = 8192, kCbSize = 4096, kWorkBytes = kCbOff + 2 * kCbSize;

// Values in [-2, 2) with at most 8 significant bits: exact in bf16, so both dtypes see the
// same matrices.
void fill(std::vector<float>& v, uint64_t seed) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& f : v) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    f = float(int(x >> 40 & 0xFF) - 128) / 64.0f;
  }
}

void store(const std::vector<float>& v, uint32_t dtype, uint8_t* dst) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (dtype == GSIM_DTYPE_BF16) {
      uint16_t h = gsim_fp32_to_bf16(v[i]);
      std::memcpy(dst + 2 * i, &h, 2);
    } else {
      std::memcpy(dst + 4 * i, &v[i], 4);
    }
  }
}

// The CPU reference, products summed in k order in fp32; returns the largest relative error.
double check(const std::vector<float>& a, const std::vector<float>& b, const float* c, uint32_t n) {
  std::vector<float> acc(n);
  double worst = 0;
  for (uint32_t i = 0; i < n; ++i) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (uint32_t p = 0; p < n; ++p) {
      const float x = a[size_t(i) * n + p];
      const float* brow = &b[size_t(p) * n];
      for (uint32_t j = 0; j < n; ++j) acc[j] += x * brow[j];
    }
    for (uint32_t j = 0; j < n; ++j)
      worst = std::max(worst, double(std::fabs(c[size_t(i) * n + j] - acc[j])) / std::max(1.0f, std::fabs(acc[j])));
  }
  return worst;
}
}  // namespace

void GemmWorkload::setup(System& sys) {
  sys.hosts()[0]->spawn_process("gemm", [this, &sys] { run_all(sys); });
}

void GemmWorkload::run_all(System& sys) {
  const GemmWorkloadParams& gp = sys.params().gemm_workload;
  const bool bf16 = gp.dtype == "bf16";
  const uint32_t dt = bf16 ? GSIM_DTYPE_BF16 : GSIM_DTYPE_FP32, es = gsim_dtype_size(dt);
  const unsigned engines = std::min<unsigned>(gp.engines, unsigned(sys.params().card.mme_engines));
  const bool functional = sys.params().card.mme.functional;
  hlthunk::Thunk t(sys.hosts()[0]->driver(), 2000);
  const int fd = t.open(0);
  for (uint32_t n : parse_gemm_sizes(gp.sizes)) {
    Run r;
    r.n = n;
    r.dtype = gp.dtype;
    r.engines = engines;
    r.peak_tflops = engines * sys.cards()[0]->mme(0).peak_flops(bf16) / 1e12;
    auto fail = [&](const std::string& why, int rc = 0) {
      r.error = output::failure_text(why, rc);
      r.rc = rc;
      runs_.push_back(r);
    };
    if (fd < 0) { fail("open", fd); continue; }
    if (!n) { fail("bad entry in gemm.sizes"); continue; }
    if (engines == 0) { fail("the card has no MME"); continue; }
    const uint64_t in_bytes = uint64_t(n) * n * es, c_bytes = uint64_t(n) * n * 4;
    if (c_bytes > 0xFFFFFFFFull) { fail("C exceeds one DMA transfer (4 GiB)"); continue; }
    // Timing-only runs (mme.functional=false) move no data: the MME's timing does not
    // depend on it, and what-if shapes would cost gigabytes of host memory.
    const bool move_data = functional;
    const uint64_t hin = move_data ? in_bytes : 8, hout = move_data ? c_bytes : 8;
    std::vector<float> a(move_data ? size_t(n) * n : 0), b(a.size());
    fill(a, sys.params().sim.seed * 7 + n);
    fill(b, sys.params().sim.seed * 13 + n);
    HostBuffer ha(hin), hb(hin), hc(hout), work(kWorkBytes);
    store(a, dt, ha.data());
    store(b, dt, hb.data());
    uint64_t da = 0, db = 0, dc = 0, ma = 0, mb = 0, mc = 0, mw = 0, h1 = 0, h3 = 0;
    int rc;
    if ((rc = t.mem_alloc(fd, in_bytes, &da)) || (rc = t.mem_alloc(fd, in_bytes, &db)) || (rc = t.mem_alloc(fd, c_bytes, &dc))) {
      fail("alloc HBM", rc);
      continue;
    }
    if ((rc = t.map_host(fd, ha.data(), hin, &ma)) || (rc = t.map_host(fd, hb.data(), hin, &mb)) ||
        (rc = t.map_host(fd, hc.data(), hout, &mc)) || (rc = t.map_host(fd, work.data(), kWorkBytes, &mw))) {
      fail("map host buffer", rc);
      continue;
    }
    if ((rc = t.cb_create(fd, 4096, &h1)) || (rc = t.cb_create(fd, 4096, &h3))) { fail("create CB", rc); continue; }

    // Leg 1 (DMA 0): A and B in, then release every MME queue's fence.
    hlthunk::CbBuilder c1(t.cb_map(fd, h1, 4096), 4096);
    for (unsigned e = 0; e < engines; ++e) c1.monitor(kMon + e, kSobIn, 1, hlthunk::fence_rdata_addr(kMmeQueue[e], 0), 1);
    if (move_data) {
      c1.lin_dma(ma, da, uint32_t(in_bytes));
      c1.lin_dma(mb, db, uint32_t(in_bytes), true);
    }
    c1.sob_add(kSobIn, 1, true);
    // Leg 2 (MME e): rows [r0, r0 + rows) of C = A rows x B.
    hlthunk::DescArena arena(work.data() + kDescOff, mw + kDescOff, kCbOff - kDescOff);
    std::vector<hlthunk::Thunk::Job> jobs{{kQueueIn, h1, 0}};
    for (unsigned e = 0, r0 = 0; e < engines; ++e) {
      const uint32_t rows = n / engines + (e < n % engines ? 1 : 0);
      hlthunk::GemmArgs g{hlthunk::matrix(da + uint64_t(r0) * n * es, dt, rows, n), hlthunk::matrix(db, dt, n, n),
                          hlthunk::matrix(dc + uint64_t(r0) * n * 4, GSIM_DTYPE_FP32, rows, n)};
      hlthunk::CbBuilder cb(work.data() + kCbOff + e * kCbSize, kCbSize);
      cb.fence(0, 1, 1);
      cb.timestamp(mw + kTsOff + 8 * e);
      hlthunk::launch(cb, kMmeQueue[e], arena.put(hlthunk::gemm(g)), hlthunk::sob_increment(kSobDone));
      cb.timestamp(mw + kTsOff + 8 * e + 4, /*eb*/ true);
      jobs.push_back({kMmeQueue[e], mw + kCbOff + e * kCbSize, cb.size()});
      r0 += rows;
    }
    // Leg 3 (DMA 1): once every MME has signalled, C out; then reset the objects.
    hlthunk::CbBuilder c3(t.cb_map(fd, h3, 4096), 4096);
    c3.monitor(kMon + 2, kSobDone, engines, hlthunk::fence_rdata_addr(kQueueOut, 0), 1);
    c3.fence(0, 1, 1);
    if (move_data) c3.lin_dma(dc, mc, uint32_t(c_bytes), true);
    c3.sob_set(kSobIn, 0, true);
    c3.sob_set(kSobDone, 0);
    jobs[0].size = c1.size();
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
    for (unsigned e = 1; e < engines; ++e) {
      first = std::min(first, ts[2 * e]);
      last = std::max(last, ts[2 * e + 1]);
    }
    r.sim_us = (last - first) / 1000.0;
    r.tflops = r.sim_us > 0 ? 2.0 * n * n * double(n) / (r.sim_us * 1e-6) / 1e12 : 0;
    if (gp.verify && functional) {
      r.checked = true;
      r.max_error = check(a, b, reinterpret_cast<const float*>(hc.data()), n);
      r.verified = r.max_error <= 1e-5;
    }
    for (uint64_t h : {h1, h3}) t.cb_destroy(fd, h);
    for (uint64_t m : {ma, mb, mc, mw}) t.unmap_host(fd, m);
    for (uint64_t d : {da, db, dc}) t.mem_free(fd, d);
    runs_.push_back(r);
  }
  if (fd >= 0) t.close(fd);
}

int GemmWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  out << fmt::format("{:>6} {:>5} {:>4} {:>10} {:>9} {:>9} {:>6} {:>9}  {}\n", "n", "dtype", "mmes", "sim us", "TFLOP/s",
                     "peak", "% peak", "verified", "error");
  nlohmann::json runs = nlohmann::json::array();
  int bad = 0;
  double flops = 0;
  for (const Run& r : runs_) {
    const char* v = !r.checked ? "skipped" : r.verified ? "yes" : "NO";
    double pct = r.peak_tflops > 0 ? 100.0 * r.tflops / r.peak_tflops : 0;
    out << fmt::format("{:>6} {:>5} {:>4} {:>10.1f} {:>9.2f} {:>9.2f} {:>6.1f} {:>9}  {}\n", r.n, r.dtype, r.engines,
                       r.sim_us, r.tflops, r.peak_tflops, pct, v, r.error);
    if (!r.error.empty() || (r.checked && !r.verified)) ++bad;
    const std::string shape = fmt::format("{}x{}x{}", r.n, r.n, r.n);
    nlohmann::json j = {{"op", "gemm"},           {"shape", shape},         {"m", r.n},
                        {"n", r.n},               {"k", r.n},               {"dtype", r.dtype},
                        {"engines", r.engines},   {"verified", r.verified}, {"checked", r.checked},
                        {"max_rel_error", r.max_error}, {"sim_us", r.sim_us}, {"tflops", r.tflops},
                        {"peak_tflops", r.peak_tflops}, {"cs_us", r.cs_us}, {"error", r.error}};
    if (r.rc) j["errno"] = r.rc;
    runs.push_back(j);
    flops += r.error.empty() ? 2.0 * r.n * r.n * double(r.n) : 0;
  }
  const bool functional = sys.params().card.mme.functional;
  record["results"] = std::move(runs);
  record["summary"] = {{"dtype", sys.params().gemm_workload.dtype}, {"functional", functional}};
  record["totals"] = {{"runs", runs_.size()}, {"runs_ok", runs_.size() - bad}, {"flop", flops}};
  out << fmt::format("total: {} of {} GEMMs ran, {:.3g} FLOP{}\n", runs_.size() - bad, runs_.size(), flops,
                     functional ? "" : " (mme.functional=false: timing only, not verified)");
  return bad || runs_.empty() ? 1 : 0;
}

}  // namespace gs
