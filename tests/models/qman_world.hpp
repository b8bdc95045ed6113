// A small world for QMAN tests: a router, HBM at 0, host memory at GAUDI_HOST_PHYS_BASE, a
// register block standing for the engine's window (WREG_32 target), and one Qman. Each TEST
// builds its own (one elaboration per process) and runs its "driver" code in a thread.
// Round numbers make times easy to work out by hand: 1 ns QMAN cycle, 4 GB/s memories
// (4 bytes = 1 ns), 5 ns router hop, 10 ns register access.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <systemc>
#include <vector>

#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/reg_bank.hpp"
#include "models/common/time.hpp"
#include "models/qman/qman.hpp"

namespace gs::test {

// A CB under construction: packets appended as their raw bytes.
struct Cb {
  std::vector<uint8_t> bytes;
  template <class P> Cb& add(const P& p) {
    const auto* b = reinterpret_cast<const uint8_t*>(&p);
    bytes.insert(bytes.end(), b, b + sizeof p);
    return *this;
  }
  Cb& u64(uint64_t v) { return add(v); }
  uint32_t size() const { return uint32_t(bytes.size()); }
};

inline packet_msg_long msg_long(uint64_t addr, uint32_t value, int eb = 0) {
  return gaudi_pkt_msg_long(PACKET_MSG_LONG, addr, value, GAUDI_PKT_MSG_OP_WRITE_VALUE, eb, 1, 1);
}
inline packet_msg_long msg_timestamp(uint64_t addr, int eb = 0) {
  return gaudi_pkt_msg_long(PACKET_MSG_LONG, addr, 0, GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP, eb, 1, 1);
}

struct FakeEngine : QmanEngine {
  sc_core::sc_time job_time = us(1);
  bool refuse = false, fail = false;
  unsigned running = 0, resets = 0;
  std::vector<packet_lin_dma> jobs;
  std::vector<sc_core::sc_time> starts;
  sc_core::sc_event idle_ev;

  bool start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool)> done) override {
    if (refuse) return false;
    jobs.push_back(pkt);
    starts.push_back(sc_core::sc_time_stamp());
    ++running;
    sc_core::sc_spawn([this, done] {
      sc_core::wait(job_time);
      --running;
      if (!running) idle_ev.notify();
      done(!fail);
    });
    return true;
  }
  bool idle() const override { return running == 0; }
  const sc_core::sc_event& idle_event() const override { return idle_ev; }
  void reset() override { ++resets; }
};

struct QmanWorld {
  static constexpr uint32_t kBlock = GAUDI_BLK_DMA_QM(2);
  static constexpr uint64_t kEngineWindow = GAUDI_CFG_BASE + (kBlock & ~0xFFFFu);
  static constexpr uint64_t kHost = GAUDI_HOST_PHYS_BASE;
  static constexpr uint64_t kMemBytes = 16 << 20;

  QmanParams qp;  // change before build()
  double hop_ns = 5, reg_ns = 10, mem_gbps = 4, hbm_lat_ns = 100, host_lat_ns = 500;

  std::unique_ptr<AddressRouter> noc;
  std::unique_ptr<MemoryTarget> hbm, host;
  std::unique_ptr<RegBank> engine_regs;  // 0x000..0x3FC of the engine's window
  std::unique_ptr<Qman> qm;
  std::vector<QmanError> errors;
  std::array<uint32_t, 4> pi{};
  std::array<uint32_t, 4> log2{};
  std::array<uint64_t, 4> pq{};

  QmanWorld() {
    qp.clock_mhz = 1000;
    qp.cycles_per_packet = 8;
    qp.fetch_cycles = 16;
  }

