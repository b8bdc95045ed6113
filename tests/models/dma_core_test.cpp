// DmaCore: real copies and memsets through a router, timing against bandwidth servers,
// write completion into a sync manager, errors, halt and reset. One world per test case.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/time.hpp"
#include "models/engines/dma_core.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/packets.h"

namespace gs {
namespace {

using sc_core::sc_time;
constexpr uint64_t kSmBase = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);
constexpr uint64_t kB = 0x100000000ull;  // base of a second memory

// Forwards to a target and logs when each access completes (now + annotated delay).
struct Spy : BusTarget {
  struct Access {
    sc_time done;
    uint64_t addr, len;
    bool write;
  };
  BusTarget& inner;
  std::vector<Access> log;
  explicit Spy(BusTarget& t) : inner(t) {}
  void b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) override {
    inner.b_transport(gp, delay);
    log.push_back({sc_core::sc_time_stamp() + delay, gp.get_address(), gp.get_data_length(), gp.is_write()});
  }
};

struct Done {
  int calls = 0;
  bool ok = false;
  sc_time at;
  std::function<void(bool)> cb() {
    return [this](bool k) { ++calls; ok = k; at = sc_core::sc_time_stamp(); };
  }
};

struct World {
  DmaParams dp;  // set before add_dma: the models keep references
  SyncParams sp;
  AddressRouter noc{ns(5)};
  std::vector<std::unique_ptr<MemoryTarget>> mems;
  std::vector<std::unique_ptr<Spy>> spies;
  std::vector<std::unique_ptr<DmaCore>> dmas;
  std::unique_ptr<SyncManager> sm;

  MemoryTarget& add_mem(const char* name, uint64_t base, uint64_t size, double gbps, double lat_ns,
                        Spy** spy = nullptr) {
    mems.push_back(std::make_unique<MemoryTarget>(name, size, gbps, ns(lat_ns)));
    spies.push_back(std::make_unique<Spy>(*mems.back()));
    noc.map(base, size, *spies.back(), name);
    if (spy) *spy = spies.back().get();
    return *mems.back();
  }
  DmaCore& add_dma(unsigned ch) {
    dmas.push_back(std::make_unique<DmaCore>(("dma" + std::to_string(ch)).c_str(), dp, noc, ch, ns(10)));
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(ch), 0x8000, dmas.back()->regs(), "dma_core");
    return *dmas.back();
  }
  Spy& add_sm() {
    sm = std::make_unique<SyncManager>("sm", sp, noc, ns(10));
    spies.push_back(std::make_unique<Spy>(*sm));
    noc.map(kSmBase, SyncManager::kBlockSize, *spies.back(), "sync_mngr_w_s");
    return *spies.back();
  }
  void wr(uint64_t addr, uint32_t v) {
    sc_time d;
    ASSERT_EQ(bus_access(noc, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  uint32_t rd(uint64_t addr) {
    uint32_t v = 0;
    sc_time d;
    EXPECT_EQ(bus_access(noc, tlm::TLM_READ_COMMAND, addr, &v, 4, d), tlm::TLM_OK_RESPONSE);
    return v;
  }
  static uint64_t reg(unsigned ch, uint32_t off) { return GAUDI_CFG_BASE + GAUDI_BLK_DMA_CORE(ch) + off; }
  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "host");
    sc_core::sc_start();
  }
};

packet_lin_dma lin(uint64_t src, uint64_t dst, uint32_t size, uint32_t flags = 0, uint32_t ctx = 0) {
  return gaudi_pkt_lin_dma(src, dst, size, flags, ctx, 0);
}

std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = uint8_t((seed = seed * 1664525u + 1013904223u) >> 24);
  return v;
}

std::vector<uint8_t> read_back(MemoryTarget& m, uint64_t addr, size_t n) {
  std::vector<uint8_t> v(n);
  m.store().read(addr, v.data(), n);
  return v;
}

void expect_near(sc_time got, double expected_ns, double tolerance) {
  EXPECT_NEAR(to_ns(got) / expected_ns, 1.0, tolerance) << to_ns(got) << " ns vs " << expected_ns;
}

