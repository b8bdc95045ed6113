#include "models/cpu/device_cpu.hpp"

#include <algorithm>
#include <cstring>

#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace gs {

static constexpr uint32_t kMaxMessage = 256;  // longest packet read (CPU-CP array packets)

// Offsets inside the PSOC global-configuration and CPU_IF blocks.
static constexpr uint32_t kBootStatus = mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS - GAUDI_BLK_PSOC_GLOBAL_CONF;
static constexpr uint32_t kBootErr0 = mmCPU_BOOT_ERR0 - GAUDI_BLK_PSOC_GLOBAL_CONF;
static constexpr uint32_t kKmdMsg = mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU - GAUDI_BLK_PSOC_GLOBAL_CONF;
static constexpr uint32_t kCmdStatus = mmCPU_CMD_STATUS_TO_HOST - GAUDI_BLK_PSOC_GLOBAL_CONF;
static constexpr uint32_t kEqBaseLo = mmCPU_IF_EQ_BASE_ADDR_LOW - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kEqBaseHi = mmCPU_IF_EQ_BASE_ADDR_HIGH - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kEqLength = mmCPU_IF_EQ_LENGTH - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kEqRdOffs = mmCPU_IF_EQ_RD_OFFS - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kQueueInit = mmCPU_IF_QUEUE_INIT - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kPqBaseLo = mmCPU_IF_PQ_BASE_ADDR_LOW - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kPqBaseHi = mmCPU_IF_PQ_BASE_ADDR_HIGH - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kPqLength = mmCPU_IF_PQ_LENGTH - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kPqPi = mmCPU_IF_PF_PQ_PI - GAUDI_BLK_CPU_IF;
static constexpr uint32_t kGicSetSpi = mmGIC_DISTRIBUTOR__5_GICD_SETSPI_NSR - GAUDI_BLK_GIC;

