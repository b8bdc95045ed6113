// The card's compute engines: one TpcCore per TPC (launch registers at GAUDI_BLK_TPC_CFG(n))
// and one MmeEngine per MME master (at GAUDI_BLK_MME_CTRL(0) and (2)). Built before the
// QMANs, which take them as their engines (and reset them on a hard reset).
//
// What the engines may touch: user memory as the driver hands it out (HBM above the
// driver's reserved first 512 MiB, SRAM after its reserved head, host memory through the
// PCIe window), checked when a kernel is launched. Failures while a kernel runs are posted
// as the engine's QMAN event, like the QMAN's own errors.
#include <algorithm>
#include <memory>

#include "specs/gaudi/queues.h"
#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "specs/gaudi/events.h"
#include "specs/gaudi/tpc_mme.h"

namespace gs {

namespace {
bool inside(uint64_t addr, uint64_t len, uint64_t lo, uint64_t hi) { return addr >= lo && addr <= hi && len <= hi - addr; }
}  // namespace

void Card::build_compute() {
  auto user_memory = [this](uint64_t addr, uint64_t len) {
    return inside(addr, len, devmap::kDramBase + GAUDI_DRAM_BASE_ADDR_USER, devmap::kDramBase + cp_.hbm_bytes) ||
           inside(addr, len, devmap::kSramBase + GAUDI_SRAM_USER_BASE_OFFSET, devmap::kSramBase + cp_.sram_bytes) ||
           inside(addr, len, devmap::kHostBase, devmap::kHostBase + devmap::kHostWindow);
  };
  const sc_core::sc_time reg = ns(cp_.reg_latency_ns);

  const unsigned tpcs = std::min<unsigned>(cp_.tpc_cores, GAUDI_TPC_NUMBER_OF_ENGINES);
  for (unsigned t = 0; t < tpcs; ++t) {
    const std::string name = "tpc" + std::to_string(t);
    auto core = std::make_unique<TpcCore>(name.c_str(), cp_.tpc, noc_, t, cp_.tpc_clock_mhz, reg);
    core->user_memory = user_memory;
    core->set_initiator(GSIM_RAZWI_INIT_TPC(t), core->name());
    const uint16_t event = qman_event_type(GAUDI_QID_TPC_0_0 + 4 * t);
    core->on_error = [this, event](unsigned, uint32_t) { cpu_->post_event(event); };
    map_cfg_block(GAUDI_BLK_TPC_CFG(t), GSIM_TPC_CFG_BLOCK_SIZE, *core, name + "_cfg", true);
    tpc_cores_.push_back(core.get());
    parts_.push_back(std::move(core));
  }
  // Master m is MME0 (m = 0, queues MME_1_*) or MME2 (m = 1, queues MME_0_*).
  const unsigned masters = std::min<unsigned>(cp_.mme_engines, GAUDI_MME_NUMBER_OF_MASTER_ENGINES);
  for (unsigned m = 0; m < masters; ++m) {
    const std::string name = "mme" + std::to_string(2 * m);
    auto mme = std::make_unique<MmeEngine>(name.c_str(), cp_.mme, noc_, m, cp_.mme_clock_mhz, reg);
    mme->user_memory = user_memory;
    mme->set_initiator(GSIM_RAZWI_INIT_MME(2 * m), mme->name());
    const uint16_t event = qman_event_type(m == 0 ? GAUDI_QID_MME_1_0 : GAUDI_QID_MME_0_0);
    mme->on_error = [this, event](unsigned, uint32_t) { cpu_->post_event(event); };
    map_cfg_block(GAUDI_BLK_MME_CTRL(2 * m) + GSIM_MME_WREG_BASE, GSIM_MME_CTRL_BLOCK_SIZE, *mme, name + "_ctrl", true);
    // The MME's own ARCH_STATUS, which the upstream driver's idle check reads.
    auto status = std::make_unique<RegBank>(name + ".arch", reg);
    MmeEngine* raw = mme.get();
    status->add(GAUDI_MME_CTRL_ARCH_STATUS, "ARCH_STATUS", 0, false).on_read = [raw](const RegBank::Reg&) {
      return raw->idle() ? GAUDI_MME_ARCH_STATUS_IDLE : 0u;
    };
    map_cfg_block(GAUDI_BLK_MME_CTRL(2 * m), GSIM_MME_WREG_BASE, *status, name + "_arch");
    mme_status_.push_back(std::move(status));
    mme_engines_.push_back(mme.get());
    parts_.push_back(std::move(mme));
  }
}

TpcCore& Card::tpc(unsigned n) { return *tpc_cores_.at(n); }
MmeEngine& Card::mme(unsigned master) { return *mme_engines_.at(master); }

}  // namespace gs