TEST(DmaCore, CopiesOneMebibyteHbmToHbm) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 64 << 20, 1000, 120);
  auto& dma = w.add_dma(2);
  const size_t n = 1 << 20;
  auto src = pattern(n, 7);
  hbm.store().write(0x100000, src.data(), n);
  Done d;
  w.run([&] {
    // The context id's high byte rides in dst bits 63..56: it is not part of the address.
    ASSERT_TRUE(dma.start_lin_dma(lin(0x100000, 0x1000000, n, 0, 0xAB12), d.cb()));
    EXPECT_FALSE(dma.idle());
  });
  ASSERT_EQ(d.calls, 1);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(read_back(hbm, 0x1000000, n), src);
  EXPECT_EQ(dma.bytes_moved(), n);
  EXPECT_EQ(dma.jobs_done(), 1u);
  EXPECT_TRUE(dma.idle());
  // Engine bound (200 GB/s against a 1 TB/s memory): setup + n / 200 GB/s + one chunk's tail.
  double floor_ns = 100 + n / 200.0;
  EXPECT_GE(to_ns(d.at), floor_ns);
  EXPECT_LE(to_ns(d.at), floor_ns + 500);
  EXPECT_EQ(dma.busy_time(), d.at);
}

TEST(DmaCore, MemsetWritesThePatternAndReadsNothing) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  const uint64_t value = 0x0123456789ABCDEFull;
  const size_t n = 100003;
  Done d;
  w.run([&] { dma.start_lin_dma(lin(value, 0x2003, n, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK), d.cb()); });
  ASSERT_TRUE(d.ok);
  auto got = read_back(hbm, 0x2000, n + 6);
  EXPECT_EQ(got[0] | got[1] | got[2], 0);
  EXPECT_EQ(got[n + 3] | got[n + 4] | got[n + 5], 0);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[3 + i], uint8_t(value >> (8 * (i % 8)))) << i;
  EXPECT_EQ(hbm.server().bytes_served(), n);  // writes only
}

TEST(DmaCore, SlowerMemorySetsTheTimeInBothDirections) {
  World w;
  w.add_mem("a", 0, 16 << 20, 50, 100);
  auto& b = w.add_mem("b", kB, 16 << 20, 20, 100);
  auto& dma = w.add_dma(3);
  const size_t n = 4 << 20;
  Done d1, d2;
  sc_time t1, t2;
  w.run([&] {
    sc_time s = sc_core::sc_time_stamp();
    dma.start_lin_dma(lin(0, kB, n), d1.cb());
    while (!dma.idle()) sc_core::wait(dma.idle_event());
    t1 = sc_core::sc_time_stamp() - s;
    s = sc_core::sc_time_stamp();
    dma.start_lin_dma(lin(kB, 8 << 20, n), d2.cb());  // back, into another part of a
    while (!dma.idle()) sc_core::wait(dma.idle_event());
    t2 = sc_core::sc_time_stamp() - s;
  });
  ASSERT_TRUE(d1.ok && d2.ok);
  expect_near(t1, n / 20.0, 0.03);  // write bound: b takes 20 GB/s
  expect_near(t2, n / 20.0, 0.03);  // read bound
  EXPECT_EQ(b.server().bytes_served(), 2 * n);
}

TEST(DmaCore, EngineRateCapsACopy) {
  World w;
  w.dp.engine_gbps = 10;
  w.add_mem("a", 0, 16 << 20, 1000, 100);
  w.add_mem("b", kB, 16 << 20, 1000, 100);
  auto& dma = w.add_dma(4);
  const size_t n = 4 << 20;
  Done d;
  w.run([&] { dma.start_lin_dma(lin(0, kB, n), d.cb()); });
  ASSERT_TRUE(d.ok);
  expect_near(d.at, n / 10.0, 0.03);
  EXPECT_GE(to_ns(d.at), 100 + n / 10.0);  // never faster than the channel
}

TEST(DmaCore, TwoEnginesSharingAMemoryEachTakeTwiceAsLong) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 64 << 20, 100, 50);
  auto& d0 = w.add_dma(2);
  auto& d1 = w.add_dma(3);
  const size_t n = 2 << 20;
  Done alone, a, b;
  sc_time t_alone, start;
  w.run([&] {
    d0.start_lin_dma(lin(0, 8 << 20, n), alone.cb());
    sc_core::wait(d0.idle_event());
    t_alone = alone.at;
    sc_core::wait(ns(1000));
    start = sc_core::sc_time_stamp();
    d0.start_lin_dma(lin(16 << 20, 24 << 20, n), a.cb());
    d1.start_lin_dma(lin(32 << 20, 40 << 20, n), b.cb());
  });
  ASSERT_TRUE(alone.ok && a.ok && b.ok);
  expect_near(t_alone, 2.0 * n / 100, 0.03);  // a copy crosses the memory twice
  EXPECT_NEAR(to_ns(a.at - start) / to_ns(t_alone), 2.0, 0.05);
  EXPECT_NEAR(to_ns(b.at - start) / to_ns(t_alone), 2.0, 0.05);
  EXPECT_EQ(read_back(hbm, 24 << 20, n), read_back(hbm, 16 << 20, n));
}

