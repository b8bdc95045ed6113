// SyncManager: sync objects, monitors and their payload writes through a router. Each test
// builds its own small world (CTest runs each case in its own process).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "models/card/card.hpp"
#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/time.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/packets.h"

namespace gs {
namespace {

constexpr uint64_t kMemBase = 0x1000000;
constexpr uint64_t kSmBase = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);

struct World {
  SyncParams sp;
  AddressRouter noc{ns(5)};
  MemoryTarget mem{"mem", 1 << 20, 100.0, ns(50)};
  std::unique_ptr<SyncManager> sm;

  World() {
    sm = std::make_unique<SyncManager>("sm", sp, noc, ns(10));
    noc.map(kMemBase, 1 << 20, mem, "mem");
    noc.map(kSmBase, SyncManager::kBlockSize, *sm, "sync_mngr_w_s");
  }
  bool wr(uint32_t off, uint32_t v) {
    sc_core::sc_time d;
    return bus_access(noc, tlm::TLM_WRITE_COMMAND, kSmBase + off, &v, 4, d) == tlm::TLM_OK_RESPONSE;
  }
  uint32_t rd(uint32_t off) {
    uint32_t v = 0xdeadbeef;
    sc_core::sc_time d;
    EXPECT_EQ(bus_access(noc, tlm::TLM_READ_COMMAND, kSmBase + off, &v, 4, d), tlm::TLM_OK_RESPONSE);
    return v;
  }
  uint32_t mem_word(uint64_t addr) {
    uint32_t v = 0;
    mem.store().read(addr - kMemBase, &v, 4);
    return v;
  }
  // Payload, then arm: the order the driver uses.
  void arm(unsigned m, uint64_t addr, uint32_t data, unsigned group, uint32_t hw_mask,
           uint32_t mode, uint32_t value) {
    wr(GAUDI_SM_MON_PAY_ADDRL(m), uint32_t(addr));
    wr(GAUDI_SM_MON_PAY_ADDRH(m), uint32_t(addr >> 32));
    wr(GAUDI_SM_MON_PAY_DATA(m), data);
    wr(GAUDI_SM_MON_ARM(m), gaudi_msg_short_mon_arm_value(group, hw_mask, mode, value));
  }
  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "host");
    sc_core::sc_start();
  }
};

uint32_t set(uint32_t v) { return gaudi_msg_short_sob_value(v, 0); }
uint32_t add(uint32_t v) { return gaudi_msg_short_sob_value(v, 1); }
uint32_t only(unsigned b) { return 0xFFu & ~(1u << b); }  // hardware mask watching one object

TEST(SyncManager, SobSetAddAndWrapAt15Bits) {
  World w;
  w.sm->sob_write(5, set(100));
  EXPECT_EQ(w.sm->sob(5), 100u);
  w.sm->sob_write(5, add(0x7FF0));  // 100 + 0x7FF0 wraps modulo 2^15
  EXPECT_EQ(w.sm->sob(5), (100u + 0x7FF0u) & 0x7FFFu);
  EXPECT_TRUE(w.wr(GAUDI_SM_SOB_OBJ(2047), set(0xFFFF)));  // set keeps the low 15 bits
  EXPECT_EQ(w.rd(GAUDI_SM_SOB_OBJ(2047)), 0x7FFFu);
  EXPECT_TRUE(w.wr(GAUDI_SM_SOB_OBJ(2047), add(1)));
  EXPECT_EQ(w.rd(GAUDI_SM_SOB_OBJ(2047)), 0u);
  EXPECT_TRUE(w.wr(GAUDI_SM_SOB_OBJ(0), add(3) | GAUDI_PKT_SHORT_VAL_SOB_TE_MASK));
  EXPECT_EQ(w.sm->sob(0), 3u);
  EXPECT_EQ(w.sm->sob_writes(), 5u);
}

