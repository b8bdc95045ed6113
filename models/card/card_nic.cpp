// The card's NIC ports: one NicPort per NIC engine, its two register blocks mapped at
// GSIM_NIC_QPC_BLOCK / GSIM_NIC_WQE_BLOCK, CQ interrupts through the PCIe endpoint and events
// through the device CPU. Built before the QMANs: each port is its NIC QMAN's engine (and the
// QMAN's reset resets it). Default addresses: MAC 02:47:53:cc:cc:pp (locally administered,
// card index cc, port pp), IP 10.c.c.(p+1); the topology builder may assign others.
#include <algorithm>
#include <memory>
#include <stdexcept>

#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "models/nic/nic_port.hpp"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/sim_blocks.h"

namespace gs {

void Card::build_nics() {
  const unsigned ports = std::min<unsigned>(cp_.nic_ports, GAUDI_NIC_NUMBER_OF_ENGINES);
  for (unsigned e = 0; e < ports; ++e) {
    NicCardSide side;
    side.noc = &noc_;
    side.hbm_bytes = cp_.hbm_bytes;
    side.sram_bytes = cp_.sram_bytes;
    side.card_index = index_;
    side.timing_payload = cp_.timing_payload();
    side.raise_msi = [this](unsigned v, sc_core::sc_time d) { pcie_core_->raise_msi(v, d); };
    side.post_event = [this](uint16_t id) { cpu_->post_event(id); };
    const std::string name = "nic" + std::to_string(e);
    auto port = std::make_unique<NicPort>(name.c_str(), cp_.nic, side, e, ns(cp_.reg_latency_ns));
    NicPort* raw = port.get();
    uint64_t mac = 0x024753000000ull | uint64_t(index_ & 0xFFFF) << 8 | e;
    uint32_t ip = 10u << 24 | (index_ & 0xFFFF) << 8 | (e + 1);
    raw->set_address(mac, ip);
    map_cfg_block(GSIM_NIC_QPC_BLOCK(e), GSIM_BLOCK_SIZE, raw->qpc_regs(), name + "_qpc", true);
    map_cfg_block(GSIM_NIC_WQE_BLOCK(e), GSIM_BLOCK_SIZE, raw->wqe_regs(), name + "_wqe", true);
    nics_.push_back(raw);
    parts_.push_back(std::move(port));
  }
}

NicPort& Card::nic(unsigned port) { return *nics_.at(port); }
NetPort& Card::nic_port(unsigned port) { return *nics_.at(port); }


}  // namespace gs
