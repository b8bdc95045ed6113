// The PCI bus between host and card: config space, BAR sizing and decode, MMIO timing,
// posted writes, MSI delivery and folding, device DMA into host memory at link speed.
// Each TEST elaborates its own world (one elaboration per process: CTest runs each case
// in its own process).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "pcie_world.hpp"
#include "specs/gaudi/pcie_core.h"

namespace gs::test {
namespace {

using namespace pcicfg;
using sc_core::sc_time;

TEST(PcieConfig, IdsClassCodeAndCapabilities) {
  PcieWorld w;
  w.build();
  PciConfigSpace& c = w.cfg();
  EXPECT_EQ(c.read32(kVendorDevice), 0x1000u << 16 | 0x1da3u);
  EXPECT_EQ(c.read32(kClassRevision) >> 8, 0x120000u);  // processing accelerator
  EXPECT_EQ(c.read32(kSubsystem), 0x1000u << 16 | 0x1da3u);
  EXPECT_TRUE(c.read32(kCommandStatus) & (1u << 20));   // status: capability list
  EXPECT_EQ(c.read32(kCapPtr), kMsiCap);
  uint32_t msi = c.read32(kMsiCap);
  EXPECT_EQ(msi & 0xFF, 0x05u);                          // MSI capability id
  EXPECT_EQ((msi >> 8) & 0xFF, kPcieCap);                // next: PCIe capability
  EXPECT_EQ((msi >> 17) & 7, 5u);                        // 32 vectors capable
  EXPECT_TRUE(msi & (1u << 23));                         // 64-bit address capable
  EXPECT_EQ(c.read32(kPcieCap) & 0xFF, 0x10u);
  uint32_t link_cap = c.read32(kPcieCap + 0x0C);
  EXPECT_EQ(link_cap & 0xF, 4u);                         // Gen4
  EXPECT_EQ((link_cap >> 4) & 0x3F, 16u);                // x16
  // Memory decode and bus mastering are off until the driver enables them.
  EXPECT_FALSE(c.memory_enabled());
  EXPECT_FALSE(c.bus_master());
  // IDs are read-only.
  c.write32(kVendorDevice, 0x12345678);
  EXPECT_EQ(c.read32(kVendorDevice), 0x1000u << 16 | 0x1da3u);
}

TEST(PcieConfig, FirmwarePlacesBarsNaturallyAligned) {
  PcieWorld w;
  w.build();
  EXPECT_EQ(w.bar(0), RootComplex::kMmioBase);  // 64 MiB SRAM BAR
  EXPECT_EQ(w.bar(2) % (128ull << 20), 0u);
  EXPECT_GE(w.bar(2), w.bar(0) + (64ull << 20));
  EXPECT_EQ(w.bar(4) % w.pp.hbm_bar_bytes, 0u);
  EXPECT_GE(w.bar(4), w.bar(2) + (128ull << 20));
}

TEST(PcieConfig, BarSizingThroughConfigCycles) {
  PcieWorld w;
  w.pp.hbm_bar_bytes = 512ull << 20;
  w.pp.cfg_access_ns = 700;
  w.build();
  std::vector<uint32_t> lo(3), hi(3), orig(3);
  uint32_t absent = 0;
  sc_time elapsed;
  w.run([&] {
    sc_time t0 = now();
    for (unsigned i = 0; i < 3; ++i) {
      uint32_t off = kBar0 + 8 * i;
      orig[i] = w.rc->cfg_read32(0, off);
      w.rc->cfg_write32(0, off, 0xFFFFFFFFu);
      w.rc->cfg_write32(0, off + 4, 0xFFFFFFFFu);
      lo[i] = w.rc->cfg_read32(0, off);
      hi[i] = w.rc->cfg_read32(0, off + 4);
    }
    elapsed = now() - t0;
    absent = w.rc->cfg_read32(7, kVendorDevice);
  });
  EXPECT_EQ(elapsed, ns(15 * 700));  // every config access costs cfg_access_ns
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(orig[i] & 0xF, 0xCu) << "BAR" << 2 * i;
  // 64-bit (type 10b) prefetchable memory BARs; size = ~mask + 1.
  EXPECT_EQ(lo[0], 0xFC00000Cu);  // 64 MiB
  EXPECT_EQ(lo[1], 0xF800000Cu);  // 128 MiB
  EXPECT_EQ(lo[2], 0xE000000Cu);  // pcie.hbm_bar_bytes = 512 MiB
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(hi[i], 0xFFFFFFFFu);
  for (unsigned i = 0; i < 3; ++i) {
    uint64_t mask = uint64_t(hi[i]) << 32 | (lo[i] & ~0xFu);
    EXPECT_EQ(~mask + 1, w.cfg().bar_size(2 * i));
  }
  EXPECT_EQ(absent, 0xFFFFFFFFu);  // no device 7 on the bus: master abort reads all-ones
}

TEST(PcieMmio, DecodeIsGatedByMemorySpaceEnable) {
  PcieWorld w;
  w.build();
  uint32_t before = 0, after = 0, unclaimed = 0;
  bool ok_before = true, ok_after = false, ok_unclaimed = true, write_ok = true;
  w.run([&] {
    const uint64_t freq = w.reg(mmPSOC_TIMESTAMP_CNTFID0);
    before = w.read32(freq, &ok_before);
    write_ok = w.write32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(5)), 0x1234);
    w.rc->cfg_write32(0, kCommandStatus, kCmdMemory);
    after = w.read32(freq, &ok_after);
    unclaimed = w.read32(w.bar(4) + w.pp.hbm_bar_bytes, &ok_unclaimed);  // just past BAR 4
  });
  EXPECT_FALSE(ok_before);
  EXPECT_EQ(before, 0xFFFFFFFFu);
  EXPECT_FALSE(write_ok);
  EXPECT_TRUE(ok_after);
  EXPECT_EQ(after, GAUDI_PLL_REF_CLK_MHZ * 1000000u);
  EXPECT_FALSE(ok_unclaimed);
  EXPECT_EQ(unclaimed, 0xFFFFFFFFu);
  // The write sent while decode was off never reached the card.
  EXPECT_EQ(w.card->pcie().downstream().bytes_served(), 0u);
}

