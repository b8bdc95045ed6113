// Faults a user injects (fault.script / fault.events, docs/reliability.md): each is put
// into the hardware models at its simulated time, the driver reacts as the real one does,
// and nothing is lost without the user being told. One test per fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cs_harness.hpp"
#include "integration_helpers.hpp"
#include "models/nic/nic_port.hpp"
#include "specs/gaudi/events.h"
#include "specs/gaudi/nic.h"
#include "testbench/run.hpp"
#include "testbench/checks/config_checks.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

// A whole workload with faults, in this process.
struct FaultRun {
  SimParams p;
  std::unique_ptr<System> sys;
  std::unique_ptr<Workload> wl;
  nlohmann::json rec;
  std::string table;
  int rc = -1;
  bool finished = false;

  FaultRun() {
    p.fast_boot();
    p.sim.max_time_ms = 2000;
    p.driver.cs_timeout_ms = 20;
    p.topology.cards = 2;
    p.fabric.kind = "pair";
    p.workload.name = "rdma-bw";
    p.rdma.bytes = 16 << 20;  // about 1.4 ms on the wire
  }
  void run(const std::string& faults) {
    p.fault.events = faults;
    check_config(p);
    sys = std::make_unique<System>(p, false);
    wl = make_workload(p.workload.name);
    wl->setup(*sys);
    finished = sys->run();
    std::ostringstream out;
    rc = gs::report_run(*wl, *sys, out, rec);
    table = out.str();
    if (faults.empty() && p.fault.script.empty()) return;  // no injector: fabric rates only
    ASSERT_NE(sys->faults(), nullptr);
    rec["faults"] = sys->faults()->stats();
  }
  const nlohmann::json& card(unsigned c) const { return rec["faults"]["cards"][c]; }
  uint64_t injected(const std::string& k) const {
    auto& i = rec["faults"]["injected"];
    return i.contains(k) ? i[k].get<uint64_t>() : 0;
  }
  bool all_verified() const {
    for (const auto& pr : rec["results"])
      if (!pr["verified"].get<bool>()) return false;
    return !rec["results"].empty();
  }
  bool logged(const std::string& s) const { return sys->logger().contains(s); }
};

// FaultRun's rdma-bw sends from about 1.77 ms to 3.14 ms of simulated time (after both
// probes, connect and upload; `--set sim.trace=...` shows the window): faults at 2.3 ms hit
// the transfer in the middle. Flaps and storms from 1.7 ms last into it.
TEST(Faults, LinkDownAndBackUpInTimeLosesNothing) {
  FaultRun r;
  r.run("2300us link_down card0.port0; 2450us link_up card0.port0");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.all_verified()) << r.table;
  EXPECT_EQ(r.injected("link_down"), 1u);
  EXPECT_EQ(r.injected("link_up"), 1u);
  EXPECT_GT(r.card(0)["nic_retransmissions"].get<uint64_t>(), 0u);  // go-back-N filled the gap
  EXPECT_TRUE(r.logged("NIC port 0 link down"));
  EXPECT_TRUE(r.logged("NIC port 0 link up"));
}

TEST(Faults, LinkDownForGoodEndsInAQpErrorWithItsSyndrome) {
  FaultRun r;
  r.run("2300us link_down card0.port0");
  ASSERT_TRUE(r.finished) << "a dead link must not hang the run";
  EXPECT_EQ(r.rc, 1);
  EXPECT_GT(r.card(0)["nic_qp_errors"].get<uint64_t>(), 0u);
  EXPECT_TRUE(r.logged("error, syndrome " + std::to_string(GSIM_NIC_ERR_RETRY_EXCEEDED))) << r.table;
  EXPECT_THAT(r.table, HasSubstr("RDMA CS: -EIO: Input/output error; QP "));
  EXPECT_THAT(r.table, HasSubstr(" on port 0: RETRY_EXCEEDED"));  // the row says which QP and why
}

TEST(Faults, LinkFlappingIsRiddenOut) {
  FaultRun r;
  r.run("1700us link_flap card0.port0 down=20us up=150us count=4 jitter=0.3");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.all_verified());
  EXPECT_EQ(r.injected("link_down"), 4u);
  EXPECT_EQ(r.injected("link_up"), 4u);
}

