// The fault script: what goes wrong, when and where (docs/reliability.md). One fault per
// line, '#' comments:
//   <time> <fault> <target> [key=value]...
//   2ms     link_down   card0.port1            # also switchK.portN
//   2.5ms   link_up     card0.port1
//   1ms     link_flap   card0.port1 down=50us up=200us count=5 jitter=0.2
//   1ms     pause_storm switch0.port3 prio=3 duration=5ms   # prio=all by default; 0 = until the end
//   1ms     nic_hang    card1.port2
//   1ms     engine_hang card0.dma2             # also card0.tpc5, card0.mme1
//   1ms     hbm_flip    card0 addr=0x20000000 bits=2 range=0
//   1ms     cpu_hang    card0
//   1ms     pcie_timeout card0 duration=2ms    # the host stops completing the card's reads; 0 = to the end
// Times take ns/us/ms/s. Plain data: parsed and checked before anything is built.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/topology/topology_plan.hpp"

namespace gs {

struct SimParams;

enum class FaultKind { link_down, link_up, link_flap, pause_storm, nic_hang, engine_hang, hbm_flip, cpu_hang, pcie_timeout };

// The engines engine_hang can stop: DMA channels, TPC cores, MME masters.
enum class EngineKind { dma, tpc, mme };

struct FaultAction {
  double at_us = 0;
  FaultKind kind = FaultKind::link_down;
  PortRef target;       // card/switch port; for engine_hang port = engine index; card faults: port 0
  EngineKind engine = EngineKind::dma;  // engine_hang
  std::string target_text, origin;  // as written; "file:line" for messages
  double down_us = 50, up_us = 200, duration_us = 0, jitter = 0;
  unsigned count = 1, bits = 1;
  uint8_t prio_mask = 0xFF;  // pause_storm: prio=N pauses priority N, prio=all (default) every one
  uint64_t addr = 0, range = 0;
};

const char* fault_name(FaultKind k);
const std::vector<std::string>& fault_names();

// Parses script text; `origin` names it in errors ("file 'x'" or "fault.events").
std::vector<FaultAction> parse_fault_script(const std::string& text, const std::string& origin, char line_separator = '\n');
// fault.script then fault.events of p; throws ConfigError.
std::vector<FaultAction> load_fault_actions(const SimParams& p);
// Targets exist in the system p describes (cards, ports, switches of the plan, DMA channels).
void check_fault_targets(const SimParams& p, const TopologyPlan& plan, const std::vector<FaultAction>& actions);

}  // namespace gs
