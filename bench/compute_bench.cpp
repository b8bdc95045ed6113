// The compute engines as a simulator: achieved vs peak TFLOP/s of square GEMMs on both MME
// masters (simulated figures, from device timestamps), and the wall-clock cost of simulating
// a GEMM and a TPC kernel. SystemC allows one simulation per process, so the whole scenario
// runs in one benchmark iteration; it prints a table and reports headline counters.
// Run: build/compute_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "driver/lib/compute_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "models/engines/mme_engine.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/host_buffer.hpp"

extern "C" int sc_main(int, char**) { return 0; }

namespace {

using clock_type = std::chrono::steady_clock;
constexpr uint32_t kSob = 300, kMon = 100;
constexpr unsigned kWaiter = GAUDI_QUEUE_ID_DMA_0_0;

struct Figures {
  double wall_s = 0, sim_us = 0;
};

// Runs one CS: engine jobs (CBs already built in `work` at the given offsets) that each
// signal kSob, plus an external job waiting for all of them. Returns wall and simulated
// time between the first and last device timestamp pair of the engine CBs.
Figures run_cs(hlthunk::Thunk& t, int fd, gs::HostBuffer& work, uint64_t mw,
               const std::vector<std::pair<unsigned, hlthunk::CbBuilder*>>& engines) {
  uint64_t h = 0;
  t.cb_create(fd, 4096, &h);
  hlthunk::CbBuilder ext(t.cb_map(fd, h, 4096), 4096);
  ext.monitor(kMon, kSob, uint32_t(engines.size()), hlthunk::fence_rdata_addr(kWaiter, 0), 1);
  ext.fence(0, 1, 1);
  ext.sob_set(kSob, 0);
  std::vector<hlthunk::Thunk::Job> jobs;
  for (unsigned i = 0; i < engines.size(); ++i) jobs.push_back({engines[i].first, mw + 8192 + 4096 * i, engines[i].second->size()});
  jobs.push_back({kWaiter, h, ext.size()});
  uint64_t seq = 0;
  uint32_t st = 0;
  auto w0 = clock_type::now();
  t.submit(fd, jobs, &seq);
  t.wait_cs(fd, seq, 1'000'000'000, &st);
  Figures f;
  f.wall_s = std::chrono::duration<double>(clock_type::now() - w0).count();
  const uint32_t* ts = reinterpret_cast<const uint32_t*>(work.data());
  uint32_t first = ts[0], last = ts[1];
  for (unsigned i = 1; i < engines.size(); ++i) first = std::min(first, ts[2 * i]), last = std::max(last, ts[2 * i + 1]);
  f.sim_us = (last - first) / 1000.0;
  t.cb_destroy(fd, h);
  return f;
}

void BM_Compute(benchmark::State& state) {
  gs::SimParams p;
  p.topology.cards = 1;
  p.fast_boot();
  gs::System sys(p, false);
  gs::Host& host = *sys.hosts()[0];
  double tflops_4096 = 0, peak = 0, wall_ms_gemm1024 = 0, wall_ms_tpc = 0;
  host.spawn_process("bench", [&] {
    hlthunk::Thunk t(host.driver(), 1);
    int fd = t.open(0);
    gs::HostBuffer work(8192 + 8 * 4096);
    uint64_t mw = 0, a = 0, b = 0, c = 0;
    t.map_host(fd, work.data(), work.size(), &mw);
    const uint64_t max_bytes = 4096ull * 4096 * 4;
    t.mem_alloc(fd, max_bytes, &a);
    t.mem_alloc(fd, max_bytes, &b);
    t.mem_alloc(fd, max_bytes, &c);
    const unsigned mme_q[2] = {GAUDI_QUEUE_ID_MME_0_0, GAUDI_QUEUE_ID_MME_1_0};
    std::printf("%6s %5s %10s %9s %9s %7s %12s %10s\n", "n", "dtype", "sim us", "TFLOP/s", "peak", "% peak", "arithmetic", "wall ms");
    for (uint32_t dt : {GSIM_DTYPE_BF16, GSIM_DTYPE_FP32}) {
      const double pk = 2 * sys.cards()[0]->mme(0).peak_flops(dt == GSIM_DTYPE_BF16) / 1e12;
      for (uint32_t n : {256u, 512u, 1024u, 2048u, 4096u}) {
        // The engines keep a reference to the parameters: functional only where the host
        // arithmetic stays cheap (what-if mode has the same simulated time).
        p.card.mme.functional = n <= 1024;
        hlthunk::DescArena arena(work.data() + 4096, mw + 4096, 4096);
        std::vector<hlthunk::CbBuilder> cbs;
        std::vector<std::pair<unsigned, hlthunk::CbBuilder*>> jobs;
        cbs.reserve(2);
        const uint32_t es = gsim_dtype_size(dt);
        for (unsigned e = 0; e < 2; ++e) {
          const uint32_t rows = n / 2;
          hlthunk::GemmArgs g{hlthunk::matrix(a + uint64_t(e) * rows * n * es, dt, rows, n), hlthunk::matrix(b, dt, n, n),
                              hlthunk::matrix(c + uint64_t(e) * rows * n * 4, GSIM_DTYPE_FP32, rows, n)};
          cbs.emplace_back(work.data() + 8192 + 4096 * e, 4096);
          cbs[e].timestamp(mw + 8 * e);
          hlthunk::launch(cbs[e], mme_q[e], arena.put(hlthunk::gemm(g)), hlthunk::sob_increment(kSob));
          cbs[e].timestamp(mw + 8 * e + 4, true);
          jobs.push_back({mme_q[e], &cbs[e]});
        }
        Figures f = run_cs(t, fd, work, mw, jobs);
        const double tf = 2.0 * n * n * double(n) / (f.sim_us * 1e-6) / 1e12;
        std::printf("%6u %5s %10.1f %9.2f %9.2f %7.1f %12s %10.2f\n", n, dt == GSIM_DTYPE_BF16 ? "bf16" : "fp32", f.sim_us, tf, pk,
                    100 * tf / pk, p.card.mme.functional ? "computed" : "timing only", f.wall_s * 1e3);
        if (dt == GSIM_DTYPE_BF16 && n == 4096) tflops_4096 = tf, peak = pk;
        if (dt == GSIM_DTYPE_BF16 && n == 1024) wall_ms_gemm1024 = f.wall_s * 1e3;
      }
    }
    // TPC: 64 add kernels of 1 Mi fp32 elements (12 MiB moved each) back to back on TPC 0.
    const uint32_t elems = 1 << 20, kernels = 64;
    hlthunk::DescArena arena(work.data() + 4096, mw + 4096, 4096);
    auto add = hlthunk::tpc_kernel(GSIM_TPC_ADD, {hlthunk::tensor(a, GSIM_DTYPE_FP32, {elems}), hlthunk::tensor(b, GSIM_DTYPE_FP32, {elems})},
                                   hlthunk::tensor(c, GSIM_DTYPE_FP32, {elems}));
    hlthunk::CbBuilder cb(work.data() + 8192, 4096);
    const uint64_t d = arena.put(add);
    cb.timestamp(mw);
    for (uint32_t i = 0; i < kernels; ++i) hlthunk::launch(cb, GAUDI_QUEUE_ID_TPC_0_0, d, i + 1 == kernels ? hlthunk::sob_increment(kSob) : hlthunk::Completion{});
    cb.timestamp(mw + 4, true);
    Figures f = run_cs(t, fd, work, mw, {{GAUDI_QUEUE_ID_TPC_0_0, &cb}});
    wall_ms_tpc = f.wall_s * 1e3 / kernels;
    std::printf("TPC add, 1 Mi fp32 elements, one core: %.2f us simulated, %.3f ms wall per kernel, %.1f GB/s\n",
                f.sim_us / kernels, wall_ms_tpc, 12.0 * elems * kernels / (f.sim_us * 1e3));
    t.close(fd);
  });
  for (auto _ : state) sys.run();
  state.counters["tflops_bf16_4096"] = tflops_4096;
  state.counters["peak_tflops_bf16"] = peak;
  state.counters["wall_ms_gemm1024_bf16"] = wall_ms_gemm1024;
  state.counters["wall_ms_per_tpc_kernel"] = wall_ms_tpc;
}
BENCHMARK(BM_Compute)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