// The root complex keeps the BAR windows sorted for its look-ups: a BAR the driver moves
// after accesses were routed is decoded at its new place only.
TEST(PcieMmio, AMovedBarIsDecodedAtItsNewPlaceOnly) {
  PcieWorld w;
  w.build();
  const uint32_t freq_reg = mmPSOC_TIMESTAMP_CNTFID0;
  const uint64_t old_base = w.bar(2);
  const uint64_t size = w.cfg().bar_size(2);
  const uint64_t new_base = (w.bar(4) + w.cfg().bar_size(4) + size - 1) & ~(size - 1);  // past every BAR
  uint32_t at_old = 0, at_new = 0, moved_old = 0, moved_new = 0;
  bool ok_old = false, ok_new = true, ok_moved_old = true, ok_moved_new = false;
  w.run([&] {
    w.rc->cfg_write32(0, kCommandStatus, kCmdMemory);
    at_old = w.read32(old_base + GAUDI_CFG_BAR_CFG_OFFSET + freq_reg, &ok_old);
    at_new = w.read32(new_base + GAUDI_CFG_BAR_CFG_OFFSET + freq_reg, &ok_new);
    w.rc->cfg_write32(0, kBar0 + 8, uint32_t(new_base));
    w.rc->cfg_write32(0, kBar0 + 12, uint32_t(new_base >> 32));
    moved_old = w.read32(old_base + GAUDI_CFG_BAR_CFG_OFFSET + freq_reg, &ok_moved_old);
    moved_new = w.read32(new_base + GAUDI_CFG_BAR_CFG_OFFSET + freq_reg, &ok_moved_new);
  });
  EXPECT_TRUE(ok_old);
  EXPECT_EQ(at_old, GAUDI_PLL_REF_CLK_MHZ * 1000000u);
  EXPECT_FALSE(ok_new);
  EXPECT_EQ(at_new, 0xFFFFFFFFu);
  EXPECT_FALSE(ok_moved_old);
  EXPECT_EQ(moved_old, 0xFFFFFFFFu);
  EXPECT_TRUE(ok_moved_new);
  EXPECT_EQ(moved_new, GAUDI_PLL_REF_CLK_MHZ * 1000000u);
}

