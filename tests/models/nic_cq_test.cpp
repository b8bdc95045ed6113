// The NIC completion queue as the driver sets it up (a ring in host memory, MSI vector 19),
// a full ring losing entries until the consumer moves CI, and NIC events reaching the device
// CPU's event queue.
#include "models/pcie/config_space.hpp"
#include "nic_world.hpp"

namespace gs::test {
namespace {

constexpr uint64_t kSrc = kUser + 0x1000000, kDst = kUser + 0x8000000;

void enable_msi(Card& c, uint16_t data) {
  PciConfigSpace& cfg = c.pcie().config();
  cfg.write32(pcicfg::kCommandStatus, pcicfg::kCmdMemory | pcicfg::kCmdBusMaster);
  cfg.write32(pcicfg::kMsiCap + 4, uint32_t(RootComplex::kMsiWindow));
  cfg.write32(pcicfg::kMsiCap + 8, 0);
  cfg.write32(pcicfg::kMsiCap + 12, data);
  cfg.write32(pcicfg::kMsiCap, (5u << 20) | (1u << 16));  // 32 vectors, enabled
}

TEST(NicCq, EntriesGoToHostMemoryAndRaiseTheNicVector) {
  NicWorld w;
  w.build();
  enable_msi(*w.a, 0x4000);
  std::vector<uint32_t> msis;
  w.rc->set_msi_sink([&](uint32_t d) { msis.push_back(d); });
  uint32_t* cq = nullptr;
  const uint64_t bus = w.rc->memory().alloc(16 * 8, reinterpret_cast<void**>(&cq));
  const uint32_t blk = GSIM_NIC_QPC_BLOCK(0);
  w.run([&] {
    w.setup();
    NicWorld::wr(*w.a, blk + GSIM_NIC_CQ_BASE_LO, uint32_t(GAUDI_HOST_PHYS_BASE + bus));
    NicWorld::wr(*w.a, blk + GSIM_NIC_CQ_BASE_HI, uint32_t((GAUDI_HOST_PHYS_BASE + bus) >> 32));
    NicWorld::wr(*w.a, blk + GSIM_NIC_CQ_LEN, 16);
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 64 << 10, 1, 200, 0, 0));
    NicWorld::wait_idle(w.na());
    sc_core::wait(us(5));  // the entry and the MSI cross PCIe
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_CQ_PI), 1u);
  });
  EXPECT_EQ(cq[0], gsim_nic_cqe_word0(5, 0, GSIM_NIC_CQE_TYPE_REQ));
  EXPECT_EQ(cq[1], 0u);
  ASSERT_EQ(msis.size(), 1u);
  EXPECT_EQ(msis[0], 0x4000u | GAUDI_NIC_CQ_MSI_IDX);
}

TEST(NicCq, AFullRingLosesEntriesUntilTheConsumerMovesCi) {
  NicWorld w;
  w.build();
  const uint32_t blk = GSIM_NIC_QPC_BLOCK(0);
  w.run([&] {
    w.setup();
    NicWorld::wr(*w.a, blk + GSIM_NIC_CQ_LEN, 2);
    for (unsigned i = 0; i < 4; ++i) NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 64, 0, 0, 0, 0));
    NicWorld::wait_idle(w.na());
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_CQ_PI), 2u);
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_CNT_CQ_OVERFLOWS), 2u);
    NicWorld::wr(*w.a, blk + GSIM_NIC_CQ_CI, 2);
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, 64, 0, 0, 0, 0));
    NicWorld::wait_idle(w.na());
    EXPECT_EQ(NicWorld::qpc(*w.a, GSIM_NIC_CQ_PI), 3u);
  });
  EXPECT_EQ(NicWorld::cqe(*w.a, 0).second, 4u);  // slot 0 again: the fifth WQE (index 4)
}

TEST(NicCq, LinkAndQpEventsReachTheDeviceCpuEventQueue) {
  NicWorld w;
  w.build();
  constexpr uint64_t kEq = 0x1E100000;
  constexpr uint32_t kEqBytes = 16 * GAUDI_EQ_ENTRY_SIZE;
  w.run([&] {
    NicWorld::wr(*w.a, mmCPU_IF_EQ_BASE_ADDR_LOW, uint32_t(kEq));
    NicWorld::wr(*w.a, mmCPU_IF_EQ_LENGTH, kEqBytes);
    NicWorld::wr(*w.a, mmCPU_IF_QUEUE_INIT, GAUDI_PQ_INIT_STATUS_READY_FOR_CP);
    sc_core::wait(us(20));
    w.setup();  // link up on port 0
    NicWorld::post(*w.a, gsim_nic_rdma_write(9, kSrc, kDst, 64, 0, 0, 0, 0));  // QP 9: refused
    NicWorld::wait_idle(w.na());
    sc_core::wait(us(20));
  });
  auto event_type = [&](unsigned n) {
    uint32_t e[2] = {};
    w.a->hbm().store().read(kEq + n * GAUDI_EQ_ENTRY_SIZE, e, 8);
    EXPECT_TRUE(e[1] & GAUDI_EQ_CTL_READY_MASK);
    return (e[1] & GAUDI_EQ_CTL_EVENT_TYPE_MASK) >> GAUDI_EQ_CTL_EVENT_TYPE_SHIFT;
  };
  EXPECT_EQ(event_type(0), GSIM_EVENT_NIC_LINK_UP(0));
  EXPECT_EQ(event_type(1), GSIM_EVENT_NIC_QP_ERR(0));
  EXPECT_EQ(w.a->cpu().events_posted(), 2u);
}

}  // namespace
}  // namespace gs::test
