// Register protection: GAUDI's protection words (one bit per register, cleared = the
// driver's) policing user transactions, and the sync managers' driver ranges.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "models/card/reg_protection.hpp"
#include "models/common/address_router.hpp"
#include "models/common/memory_target.hpp"
#include "models/common/reg_bank.hpp"
#include "models/common/time.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/regs.h"

namespace gs {
namespace {

constexpr uint32_t kBlock = 0x508000;  // a QMAN page
constexpr uint32_t kOther = 0xC13000;  // a page without protection bits (MSI)
constexpr uint32_t kWsGlbl = GAUDI_BLK_SYNC_MNGR_GLBL_W_S;
constexpr uint64_t kMem = 0x1000000;

struct Razwi {
  uint32_t id;
  uint64_t addr;
  bool write;
};

struct World {
  AddressRouter noc{ns(1)};
  RegProtection prot;
  RegBank qm{"qm"}, msi{"msi"};
  MemoryTarget mem{"mem", 1 << 20, 100.0, ns(10)};
  SyncParams sp;
  std::unique_ptr<SyncManager> sm;
  std::vector<Razwi> razwis;
  BusInitiator user{7, "user"};

  World() {
    for (uint32_t r = 0; r < 0x100; r += 4) qm.add(r, "R" + std::to_string(r));
    msi.add(0, "MSI0");
    sm = std::make_unique<SyncManager>("sm", sp, noc);
    noc.map(GAUDI_CFG_BASE + kBlock, 0x1000, qm, "qm");
    noc.map(GAUDI_CFG_BASE + kOther, 0x1000, msi, "msi");
    noc.map(GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(kWsGlbl), SyncManager::kBlockSize, *sm, "sm");
    noc.map(kMem, 1 << 20, mem, "mem");
    prot.add_pb_block(kBlock, 0x1000);
    prot.add_self_policed(GAUDI_BLK_SYNC_MNGR_OBJS(kWsGlbl), SyncManager::kBlockSize);
    noc.filter = [this](tlm::tlm_generic_payload& gp, sc_core::sc_time& d) { return prot.filter(gp, d); };
    prot.on_razwi = [this](const BusInitiator& w, uint64_t a, bool wr) { razwis.push_back({w.id, a, wr}); };
    sm->on_razwi = [this](const BusInitiator& w, uint32_t off, bool wr) { razwis.push_back({w.id, off, wr}); };
  }
  tlm::tlm_response_status write(const BusInitiator* who, uint64_t addr, uint32_t v) {
    sc_core::sc_time d;
    return bus_access_as(who, noc, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d);
  }
  uint32_t read(uint64_t addr) {
    uint32_t v = 0xdeadbeef;
    sc_core::sc_time d;
    EXPECT_EQ(bus_access(noc, tlm::TLM_READ_COMMAND, addr, &v, 4, d), tlm::TLM_OK_RESPONSE);
    return v;
  }
  uint64_t cfg(uint32_t off) const { return GAUDI_CFG_BASE + off; }
};

TEST(RegProtection, OpenAtResetThenTheDriverProtects) {
  World w;
  EXPECT_EQ(w.write(&w.user, w.cfg(kBlock + 0x70), 1), tlm::TLM_OK_RESPONSE);  // open at reset
  // The driver leaves register 0x0C open in the first word and protects the rest.
  EXPECT_EQ(w.write(nullptr, w.cfg(kBlock + GAUDI_PROT_BITS_OFFS), 1u << (0x0C >> 2)), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.read(w.cfg(kBlock + GAUDI_PROT_BITS_OFFS)), 1u << 3);
  EXPECT_EQ(w.write(&w.user, w.cfg(kBlock + 0x0C), 0x55), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.qm.value(0x0C), 0x55u);
  EXPECT_TRUE(w.razwis.empty());
  EXPECT_EQ(w.write(&w.user, w.cfg(kBlock + 0x08), 0x66), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.qm.value(0x08), 0u) << "the write is dropped";
  ASSERT_EQ(w.razwis.size(), 1u);
  EXPECT_EQ(w.razwis[0].id, 7u);
  EXPECT_EQ(w.razwis[0].addr, w.cfg(kBlock + 0x08));
  EXPECT_TRUE(w.razwis[0].write);
  // Trusted writes pass whatever the bits say; a reset opens everything again.
  EXPECT_EQ(w.write(nullptr, w.cfg(kBlock + 0x08), 0x77), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.qm.value(0x08), 0x77u);
  w.prot.reset();
  EXPECT_EQ(w.write(&w.user, w.cfg(kBlock + 0x08), 0x88), tlm::TLM_OK_RESPONSE);
}

TEST(RegProtection, UsersNeverReachTheWordsNorPagesWithoutThem) {
  World w;
  EXPECT_EQ(w.write(&w.user, w.cfg(kBlock + GAUDI_PROT_BITS_OFFS + 4), 0), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.read(w.cfg(kBlock + GAUDI_PROT_BITS_OFFS + 4)), 0xFFFFFFFFu) << "the words are untouched";
  EXPECT_EQ(w.write(&w.user, w.cfg(kOther), 1), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.msi.value(0), 0u);
  EXPECT_EQ(w.write(nullptr, w.cfg(kOther), 1), tlm::TLM_OK_RESPONSE);  // the driver's block
  // A user read of a protected register reads zero.
  uint32_t v = 0x1234;
  sc_core::sc_time d;
  EXPECT_EQ(bus_access_as(&w.user, w.noc, tlm::TLM_READ_COMMAND, w.cfg(kOther), &v, 4, d), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(w.razwis.size(), 3u);
  // Memory is not the protection's business.
  EXPECT_EQ(w.write(&w.user, kMem + 16, 9), tlm::TLM_OK_RESPONSE);
}

TEST(RegProtection, SyncManagerKeepsTheDriversRange) {
  World w;
  const uint64_t objs = w.cfg(GAUDI_BLK_SYNC_MNGR_OBJS(kWsGlbl));
  w.sm->set_user_floor(144, 72);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(144), 3), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.sm->sob(144), 3u);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(143), 3), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_MON_ARM(71), 0), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.sm->sob(143), 0u);
  EXPECT_FALSE(w.sm->armed(71));
  ASSERT_EQ(w.razwis.size(), 2u);
  EXPECT_EQ(w.razwis[0].addr, GAUDI_SM_SOB_OBJ(143));
  EXPECT_EQ(w.write(nullptr, objs + GAUDI_SM_SOB_OBJ(143), 4), tlm::TLM_OK_RESPONSE);  // the driver's own
  EXPECT_EQ(w.sm->sob(143), 4u);
}

