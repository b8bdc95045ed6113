// The card's four sync managers, each mapped at its OBJS block (sync objects and monitors).
// Monitors write their payloads through the card's router; a hard reset clears them all.
#include "models/card/card.hpp"

#include <memory>

#include "models/common/time.hpp"
#include "models/sync/sync_manager.hpp"

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
    on_hard_reset([raw] { raw->reset(); });
    sync_[b.id] = raw;
    parts_.push_back(std::move(sm));
  }
}

SyncManager& Card::sync_manager(unsigned id) { return *sync_.at(id); }

}  // namespace gs
