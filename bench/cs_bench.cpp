// Simulator speed for command submission: wall-clock cost per CS and per GB moved by DMA,
// and the simulated bandwidths. SystemC allows one simulation per process, so the whole
// scenario runs in a single benchmark iteration and reports its figures as counters.
// Run: build/cs_bench
#include <benchmark/benchmark.h>

#include <chrono>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/host_buffer.hpp"

extern "C" int sc_main(int, char**) { return 0; }

namespace {

using clock_type = std::chrono::steady_clock;

void BM_CommandSubmission(benchmark::State& state) {
  gs::SimParams p;
  p.topology.cards = 1;
  p.fast_boot();
  gs::System sys(p, false);
  const unsigned kCs = 2000;
  const uint32_t kBytes = 256u << 20;
  const unsigned kCopies = 4;
  double wall_cs = 0, wall_dma = 0, sim_cs_us = 0, sim_dma_us = 0;
  gs::Host& h = *sys.hosts()[0];
  h.spawn_process("bench", [&] {
    hlthunk::Thunk t(h.driver(), 1);
    int fd = t.open(0);
    uint64_t cb = 0, a = 0, b = 0;
    t.cb_create(fd, 4096, &cb);
    hlthunk::CbBuilder nop(t.cb_map(fd, cb, 4096), 4096);
    nop.nop();
    auto w0 = clock_type::now();
    double s0 = sc_core::sc_time_stamp().to_seconds();
    for (unsigned i = 0; i < kCs; ++i) {
      uint64_t seq;
      uint32_t st;
      t.submit(fd, {{GAUDI_QUEUE_ID_DMA_0_0, cb, nop.size()}}, &seq);
      t.wait_cs(fd, seq, 1000000, &st);
    }
    wall_cs = std::chrono::duration<double>(clock_type::now() - w0).count();
    sim_cs_us = (sc_core::sc_time_stamp().to_seconds() - s0) * 1e6;
    // HBM -> HBM copies on DMA 2, chained to an external job.
    t.mem_alloc(fd, kBytes, &a);
    t.mem_alloc(fd, kBytes, &b);
    gs::HostBuffer icb(4096);
    uint64_t icb_d = 0, cb2 = 0;
    t.map_host(fd, icb.data(), icb.size(), &icb_d);
    hlthunk::CbBuilder in(icb.data(), 4096);
    for (unsigned i = 0; i < kCopies; ++i) in.lin_dma(i % 2 ? b : a, i % 2 ? a : b, kBytes);
    in.sob_add(144, 1, true);
    t.cb_create(fd, 4096, &cb2);
    hlthunk::CbBuilder ext(t.cb_map(fd, cb2, 4096), 4096);
    ext.monitor(72, 144, 1, hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
    ext.fence(0, 1, 1);
    w0 = clock_type::now();
    s0 = sc_core::sc_time_stamp().to_seconds();
    uint64_t seq;
    uint32_t st;
    t.submit(fd, {{GAUDI_QUEUE_ID_DMA_2_0, icb_d, in.size()}, {GAUDI_QUEUE_ID_DMA_0_0, cb2, ext.size()}}, &seq);
    t.wait_cs(fd, seq, 100000000, &st);
    wall_dma = std::chrono::duration<double>(clock_type::now() - w0).count();
    sim_dma_us = (sc_core::sc_time_stamp().to_seconds() - s0) * 1e6;
    t.close(fd);
  });
  for (auto _ : state) sys.run();
  double gb = double(kBytes) * kCopies / 1e9;
  state.counters["wall_us_per_cs"] = wall_cs / kCs * 1e6;
  state.counters["sim_us_per_cs"] = sim_cs_us / kCs;
  state.counters["wall_s_per_GB_dma"] = wall_dma / gb;
  state.counters["sim_d2d_GBps"] = gb / (sim_dma_us * 1e-6);
}
BENCHMARK(BM_CommandSubmission)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