// The driver opens single objects of its range to users (a stream object holding reserved
// signals) and closes them again; its neighbours stay closed throughout.
TEST(RegProtection, SyncManagerOpensSingleObjectsOfTheDriversRange) {
  World w;
  const uint64_t objs = w.cfg(GAUDI_BLK_SYNC_MNGR_OBJS(kWsGlbl));
  w.sm->set_user_floor(144, 72);
  w.sm->set_user_open(128 / 32, 1u << (130 % 32));
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(130), 0x80000001u), tlm::TLM_OK_RESPONSE);  // += 1
  EXPECT_EQ(w.sm->sob(130), 1u);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(131), 1), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(129), 1), tlm::TLM_GENERIC_ERROR_RESPONSE);
  w.sm->set_user_open(128 / 32, 0);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(130), 0x80000001u), tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.sm->sob(130), 1u);
  EXPECT_EQ(w.razwis.size(), 3u);
  w.sm->set_user_open(128 / 32, 1u << (130 % 32));
  w.sm->reset();  // a hard reset closes everything again
  w.sm->set_user_floor(144, 72);
  EXPECT_EQ(w.write(&w.user, objs + GAUDI_SM_SOB_OBJ(130), 1), tlm::TLM_GENERIC_ERROR_RESPONSE);
}

