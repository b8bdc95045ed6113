// GAUDI interrupts: completion queues (one MSI vector each, or all on vector 0 in the
// single-vector fallback) and the device CPU's event queue, through which engine errors
// arrive. A QMAN error fails the job that hit it and restarts the stream, so the card stays
// usable without a reset.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/events.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"

namespace hl {

namespace {
constexpr uint32_t kCpUndefCmdErr = 1u << 3;  // GLBL_STS1 CP_UNDEF_CMD_ERR (public layout)
}

int GaudiAsic::init_event_queue(HlDevice& d) {
  const uint32_t bytes = kEqEntries * GAUDI_EQ_ENTRY_SIZE;
  if (eq_) {  // a reset: entries from before it must not look new
    std::memset(eq_, 0, bytes);
  } else {  // dma_alloc_coherent's memory comes zeroed
    eq_ = static_cast<uint8_t*>(d.os().dma_alloc_coherent(bytes, &eq_bus_));
    if (!eq_) return -ENOMEM;
  }
  eq_ci_ = 0;
  uint64_t dev = host_to_device(eq_bus_);
  d.wreg(mmCPU_IF_EQ_BASE_ADDR_LOW, uint32_t(dev));
  d.wreg(mmCPU_IF_EQ_BASE_ADDR_HIGH, uint32_t(dev >> 32));
  d.wreg(mmCPU_IF_EQ_LENGTH, bytes);
  d.wreg(mmCPU_IF_EQ_RD_OFFS, 0);
  program_cpu_queue(d);
  d.wreg(mmCPU_IF_QUEUE_INIT, single_msi_ ? GAUDI_PQ_INIT_STATUS_READY_FOR_CP_SINGLE_MSI : GAUDI_PQ_INIT_STATUS_READY_FOR_CP);
  uint64_t deadline = d.os().now_ns() + uint64_t(d.params().boot_timeout_us) * 1000;
  while (d.rreg(mmCPU_IF_QUEUE_INIT) != GAUDI_PQ_INIT_STATUS_READY_FOR_HOST) {
    if (d.os().now_ns() >= deadline) return d.fail(-EIO, "device CPU did not accept the event queue");
    d.os().sleep_ns(uint64_t(d.params().boot_poll_us) * 1000);
  }
  return 0;
}

void GaudiAsic::handle_irq(HlDevice& d, unsigned vector) {
  d.count_irq();
  DeviceLock g(d.lock());
  d.os().dma_rmb();  // the entries the message announces, and any of the same instant
  if (single_msi_) {  // one vector: look at everything
    for (unsigned q = 0; q < GAUDI_NUMBER_OF_CMPLT_QUEUES; ++q) d.cs().process_completions(q);
    handle_events(d);
    d.nic().process_hw_cqs();
  } else if (vector < GAUDI_NUMBER_OF_CMPLT_QUEUES) {
    d.cs().process_completions(vector);
  } else if (vector == GAUDI_EVENT_QUEUE_MSI_IDX) {
    handle_events(d);
  } else if (vector == GAUDI_NIC_CQ_MSI_IDX) {
    d.nic().process_hw_cqs();
  }
  d.kick_heartbeat();  // completions and failures may have ended the work it watches
}

void GaudiAsic::handle_events(HlDevice& d) {
  if (!eq_) return;
  bool consumed = false;
  for (;;) {
    uint8_t* e = eq_ + (eq_ci_ % kEqEntries) * GAUDI_EQ_ENTRY_SIZE;
    uint32_t ctl;
    std::memcpy(&ctl, e + 4, 4);
    if (!(ctl & GAUDI_EQ_CTL_READY_MASK)) break;
    unsigned type = (ctl & GAUDI_EQ_CTL_EVENT_TYPE_MASK) >> GAUDI_EQ_CTL_EVENT_TYPE_SHIFT;
    uint8_t entry[GAUDI_EQ_ENTRY_SIZE];
    std::memcpy(entry, e, sizeof entry);
    std::memset(e, 0, GAUDI_EQ_ENTRY_SIZE);
    ++eq_ci_;
    consumed = true;
    d.count_event(type);
    if (type >= GAUDI_EVENT_TPC0_QM && type <= GAUDI_EVENT_NIC4_QM1)
      handle_qman_error(d, type);
    else if (type >= GSIM_EVENT_NIC_FIRST && type <= GSIM_EVENT_NIC_LAST)
      handle_nic_event(d, type);
    else if (type == GSIM_EVENT_HBM_SERR || type == GSIM_EVENT_HBM_DERR)
      handle_ecc_event(d, type, entry);
    else if (type == GAUDI_EVENT_RAZWI_OR_ADC)
      handle_razwi(d, entry);
    else
      d.log(os::LogLevel::warn, "device event " + std::to_string(type));
  }
  if (consumed) d.wreg(mmCPU_IF_EQ_RD_OFFS, eq_ci_);
}

// A NIC event: link changes update the port; a QP error fails the submissions that use
// the port's queues (their data did not all arrive), so nobody waits for it forever.
void GaudiAsic::handle_nic_event(HlDevice& d, unsigned type) {
  if (type >= GSIM_EVENT_NIC_QP_ERR(0)) {
    unsigned p = type - GSIM_EVENT_NIC_QP_ERR(0);
    d.nic().qp_error_event(p);
    d.cs().fail_queues(GAUDI_QUEUE_ID_NIC_0_0 + 4 * p, 4, "QP error on NIC port " + std::to_string(p));
  } else if (type >= GSIM_EVENT_NIC_LINK_UP(0)) {
    d.nic().link_event(type - GSIM_EVENT_NIC_LINK_UP(0), true);
  } else {
    d.nic().link_event(type - GSIM_EVENT_NIC_LINK_DOWN(0), false);
  }
}

// HBM ECC: a corrected single-bit error is logged and counted; an uncorrectable one means
// data the device read is wrong, so the card is hard-reset (the CSs in flight fail, and
// their users learn it) as the Linux driver does for DERR events.
void GaudiAsic::handle_ecc_event(HlDevice& d, unsigned type, const uint8_t* entry) {
  uint64_t addr = 0, syndrome = 0;
  std::memcpy(&addr, entry + 8, 8);
  std::memcpy(&syndrome, entry + 16, 8);
  char msg[160];
  const bool fatal = type == GSIM_EVENT_HBM_DERR;
  std::snprintf(msg, sizeof msg, "HBM ECC %s error at address 0x%llx (syndrome 0x%llx)%s",
                fatal ? "uncorrectable (double-bit)" : "corrected (single-bit)", static_cast<unsigned long long>(addr),
                static_cast<unsigned long long>(syndrome), fatal ? "" : "");
  d.log(fatal ? os::LogLevel::error : os::LogLevel::warn, msg);
  if (fatal) {
    CapturedError e;
    e.event_id = type;
    d.capture_error(&DeviceStats::hw_err, e, HL_NOTIFIER_EVENT_GENERAL_HW_ERR);
    d.request_hard_reset(msg);
  }
}

// Who a RAZWI initiator id (specs/gaudi/events.h) is, for the log.
static std::string razwi_initiator_name(uint32_t id) {
  if (id >= GSIM_RAZWI_INIT_SYNC_MNGR) {
    static const char* const sm[] = {"E_N", "E_S", "W_N", "W_S"};
    return std::string("SYNC_MNGR_") + sm[(id - GSIM_RAZWI_INIT_SYNC_MNGR) % 4] + " monitor";
  }
  std::string qm = id & GSIM_RAZWI_INIT_QMAN ? "_QM" : "";
  unsigned e = id & ~GSIM_RAZWI_INIT_QMAN;
  if (e < GSIM_RAZWI_INIT_MME(0)) return "DMA" + std::to_string(e) + qm;
  if (e < GSIM_RAZWI_INIT_TPC(0)) return "MME" + std::to_string(e - GSIM_RAZWI_INIT_MME(0)) + qm;
  if (e < GSIM_RAZWI_INIT_NIC(0)) return "TPC" + std::to_string(e - GSIM_RAZWI_INIT_TPC(0)) + qm;
  return "NIC" + std::to_string(e - GSIM_RAZWI_INIT_NIC(0)) + qm;
}

// The gaudi_engine_id of a RAZWI initiator: engines and their QMANs are numbered alike; a
// sync manager's monitor has no engine id (GAUDI_ENGINE_ID_SIZE, as Linux's "unknown").
static uint32_t razwi_engine_id(uint32_t id) {
  if (id >= GSIM_RAZWI_INIT_SYNC_MNGR) return GAUDI_ENGINE_ID_SIZE;
  return id & ~GSIM_RAZWI_INIT_QMAN;
}

// A user access to a register the driver protected: the card dropped it. The CS that made
// it fails through the initiator's own error (a QMAN stops on the refused write, an engine
// reports its failed completion); here the driver says who touched what.
void GaudiAsic::handle_razwi(HlDevice& d, const uint8_t* entry) {
  uint64_t addr = 0, who = 0;
  std::memcpy(&addr, entry + 8, 8);
  std::memcpy(&who, entry + 16, 8);
  char msg[160];
  std::snprintf(msg, sizeof msg, "RAZWI: %s %s protected address 0x%llx", razwi_initiator_name(uint32_t(who)).c_str(),
                who >> 32 ? "wrote" : "read", static_cast<unsigned long long>(addr));
  d.log(os::LogLevel::error, msg);
  // For INFO RAZWI_EVENT: the first one since the user opened the device.
  CapturedError e;
  e.addr = addr;
  e.engine_id = razwi_engine_id(uint32_t(who));
  e.flags = HL_RAZWI_LBW | (who >> 32 ? HL_RAZWI_WRITE : HL_RAZWI_READ);
  d.capture_error(&DeviceStats::razwi, e, HL_NOTIFIER_EVENT_RAZWI | HL_NOTIFIER_EVENT_USER_ENGINE_ERR);
}

static bool qman_of_event(unsigned type, uint32_t* block, std::string* name, uint32_t* engine) {
  if (type < GAUDI_EVENT_MME0_QM) {
    *engine = GAUDI_ENGINE_ID_TPC_0 + (type - GAUDI_EVENT_TPC0_QM);
    *block = GAUDI_BLK_TPC_QM(type - GAUDI_EVENT_TPC0_QM);
    *name = "TPC" + std::to_string(type - GAUDI_EVENT_TPC0_QM) + "_QM";
  } else if (type <= GAUDI_EVENT_MME2_QM) {
    unsigned m = type == GAUDI_EVENT_MME0_QM ? 0 : 2;
    *engine = GAUDI_ENGINE_ID_MME_0 + m;
    *block = GAUDI_BLK_MME_QM(m);
    *name = "MME" + std::to_string(m) + "_QM";
  } else if (type < GAUDI_EVENT_NIC0_QM0) {
    *engine = GAUDI_ENGINE_ID_DMA_0 + (type - GAUDI_EVENT_DMA0_QM);
    *block = GAUDI_BLK_DMA_QM(type - GAUDI_EVENT_DMA0_QM);
    *name = "DMA" + std::to_string(type - GAUDI_EVENT_DMA0_QM) + "_QM";
  } else {
    unsigned e = type - GAUDI_EVENT_NIC0_QM0;
    *engine = GAUDI_ENGINE_ID_NIC_0 + e;
    *block = GAUDI_BLK_NIC_QM(e);
    *name = "NIC" + std::to_string(e / 2) + "_QM" + std::to_string(e % 2);
  }
  return true;
}

void GaudiAsic::handle_qman_error(HlDevice& d, unsigned type) {
  uint32_t b;
  std::string name;
  uint32_t engine = 0;
  qman_of_event(type, &b, &name, &engine);
  uint64_t addr = uint64_t(d.rreg(b + GAUDI_QM_GLBL_ERR_ADDR_HI)) << 32 | d.rreg(b + GAUDI_QM_GLBL_ERR_ADDR_LO);
  uint32_t cfg0 = d.rreg(b + GAUDI_QM_GLBL_CFG0);
  for (unsigned cp = 0; cp < GAUDI_QMAN_STREAMS; ++cp) {
    uint32_t sts = d.rreg(b + GAUDI_QM_GLBL_STS1(cp));
    if (!sts) continue;
    char msg[160];
    std::snprintf(msg, sizeof msg, "%s stream %u error (GLBL_STS1 0x%x) at packet address 0x%llx", name.c_str(), cp, sts,
                  static_cast<unsigned long long>(addr));
    d.log(os::LogLevel::error, msg);
    if (sts & kCpUndefCmdErr) {  // for INFO UNDEFINED_OPCODE_EVENT
      CapturedError e;
      e.engine_id = engine;
      e.stream = cp;
      e.addr = addr;
      d.capture_error(&DeviceStats::undef_opcode, e, HL_NOTIFIER_EVENT_UNDEFINED_OPCODE | HL_NOTIFIER_EVENT_USER_ENGINE_ERR);
    }
    d.cs().fail_job_at(b, cp, addr);
    // Restart the stream: disable and enable its fetcher and CP, which clears the error.
    uint32_t bits = (1u << (GAUDI_QM_GLBL_PQF_SHIFT + cp)) | (1u << (GAUDI_QM_GLBL_CP_SHIFT + cp));
    d.wreg(b + GAUDI_QM_GLBL_CFG0, cfg0 & ~bits);
    d.wreg(b + GAUDI_QM_GLBL_CFG0, cfg0);
  }
}

}  // namespace hl