DeviceCpu::DeviceCpu(sc_core::sc_module_name name, sc_core::sc_time boot_time, bool never_boots,
                     sc_core::sc_time reg_latency, sc_core::sc_time cpu_latency, sc_core::sc_time msg_time)
    : sc_module(name), boot_time_(boot_time), cpu_latency_(cpu_latency), msg_time_(msg_time),
      never_boots_(never_boots), psoc_(std::string(name) + ".psoc_global_conf", reg_latency),
      cpu_if_(std::string(name) + ".cpu_if", reg_latency), gic_(std::string(name) + ".gic", reg_latency) {
  cpu_if_.add(kPqBaseLo, "PQ_BASE_ADDR_LOW");
  cpu_if_.add(kPqBaseHi, "PQ_BASE_ADDR_HIGH");
  cpu_if_.add(kPqLength, "PQ_LENGTH");
  cpu_if_.add(kPqPi, "PF_PQ_PI").on_write = [this](RegBank::Reg&, sc_core::sc_time d) { doorbell_.notify(d + msg_time_); };
  // The driver also interrupts the CPU through the GIC after moving the PI; the PI write
  // alone already wakes this model, so the interrupt is accepted and needs nothing more.
  gic_.add(kGicSetSpi, "GICD_SETSPI_NSR");
  psoc_.add(kBootStatus, "CPU_BOOT_STATUS", GAUDI_CPU_BOOT_STATUS_NA);
  psoc_.add(kBootErr0, "CPU_BOOT_ERR0", 0, false);
  // The other scratchpads are plain read/write registers (boot device status, version
  // offsets, HW_STATE, ...): zero after reset, i.e. no firmware capabilities announced, so a
  // driver uses the legacy (static) loading protocol.
  for (unsigned n = 0; n < 32; ++n) {
    uint32_t off = mmPSOC_GLOBAL_CONF_SCRATCHPAD(n) - GAUDI_BLK_PSOC_GLOBAL_CONF;
    if (off != kBootErr0) psoc_.add(off, "SCRATCHPAD_" + std::to_string(n));
  }
  // Static firmware loading: u-boot waits in READY_TO_BOOT for the driver's message; SKIP_BMC
  // is acknowledged with BMC_WAITING_SKIPPED; FIT_RDY ("the Linux FIT is in place") starts
  // the last boot stage, which ends in SRAM_AVAIL (firmware up, CPU queue served).
  psoc_.add(kKmdMsg, "KMD_MSG_TO_CPU").on_write = [this](RegBank::Reg& r, sc_core::sc_time d) {
    uint32_t status = psoc_.value(kBootStatus);
    bool waiting = status == GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT || status == GAUDI_CPU_BOOT_STATUS_BMC_WAITING_SKIPPED;
    if (r.value == GAUDI_KMD_MSG_SKIP_BMC && waiting)
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_BMC_WAITING_SKIPPED);
    else if (r.value == GAUDI_KMD_MSG_FIT_RDY && waiting && stage_ == 5)
      step_.notify(d + boot_time_ * 0.2);
    else if (r.value == GAUDI_KMD_MSG_FIT_RDY && status == GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT) {
      // Preboot takes the boot FIT (u-boot) the driver copied and acknowledges it.
      psoc_.set(kCmdStatus, GAUDI_CPU_MSG_OK);
      step_.notify(d + boot_time_ * 0.1);
    }
  };
  // Hard reset the upstream way: the reset sequence completes at once (BTM_FSM reads idle
  // when the driver looks after its wait); the boot stages then start over.
  psoc_.add(mmPSOC_GLOBAL_CONF_BOOT_SEQ_RE_START - GAUDI_BLK_PSOC_GLOBAL_CONF, "BOOT_SEQ_RE_START");
  psoc_.add(mmPSOC_GLOBAL_CONF_BTM_FSM - GAUDI_BLK_PSOC_GLOBAL_CONF, "BTM_FSM", 0, false);
  psoc_.add(mmPSOC_GLOBAL_CONF_SW_ALL_RST - GAUDI_BLK_PSOC_GLOBAL_CONF, "SW_ALL_RST").on_write =
      [this](RegBank::Reg& r, sc_core::sc_time d) {
        bool go = r.value & GAUDI_PSOC_SW_ALL_RST_IND;
        r.value = 0;
        if (go && on_sw_all_rst) on_sw_all_rst(d);
      };
  cpu_if_.add(kEqBaseLo, "EQ_BASE_ADDR_LOW");
  cpu_if_.add(kEqBaseHi, "EQ_BASE_ADDR_HIGH");
  cpu_if_.add(kEqLength, "EQ_LENGTH");
  cpu_if_.add(kEqRdOffs, "EQ_RD_OFFS");
  cpu_if_.add(kQueueInit, "QUEUE_INIT").on_write = [this](RegBank::Reg& r, sc_core::sc_time d) {
    if (r.value == GAUDI_PQ_INIT_STATUS_READY_FOR_CP || r.value == GAUDI_PQ_INIT_STATUS_READY_FOR_CP_SINGLE_MSI) {
      single_msi_ = r.value == GAUDI_PQ_INIT_STATUS_READY_FOR_CP_SINGLE_MSI;
      handshake_.notify(d + cpu_latency_);
    }
  };
  SC_HAS_PROCESS(DeviceCpu);
  SC_METHOD(boot_step);
  sensitive << step_;
  dont_initialize();
  SC_METHOD(queue_init_handshake);
  sensitive << handshake_;
  dont_initialize();
  SC_METHOD(serve_cpu_queue);
  sensitive << doorbell_;
  dont_initialize();
  restart();
}

void DeviceCpu::connect(BusTarget& noc, std::function<void(unsigned, sc_core::sc_time)> raise_msi) {
  noc_ = &noc;
  raise_msi_ = std::move(raise_msi);
}

void DeviceCpu::restart(sc_core::sc_time after) {
  hung_ = false;
  stage_ = 0;
  eq_pi_ = 0;
  pq_ci_ = 0;
  doorbell_.cancel();
  psoc_.reset_all();
  cpu_if_.reset_all();
  step_.cancel();
  handshake_.cancel();
  step_.notify(after);
}