TEST(SyncManager, GreaterEqualMonitorFiresOnceAtTheRightTime) {
  World w;
  const uint64_t pay = kMemBase + 0x100;
  w.run([&] {
    w.arm(3, pay, 0xABCD, 2, only(1), GAUDI_MON_MODE_GREATER_EQUAL, 5);  // watches SOB 17
    EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(3)), 0x1u | (0x2u << 1));        // valid, 17 pending
    sc_core::wait(ns(100));
    w.sm->sob_write(17, set(3));
    sc_core::wait(ns(100));
    EXPECT_EQ(w.sm->monitor_fires(), 0u);
    w.sm->sob_write(17, add(2));  // 5 >= 5 at t = 200 ns: fires 20 ns later
    EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(3)), 0x1u);  // still armed, nothing pending
    sc_core::wait(ns(19));
    EXPECT_EQ(w.mem_word(pay), 0u);
    sc_core::wait(ns(2));
    EXPECT_EQ(w.mem_word(pay), 0xABCDu);
    EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(3)), 0u);  // disarmed
    w.sm->sob_write(17, add(1));
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 1u);
  EXPECT_EQ(w.sm->payload_errors(), 0u);
  EXPECT_EQ(sc_core::sc_time_stamp(), ns(321));
}

TEST(SyncManager, BusWritesAreTimedFromTheirArrival) {
  World w;
  w.sp.monitor_latency_ns = 40;
  const uint64_t pay = kMemBase + 0x40;
  w.run([&] {
    w.arm(0, pay, 7, 0, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.wr(GAUDI_SM_SOB_OBJ(0), add(1));  // router hop 5 ns + access 10 ns + latency 40 ns
    sc_core::wait(ns(54));
    EXPECT_EQ(w.mem_word(pay), 0u);
    sc_core::wait(ns(2));  // written at 55 ns
    EXPECT_EQ(w.mem_word(pay), 7u);
  });
}

TEST(SyncManager, EqualMonitorNeedsTheExactValue) {
  World w;
  const uint64_t pay = kMemBase + 0x200;
  w.run([&] {
    w.arm(10, pay, 1, 0, only(4), GAUDI_MON_MODE_EQUAL, 4);
    w.sm->sob_write(4, set(3));
    w.sm->sob_write(4, set(5));  // passes over 4: no fire
    sc_core::wait(ns(100));
    EXPECT_EQ(w.sm->monitor_fires(), 0u);
    EXPECT_TRUE(w.sm->armed(10));
    w.sm->sob_write(4, add(0x7FFF));  // 5 - 1 = 4 modulo 2^15
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 1u);
  EXPECT_EQ(w.mem_word(pay), 1u);
}

TEST(SyncManager, MaskSelectsObjectsWithClearedBits) {
  World w;
  const uint64_t pay = kMemBase + 0x300;
  w.run([&] {
    // Watch objects 8 and 10 (bits 0 and 2 cleared) of group 1, >= 2.
    w.arm(20, pay, 0x55, 1, 0xFFu & ~0x5u, GAUDI_MON_MODE_GREATER_EQUAL, 2);
    w.sm->sob_write(8, set(2));
    w.sm->sob_write(9, set(0x100));  // not selected
    sc_core::wait(ns(100));
    EXPECT_EQ(w.sm->monitor_fires(), 0u);
    EXPECT_EQ(w.sm->mon_status(20), 0x1u | (0x4u << 1));  // only object 10 still pending
    w.sm->sob_write(10, set(9));
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 1u);
  EXPECT_EQ(w.mem_word(pay), 0x55u);
}

TEST(SyncManager, MonitorArmedWhenAlreadySatisfiedFiresAtOnce) {
  World w;
  const uint64_t pay = kMemBase + 0x400;
  sc_core::sc_time landed;
  w.run([&] {
    w.sm->sob_write(33, set(7));
    sc_core::wait(ns(50));
    w.arm(1, pay, 0x99, 4, only(1), GAUDI_MON_MODE_GREATER_EQUAL, 3);  // SOB 33 >= 3 already
    // The arm write: router hop 5 + access 10, then the monitor latency of 20 ns.
    sc_core::wait(ns(34));
    EXPECT_EQ(w.mem_word(pay), 0u);
    sc_core::wait(ns(2));  // written at 85 ns
    EXPECT_EQ(w.mem_word(pay), 0x99u);
  });
  EXPECT_EQ(w.sm->monitor_fires(), 1u);
  EXPECT_FALSE(w.sm->armed(1));
}

TEST(SyncManager, WritesToOtherGroupsDoNotFire) {
  World w;
  w.run([&] {
    w.arm(5, kMemBase, 1, 3, 0x00, GAUDI_MON_MODE_GREATER_EQUAL, 1);  // group 3: SOBs 24..31
    for (unsigned i = 0; i < 64; ++i)
      if (i / 8 != 3) w.sm->sob_write(i, set(0x7FFF));
    w.sm->sob_write(24, set(1));  // only part of group 3
    sc_core::wait(ns(500));
    EXPECT_EQ(w.sm->monitor_fires(), 0u);
    EXPECT_TRUE(w.sm->armed(5));
    for (unsigned i = 25; i < 32; ++i) w.sm->sob_write(i, set(1));
    sc_core::wait(ns(500));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 1u);
}

TEST(SyncManager, SeveralMonitorsOnOneGroupFireInArmOrder) {
  World w;
  w.run([&] {
    for (unsigned m = 0; m < 4; ++m)
      w.arm(100 + m, kMemBase + 0x10, 0x10 + m, 7, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.sm->sob_write(56, add(1));
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 4u);
  EXPECT_EQ(w.mem_word(kMemBase + 0x10), 0x13u);  // the last armed wrote last
}

TEST(SyncManager, PayloadMayTargetAnotherSyncObject) {
  World w;
  w.run([&] {
    // Monitor 0 on SOB 0 increments SOB 200; monitor 1 on SOB 200 writes memory.
    w.arm(0, kSmBase + GAUDI_SM_SOB_OBJ(200), add(1), 0, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.arm(1, kMemBase + 0x500, 0xC0FFEE, 25, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.sm->sob_write(0, set(1));
    sc_core::wait(ns(200));
  });
  EXPECT_EQ(w.sm->sob(200), 1u);
  EXPECT_EQ(w.mem_word(kMemBase + 0x500), 0xC0FFEEu);
  EXPECT_EQ(w.sm->monitor_fires(), 2u);
}

TEST(SyncManager, PayloadToUnmappedAddressCountsAnError) {
  World w;
  std::vector<std::pair<unsigned, uint64_t>> errors;
  w.sm->on_error = [&](unsigned m, uint64_t a) { errors.push_back({m, a}); };
  w.run([&] {
    w.arm(9, 0xDEAD0000ull, 1, 0, only(2), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.sm->sob_write(2, set(1));
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.sm->payload_errors(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, 9u);
  EXPECT_EQ(errors[0].second, 0xDEAD0000ull);
  EXPECT_FALSE(w.sm->armed(9));
}

TEST(SyncManager, ResetClearsObjectsMonitorsAndPendingPayloads) {
  World w;
  w.run([&] {
    w.arm(2, kMemBase + 0x600, 1, 0, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.arm(3, kMemBase + 0x604, 1, 1, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.sm->sob_write(0, set(1));  // monitor 2 fires in 20 ns: reset drops it
    w.sm->sob_write(100, set(42));
    sc_core::wait(ns(5));
    w.sm->reset();
    EXPECT_EQ(w.sm->sob(100), 0u);
    EXPECT_EQ(w.rd(GAUDI_SM_MON_PAY_ADDRL(2)), 0u);
    EXPECT_EQ(w.rd(GAUDI_SM_MON_ARM(3)), 0u);
    EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(3)), 0u);
    w.sm->sob_write(8, set(1));  // monitor 3 is gone too
    sc_core::wait(ns(200));
  });
  EXPECT_EQ(w.sm->monitor_fires(), 0u);
  EXPECT_EQ(w.mem_word(kMemBase + 0x600), 0u);
}

// An idle manager holds no objects or monitors: reads, status and a reset see zeros, and the
// first write makes them (an idle card of a 1024-card run never does).
TEST(SyncManager, ObjectsAreMadeAtTheFirstWrite) {
  World w;
  EXPECT_EQ(w.rd(GAUDI_SM_SOB_OBJ(7)), 0u);
  EXPECT_EQ(w.rd(GAUDI_SM_MON_ARM(3)), 0u);
  EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(3)), 0u);
  EXPECT_FALSE(w.sm->armed(3));
  w.sm->reset();
  EXPECT_FALSE(w.sm->objects_made());
  w.run([&] {
    w.arm(3, kMemBase + 0x700, 9, 0, only(1), GAUDI_MON_MODE_GREATER_EQUAL, 2);
    EXPECT_TRUE(w.sm->objects_made());
    EXPECT_TRUE(w.sm->armed(3));
    w.sm->sob_write(1, set(2));
    sc_core::wait(ns(200));
  });
  EXPECT_EQ(w.mem_word(kMemBase + 0x700), 9u);
  EXPECT_EQ(w.sm->sob(1), 2u);
}

TEST(SyncManager, RearmingWhileAPayloadIsInFlightKeepsBoth) {
  World w;
  w.run([&] {
    w.arm(4, kMemBase + 0x700, 1, 0, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 1);
    w.sm->sob_write(0, set(1));
    sc_core::wait(ns(1));
    w.arm(4, kMemBase + 0x704, 2, 0, only(0), GAUDI_MON_MODE_GREATER_EQUAL, 2);
    sc_core::wait(ns(100));
    EXPECT_TRUE(w.sm->armed(4));  // the first payload did not disarm the second arm
    w.sm->sob_write(0, set(2));
    sc_core::wait(ns(100));
  });
  EXPECT_EQ(w.mem_word(kMemBase + 0x700), 1u);
  EXPECT_EQ(w.mem_word(kMemBase + 0x704), 2u);
  EXPECT_FALSE(w.sm->armed(4));
}

TEST(SyncManager, BadAccessesAnswerWithErrors) {
  World w;
  uint64_t v64 = 0;
  uint32_t v = 0;
  sc_core::sc_time d;
  EXPECT_EQ(bus_access(w.noc, tlm::TLM_WRITE_COMMAND, kSmBase + GAUDI_SM_SOB_OBJ(0), &v64, 8, d),
            tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(bus_access(w.noc, tlm::TLM_READ_COMMAND, kSmBase + GAUDI_SM_SOB_OBJ(0) + 2, &v, 4, d),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus_access(w.noc, tlm::TLM_READ_COMMAND, kSmBase + 0x800, &v, 4, d),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus_access(w.noc, tlm::TLM_READ_COMMAND, kSmBase + 0x5800, &v, 4, d),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(w.sm->bad_accesses(), 4u);
  EXPECT_TRUE(w.wr(GAUDI_SM_MON_STATUS(0), 0xFFFFFFFF));  // read only: ignored
  EXPECT_EQ(w.rd(GAUDI_SM_MON_STATUS(0)), 0u);
  EXPECT_TRUE(w.wr(GAUDI_SM_MON_PAY_DATA(511), 0x12345678));
  EXPECT_EQ(w.rd(GAUDI_SM_MON_PAY_DATA(511)), 0x12345678u);
  EXPECT_EQ(w.sm->sob_writes(), 0u);
}

}  // namespace
}  // namespace gs

namespace gs {
namespace {

TEST(SyncManager, CardMapsFourManagersAtTheirObjsBlocks) {
  CardParams cp;
  PcieParams pp;
  Card card("card0", cp, pp, 0, false);
  const uint32_t glbl[] = {GAUDI_BLK_SYNC_MNGR_GLBL_E_N, GAUDI_BLK_SYNC_MNGR_GLBL_E_S,
                           GAUDI_BLK_SYNC_MNGR_GLBL_W_N, GAUDI_BLK_SYNC_MNGR_GLBL_W_S};
  for (unsigned id = 0; id < 4; ++id) {
    uint64_t sob = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(glbl[id]) + GAUDI_SM_SOB_OBJ(144);
    uint32_t v = gaudi_msg_short_sob_value(10 + id, 0);
    sc_core::sc_time d;
    ASSERT_EQ(bus_access(card.noc(), tlm::TLM_WRITE_COMMAND, sob, &v, 4, d), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(card.sync_manager(id).sob(144), 10u + id);
  }
  card.hard_reset();
  for (unsigned id = 0; id < 4; ++id) EXPECT_EQ(card.sync_manager(id).sob(144), 0u);
}

}  // namespace
}  // namespace gs
