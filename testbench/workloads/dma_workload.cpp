#include "testbench/workloads/dma_workload.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/host_buffer.hpp"

namespace gs {

namespace {
// Sync objects and monitors of the user range of the W_S sync manager.
constexpr uint32_t kSobH2d = GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT;
constexpr uint32_t kSobD2d = kSobH2d + 1;
constexpr uint32_t kMonD2d = GAUDI_FIRST_AVAILABLE_W_S_MONITOR;
constexpr uint32_t kMonD2h = kMonD2d + 1;
constexpr unsigned kQueueH2d = GAUDI_QUEUE_ID_DMA_0_0;
constexpr unsigned kQueueD2d = GAUDI_QUEUE_ID_DMA_2_0;
constexpr unsigned kQueueD2h = GAUDI_QUEUE_ID_DMA_1_0;

double gbps(uint64_t bytes, uint32_t t0, uint32_t t1) {
  uint32_t dt = t1 - t0;  // device timestamps are 32-bit nanoseconds
  return dt ? double(bytes) / dt : 0;
}
}  // namespace

void DmaWorkload::setup(System& sys) {
  for (auto& h : sys.hosts()) {
    unsigned host = h->index();
    for (unsigned dev = 0; dev < sys.params().topology.cards; ++dev)
      h->spawn_process("dma" + std::to_string(dev), [this, &sys, host, dev] { run_card(sys, host, dev); });
  }
}

void DmaWorkload::run_card(System& sys, unsigned host, unsigned dev) {
  Host& h = *sys.hosts()[host];
  Row r;
  r.index = host * sys.params().topology.cards + dev;
  r.bytes = sys.params().dma_workload.bytes;
  hlthunk::Thunk t(h.driver(), 1000 + int(r.index));
  auto fail = [&](const std::string& why, int rc) {
    r.error = output::failure_text(why, rc);
    r.rc = rc;
    rows_.push_back(r);
  };
  int fd = t.open(dev);
  if (fd < 0) return fail("open", fd);
  const uint32_t n = uint32_t(r.bytes);
  HostBuffer src(n), dst(n), icb(4096), ts(64);
  const bool timing = sys.params().card.timing_payload();  // no bytes to fill or check
  if (!timing) src.fill_pattern(sys.params().sim.seed * 1000003u + r.index);
  uint64_t a = 0, b = 0, src_d = 0, dst_d = 0, icb_d = 0, ts_d = 0;
  int rc;
  if ((rc = t.mem_alloc(fd, n, &a)) || (rc = t.mem_alloc(fd, n, &b))) return fail("alloc HBM", rc);
  if ((rc = t.map_host(fd, src.data(), n, &src_d)) || (rc = t.map_host(fd, dst.data(), n, &dst_d)) ||
      (rc = t.map_host(fd, icb.data(), icb.size(), &icb_d)) || (rc = t.map_host(fd, ts.data(), ts.size(), &ts_d)))
    return fail("map host buffer", rc);
  uint64_t h1 = 0, h3 = 0;
  if ((rc = t.cb_create(fd, 4096, &h1)) || (rc = t.cb_create(fd, 4096, &h3))) return fail("create CB", rc);

  // Leg 1, DMA 0 (external): host -> HBM A, then signal; also arm the monitor that will
  // release leg 2's fence.
  hlthunk::CbBuilder c1(t.cb_map(fd, h1, 4096), 4096);
  c1.monitor(kMonD2d, kSobH2d, 1, hlthunk::fence_rdata_addr(kQueueD2d, 0), 1);
  c1.timestamp(ts_d + 0);
  c1.lin_dma(src_d, a, n);
  c1.timestamp(ts_d + 4, /*eb*/ true);
  c1.sob_add(kSobH2d, 1, true);
  // Leg 2, DMA 2 (internal queue, CB in mapped host memory): HBM A -> HBM B.
  hlthunk::CbBuilder c2(icb.data(), uint32_t(icb.size()));
  c2.fence(0, 1, 1);
  c2.timestamp(ts_d + 8);
  c2.lin_dma(a, b, n);
  c2.timestamp(ts_d + 12, true);
  c2.sob_add(kSobD2d, 1, true);
  // Leg 3, DMA 1 (external): waits for leg 2, HBM B -> host, then clears the objects.
  hlthunk::CbBuilder c3(t.cb_map(fd, h3, 4096), 4096);
  c3.monitor(kMonD2h, kSobD2d, 1, hlthunk::fence_rdata_addr(kQueueD2h, 0), 1);
  c3.fence(0, 1, 1);
  c3.timestamp(ts_d + 16);
  c3.lin_dma(b, dst_d, n);
  c3.timestamp(ts_d + 20, true);
  c3.sob_set(kSobH2d, 0);
  c3.sob_set(kSobD2d, 0);

  double t0 = sc_core::sc_time_stamp().to_seconds();
  uint32_t status = 0;
  rc = t.run(fd, {{kQueueH2d, h1, c1.size()}, {kQueueD2d, icb_d, c2.size()}, {kQueueD2h, h3, c3.size()}}, 10'000'000,
             &status);
  if (status == hlthunk::Thunk::kNotSubmitted) return fail("submit", rc);
  if (rc || status != HL_WAIT_CS_STATUS_COMPLETED) return fail("wait CS status " + std::to_string(status), rc);
  r.cs_us = (sc_core::sc_time_stamp().to_seconds() - t0) * 1e6;
  if (!timing) r.verified = std::equal(src.data(), src.data() + n, dst.data());
  const uint32_t* stamp = reinterpret_cast<const uint32_t*>(ts.data());
  r.h2d_gbps = gbps(n, stamp[0], stamp[1]);
  r.d2d_gbps = gbps(n, stamp[2], stamp[3]);
  r.d2h_gbps = gbps(n, stamp[4], stamp[5]);
  t.close(fd);  // frees the HBM, the mappings and the CBs of the context
  rows_.push_back(r);
}

int DmaWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.index < b.index; });
  out << fmt::format("{:>4} {:>12} {:>8} {:>10} {:>10} {:>10} {:>10}  {}\n", "card", "bytes", "verified", "h2d GB/s",
                     "d2d GB/s", "d2h GB/s", "CS us", "error");
  nlohmann::json results = nlohmann::json::array();
  const bool timing = sys.params().card.timing_payload();  // nothing moved, nothing verified
  int bad = 0;
  uint64_t bytes = 0;
  for (const Row& r : rows_) {
    const bool skipped = timing && r.error.empty();
    out << fmt::format("{:>4} {:>12} {:>8} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.1f}  {}\n", r.index, r.bytes,
                       skipped ? "skipped" : r.verified ? "yes" : "NO", r.h2d_gbps, r.d2d_gbps, r.d2h_gbps, r.cs_us,
                       r.error);
    if (!r.verified && !skipped) ++bad;
    bytes += r.error.empty() ? 3 * r.bytes : 0;
    nlohmann::json c = {{"card", r.index},          {"bytes", r.bytes},          {"verified", r.verified},
                        {"h2d_gbyte_s", r.h2d_gbps}, {"d2d_gbyte_s", r.d2d_gbps}, {"d2h_gbyte_s", r.d2h_gbps},
                        {"cs_us", r.cs_us},          {"error", r.error}};
    if (r.rc) c["errno"] = r.rc;
    results.push_back(c);
  }
  bool all = rows_.size() == sys.cards().size();
  record["results"] = std::move(results);
  record["summary"] = {{"cards", sys.cards().size()}, {"bytes_per_direction", rows_.empty() ? 0 : rows_[0].bytes}};
  record["totals"] = {{"cards_verified", timing ? 0 : rows_.size() - bad},
                      {"cards", sys.cards().size()}, {"bytes_moved", bytes}};
  if (timing) {
    record["summary"]["verification"] = "skipped (timing mode)";
    out << fmt::format("total: verification skipped (timing mode: sim.payload=timing moves no data), {} bytes moved\n",
                       bytes);
  } else {
    out << fmt::format("total: {} of {} cards verified, {} bytes moved\n", rows_.size() - bad, sys.cards().size(), bytes);
  }
  return bad || !all ? 1 : 0;
}

}  // namespace gs