TEST(PcieMmio, ReadTimeIsTheRoundTripWhenTheCardAddsNothing) {
  PcieWorld w;
  w.cp.reg_latency_ns = 0;
  w.cp.noc_latency_ns = 0;
  w.pp.mmio_read_ns = 1000;
  w.build();
  w.set_command(kCmdMemory);
  sc_time elapsed;
  uint32_t v = 0;
  w.run([&] {
    sc_time t0 = now();
    v = w.read32(w.reg(mmPSOC_TIMESTAMP_CNTFID0));
    elapsed = now() - t0;
  });
  EXPECT_EQ(v, GAUDI_PLL_REF_CLK_MHZ * 1000000u);
  EXPECT_EQ(elapsed, ns(1000));
}

TEST(PcieMmio, ReadTimeAddsRouterHopAndRegisterLatency) {
  PcieWorld w;
  w.cp.reg_latency_ns = 13;
  w.cp.noc_latency_ns = 7;
  w.pp.mmio_read_ns = 800;
  w.build();
  w.set_command(kCmdMemory);
  sc_time elapsed32, elapsed64;
  uint64_t cntcv = 0;
  w.run([&] {
    sc_time t0 = now();
    w.read32(w.reg(mmPSOC_TIMESTAMP_CNTFID0));
    elapsed32 = now() - t0;
    t0 = now();
    w.rc->mmio_read(w.reg(mmPSOC_TIMESTAMP_CNTCVL), &cntcv, 8);
    elapsed64 = now() - t0;
  });
  EXPECT_EQ(elapsed32, ns(800 + 7 + 13));
  EXPECT_EQ(elapsed64, ns(800 + 7 + 13));  // one 64-bit access: one register-block visit
  EXPECT_EQ(cntcv, 0u);  // CNTCVU:CNTCVL in one access, the counter not started
  EXPECT_EQ(w.rc->mmio_reads(), 2u);
}

TEST(PcieMmio, WriteIsPosted) {
  PcieWorld w;
  w.cp.reg_latency_ns = 5000;  // a slow card must not hold up the CPU on a posted write
  w.pp.posted_write_issue_ns = 20;
  w.build();
  w.set_command(kCmdMemory);
  sc_time elapsed;
  bool ok = false;
  w.run([&] {
    sc_time t0 = now();
    ok = w.write32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(5)), 0x7);
    elapsed = now() - t0;
  });
  EXPECT_TRUE(ok);
  EXPECT_EQ(elapsed, ns(20));
  EXPECT_EQ(w.rc->mmio_writes(), 1u);
  EXPECT_EQ(w.card->pcie().downstream().bytes_served(), w.pp.wire_bytes(4));
}

// Issued ahead in one batch (temporal decoupling), posted writes cross the link when one
// write after another would, land in order, and the batch takes as long as they would.
TEST(PcieMmio, BatchedPostedWritesKeepTheTimesOfSingleOnes) {
  PcieWorld w;
  w.pp.posted_write_issue_ns = 20;
  w.build();
  w.set_command(kCmdMemory);
  sc_time single_elapsed, single_busy, batch_elapsed, batch_busy;
  std::vector<uint32_t> read_back;
  w.run([&] {
    sc_time t0 = now();
    for (uint32_t i = 0; i < 4; ++i) w.write32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(i)), 10 + i);
    single_elapsed = now() - t0;
    single_busy = w.card->pcie().downstream().busy_until() - t0;
    sc_core::wait(ns(10000));  // the link idle again
    t0 = now();
    sc_time at = sc_core::SC_ZERO_TIME;
    for (uint32_t i = 0; i < 4; ++i) {
      const uint32_t v = 20 + i;
      w.rc->issue_posted_write(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(4 + i)), &v, 4, at);
      at += w.rc->posted_write_issue();
    }
    sc_core::wait(at);
    batch_elapsed = now() - t0;
    batch_busy = w.card->pcie().downstream().busy_until() - t0;
    for (uint32_t i = 0; i < 8; ++i) read_back.push_back(w.read32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(i))));
  });
  EXPECT_EQ(single_elapsed, ns(80));
  EXPECT_EQ(batch_elapsed, single_elapsed);
  EXPECT_EQ(batch_busy, single_busy);
  EXPECT_GT(single_busy, ns(60));  // the last write left 60 ns after the first
  EXPECT_EQ(w.rc->mmio_writes(), 8u);
  EXPECT_EQ(read_back, (std::vector<uint32_t>{10, 11, 12, 13, 20, 21, 22, 23}));
}