// Corrupted frames reach the receiver, which drops them on the bad checksum; go-back-N
// resends from there and the bytes arrive right (loss: Rdma.LossyLinkStillDeliversTheRightBytes...).
TEST(Faults, CorruptedFramesAreDroppedAndResentNothingLost) {
  FaultRun r;
  r.p.fabric.corrupt_rate = 1e-3;  // about 4 of the 16 MiB write's 4100 frames
  r.run("");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.all_verified()) << r.table;
  EXPECT_GT(r.rec["stats"]["links"]["corrupted"].get<uint64_t>(), 0u);
  EXPECT_GT(r.sys->cards()[0]->nic(0).counters().retransmissions, 0u);
}

TEST(Faults, PauseStormStopsTheSenderAndEndsInRetryExceeded) {
  FaultRun r;
  r.p.topology.hosts = 2;
  r.p.topology.cards = 1;
  r.p.fabric.kind = "boxes";  // card 0's port 1 is on leaf 0 (switch0) port 0
  r.run("1700us pause_storm switch0.port0");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 1);
  EXPECT_GT(r.card(0)["nic_pause_frames_received"].get<uint64_t>(), 0u);
  EXPECT_GT(r.card(0)["nic_qp_errors"].get<uint64_t>(), 0u);
  EXPECT_TRUE(r.logged("error, syndrome " + std::to_string(GSIM_NIC_ERR_RETRY_EXCEEDED)));
}

TEST(Faults, ShortPauseStormOnlyDelays) {
  FaultRun r;
  r.p.topology.hosts = 2;
  r.p.topology.cards = 1;
  r.p.fabric.kind = "boxes";
  r.run("1700us pause_storm switch0.port0 duration=300us");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.all_verified());
  EXPECT_EQ(r.injected("pause_storm"), 1u);
  EXPECT_EQ(r.injected("pause_storm_end"), 1u);
}

TEST(Faults, NicThatStopsAnsweringFailsThePeerAndIsResetByTheWatchdog) {
  FaultRun r;
  r.run("100us nic_hang card1.port0");
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.rc, 1);
  EXPECT_GT(r.card(0)["nic_qp_errors"].get<uint64_t>(), 0u);  // the sender: retry exceeded
  EXPECT_EQ(r.card(1)["driver_hard_resets"].get<uint64_t>(), 1u);  // the hung side: CS timeout, reset
  EXPECT_THAT(r.card(1)["last_reset_reason"].get<std::string>(), HasSubstr("did not complete"));
  EXPECT_FALSE(r.sys->cards()[1]->nic(0).hung());  // the reset brought it back
}

// DMA from a host buffer to HBM and back; returns the WAIT_CS status of the second leg.
struct RoundTrip {
  HostBuffer src{4096}, dst{4096};
  uint64_t hbm = 0, s = 0, d = 0;
  explicit RoundTrip(hlthunk::Thunk& t, int fd) {
    src.fill_pattern(7);
    EXPECT_EQ(t.mem_alloc(fd, 4096, &hbm), 0);
    EXPECT_EQ(t.map_host(fd, src.data(), 4096, &s), 0);
    EXPECT_EQ(t.map_host(fd, dst.data(), 4096, &d), 0);
  }
  int leg(hlthunk::Thunk& t, int fd, uint64_t from, uint64_t to) {
    UserCb cb(t, fd);
    cb.b.lin_dma(from, to, 4096, true);
    return run_one(t, fd, GAUDI_QUEUE_ID_DMA_0_0, cb.handle, cb.b.size(), 200000);
  }
  bool same() { return std::equal(src.data(), src.data() + 4096, dst.data()); }
};