// Each doorbell: serve every message between our consumer index and the driver's PI.
// A message is read from host memory, executed, and written back with the fence set.
void DeviceCpu::serve_cpu_queue() {
  if (!noc_ || !ready() || hung_) return;
  uint32_t entries = cpu_if_.value(kPqLength) / GAUDI_PQ_ENTRY_SIZE;
  if (!entries) return;
  uint64_t base = uint64_t(cpu_if_.value(kPqBaseHi)) << 32 | cpu_if_.value(kPqBaseLo);
  uint32_t pi = cpu_if_.value(kPqPi);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  while (pq_ci_ != pi) {
    gaudi_qman_pq_entry e{};
    bus_access(*noc_, tlm::TLM_READ_COMMAND, base + uint64_t(pq_ci_ % entries) * GAUDI_PQ_ENTRY_SIZE, &e, sizeof e, delay);
    pq_ci_ = (pq_ci_ + 1) % (2 * entries);
    // A packet: the CPU-CP header (24 bytes; gaudisim's own driver sends 32) and, for the
    // array packets, data after it.
    uint8_t msg[kMaxMessage] = {};
    uint32_t len = std::min<uint32_t>(e.len, kMaxMessage);
    if (e.len < GAUDI_CPUCP_PKT_SIZE ||
        bus_access(*noc_, tlm::TLM_READ_COMMAND, e.ptr, msg, len, delay) != tlm::TLM_OK_RESPONSE)
      continue;  // nothing to answer to: the driver times out
    uint64_t value;
    uint32_t ctl, index;
    std::memcpy(&value, msg + GSIM_CPU_MSG_VALUE, 8);
    std::memcpy(&ctl, msg + GSIM_CPU_MSG_CTL, 4);
    std::memcpy(&index, msg + GSIM_CPU_MSG_INDEX, 4);
    uint32_t opcode = (ctl & GAUDI_CPUCP_OPCODE_MASK) >> GSIM_CPU_MSG_OPCODE_SHIFT;
    uint32_t rc = opcode < GSIM_CPU_OP_FIRST_OWN && opcode != GSIM_CPU_OP_NOP
                      ? execute_cpucp(opcode, msg, len, delay)
                      : execute(opcode, index, &value);
    if (opcode >= GSIM_CPU_OP_FIRST_OWN || opcode == GSIM_CPU_OP_NOP)
      std::memcpy(msg + GSIM_CPU_MSG_VALUE, &value, 8);
    ctl = (ctl & ~GSIM_CPU_MSG_RC_MASK) | (rc << GSIM_CPU_MSG_RC_SHIFT & GSIM_CPU_MSG_RC_MASK);
    uint32_t fence = GSIM_CPU_FENCE_DONE;
    std::memcpy(msg + GSIM_CPU_MSG_CTL, &ctl, 4);
    std::memcpy(msg + GSIM_CPU_MSG_FENCE, &fence, 4);
    // Result, status and fence in one write: the driver polls the fence.
    bus_access(*noc_, tlm::TLM_WRITE_COMMAND, e.ptr, msg, GSIM_CPU_MSG_INDEX, delay);
    ++messages_;
  }
}

uint32_t DeviceCpu::execute(uint32_t opcode, uint32_t index, uint64_t* value) {
  switch (opcode) {
    case GSIM_CPU_OP_NOP:
      return GSIM_CPU_RC_OK;
    case GSIM_CPU_OP_NIC_PORTS_ENABLE:
    case GSIM_CPU_OP_NIC_PORTS_DISABLE: {
      // The firmware owns the ports: it flips each port's enable bit in the NIC's own
      // registers, on the on-chip bus like any other master.
      if (*value >> facts_.nic_ports) return GSIM_CPU_RC_BAD_ARG;
      uint32_t cfg = opcode == GSIM_CPU_OP_NIC_PORTS_ENABLE ? GSIM_NIC_PORT_CFG_ENABLE : 0;
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      for (unsigned p = 0; p < facts_.nic_ports; ++p)
        if (*value >> p & 1) bus_access(*noc_, tlm::TLM_WRITE_COMMAND, GAUDI_CFG_BASE + GSIM_NIC_QPC_BLOCK(p) + GSIM_NIC_PORT_CFG, &cfg, 4, d);
      return GSIM_CPU_RC_OK;
    }
    case GSIM_CPU_OP_NIC_LINK_STATUS: {
      uint64_t up = 0;
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      for (unsigned p = 0; p < facts_.nic_ports; ++p) {
        uint32_t st = 0;
        bus_access(*noc_, tlm::TLM_READ_COMMAND, GAUDI_CFG_BASE + GSIM_NIC_QPC_BLOCK(p) + GSIM_NIC_LINK_STATUS, &st, 4, d);
        if (st & GSIM_NIC_LINK_STATUS_UP) up |= 1ull << p;
      }
      *value = up;
      return GSIM_CPU_RC_OK;
    }
  }
  (void)index;
  return GSIM_CPU_RC_BAD_OPCODE;
}

