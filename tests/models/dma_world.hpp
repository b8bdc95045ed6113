// A small world for DmaCore tests: a router, memories behind spies that log when each access
// completes, DMA cores with their registers mapped at GAUDI_BLK_DMA_CORE(n), an optional sync
// manager. Each test case builds its own (CTest runs each case in its own process).
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/packets.h"

namespace gs::test {

using sc_core::sc_time;
constexpr uint64_t kSmBase = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);
constexpr uint64_t kB = 0x100000000ull;  // base of a second memory

// Forwards to a target and logs when each access completes (now + annotated delay).
struct AccessSpy : BusTarget {
  struct Access {
    sc_time done;
    uint64_t addr, len;
    bool write;
  };
  BusTarget& inner;
  std::vector<Access> log;
  explicit AccessSpy(BusTarget& t) : inner(t) {}
  void b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) override {
    inner.b_transport(gp, delay);
    log.push_back({sc_core::sc_time_stamp() + delay, gp.get_address(), gp.get_data_length(), gp.is_write()});
  }
};

struct JobDone {
  int calls = 0;
  bool ok = false;
  sc_time at;
  std::function<void(bool)> cb() {
    return [this](bool k) { ++calls; ok = k; at = sc_core::sc_time_stamp(); };
  }
};

struct DmaWorld {
  DmaParams dp;  // set before add_dma: the models keep references
  SyncParams sp;
  AddressRouter noc{ns(5)};
  std::vector<std::unique_ptr<MemoryTarget>> mems;
  std::vector<std::unique_ptr<AccessSpy>> spies;
  std::vector<std::unique_ptr<DmaCore>> dmas;
  std::unique_ptr<SyncManager> sm;

  MemoryTarget& add_mem(const char* name, uint64_t base, uint64_t size, double gbps, double lat_ns,
                        AccessSpy** spy = nullptr) {
    mems.push_back(std::make_unique<MemoryTarget>(name, size, gbps, ns(lat_ns)));
    spies.push_back(std::make_unique<AccessSpy>(*mems.back()));
    noc.map(base, size, *spies.back(), name);
    if (spy) *spy = spies.back().get();
    return *mems.back();
  }
  DmaCore& add_dma(unsigned ch) {
    dmas.push_back(std::make_unique<DmaCore>(("dma" + std::to_string(ch)).c_str(), dp, noc, ch, ns(10)));
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(ch), 0x8000, dmas.back()->regs(), "dma_core");
    return *dmas.back();
  }
  AccessSpy& add_sm() {
    sm = std::make_unique<SyncManager>("sm", sp, noc, ns(10));
    spies.push_back(std::make_unique<AccessSpy>(*sm));
    noc.map(kSmBase, SyncManager::kBlockSize, *spies.back(), "sync_mngr_w_s");
    return *spies.back();
  }
  void wr(uint64_t addr, uint32_t v) {
    sc_time d;
    ASSERT_EQ(bus_access(noc, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  uint32_t rd(uint64_t addr) {
    uint32_t v = 0;
    sc_time d;
    EXPECT_EQ(bus_access(noc, tlm::TLM_READ_COMMAND, addr, &v, 4, d), tlm::TLM_OK_RESPONSE);
    return v;
  }
  static uint64_t reg(unsigned ch, uint32_t off) { return GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(ch) + off; }
  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "host");
    sc_core::sc_start();
  }
};

inline packet_lin_dma lin(uint64_t src, uint64_t dst, uint32_t size, uint32_t flags = 0, uint32_t ctx = 0) {
  return gaudi_pkt_lin_dma(src, dst, size, flags, ctx, 0);
}

inline std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = uint8_t((seed = seed * 1664525u + 1013904223u) >> 24);
  return v;
}

inline std::vector<uint8_t> read_back(MemoryTarget& m, uint64_t addr, size_t n) {
  std::vector<uint8_t> v(n);
  m.store().read(addr, v.data(), n);
  return v;
}

inline void expect_near(sc_time got, double expected_ns, double tolerance) {
  EXPECT_NEAR(to_ns(got) / expected_ns, 1.0, tolerance) << to_ns(got) << " ns vs " << expected_ns;
}

}  // namespace gs::test