// A posted write of a bring-up table, and what issuing writes took of the downstream link.
struct Write {
  uint64_t addr;
  uint32_t value;
};
struct LinkUse {
  sc_time elapsed, busy;
  uint64_t bytes = 0;
};

// Issues `writes` one by one (issue_posted_write) or as a table (issue_posted_writes32), waits
// for them, and returns what that took; then waits until the link is idle again.
LinkUse issue_and_measure(PcieWorld& w, const std::vector<Write>& writes, bool as_table) {
  BandwidthServer& link = w.card->pcie().downstream();
  const sc_time t0 = now();
  const uint64_t b0 = link.bytes_served();
  sc_time at = sc_core::SC_ZERO_TIME;
  if (as_table) {
    at = w.rc->issue_posted_writes32(writes.data(), writes.size());
  } else {
    for (const Write& x : writes) w.rc->issue_posted_write(x.addr, &x.value, 4, at), at += w.rc->posted_write_issue();
  }
  sc_core::wait(at);
  LinkUse u{now() - t0, link.busy_until() - t0, link.bytes_served() - b0};
  sc_core::wait(ns(10000));
  return u;
}

void expect_same_use(const LinkUse& a, const LinkUse& b) {
  EXPECT_EQ(a.elapsed, b.elapsed);
  EXPECT_EQ(a.busy, b.busy);
  EXPECT_EQ(a.bytes, b.bytes);
}

// A bring-up table through issue_posted_writes32 (one payload, straight to the endpoint) is
// the same as its writes issued one by one: times, link use, values, counts, and a write to
// an address nobody claims lost in both.
TEST(PcieMmio, PostedWriteTablesMatchTheirWritesIssuedOneByOne) {
  PcieWorld w;
  w.pp.posted_write_issue_ns = 20;
  w.build();
  w.set_command(kCmdMemory);
  const uint64_t nowhere = 0x10;  // below every BAR
  std::vector<Write> one{{w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(0)), 1}, {nowhere, 2}, {w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(1)), 3}};
  std::vector<Write> table{{w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(2)), 4}, {nowhere, 5}, {w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(3)), 6}};
  LinkUse one_use, table_use;
  std::vector<uint32_t> read_back;
  w.run([&] {
    one_use = issue_and_measure(w, one, false);
    table_use = issue_and_measure(w, table, true);
    for (uint32_t i = 0; i < 4; ++i) read_back.push_back(w.read32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(i))));
  });
  EXPECT_EQ(table_use.elapsed, ns(60));
  expect_same_use(table_use, one_use);
  EXPECT_EQ(one_use.bytes, 2 * w.pp.wire_bytes(4));  // the unclaimed write never crossed the link
  EXPECT_EQ(w.rc->mmio_writes(), 6u);
  EXPECT_EQ(read_back, (std::vector<uint32_t>{1, 3, 4, 6}));
}