bool DeviceCpu::ready() const { return psoc_.value(kBootStatus) == GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL; }

// Firmware checks the queue addresses the driver gave it, then answers READY_FOR_HOST.
void DeviceCpu::queue_init_handshake() {
  uint32_t len = cpu_if_.value(kEqLength);
  bool pow2 = len && (len & (len - 1)) == 0 && len % GAUDI_EQ_ENTRY_SIZE == 0;
  cpu_if_.set(kQueueInit, pow2 ? GAUDI_PQ_INIT_STATUS_READY_FOR_HOST : GAUDI_PQ_INIT_STATUS_LEN_NOT_POWER_OF_TWO_ERR);
  eq_pi_ = 0;
}

bool DeviceCpu::post_event(uint16_t event_type, const uint64_t* data, unsigned words) {
  uint32_t len = cpu_if_.value(kEqLength) / GAUDI_EQ_ENTRY_SIZE;
  if (cpu_if_.value(kQueueInit) != GAUDI_PQ_INIT_STATUS_READY_FOR_HOST || !len || !noc_ || hung_) {
    ++events_lost_;
    return false;
  }
  uint32_t consumed = cpu_if_.value(kEqRdOffs);
  if (eq_pi_ - consumed >= len) {  // the driver has not caught up: the event is dropped
    ++events_lost_;
    return false;
  }
  uint64_t base = uint64_t(cpu_if_.value(kEqBaseHi)) << 32 | cpu_if_.value(kEqBaseLo);
  uint32_t entry[GAUDI_EQ_ENTRY_SIZE / 4] = {};
  entry[1] = GAUDI_EQ_CTL_READY_MASK | (uint32_t(event_type) << GAUDI_EQ_CTL_EVENT_TYPE_SHIFT & GAUDI_EQ_CTL_EVENT_TYPE_MASK) |
             (eq_pi_ & GAUDI_EQ_CTL_INDEX_MASK);
  if (data) std::memcpy(entry + 2, data, 8 * std::min(words, 7u));  // after the 8-byte header
  sc_core::sc_time delay = cpu_latency_;
  bus_access(*noc_, tlm::TLM_WRITE_COMMAND, base + uint64_t(eq_pi_ % len) * GAUDI_EQ_ENTRY_SIZE, entry,
             sizeof entry, delay);
  ++eq_pi_;
  ++events_posted_;
  if (raise_msi_) raise_msi_(single_msi_ ? 0 : GAUDI_EVENT_QUEUE_MSI_IDX, delay);  // after the entry
  return true;
}

// Boot stages: boot ROM (BTL), preboot, preboot waiting for the boot FIT (u-boot, from the
// driver: KMD_MSG_FIT_RDY), u-boot, u-boot ready for the Linux FIT (waits for the driver's
// KMD_MSG_FIT_RDY again), firmware up. The split of the boot time between stages is
// arbitrary; only the end matters to the driver.
void DeviceCpu::boot_step() {
  switch (stage_++) {
    case 0:
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_BTL);
      step_.notify(boot_time_ * 0.1);
      break;
    case 1:
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_PREBOOT);
      if (!never_boots_) step_.notify(boot_time_ * 0.3);  // the faulty card hangs here
      break;
    case 2:
      // Preboot asks the driver for the boot FIT and waits for KMD_MSG_FIT_RDY. (Booting
      // u-boot from flash when no driver answers is not modelled.)
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT);
      break;
    case 3:
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_IN_UBOOT);
      step_.notify(boot_time_ * 0.3);
      break;
    case 4:
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT);  // until KMD_MSG_FIT_RDY
      break;
    default:
      psoc_.set(kBootStatus, GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL);
      break;
  }
}

}  // namespace gs