TEST(Faults, HungEngineIsResetAndTheCardWorksAgain) {
  CsWorld w;
  w.params.driver.cs_timeout_ms = 10;
  w.params.fault.events = "0us engine_hang card0.dma0";
  int first = -1, second = -1;
  bool same = false;
  w.run([&](hlthunk::Thunk& t, int fd) {
    RoundTrip rt(t, fd);
    first = rt.leg(t, fd, rt.s, rt.hbm);
    second = rt.leg(t, fd, rt.s, rt.hbm);
    EXPECT_EQ(rt.leg(t, fd, rt.hbm, rt.d), HL_WAIT_CS_STATUS_COMPLETED);
    same = rt.same();
  });
  ASSERT_TRUE(w.finished);
  EXPECT_EQ(first, -ETIMEDOUT);
  EXPECT_EQ(second, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(same);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_EQ(w.sys->faults()->injected(FaultKind::engine_hang), 1u);
}

// The flip lands 3 ms in, after the data was written and before it is read back.
void hbm_round_trip_with_flip(CsWorld& w, unsigned bits, int* back, bool* same) {
  w.params.fault.events = "3ms hbm_flip card0 addr=0x20000000 bits=" + std::to_string(bits);
  w.run([&](hlthunk::Thunk& t, int fd) {
    RoundTrip rt(t, fd);
    ASSERT_EQ(rt.hbm, 0x20000000u);
    ASSERT_EQ(rt.leg(t, fd, rt.s, rt.hbm), HL_WAIT_CS_STATUS_COMPLETED);
    sc_core::wait(sc_core::sc_time(3, sc_core::SC_MS));
    *back = rt.leg(t, fd, rt.hbm, rt.d);
    *same = rt.same();
  });
}

TEST(Faults, HbmSingleBitFlipIsCorrectedAndReported) {
  CsWorld w;
  int back = -1;
  bool same = false;
  hbm_round_trip_with_flip(w, 1, &back, &same);
  ASSERT_TRUE(w.finished);
  EXPECT_EQ(back, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(same);  // corrected
  EXPECT_EQ(w.device().events_aggregate()[GSIM_EVENT_HBM_SERR], 1u);
  EXPECT_EQ(w.device().hard_resets(), 0u);
  EXPECT_TRUE(w.logged("HBM ECC corrected (single-bit) error at address 0x20000000"));
}

TEST(Faults, HbmDoubleBitFlipFailsTheReaderAndResetsTheCard) {
  CsWorld w;
  int back = -1;
  bool same = true;
  hbm_round_trip_with_flip(w, 2, &back, &same);
  ASSERT_TRUE(w.finished);
  EXPECT_NE(back, HL_WAIT_CS_STATUS_COMPLETED);  // never a silent success with bad data
  EXPECT_EQ(w.device().events_aggregate()[GSIM_EVENT_HBM_DERR], 1u);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_THAT(w.device().last_reset_reason(), HasSubstr("uncorrectable"));
}

TEST(Faults, DeviceCpuThatStopsAnsweringIsFoundByTheHeartbeat) {
  CsWorld w;
  w.params.driver.heartbeat_ms = 2;
  w.params.fault.events = "3ms cpu_hang card0";
  int after = -1;
  bool same = false;
  int stuck = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    UserCb wait_forever(t, fd);  // work in flight: a fence nobody releases
    wait_forever.b.fence(0, 1, 1);
    stuck = run_one(t, fd, GAUDI_QUEUE_ID_DMA_0_0, wait_forever.handle, wait_forever.b.size(), 100000);
    RoundTrip rt(t, fd);
    rt.leg(t, fd, rt.s, rt.hbm);
    after = rt.leg(t, fd, rt.hbm, rt.d);
    same = rt.same();
  });
  ASSERT_TRUE(w.finished) << "the heartbeat must stop when no work is in flight";
  EXPECT_NE(stuck, HL_WAIT_CS_STATUS_COMPLETED);  // aborted by the reset
  EXPECT_EQ(w.device().heartbeat_failures(), 1u);
  EXPECT_EQ(w.device().hard_resets(), 1u);
  EXPECT_THAT(w.device().last_reset_reason(), HasSubstr("heartbeat lost"));
  EXPECT_FALSE(w.card().cpu().hung());
  EXPECT_EQ(after, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_TRUE(same);
}

TEST(Faults, ScriptFileSchedulesSeveralFaults) {
  TempDir dir;
  std::string script = dir.write("faults.txt", "# two flaps and a storm-free link\n"
                                               "1700us link_flap card0.port0 down=20us up=100us count=2 jitter=0.5\n"
                                               "2300us link_down card1.port3\n2400us link_up card1.port3\n");
  FaultRun r;
  r.p.fault.script = script;
  r.run("");
  EXPECT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.all_verified());
  EXPECT_EQ(r.injected("link_down"), 3u);
  EXPECT_EQ(r.injected("link_up"), 3u);
  EXPECT_EQ(r.rec["faults"]["log"].size(), 6u);  // in time order: determinism is Gaudisim.FaultsAreCountedInTheRecord
}

}  // namespace
}  // namespace gs::test