// The driver's runs of protection words (32 consecutive words of a page) are taken by the
// card at once (PcieEndpoint::host_write_run32 and its run sink), with every TLP charged to
// the link as before: the same times, link use, counts and effects as the writes one by one,
// also around them (a register before, a write into another BAR, a register after).
TEST(PcieMmio, PostedRunsOfProtectionWordsActAsTheirWritesOneByOne) {
  PcieWorld w;
  w.pp.posted_write_issue_ns = 20;
  w.build();
  w.set_command(kCmdMemory);
  auto table_for = [&](uint32_t qm, uint32_t scratch) {
    std::vector<Write> t{{w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(scratch)), 7}};
    for (uint32_t i = 0; i < 32; ++i) t.push_back({w.reg(qm + GAUDI_PROT_BITS_OFFS + 4 * i), i == 1 ? 0x4u : 0u});
    t.push_back({w.bar(0) + 0x100 + 4 * scratch, 9});  // SRAM, through BAR 0
    t.push_back({w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(scratch + 1)), 8});
    return t;
  };
  LinkUse one_use, table_use;
  uint64_t runs_after_one = 0;
  std::vector<uint32_t> read_back;
  w.run([&] {
    one_use = issue_and_measure(w, table_for(GAUDI_BLK_DMA_QM(0), 0), false);
    runs_after_one = w.card->pcie().write_runs_taken();
    table_use = issue_and_measure(w, table_for(GAUDI_BLK_DMA_QM(1), 2), true);
    for (uint32_t i = 0; i < 4; ++i) read_back.push_back(w.read32(w.reg(mmPSOC_GLOBAL_CONF_SCRATCHPAD(i))));
    for (uint32_t i = 0; i < 3; i += 2) read_back.push_back(w.read32(w.bar(0) + 0x100 + 4 * i));
  });
  EXPECT_EQ(runs_after_one, 0u);
  EXPECT_EQ(w.card->pcie().write_runs_taken(), 1u);
  expect_same_use(table_use, one_use);
  EXPECT_EQ(one_use.bytes, 35 * w.pp.wire_bytes(4));
  EXPECT_EQ(w.rc->mmio_writes(), 2u * 35);
  EXPECT_EQ(read_back, (std::vector<uint32_t>{7, 8, 7, 8, 9, 9}));
  RegProtection& prot = w.card->protection();
  for (uint32_t qm : {GAUDI_BLK_DMA_QM(0), GAUDI_BLK_DMA_QM(1)}) {  // word 1, bit 2: register 32 + 2 only
    EXPECT_TRUE(prot.user_may_access(qm + 4 * 34)) << std::hex << qm;
    EXPECT_FALSE(prot.user_may_access(qm + 4 * 33)) << std::hex << qm;
    EXPECT_FALSE(prot.user_may_access(qm)) << std::hex << qm;
  }
}

TEST(PcieMmio, BarsReachSramConfigAndTheMovableHbmWindow) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory);
  uint64_t hbm_back = 0;
  w.run([&] {
    w.write32(w.bar(0) + 0x100, 0xA5A5A5A5);
    // Move BAR 4 to HBM offset 1 GiB through the iATU's inbound region 2, then write
    // through it.
    w.write32(w.reg(mmPCIE_AUX_DBI), GAUDI_PCIE_AUX_DBI_IATU);
    w.write32(w.reg(GAUDI_BLK_PCIE_DBI + GAUDI_IATU_INBOUND(2) + GAUDI_IATU_TARGET_LO), 1u << 30);
    w.write32(w.reg(mmPCIE_AUX_DBI), 0);
    uint64_t v = 0x1122334455667788ull;
    w.rc->mmio_write(w.bar(4) + 0x40, &v, 8);
    w.rc->mmio_read(w.bar(4) + 0x40, &hbm_back, 8);
  });
  uint32_t sram = 0;
  w.card->sram().store().read(0x100, &sram, 4);
  EXPECT_EQ(sram, 0xA5A5A5A5u);
  uint64_t hbm = 0;
  w.card->hbm().store().read((1ull << 30) + 0x40, &hbm, 8);
  EXPECT_EQ(hbm, 0x1122334455667788ull);
  EXPECT_EQ(hbm_back, hbm);
}