TEST(DmaCore, WriteCompletionSignalsASyncObjectAfterTheData) {
  World w;
  Spy* hbm_spy = nullptr;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120, &hbm_spy);
  Spy& sm_spy = w.add_sm();
  auto& dma = w.add_dma(5);
  const size_t n = 256 << 10;
  Done d;
  w.run([&] {
    // A monitor on SOB 144 (group 18, object 0) writes memory when the DMA signals.
    w.wr(kSmBase + GAUDI_SM_MON_PAY_ADDRL(72), 0x800000);
    w.wr(kSmBase + GAUDI_SM_MON_PAY_DATA(72), 0xD0E);
    w.wr(kSmBase + GAUDI_SM_MON_ARM(72), gaudi_msg_short_mon_arm_value(18, 0xFE, GAUDI_MON_MODE_GREATER_EQUAL, 1));
    w.wr(World::reg(5, GAUDI_DMA_CORE_WR_COMP_WDATA), gaudi_msg_short_sob_value(1, 1));
    w.wr(World::reg(5, GAUDI_DMA_CORE_WR_COMP_ADDR_LO), uint32_t(kSmBase + GAUDI_SM_SOB_OBJ(144)));
    w.wr(World::reg(5, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), uint32_t((kSmBase + GAUDI_SM_SOB_OBJ(144)) >> 32));
    dma.start_lin_dma(lin(0, 4 << 20, n, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), d.cb());
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(w.sm->sob(144), 1u);
  EXPECT_EQ(read_back(hbm, 0x800000, 4), (std::vector<uint8_t>{0x0E, 0x0D, 0, 0}));
  sc_time last_data;
  for (auto& a : hbm_spy->log)
    if (a.write && a.addr >= (4u << 20) && a.addr < (4u << 20) + n) last_data = std::max(last_data, a.done);
  std::vector<Spy::Access> sob_writes;
  for (auto& a : sm_spy.log)
    if (a.write && a.addr == GAUDI_SM_SOB_OBJ(144)) sob_writes.push_back(a);
  ASSERT_EQ(sob_writes.size(), 1u);
  EXPECT_GE(sob_writes[0].done, last_data);
  EXPECT_GE(d.at, sob_writes[0].done);
}

TEST(DmaCore, ZeroSizeJobOnlySignals) {
  World w;
  w.add_mem("hbm", 0, 1 << 20, 1000, 120);
  w.add_sm();
  auto& dma = w.add_dma(1);
  Done d;
  w.run([&] {
    w.wr(World::reg(1, GAUDI_DMA_CORE_WR_COMP_WDATA), gaudi_msg_short_sob_value(3, 1));
    w.wr(World::reg(1, GAUDI_DMA_CORE_WR_COMP_ADDR_LO), uint32_t(kSmBase + GAUDI_SM_SOB_OBJ(7)));
    w.wr(World::reg(1, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), uint32_t((kSmBase + GAUDI_SM_SOB_OBJ(7)) >> 32));
    dma.start_lin_dma(lin(0, 0, 0, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), d.cb());
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(w.sm->sob(7), 3u);
  EXPECT_LT(to_ns(d.at), 100.0);  // no setup time, no data
  EXPECT_EQ(dma.bytes_moved(), 0u);
}

TEST(DmaCore, BusErrorsFailTheJobAndSetErrCause) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  std::vector<uint32_t> events;
  dma.on_error = [&](unsigned ch, uint32_t cause) { events.push_back(ch << 8 | cause); };
  Done rd, wrd, comp;
  uint32_t cause_rd = 0, cause_wr = 0, cause_comp = 0;
  w.run([&] {
    w.wr(World::reg(0, GAUDI_DMA_CORE_ERR_CFG), GAUDI_DMA_CORE_ERR_CFG_ERR_MSG_EN_MASK);
    dma.start_lin_dma(lin(0x7000000000ull, 0, 4096), rd.cb());  // unmapped source
    sc_core::wait(dma.idle_event());
    cause_rd = w.rd(World::reg(0, GAUDI_DMA_CORE_ERR_CAUSE));
    w.wr(World::reg(0, GAUDI_DMA_CORE_ERR_CAUSE), cause_rd);  // write 1 to clear
    EXPECT_EQ(w.rd(World::reg(0, GAUDI_DMA_CORE_ERR_CAUSE)), 0u);
    dma.start_lin_dma(lin(0, (16 << 20) - 1024, 4096), wrd.cb());  // runs off the end
    sc_core::wait(dma.idle_event());
    cause_wr = dma.err_cause();
    w.wr(World::reg(0, GAUDI_DMA_CORE_ERR_CAUSE), 0xFFFFFFFF);
    w.wr(World::reg(0, GAUDI_DMA_CORE_WR_COMP_ADDR_HI), 0x70);  // nowhere
    dma.start_lin_dma(lin(0, 0x10000, 4096, GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK), comp.cb());
    sc_core::wait(dma.idle_event());
    cause_comp = dma.err_cause();
  });
  EXPECT_EQ(rd.calls, 1);
  EXPECT_FALSE(rd.ok);
  EXPECT_EQ(cause_rd, GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK);
  EXPECT_FALSE(wrd.ok);
  EXPECT_EQ(cause_wr, GAUDI_DMA_CORE_ERR_CAUSE_HBW_WR_ERR_MASK);
  EXPECT_EQ(dma.last_error_address(), 0x7000000000ull + 0x0);  // the failing completion
  EXPECT_FALSE(comp.ok);
  EXPECT_EQ(cause_comp, GAUDI_DMA_CORE_ERR_CAUSE_LBW_WR_ERR_MASK);
  EXPECT_EQ(dma.jobs_failed(), 3u);
  EXPECT_EQ(events, (std::vector<uint32_t>{1, 2, 4}));
  (void)hbm;
}

TEST(DmaCore, StopOnErrorHaltsUntilTheDriverResumes) {
  World w;
  w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  Done bad, good;
  w.run([&] {
    w.wr(World::reg(0, GAUDI_DMA_CORE_ERR_CFG), GAUDI_DMA_CORE_ERR_CFG_STOP_ON_ERR_MASK);
    dma.start_lin_dma(lin(0x7000000000ull, 0, 4096), bad.cb());
    dma.start_lin_dma(lin(0, 0x10000, 4096), good.cb());
    sc_core::wait(ns(10000));
    EXPECT_EQ(good.calls, 0);
    EXPECT_EQ(w.rd(World::reg(0, GAUDI_DMA_CORE_STS1)), GAUDI_DMA_CORE_STS1_IS_HALT_MASK);
    EXPECT_EQ(w.rd(World::reg(0, GAUDI_DMA_CORE_STS0)), GAUDI_DMA_CORE_STS0_BUSY_MASK);
    w.wr(World::reg(0, GAUDI_DMA_CORE_CFG_1), 0);
  });
  EXPECT_FALSE(bad.ok);
  EXPECT_TRUE(good.ok);
  EXPECT_GT(to_ns(good.at), 10000.0);
}

TEST(DmaCore, EnableAndHaltGateTheEngine) {
  World w;
  w.dp.engine_gbps = 1;  // 1 MiB takes about 1 ms
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(6);
  const size_t n = 1 << 20;
  auto src = pattern(n, 3);
  hbm.store().write(0, src.data(), n);
  Done d;
  w.run([&] {
    w.wr(World::reg(6, GAUDI_DMA_CORE_CFG_0), 0);
    dma.start_lin_dma(lin(0, 8 << 20, n), d.cb());
    sc_core::wait(ns(10000));
    EXPECT_EQ(dma.bytes_moved(), 0u);  // disabled: the job waits in the queue
    EXPECT_EQ(w.rd(World::reg(6, GAUDI_DMA_CORE_STS0)), GAUDI_DMA_CORE_STS0_BUSY_MASK);
    w.wr(World::reg(6, GAUDI_DMA_CORE_CFG_0), GAUDI_DMA_CORE_CFG_0_EN_MASK);
    sc_core::wait(ns(300000));
    w.wr(World::reg(6, GAUDI_DMA_CORE_CFG_1), GAUDI_DMA_CORE_CFG_1_HALT_MASK);
    sc_core::wait(ns(100000));
    uint64_t moved = dma.bytes_moved();
    EXPECT_GT(moved, 0u);
    EXPECT_LT(moved, n);
    EXPECT_EQ(w.rd(World::reg(6, GAUDI_DMA_CORE_STS1)), GAUDI_DMA_CORE_STS1_IS_HALT_MASK);
    sc_core::wait(ns(500000));
    EXPECT_EQ(dma.bytes_moved(), moved);  // halted at a chunk boundary
    w.wr(World::reg(6, GAUDI_DMA_CORE_CFG_1), 0);
  });
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(read_back(hbm, 8 << 20, n), src);
  EXPECT_EQ(w.rd(World::reg(6, GAUDI_DMA_CORE_STS0)), 0u);
  EXPECT_GT(to_ns(d.at), 10000 + n / 1.0 + 500000);
}

TEST(DmaCore, ResetAbortsTheRunningJobAndDropsQueuedOnes) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1, 100);  // 1 GB/s: 1 MiB takes 2 ms
  auto& dma = w.add_dma(7);
  std::vector<int> order;
  Done after;
  uint64_t moved_at_reset = 0;
  w.run([&] {
    dma.start_lin_dma(lin(0, 4 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 10 : 1); });
    dma.start_lin_dma(lin(0, 8 << 20, 1 << 20), [&](bool ok) { order.push_back(ok ? 20 : 2); });
    sc_core::wait(ns(100000));
    w.wr(World::reg(7, GAUDI_DMA_CORE_CFG_0), 0);
    dma.reset();
    moved_at_reset = dma.bytes_moved();
    EXPECT_FALSE(dma.idle());  // the dropped jobs are still to be told
    EXPECT_EQ(dma.regs().value(GAUDI_DMA_CORE_CFG_0), GAUDI_DMA_CORE_CFG_0_EN_MASK);
    sc_core::wait(dma.idle_event());
    EXPECT_EQ(sc_core::sc_time_stamp(), ns(100000));
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    dma.start_lin_dma(lin(0, 12 << 20, 4096), after.cb());
  });
  EXPECT_GT(moved_at_reset, 0u);
  EXPECT_LT(moved_at_reset, 1u << 20);
  EXPECT_EQ(dma.bytes_moved(), moved_at_reset + 4096);  // nothing more of the aborted job
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(dma.jobs_failed(), 2u);
  (void)hbm;
}

