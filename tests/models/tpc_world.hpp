// A small world for TPC and MME tests: a router, HBM at 0, optional DMA cores and a W_S sync
// manager, TPC cores and MME masters with their launch registers mapped where the card maps
// them. Kernels are launched by register writes from a "host" thread, as a QMAN would.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/lib/compute_builder.hpp"
#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {

using sc_core::sc_time;
constexpr uint64_t kDesc = 0x100000;      // descriptors live here
constexpr uint64_t kData = 0x1000000;     // tensors from here on
constexpr uint64_t kWsObjs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);

struct ComputeWorld {
  TpcParams tp;  // set before adding engines: the models keep references
  MmeParams mp;
  DmaParams dp;
  SyncParams sp;
  double tpc_mhz = 1650, mme_mhz = 1650;
  AddressRouter noc{ns(5)};
  std::unique_ptr<MemoryTarget> hbm;
  std::vector<std::unique_ptr<TpcCore>> tpcs;
  std::vector<std::unique_ptr<MmeEngine>> mmes;
  std::vector<std::unique_ptr<DmaCore>> dmas;
  std::unique_ptr<SyncManager> sm;
  uint64_t next_desc = kDesc;

  MemoryTarget& add_hbm(double gbps = 1000, uint64_t size = 1ull << 30) {
    hbm = std::make_unique<MemoryTarget>("hbm", size, gbps, ns(120));
    noc.map(0, size, *hbm, "hbm");
    return *hbm;
  }
  TpcCore& add_tpc(unsigned n) {
    tpcs.push_back(std::make_unique<TpcCore>(("tpc" + std::to_string(n)).c_str(), tp, noc, n, tpc_mhz, ns(10)));
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_TPC_CFG(n), GSIM_TPC_CFG_BLOCK_SIZE, *tpcs.back(), "tpc_cfg");
    return *tpcs.back();
  }
  MmeEngine& add_mme(unsigned m) {
    mmes.push_back(std::make_unique<MmeEngine>(("mme" + std::to_string(2 * m)).c_str(), mp, noc, m, mme_mhz, ns(10)));
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_MME_CTRL(2 * m) + GSIM_MME_WREG_BASE, GSIM_MME_CTRL_BLOCK_SIZE, *mmes.back(), "mme_ctrl");
    return *mmes.back();
  }
  DmaCore& add_dma(unsigned ch) {
    dmas.push_back(std::make_unique<DmaCore>(("dma" + std::to_string(ch)).c_str(), dp, noc, ch, ns(10)));
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(ch), 0x8000, dmas.back()->regs(), "dma_core");
    return *dmas.back();
  }
  SyncManager& add_sm() {
    sm = std::make_unique<SyncManager>("sm", sp, noc, ns(10));
    noc.map(kWsObjs, SyncManager::kBlockSize, *sm, "sync_mngr_w_s");
    return *sm;
  }

  // Backdoor data access (no simulated time).
  void put(uint64_t addr, const std::vector<float>& v, uint32_t dtype = GSIM_DTYPE_FP32) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (dtype == GSIM_DTYPE_BF16) {
        uint16_t h = gsim_fp32_to_bf16(v[i]);
        hbm->store().write(addr + 2 * i, &h, 2);
      } else {
        hbm->store().write(addr + 4 * i, &v[i], 4);
      }
    }
  }
  std::vector<float> get(uint64_t addr, size_t n, uint32_t dtype = GSIM_DTYPE_FP32) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) {
      if (dtype == GSIM_DTYPE_BF16) {
        uint16_t h;
        hbm->store().read(addr + 2 * i, &h, 2);
        v[i] = gsim_bf16_to_fp32(h);
      } else {
        hbm->store().read(addr + 4 * i, &v[i], 4);
      }
    }
    return v;
  }
  template <class D> uint64_t put_desc(const D& d) {
    uint64_t at = next_desc;
    hbm->store().write(at, &d, sizeof d);
    next_desc += (sizeof d + 63) / 64 * 64;
    return at;
  }

  // Register writes, as a QMAN's WREG would make them. Returns whether the write was accepted.
  bool wr(uint64_t addr, uint32_t v) {
    sc_time d;
    return bus_access(noc, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d) == tlm::TLM_OK_RESPONSE;
  }
  uint32_t rd(uint64_t addr) {
    uint32_t v = 0;
    sc_time d;
    bus_access(noc, tlm::TLM_READ_COMMAND, addr, &v, 4, d);
    return v;
  }
  static uint64_t tpc_reg(unsigned n, uint32_t r) { return GAUDI_CFG_BASE + GAUDI_BLK_TPC_CFG(n) + r; }
  static uint64_t mme_reg(unsigned m, uint32_t r) { return GAUDI_CFG_BASE + GAUDI_BLK_MME_CTRL(2 * m) + GSIM_MME_WREG_BASE + r; }
  bool launch_at(uint64_t block, uint64_t desc, hlthunk::Completion c = {}) {
    wr(block + GSIM_ENG_DESC_ADDR_LO, uint32_t(desc));
    wr(block + GSIM_ENG_DESC_ADDR_HI, uint32_t(desc >> 32));
    wr(block + GSIM_ENG_COMP_ADDR_LO, uint32_t(c.addr));
    wr(block + GSIM_ENG_COMP_ADDR_HI, uint32_t(c.addr >> 32));
    wr(block + GSIM_ENG_COMP_WDATA, c.data);
    return wr(block + GSIM_ENG_LAUNCH, c.addr ? GSIM_ENG_LAUNCH_COMP_EN : 0);
  }
  bool launch_tpc(unsigned n, uint64_t desc, hlthunk::Completion c = {}) { return launch_at(tpc_reg(n, 0), desc, c); }
  bool launch_mme(unsigned m, uint64_t desc, hlthunk::Completion c = {}) { return launch_at(mme_reg(m, 0), desc, c); }
  static void wait_idle(QmanEngine& e) {
    while (!e.idle()) sc_core::wait(e.idle_event());
  }
  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "host");
    sc_core::sc_start();
  }
};

// Deterministic values in [-2, 2) that bf16 holds exactly (8 significant bits at most).
inline std::vector<float> values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = float(int32_t(seed >> 24) - 128) / 64.0f;
  }
  return v;
}

inline float bf16_round(float f) { return gsim_bf16_to_fp32(gsim_fp32_to_bf16(f)); }

// |got - want| <= rel * max(1, |want|), element by element.
inline void expect_close(const std::vector<float>& got, const std::vector<float>& want, float rel) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_LE(std::fabs(got[i] - want[i]), rel * std::max(1.0f, std::fabs(want[i]))) << "element " << i << ": " << got[i] << " vs " << want[i];
}

}  // namespace gs::test