// The static firmware-loading handshake both drivers use: preboot asks for the boot FIT
// (WAITING_FOR_BOOT_FIT) and acknowledges KMD_MSG_FIT_RDY in CPU_CMD_STATUS_TO_HOST; u-boot
// then waits in READY_TO_BOOT until the driver says the firmware image is in place
// (KMD_MSG_FIT_RDY again), then the firmware comes up (SRAM_AVAIL); SKIP_BMC on the way is
// acknowledged.
TEST(PcieMmio, BootStatusWaitsForTheFirmwareImagesThenGetsReady) {
  PcieWorld w;
  w.cp.boot_us = 100;
  w.build();
  w.set_command(kCmdMemory);
  uint32_t early = 0, fit_wait = 0, fit_still = 0, ack = 0, waiting = 0, still = 0, skipped = 0, late = 0;
  w.run([&] {
    early = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    sc_core::wait(ns(100 * 1000));
    fit_wait = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    sc_core::wait(ns(1000 * 1000));
    fit_still = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    w.write32(w.reg(mmCPU_CMD_STATUS_TO_HOST), GAUDI_CPU_MSG_CLR);
    w.write32(w.reg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU), GAUDI_KMD_MSG_FIT_RDY);
    ack = w.read32(w.reg(mmCPU_CMD_STATUS_TO_HOST));
    w.write32(w.reg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU), GAUDI_KMD_MSG_NA);
    sc_core::wait(ns(100 * 1000));
    waiting = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    sc_core::wait(ns(1000 * 1000));
    still = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    w.write32(w.reg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU), GAUDI_KMD_MSG_SKIP_BMC);
    skipped = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
    w.write32(w.reg(mmPSOC_GLOBAL_CONF_KMD_MSG_TO_CPU), GAUDI_KMD_MSG_FIT_RDY);
    sc_core::wait(ns(100 * 1000));
    late = w.read32(w.reg(mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS));
  });
  EXPECT_NE(early, uint32_t(GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL));
  EXPECT_EQ(fit_wait, uint32_t(GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT));
  EXPECT_EQ(fit_still, uint32_t(GAUDI_CPU_BOOT_STATUS_WAITING_FOR_BOOT_FIT)) << "no boot FIT, no u-boot";
  EXPECT_EQ(ack, uint32_t(GAUDI_CPU_MSG_OK));
  EXPECT_EQ(waiting, uint32_t(GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT));
  EXPECT_EQ(still, uint32_t(GAUDI_CPU_BOOT_STATUS_READY_TO_BOOT)) << "no image, no firmware";
  EXPECT_EQ(skipped, uint32_t(GAUDI_CPU_BOOT_STATUS_BMC_WAITING_SKIPPED));
  EXPECT_EQ(late, uint32_t(GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL));
  EXPECT_TRUE(w.card->cpu().ready());
}

// --- MSI ---

// Host asks the PCIe core for vector v (PCIE_CORE_MSI_REQ); the card sends the MSI upstream.
// Returns when it was written.
sc_time trigger(PcieWorld& w, unsigned v) {
  sc_time t0 = now();
  w.write32(w.reg(mmPCIE_CORE_MSI_REQ), GAUDI_PCIE_CORE_MSI_REQ_VALUE(v));
  return t0;
}

TEST(PcieMsi, VectorIsDeliveredWithDataBaseOrVectorAfterTheFlight) {
  PcieWorld w;
  w.cp.noc_latency_ns = 3;
  w.cp.reg_latency_ns = 11;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0100, /*32 vectors*/ 5, true);
  sc_time t0;
  w.run([&] { t0 = trigger(w, 13); });
  ASSERT_EQ(w.msis.size(), 1u);
  EXPECT_EQ(w.msis[0].data, 0x0100u | 13);
  // Posted write down (serialisation + one flight), router hop and register access, then
  // the 4-byte MSI write up (serialisation + one flight).
  sc_time expect = t0 + w.wire_time(4) + w.flight() + ns(3) + ns(11) + w.wire_time(4) + w.flight();
  EXPECT_EQ(w.msis[0].at, expect);
  EXPECT_EQ(w.card->pcie().msi_sent(), 1u);
}

TEST(PcieMsi, EveryVectorKeepsItsNumberWith32Enabled) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0400, 5, true);
  EXPECT_EQ(w.cfg().msi_vectors_enabled(), 32u);
  w.run([&] {
    for (unsigned v : {0u, 1u, 30u, 31u}) trigger(w, v);
  });
  ASSERT_EQ(w.msis.size(), 4u);
  EXPECT_EQ(w.msis[0].data, 0x0400u);
  EXPECT_EQ(w.msis[1].data, 0x0401u);
  EXPECT_EQ(w.msis[2].data, 0x041Eu);
  EXPECT_EQ(w.msis[3].data, 0x041Fu);
  for (size_t i = 1; i < w.msis.size(); ++i) EXPECT_GT(w.msis[i].at, w.msis[i - 1].at);
}