  void build(QmanEngine* engine = nullptr) {
    noc = std::make_unique<AddressRouter>(ns(hop_ns));
    hbm = std::make_unique<MemoryTarget>("hbm", kMemBytes, mem_gbps, ns(hbm_lat_ns));
    host = std::make_unique<MemoryTarget>("host", kMemBytes, mem_gbps, ns(host_lat_ns));
    engine_regs = std::make_unique<RegBank>("engine", ns(reg_ns));
    for (uint32_t off = 0; off < 0x400; off += 4) engine_regs->add(off, "R" + std::to_string(off));
    qm = std::make_unique<Qman>("qm", qp, *noc, engine, kBlock, 17,
                                [this](const QmanError& e) { errors.push_back(e); }, ns(reg_ns));
    noc->map(0, kMemBytes, *hbm, "hbm");
    noc->map(kHost, kMemBytes, *host, "host");
    noc->map(kEngineWindow, 0x8000, *engine_regs, "engine");
    noc->map(GAUDI_CFG_BASE + kBlock, Qman::kBlockSize, *qm, "qm");
  }

  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "driver");
    sc_core::sc_start();
  }

  // Device address of a QMAN register (for MSG_LONG targets).
  static uint64_t reg_addr(uint32_t off) { return GAUDI_CFG_BASE + kBlock + off; }

  // Register access through the router from the driver thread. Writes are posted (they
  // take effect hop + reg latency later); reads wait for their round trip.
  void wr(uint32_t off, uint32_t v) {
    sc_core::sc_time d;
    ASSERT_EQ(bus_access(*noc, tlm::TLM_WRITE_COMMAND, reg_addr(off), &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  uint32_t rd(uint32_t off) {
    uint32_t v = 0;
    sc_core::sc_time d;
    EXPECT_EQ(bus_access(*noc, tlm::TLM_READ_COMMAND, reg_addr(off), &v, 4, d), tlm::TLM_OK_RESPONSE);
    sc_core::wait(d);
    return v;
  }

  // Backdoor memory access by device address.
  MemoryTarget& mem_of(uint64_t a) { return a >= kHost ? *host : *hbm; }
  uint64_t off_of(uint64_t a) { return a >= kHost ? a - kHost : a; }
  void put(uint64_t a, const void* p, size_t n) { mem_of(a).store().write(off_of(a), p, n); }
  uint32_t get32(uint64_t a) {
    uint32_t v = 0;
    mem_of(a).store().read(off_of(a), &v, 4);
    return v;
  }

  void setup_stream(unsigned s, uint64_t pq_base, unsigned pq_log2) {
    pq[s] = pq_base;
    log2[s] = pq_log2;
    wr(GAUDI_QM_PQ_BASE_LO(s), uint32_t(pq_base));
    wr(GAUDI_QM_PQ_BASE_HI(s), uint32_t(pq_base >> 32));
    wr(GAUDI_QM_PQ_SIZE(s), pq_log2);
  }
  void enable(uint32_t cfg0 = GAUDI_QMAN_INTERNAL_ENABLE) { wr(GAUDI_QM_GLBL_CFG0, cfg0); }

  // Expected times (no contention): when the CB of an entry rung at ring_ns is fetched and
  // its first packet starts; what one packet and one 4-byte write cost.
  double cycle_ns() const { return 1e3 / qp.clock_mhz; }
  double pkt_ns() const { return qp.cycles_per_packet * cycle_ns(); }
  double read_ns(uint32_t bytes, bool in_host) const {
    return hop_ns + bytes / mem_gbps + (in_host ? host_lat_ns : hbm_lat_ns);
  }
  double write_ns(bool to_host = false) const { return read_ns(4, to_host); }
  double cb_fetched_ns(double ring_ns, uint32_t cb_bytes, bool host_pq = false, bool host_cb = false) const {
    return ring_ns + hop_ns + reg_ns + qp.fetch_cycles * cycle_ns() + read_ns(GAUDI_PQ_ENTRY_SIZE, host_pq) +
           read_ns(cb_bytes, host_cb);
  }

  // Write the CB and its PQ entry, then ring the doorbell.
  void submit(unsigned s, uint64_t cb_addr, const Cb& cb, bool ring = true) {
    put(cb_addr, cb.bytes.data(), cb.size());
    gaudi_qman_pq_entry e{cb_addr, cb.size(), 0};
    uint32_t n = 1u << log2[s];
    put(pq[s] + (pi[s] % n) * GAUDI_PQ_ENTRY_SIZE, &e, sizeof e);
    pi[s] = (pi[s] + 1) % (2 * n);
    if (ring) wr(GAUDI_QM_PQ_PI(s), pi[s]);
  }
};

inline double now_ns() { return to_ns(sc_core::sc_time_stamp()); }

}  // namespace gs::test