TEST(DmaCore, CommitRegisterPathStartsATransfer) {
  World w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(2);
  auto src = pattern(70000, 11);
  hbm.store().write(0x30000, src.data(), src.size());
  w.run([&] {
    w.wr(World::reg(2, GAUDI_DMA_CORE_SRC_BASE_LO), 0x30000);
    w.wr(World::reg(2, GAUDI_DMA_CORE_SRC_BASE_HI), 0);
    w.wr(World::reg(2, GAUDI_DMA_CORE_DST_BASE_LO), 0x500000);
    w.wr(World::reg(2, GAUDI_DMA_CORE_DST_BASE_HI), 0x12000000);  // context id high byte
    w.wr(World::reg(2, GAUDI_DMA_CORE_DST_TSIZE_0), uint32_t(src.size()));
    w.wr(World::reg(2, GAUDI_DMA_CORE_COMMIT), GAUDI_PKT_LIN_DMA_CTL_LIN_MASK);
    sc_core::wait(dma.idle_event());
  });
  EXPECT_EQ(read_back(hbm, 0x500000, src.size()), src);
  EXPECT_EQ(dma.jobs_done(), 1u);
}

TEST(DmaCore, RejectsWhatIsNotALinearTransfer) {
  World w;
  w.add_mem("hbm", 0, 1 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  packet_lin_dma p = lin(0, 0x1000, 64);
  p.ctl &= ~GAUDI_PKT_LIN_DMA_CTL_LIN_MASK;
  EXPECT_FALSE(dma.start_lin_dma(p, nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_MASK), nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_COMPRESS_MASK), nullptr));
  EXPECT_FALSE(dma.start_lin_dma(lin(0, 0x1000, 64, GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_MASK), nullptr));
  EXPECT_EQ(dma.jobs_rejected(), 4u);
  EXPECT_TRUE(dma.idle());
}

}  // namespace
}  // namespace gs