TEST(PcieMsi, SingleVectorFoldsEverythingToVectorZero) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0200, /*1 vector*/ 0, true);
  EXPECT_EQ(w.cfg().msi_vectors_enabled(), 1u);
  w.run([&] {
    trigger(w, 5);
    trigger(w, 17);
    trigger(w, 0);
  });
  ASSERT_EQ(w.msis.size(), 3u);
  for (const auto& m : w.msis) EXPECT_EQ(m.data, 0x0200u);
}

TEST(PcieMsi, FourVectorsFoldByTheLowBits) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0300, 2, true);
  w.run([&] { trigger(w, 13); });
  ASSERT_EQ(w.msis.size(), 1u);
  EXPECT_EQ(w.msis[0].data, 0x0300u | (13 & 3));
}

TEST(PcieMsi, DisabledMsiDeliversNothing) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  w.program_msi(RootComplex::kMsiWindow, 0x0100, 5, /*enable*/ false);
  w.run([&] { trigger(w, 1); });
  EXPECT_TRUE(w.msis.empty());
  EXPECT_EQ(w.card->pcie().msi_sent(), 0u);
  EXPECT_FALSE(w.card->pcie().raise_msi(2));
}

TEST(PcieMsi, NoMsiWithoutBusMastering) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory);
  w.program_msi(RootComplex::kMsiWindow, 0x0100, 5, true);
  w.run([&] { trigger(w, 1); });
  EXPECT_TRUE(w.msis.empty());
  EXPECT_EQ(w.card->pcie().msi_sent(), 0u);
}

// --- device DMA into host memory ---

TEST(PcieDma, WithoutBusMasteringTheRequestFails) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory);
  uint8_t* host = nullptr;
  uint64_t bus = w.rc->memory().alloc(4096, reinterpret_cast<void**>(&host));
  tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
  w.run([&] {
    uint32_t v = 0xDEADBEEF;
    sc_time d;
    st = bus_access(w.card->noc(), tlm::TLM_WRITE_COMMAND, devmap::kHostBase + bus, &v, 4, d);
  });
  EXPECT_FALSE(st == tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.card->pcie().dma_errors(), 1u);
  uint32_t seen;
  std::memcpy(&seen, host, 4);
  EXPECT_EQ(seen, 0u);
}

