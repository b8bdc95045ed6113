// GAUDI queue set-up: primary queues (and, for the external ones, completion queues) in
// host memory, every QMAN programmed with its rings, its MSG_SHORT bases and enabled; the
// driver's completion packets; the doorbell.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/gaudi/gaudi_queue_map.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl {

unsigned GaudiAsic::queue_count() const { return GAUDI_QUEUE_ID_SIZE; }

QueueDesc GaudiAsic::queue_desc(unsigned qid, const AsicProps& p) const { return gaudi_queue_desc(qid, p); }

uint64_t GaudiAsic::host_to_device(uint64_t bus) const { return GAUDI_HOST_PHYS_BASE + bus; }

int GaudiAsic::alloc_queues(HlDevice& d) {
  std::vector<HwQueue>& qs = d.cs().queues();
  qs.assign(queue_count(), HwQueue{});
  for (unsigned i = 0; i < qs.size(); ++i) {
    HwQueue& q = qs[i];
    q.id = i;
    q.desc = queue_desc(i, d.props());
    if (!q.usable()) continue;
    q.pq = static_cast<uint8_t*>(d.os().dma_alloc_coherent(q.desc.length * GAUDI_PQ_ENTRY_SIZE, &q.pq_bus));
    if (!q.pq) return -ENOMEM;
    if (q.desc.type == QueueType::external) {
      q.cq = static_cast<uint32_t*>(d.os().dma_alloc_coherent(q.desc.length * GAUDI_CQ_ENTRY_SIZE, &q.cq_bus));
      if (!q.cq) return -ENOMEM;
    }
  }
  return 0;
}

void GaudiAsic::free_resources(HlDevice& d) {
  for (HwQueue& q : d.cs().queues()) {
    if (q.pq) d.os().dma_free_coherent(q.pq, q.desc.length * GAUDI_PQ_ENTRY_SIZE, q.pq_bus);
    if (q.cq) d.os().dma_free_coherent(q.cq, q.desc.length * GAUDI_CQ_ENTRY_SIZE, q.cq_bus);
    q.pq = nullptr;
    q.cq = nullptr;
  }
  if (eq_) d.os().dma_free_coherent(eq_, kEqEntries * GAUDI_EQ_ENTRY_SIZE, eq_bus_);
  eq_ = nullptr;
  if (cpu_pq_) d.os().dma_free_coherent(cpu_pq_, kCpuPqEntries * GAUDI_PQ_ENTRY_SIZE, cpu_pq_bus_);
  if (cpu_msg_) d.os().dma_free_coherent(cpu_msg_, GSIM_CPU_MSG_SIZE, cpu_msg_bus_);
  cpu_pq_ = cpu_msg_ = nullptr;
}

static unsigned log2u(unsigned v) {
  unsigned l = 0;
  while ((1u << l) < v) ++l;
  return l;
}

// Program every stream of every QMAN that has a usable queue, then enable the QMANs.
void GaudiAsic::init_qmans(HlDevice& d) {
  const uint64_t en = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_N);
  const uint64_t ws = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);
  const uint64_t bases[4] = {en + GAUDI_SM_MON_PAY_ADDRL(0), en + GAUDI_SM_SOB_OBJ(0), ws + GAUDI_SM_MON_PAY_ADDRL(0),
                             ws + GAUDI_SM_SOB_OBJ(0)};
  d.cs().reset_queues();
  HlDevice::PostedWrites posted(d);  // hundreds of writes, nothing read back
  std::vector<uint32_t> done_blocks;
  for (HwQueue& q : d.cs().queues()) {
    if (!q.usable()) continue;
    uint32_t b = q.desc.qman_block;
    unsigned s = q.desc.stream;
    uint64_t pq = host_to_device(q.pq_bus);
    d.wreg(b + GAUDI_QM_PQ_BASE_LO(s), uint32_t(pq));
    d.wreg(b + GAUDI_QM_PQ_BASE_HI(s), uint32_t(pq >> 32));
    d.wreg(b + GAUDI_QM_PQ_SIZE(s), log2u(q.desc.length));
    d.wreg(b + GAUDI_QM_PQ_PI(s), 0);
    bool first_of_block = std::find(done_blocks.begin(), done_blocks.end(), b) == done_blocks.end();
    if (!first_of_block) continue;
    done_blocks.push_back(b);
    for (unsigned cp = 0; cp < GAUDI_QMAN_CPS; ++cp)
      for (unsigned base = 0; base < 4; ++base) {
        d.wreg(b + GAUDI_QM_CP_MSG_BASE_ADDR_LO(base, cp), uint32_t(bases[base]));
        d.wreg(b + GAUDI_QM_CP_MSG_BASE_ADDR_HI(base, cp), uint32_t(bases[base] >> 32));
      }
  }
  for (uint32_t b : done_blocks) {
    bool pci_dma = b == GAUDI_BLK_DMA_QM(0) || b == GAUDI_BLK_DMA_QM(1);
    d.wreg(b + GAUDI_QM_GLBL_PROT, pci_dma ? GAUDI_QMAN_EXTERNAL_MAKE_TRUSTED : GAUDI_QMAN_INTERNAL_MAKE_TRUSTED);
    d.wreg(b + GAUDI_QM_GLBL_CFG0, pci_dma ? GAUDI_QMAN_PCI_DMA_ENABLE : GAUDI_QMAN_INTERNAL_ENABLE);
  }
}

uint32_t GaudiAsic::end_of_cb_size() const { return 2 * GAUDI_PKT_SIZE_MSG_PROT; }

// Two protected messages close every external job: the completion entry, then the MSI
// request to the PCIe core.
void GaudiAsic::write_end_of_cb(uint8_t* at, const HwQueue& q, uint32_t slot, bool engine_barrier) {
  uint64_t cq_entry = host_to_device(q.cq_bus) + uint64_t(slot) * GAUDI_CQ_ENTRY_SIZE;
  unsigned vector = single_msi_ ? 0 : q.id;  // external queue n completes on vector n
  packet_msg_long cq = gaudi_pkt_msg_long(PACKET_MSG_PROT, cq_entry, completion_entry(slot),
                                          GAUDI_PKT_MSG_OP_WRITE_VALUE, engine_barrier, 0, 1);
  packet_msg_long msi = gaudi_pkt_msg_long(PACKET_MSG_PROT, GAUDI_CFG_BASE + mmPCIE_CORE_MSI_REQ,
                                           GAUDI_PCIE_CORE_MSI_REQ_VALUE(vector),
                                           GAUDI_PKT_MSG_OP_WRITE_VALUE, 0, 0, 1);
  std::memcpy(at, &cq, sizeof cq);
  std::memcpy(at + sizeof cq, &msi, sizeof msi);
}

uint32_t GaudiAsic::completion_entry(uint32_t slot) const { return gaudi_cq_entry(slot); }

void GaudiAsic::write_pq_entry(HwQueue& q, uint32_t slot, uint64_t cb_addr, uint32_t size) {
  gaudi_qman_pq_entry e{};
  e.ptr = cb_addr;
  e.len = size;
  e.ctl = slot & GAUDI_PQ_ENTRY_CTL_SHADOW_IDX_MASK;
  std::memcpy(q.pq + uint64_t(slot) * GAUDI_PQ_ENTRY_SIZE, &e, sizeof e);
}

void GaudiAsic::ring_doorbell(HlDevice& d, HwQueue& q) {
  d.wreg(q.desc.qman_block + GAUDI_QM_PQ_PI(q.desc.stream), q.pi);
  d.kick_heartbeat();
}

}  // namespace hl
