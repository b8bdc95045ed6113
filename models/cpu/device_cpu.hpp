// The device CPU as the driver sees it: boot-status registers that walk through the
// firmware's boot stages after power-on or a hard reset and settle on "ready" (or, with the
// fault knob, stop in preboot forever), and the event queue: a ring in host memory, set up
// by the driver through the CPU_IF registers, where the firmware reports device errors and
// raises the event-queue MSI vector.
#pragma once
#include <array>
#include <functional>
#include <string>
#include <systemc>

#include "models/common/bus_target.hpp"
#include "models/common/reg_bank.hpp"

namespace gs {

class DeviceCpu : public sc_core::sc_module {
 public:
  DeviceCpu(sc_core::sc_module_name name, sc_core::sc_time boot_time, bool never_boots,
            sc_core::sc_time reg_latency, sc_core::sc_time cpu_latency, sc_core::sc_time msg_time);

  // Where event entries are written (the card's router) and how the MSI is raised.
  void connect(BusTarget& noc, std::function<void(unsigned vector, sc_core::sc_time delay)> raise_msi);

  // Restart the boot sequence `after` from now (power-on happens at time zero; a hard reset
  // calls this with its duration: the boot status reads "not available" meanwhile).
  void restart(sc_core::sc_time after = sc_core::SC_ZERO_TIME);
  bool ready() const;
  // Firmware reports an asynchronous event (an error of some engine) to the driver.
  // Returns false if the driver has no event queue set up (the event is counted and lost).
  // `data` (up to 7 words) fills the entry's payload, e.g. the address of an ECC error.
  bool post_event(uint16_t event_type, const uint64_t* data = nullptr, unsigned words = 0);

  // Fault injection: the firmware stops (no message answered, no event posted) until the
  // next hard reset reboots it.
  void hang() { hung_ = true; }
  bool hung() const { return hung_; }

  // What the firmware reports about its card: CPU-CP INFO_GET (struct cpucp_info), NIC_INFO_GET,
  // EEPROM_DATA_GET, the PLL frequencies and the board power limit.
  struct CardFacts {
    std::string name;              // cpucp_info card_name
    uint64_t dram_bytes = 0;
    uint32_t sram_bytes = 0;
    uint32_t card_location = 0;    // the module id
    uint64_t serial = 0;
    unsigned tpcs = 0, mmes = 0, dmas = 0;  // present; the silicon's others are reported binned
    unsigned nic_ports = 0;        // ports 0..nic_ports-1, driven through their registers
    double cpu_mhz = 0, tpc_mhz = 0, mme_mhz = 0;
    uint64_t max_power_mw = 0;     // until the driver sets another (MAX_POWER_SET)
  };
  void set_card_facts(const CardFacts& f);
  const CardFacts& card_facts() const { return facts_; }
  // The card's power model: POWER_GET (W now) and TOTAL_ENERGY_GET (J since power-on).
  std::function<double()> read_power_w, read_energy_j;

  // The card's thermal sensor in degrees Celsius (CPU-CP TEMPERATURE_GET); none: reads fail.
  std::function<double(unsigned sensor)> read_temperature_c;
  // PSOC SW_ALL_RST: the chip's hard reset, as the upstream driver issues it (the card
  // resets every part, this CPU included).
  std::function<void(sc_core::sc_time)> on_sw_all_rst;
  RegBank& psoc_regs() { return psoc_; }
  RegBank& gic_regs() { return gic_; }
  uint64_t messages_served() const { return messages_; }
  RegBank& cpu_if_regs() { return cpu_if_; }
  uint64_t events_posted() const { return events_posted_; }
  uint64_t events_lost() const { return events_lost_; }

 private:
  void boot_step();
  void queue_init_handshake();
  void serve_cpu_queue();  // driver -> firmware messages
  uint32_t execute(uint32_t opcode, uint32_t index, uint64_t* value);
  // CPU-CP packets of the upstream driver (cpucp_firmware.cpp); `pkt` holds the packet.
  uint32_t execute_cpucp(uint32_t opcode, uint8_t* pkt, uint32_t len, sc_core::sc_time& delay);
  void fill_cpucp_info(uint8_t* info) const;
  uint32_t write_buffer(uint64_t addr, uint32_t room, const uint8_t* data, uint32_t size, uint8_t* pkt,
                        sc_core::sc_time& delay);

  sc_core::sc_time boot_time_, cpu_latency_, msg_time_;
  bool never_boots_;
  RegBank psoc_;    // PSOC_GLOBAL_CONF: boot status, scratchpads
  RegBank cpu_if_;  // CPU_IF: queue bases, event queue, QUEUE_INIT handshake
  RegBank gic_;     // the GIC doorbell the driver rings after moving the CPU queue PI
  BusTarget* noc_ = nullptr;
  std::function<void(unsigned, sc_core::sc_time)> raise_msi_;
  sc_core::sc_event step_, handshake_, doorbell_;
  uint32_t pq_ci_ = 0;
  uint64_t messages_ = 0;
  CardFacts facts_;
  std::array<uint64_t, 14> pll_hz_{};  // GAUDI_CPUCP_PLLS, set through FREQUENCY_SET
  uint64_t max_power_mw_ = 0;
  unsigned stage_ = 0;
  uint32_t eq_pi_ = 0;  // entries written since the queue was set up
  bool single_msi_ = false;
  bool hung_ = false;
  uint64_t events_posted_ = 0, events_lost_ = 0;
};

}  // namespace gs