TEST(PcieDma, WriteToHostLandsAndIsChargedAtLinkBandwidth) {
  PcieWorld w;
  w.cp.noc_latency_ns = 5;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  const uint64_t len = 1 << 20;
  uint8_t* host = nullptr;
  uint64_t bus = w.rc->memory().alloc(2 * len, reinterpret_cast<void**>(&host));
  std::vector<uint8_t> src(len);
  for (size_t i = 0; i < len; ++i) src[i] = uint8_t(i * 13 + (i >> 10));
  tlm::tlm_response_status st1 = tlm::TLM_INCOMPLETE_RESPONSE, st2 = st1;
  sc_time d1, d2;
  w.run([&] {
    st1 = bus_access(w.card->noc(), tlm::TLM_WRITE_COMMAND, devmap::kHostBase + bus, src.data(), len, d1);
    // A second write issued at the same moment queues behind the first on the link.
    st2 = bus_access(w.card->noc(), tlm::TLM_WRITE_COMMAND, devmap::kHostBase + bus + len, src.data(), len, d2);
    sc_core::wait(d2);
  });
  ASSERT_EQ(st1, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(st2, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(std::memcmp(host, src.data(), len), 0);
  EXPECT_EQ(std::memcmp(host + len, src.data(), len), 0);
  const sc_time wire = w.wire_time(len);
  EXPECT_EQ(w.pp.wire_bytes(len), len + (len / 256) * 26);
  EXPECT_EQ(d1, ns(5) + wire + w.flight());
  EXPECT_EQ(d2, ns(5) + wire + wire + w.flight());
  // Payload rate on the wire: Gen4 x16 with MPS 256 is bounded by 28.6 GB/s after TLP
  // overhead; DLLPs and SKPs (pcie.dllp_overhead) leave about 27.7.
  double rate = double(len) / (wire.to_seconds() * 1e9);
  EXPECT_NEAR(w.pp.tlp_bound_gbytes_per_s(), 28.6, 28.6 * 0.005);
  EXPECT_NEAR(rate, w.pp.write_gbytes_per_s(), 0.01);
  EXPECT_NEAR(rate, 27.75, 0.05);
  EXPECT_EQ(w.card->pcie().upstream().bytes_served(), 2 * w.pp.wire_bytes(len));
}

TEST(PcieDma, ReadFromHostTakesARoundTrip) {
  PcieWorld w;
  w.cp.noc_latency_ns = 5;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  uint8_t* host = nullptr;
  uint64_t bus = w.rc->memory().alloc(8192, reinterpret_cast<void**>(&host));
  for (int i = 0; i < 8192; ++i) host[i] = uint8_t(i ^ 0x5A);
  std::vector<uint8_t> dst(8192);
  sc_time d;
  tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
  w.run([&] { st = bus_access(w.card->noc(), tlm::TLM_READ_COMMAND, devmap::kHostBase + bus, dst.data(), 8192, d); });
  ASSERT_EQ(st, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(std::memcmp(dst.data(), host, 8192), 0);
  // The first 512 B request flies up; 64 completions of 128 B + 22 B come back down.
  EXPECT_EQ(w.pp.completion_wire_bytes(8192), 8192u + 64 * 22);
  EXPECT_EQ(d, ns(5) + w.link_time(26) + w.flight() + w.link_time(w.pp.completion_wire_bytes(8192)) + w.flight());
}

// Host -> device DMA (reads of host memory) lands below the TLP-overhead bound: completions
// are split at the host's 128 B boundary and pay their own headers.
TEST(PcieDma, LongReadsRunAtTheCompletionRateBelowTheTlpBound) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  const uint64_t len = 1 << 20, piece = 32768;
  uint64_t bus = w.rc->memory().alloc(len, nullptr);
  std::vector<uint8_t> dst(piece);
  sc_time start, end;
  w.run([&] {
    start = now();
    sc_time last;
    for (uint64_t o = 0; o < len; o += piece) {  // issued back to back, as a DMA engine's chunks
      sc_time d;
      ASSERT_EQ(bus_access(w.card->noc(), tlm::TLM_READ_COMMAND, devmap::kHostBase + bus + o, dst.data(), piece, d),
                tlm::TLM_OK_RESPONSE);
      last = std::max(last, now() + d);
    }
    end = last;
  });
  const double rate = double(len) / ((end - start).to_seconds() * 1e9);
  EXPECT_LT(rate, w.pp.tlp_bound_gbytes_per_s());
  EXPECT_NEAR(rate, w.pp.read_gbytes_per_s(), 0.03 * w.pp.read_gbytes_per_s());
  EXPECT_NEAR(w.pp.read_gbytes_per_s(), 26.08, 0.05);
}

TEST(PcieDma, UnmappedHostAddressAnswersWithAnError) {
  PcieWorld w;
  w.build();
  w.set_command(kCmdMemory | kCmdBusMaster);
  uint64_t bus = w.rc->memory().alloc(4096, nullptr);
  tlm::tlm_response_status below = tlm::TLM_OK_RESPONSE, overrun = tlm::TLM_OK_RESPONSE;
  w.run([&] {
    uint8_t buf[64] = {};
    sc_time d;
    below = bus_access(w.card->noc(), tlm::TLM_WRITE_COMMAND, devmap::kHostBase + 0x1000, buf, 64, d);
    overrun = bus_access(w.card->noc(), tlm::TLM_WRITE_COMMAND, devmap::kHostBase + bus + 4096 - 32, buf, 64, d);
  });
  EXPECT_EQ(below, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(overrun, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(w.card->pcie().dma_errors(), 2u);
}

}  // namespace
}  // namespace gs::test
