// The card's four sync managers, each mapped at its OBJS block (sync objects and monitors).
// Monitors write their payloads through the card's router; a hard reset clears them all.
#include "models/card/card.hpp"

#include <memory>

#include "models/common/time.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/events.h"

namespace gs {

void Card::build_sync_managers() {
  struct Block {
    SyncManager::Id id;
    uint32_t glbl;
    const char* name;
  };
  static const Block blocks[] = {
      {SyncManager::kEN, GAUDI_BLK_SYNC_MNGR_GLBL_E_N, "sync_mngr_e_n"},
      {SyncManager::kES, GAUDI_BLK_SYNC_MNGR_GLBL_E_S, "sync_mngr_e_s"},
      {SyncManager::kWN, GAUDI_BLK_SYNC_MNGR_GLBL_W_N, "sync_mngr_w_n"},
      {SyncManager::kWS, GAUDI_BLK_SYNC_MNGR_GLBL_W_S, "sync_mngr_w_s"}};
  for (const Block& b : blocks) {
    auto sm = std::make_unique<SyncManager>(b.name, cp_.sync, noc_, ns(cp_.reg_latency_ns));
    SyncManager* raw = sm.get();
    map_cfg_block(GAUDI_BLK_SYNC_MNGR_OBJS(b.glbl), SyncManager::kBlockSize, *raw, b.name);
    protection_.add_self_policed(GAUDI_BLK_SYNC_MNGR_OBJS(b.glbl), SyncManager::kBlockSize);
    raw->set_initiator(GSIM_RAZWI_INIT_SYNC_MNGR + b.id, b.name);
    const uint32_t objs = GAUDI_BLK_SYNC_MNGR_OBJS(b.glbl);
    raw->on_razwi = [this, objs](const BusInitiator& who, uint32_t off, bool write) {
      report_razwi(who, devmap::kCfgBase + objs + off, write);
    };
    // The GLBL block holds the driver's ranges; it has protection bits like the engines'.
    auto glbl = std::make_unique<SyncGlbl>(*raw, std::string(b.name) + "_glbl", ns(cp_.reg_latency_ns));
    map_cfg_block(b.glbl, 0x1000, glbl->regs, std::string(b.name) + "_glbl", true);
    on_hard_reset([raw, g = &glbl->regs] {
      raw->reset();
      g->reset_all();
    });
    sm_glbl_.push_back(std::move(glbl));
    sync_[b.id] = raw;
    parts_.push_back(std::move(sm));
  }
}

SyncManager& Card::sync_manager(unsigned id) { return *sync_.at(id); }

Card::SyncGlbl::SyncGlbl(SyncManager& s, std::string name, sc_core::sc_time latency)
    : sm(s), regs(std::move(name), layout(), this, latency) {}

const RegLayoutOf<Card::SyncGlbl>& Card::SyncGlbl::layout() {
  static const RegLayoutOf<SyncGlbl> layout = [] {
    RegLayoutOf<SyncGlbl> l;
    const auto floor = [](SyncGlbl& g, uint32_t, uint32_t&, sc_core::sc_time) {
      g.sm.set_user_floor(g.regs.value(GSIM_SM_GLBL_FIRST_USER_SOB), g.regs.value(GSIM_SM_GLBL_FIRST_USER_MON));
    };
    l.add(GSIM_SM_GLBL_FIRST_USER_SOB, "FIRST_USER_SOB").on_write(floor);
    l.add(GSIM_SM_GLBL_FIRST_USER_MON, "FIRST_USER_MON").on_write(floor);
    for (unsigned w = 0; w < GSIM_SM_GLBL_USER_SOB_OPEN_WORDS; ++w)
      l.add(GSIM_SM_GLBL_USER_SOB_OPEN(w), "USER_SOB_OPEN").on_write([](SyncGlbl& g, uint32_t w, uint32_t& v, sc_core::sc_time) {
        g.sm.set_user_open(w, v);
      }, w);
    return l;
  }();
  return layout;
}

}  // namespace gs
