// The card's queue managers and the engines behind them: each DMA channel is a DMA core plus
// its QMAN; each NIC engine's QMAN drives its NIC port (card_nic.cpp); the MME masters' and
// TPCs' QMANs drive the compute engines (card_compute.cpp).
// Every QMAN's id is the uAPI queue id of its stream 0, so a report's queue_id() is the
// driver's queue number.
#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

#include "specs/gaudi/events.h"
#include "specs/gaudi/queues.h"
#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/mmu/mmu_port.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/nic/nic_port.hpp"
#include "models/qman/qman.hpp"

namespace gs {

namespace {
constexpr uint64_t kDmaCoreBlockSize = 0x8000;  // DMA core block; its QMAN follows at +0x8000

// DMA 0 and 1 (PCI DMA, external queues) are queues 0..7; queue 8 is the CPU queue.
unsigned dma_first_queue(unsigned n) {
  return n < 2 ? GAUDI_QID_DMA_0_0 + 4 * n : GAUDI_QID_DMA_2_0 + 4 * (n - 2);
}

std::string numbered(const char* kind, unsigned n, const char* suffix) {
  return std::string(kind) + std::to_string(n) + suffix;
}
}  // namespace

Qman* Card::add_qman(const char* name, uint32_t block, unsigned first_queue_id, QmanEngine* engine) {
  auto record = [this](const QmanError& e) {
    qman_errors_.push_back(e);
    if (qman_error_sink) qman_error_sink(e);
  };
  auto q = std::make_unique<Qman>(name, cp_.qman, noc_, engine, block, first_queue_id, record,
                                  ns(cp_.reg_latency_ns));
  Qman* raw = q.get();
  raw->set_initiator(GSIM_RAZWI_INIT_QMAN | razwi_initiator(first_queue_id), raw->name());
  map_cfg_block(block, Qman::kBlockSize, *raw, name, true);
  on_hard_reset([raw] { raw->reset(); });  // also resets the engine behind it
  for (unsigned s = 0; s < Qman::kStreams; ++s) queue_qman_.at(first_queue_id + s) = raw;
  qmans_.push_back(raw);
  parts_.push_back(std::move(q));
  return raw;
}

void Card::build_engines() {
  const unsigned dma = std::min<unsigned>(cp_.dma_channels, GAUDI_DMA_NUMBER_OF_CHANNELS);
  for (unsigned n = 0; n < dma; ++n) {
    std::string core_name = numbered("dma", n, "_core");
    // The engine reaches the bus through the MMU, with the ASID of its PROPS register
    // (secure or not, as its PROT register says), read where the core's bank keeps them
    // (every access of the engine asks: no register look-ups).
    auto props = std::make_shared<std::array<const uint32_t*, 3>>();  // PROT, SECURE_PROPS, NON_SECURE_PROPS
    mmu_ports_.push_back(std::make_unique<MmuPort>(mmu_, noc_, [props]() {
      const std::array<const uint32_t*, 3>& r = *props;
      return *r[*r[0] & 1 ? 1 : 2];
    }));
    auto core = std::make_unique<DmaCore>(core_name.c_str(), cp_.dma, *mmu_ports_.back(), n, ns(cp_.reg_latency_ns));
    const RegBank& regs = core->regs();
    *props = {regs.value_ptr(GAUDI_DMA_CORE_PROT), regs.value_ptr(GAUDI_DMA_CORE_SECURE_PROPS),
              regs.value_ptr(GAUDI_DMA_CORE_NON_SECURE_PROPS)};
    for (const uint32_t* v : *props)
      if (!v) throw std::logic_error("DMA core bank without its PROT/PROPS registers");
    core->set_timing_payload(cp_.timing_payload());
    DmaCore* raw = core.get();
    raw->set_initiator(GSIM_RAZWI_INIT_DMA(n), raw->name());
    map_cfg_block(GAUDI_BLK_DMA_CORE(n), kDmaCoreBlockSize, raw->regs(), core_name, true);
    dma_cores_.push_back(raw);
    parts_.push_back(std::move(core));
    dma_qmans_.push_back(add_qman(numbered("dma", n, "_qm").c_str(), GAUDI_BLK_DMA_QM(n), dma_first_queue(n), raw));
  }
  // MME masters, as GAUDI numbers them: queues MME_0_* are MME2's QMAN, MME_1_* MME0's
  // (the driver's queue map agrees).
  const unsigned masters = std::min<unsigned>(cp_.mme_engines, GAUDI_MME_NUMBER_OF_MASTER_ENGINES);
  for (unsigned m = 0; m < masters; ++m)
    mme_qmans_.push_back(add_qman(numbered("mme", 2 * m, "_qm").c_str(), GAUDI_BLK_MME_QM(2 * m),
                                  m == 0 ? GAUDI_QID_MME_1_0 : GAUDI_QID_MME_0_0, m < mme_engines_.size() ? mme_engines_[m] : nullptr));
  const unsigned tpcs = std::min<unsigned>(cp_.tpc_cores, GAUDI_TPC_NUMBER_OF_ENGINES);
  for (unsigned t = 0; t < tpcs; ++t)
    tpc_qmans_.push_back(add_qman(numbered("tpc", t, "_qm").c_str(), GAUDI_BLK_TPC_QM(t),
                                  GAUDI_QID_TPC_0_0 + 4 * t, t < tpc_cores_.size() ? tpc_cores_[t] : nullptr));
  const unsigned nics = std::min<unsigned>(cp_.nic_ports, GAUDI_NIC_NUMBER_OF_ENGINES);
  for (unsigned e = 0; e < nics; ++e)
    nic_qmans_.push_back(add_qman(numbered("nic", e, "_qm").c_str(), GAUDI_BLK_NIC_QM(e),
                                  GAUDI_QID_NIC_0_0 + 4 * e, e < nics_.size() ? nics_[e] : nullptr));
}

DmaCore& Card::dma_core(unsigned n) { return *dma_cores_.at(n); }
Qman& Card::dma_qman(unsigned n) { return *dma_qmans_.at(n); }
Qman& Card::mme_qman(unsigned master) { return *mme_qmans_.at(master); }
Qman& Card::tpc_qman(unsigned n) { return *tpc_qmans_.at(n); }
Qman& Card::nic_qman(unsigned engine) { return *nic_qmans_.at(engine); }

Qman* Card::find_qman_by_queue_id(unsigned id) { return id < kQueueIds ? queue_qman_[id] : nullptr; }

Qman& Card::qman_by_queue_id(unsigned id, unsigned* stream) {
  Qman* q = find_qman_by_queue_id(id);
  if (!q) throw std::out_of_range("card " + std::to_string(index_) + ": no QMAN serves queue " + std::to_string(id));
  if (stream) *stream = id - q->id();
  return *q;
}

}  // namespace gs