// A monitor of the driver's range sends its payload trusted; a user's monitor cannot write a
// protected register through its payload.
TEST(RegProtection, MonitorPayloadsCarryTheirOwner) {
  World w;
  w.sm->set_user_floor(144, 72);
  w.sm->set_initiator(0x203, "sm");
  w.write(nullptr, w.cfg(kBlock + GAUDI_PROT_BITS_OFFS), 0);  // 0x00..0x7C protected
  auto arm = [&](unsigned mon, uint32_t reg, uint32_t data) {
    uint64_t target = w.cfg(kBlock + reg);
    w.sm->write_reg(GAUDI_SM_MON_PAY_ADDRL(mon), uint32_t(target));
    w.sm->write_reg(GAUDI_SM_MON_PAY_ADDRH(mon), uint32_t(target >> 32));
    w.sm->write_reg(GAUDI_SM_MON_PAY_DATA(mon), data);
    w.sm->write_reg(GAUDI_SM_MON_ARM(mon), 0);  // mask 0 selects group 0: all zero, fires at once
  };
  arm(10, 0x10, 0xA);
  arm(100, 0x14, 0xB);
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
  EXPECT_EQ(w.qm.value(0x10), 0xAu);
  EXPECT_EQ(w.qm.value(0x14), 0u);
  ASSERT_EQ(w.razwis.size(), 1u);
  EXPECT_EQ(w.razwis[0].id, 0x203u);
  EXPECT_EQ(w.sm->payload_errors(), 1u);
}

// Which page is which slot is shared by every instance in the process (every card adds the
// same pages); each still protects only its own pages, with its own words.
TEST(RegProtection, InstancesShareSlotsButNotPagesNorWords) {
  const uint32_t a = 0x500000, b = 0x520000;  // two DMA core blocks, two pages each
  RegProtection one, two;
  one.add_pb_block(a, 0x2000);
  two.add_pb_block(b, 0x2000);
  two.add_pb_block(a + 0x1000, 0x1000);  // a page `one` has too, added after pages `one` lacks
  EXPECT_TRUE(one.user_may_access(a + 0x1004));
  EXPECT_TRUE(two.user_may_access(a + 0x1004));
  EXPECT_FALSE(one.user_may_access(b + 4)) << "b's pages are two's only";
  EXPECT_FALSE(two.user_may_access(a + 4)) << "a's first page is one's only";
  const uint32_t closed[1] = {0};
  ASSERT_TRUE(one.write_words(GAUDI_CFG_BASE + a + 0x1000 + GAUDI_PROT_BITS_OFFS, closed, 1));
  EXPECT_FALSE(one.user_may_access(a + 0x1004));
  EXPECT_TRUE(two.user_may_access(a + 0x1004)) << "each instance has its own words";
  EXPECT_FALSE(two.write_words(GAUDI_CFG_BASE + a + GAUDI_PROT_BITS_OFFS, closed, 1));
  one.reset();
  EXPECT_TRUE(one.user_may_access(a + 0x1004));
}

// Instances whose pages hold the same words share one copy of them: a write gives the
// writer its own words and leaves the others' as they were, and an instance that goes takes
// nothing from the others.
TEST(RegProtection, EqualWordsAreSharedUntilWritten) {
  const uint32_t page = 0x500000;
  const uint64_t words = GAUDI_CFG_BASE + page + GAUDI_PROT_BITS_OFFS;
  auto one = std::make_unique<RegProtection>();
  RegProtection two, three;
  for (RegProtection* p : {one.get(), &two, &three}) p->add_pb_block(page, 0x1000);
  const uint32_t driver[2] = {0xFFFFFFF0u, 0x0000000Fu};  // registers 0-3 closed, 36-63 closed
  for (RegProtection* p : {one.get(), &two, &three}) ASSERT_TRUE(p->write_words(words, driver, 2));
  for (RegProtection* p : {one.get(), &two, &three}) {
    EXPECT_FALSE(p->user_may_access(page + 0x0));
    EXPECT_TRUE(p->user_may_access(page + 0x10));
    EXPECT_TRUE(p->user_may_access(page + 0x80));
    EXPECT_FALSE(p->user_may_access(page + 0x90));
  }
  const uint32_t open_all = 0xFFFFFFFFu;
  ASSERT_TRUE(two.write_words(words, &open_all, 1));
  EXPECT_TRUE(two.user_may_access(page + 0x0));
  EXPECT_FALSE(one->user_may_access(page + 0x0)) << "a write changes the writer's words only";
  EXPECT_FALSE(three.user_may_access(page + 0x0));
  one.reset();  // the instance goes; the words it shared stay for the others
  EXPECT_FALSE(three.user_may_access(page + 0x0));
  EXPECT_TRUE(three.user_may_access(page + 0x10));
  three.reset();
  EXPECT_TRUE(three.user_may_access(page + 0x0));
  EXPECT_FALSE(two.user_may_access(page + 0x90)) << "a reset opens the resetting instance's pages only";
}

}  // namespace
}  // namespace gs
