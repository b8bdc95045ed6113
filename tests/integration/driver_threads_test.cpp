// The driver's release worker (it finishes a close with work in flight) is made by the first
// such close, not at the probe: a card that is never closed busy costs no thread for it. The
// watchdog and the heartbeat are made at the probe.
#include <string>
#include <vector>

#include "cs_harness.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

constexpr unsigned kQ0 = GAUDI_QUEUE_ID_DMA_0_0;

// Processes whose name ends in `.<leaf>` or is `<leaf>`, anywhere in the object tree (a
// thread made during the run is a child of whichever process made it).
unsigned count_processes(const std::vector<sc_core::sc_object*>& objs, const std::string& leaf) {
  unsigned n = 0;
  for (sc_core::sc_object* o : objs) {
    const std::string name = o->name();
    const bool ends = name == leaf || (name.size() > leaf.size() && name.compare(name.size() - leaf.size() - 1, std::string::npos, "." + leaf) == 0);
    if (ends && std::string(o->kind()) == "sc_thread_process") ++n;
    n += count_processes(o->get_child_objects(), leaf);
  }
  return n;
}
unsigned processes(const std::string& leaf) { return count_processes(sc_core::sc_get_top_level_objects(), leaf); }

TEST(DriverThreads, TheFirstCloseWithWorkInFlightMakesTheReleaseWorker) {
  CsWorld w;
  HostBuffer src(8 << 20);
  unsigned tdr = 9, hb = 9, rel_before = 9;
  int st = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t d_src = 0, hbm = 0;
    ASSERT_EQ(t.map_host(fd, src.data(), src.size(), &d_src), 0);
    ASSERT_EQ(t.mem_alloc(fd, src.size(), &hbm), 0);
    UserCb small(t, fd);
    small.b.lin_dma(d_src, hbm, 4096);
    st = run_one(t, fd, kQ0, small.handle, small.b.size());
    tdr = processes("hl0_tdr");
    hb = processes("hl0_heartbeat");
    rel_before = processes("hl0_release");
    UserCb big(t, fd);  // still in flight when the user closes
    big.b.lin_dma(d_src, hbm, uint32_t(src.size()));
    uint64_t seq;
    ASSERT_EQ(t.submit(fd, {{kQ0, big.handle, big.b.size()}}, &seq), 0);
    ASSERT_EQ(t.close(fd), 0);
  });
  ASSERT_TRUE(w.body_done);
  EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(tdr, 1u);
  EXPECT_EQ(hb, 1u);
  EXPECT_EQ(rel_before, 0u);
  EXPECT_TRUE(w.logged("device still in use after its user closed it"));
  EXPECT_EQ(processes("hl0_release"), 1u);
  EXPECT_EQ(processes("hl0_tdr"), 1u);
}

}  // namespace
}  // namespace gs::test
