// The driver's checked copies of small CBs share pages: slots of its kernel CB pool, reused
// when their jobs end; a copy larger than a slot, or every copy with the pool off, gets a
// DMA-coherent buffer (a host region) of its own.
#include <cerrno>

#include "cs_harness.hpp"

namespace gs::test {
namespace {

constexpr unsigned kExternal = GAUDI_QUEUE_ID_DMA_0_0;
constexpr unsigned kInternal = GAUDI_QUEUE_ID_DMA_2_0;

struct Regions {
  size_t before = 0, first = 0, second = 0, big = 0, after = 0;
  uint32_t status[3] = {99, 99, 99};
};

// Three CSs, each an internal job (a CB in mapped host memory) and an external one: two of
// a few packets, then one whose external CB is larger than a slot. Counts the host regions
// while each is in flight and after the last.
Regions run_three(CsWorld& w) {
  Regions r;
  w.run([&](hlthunk::Thunk& t, int fd) {
    MappedHostCb in(t, fd);
    in.b.nop();
    UserCb small(t, fd), large(t, fd);
    small.b.nop();
    for (int i = 0; i < 100; ++i) large.b.nop();  // 800 bytes
    HostMemory& mem = w.sys->hosts()[0]->rc().memory();
    r.before = mem.region_count();
    size_t* during[3] = {&r.first, &r.second, &r.big};
    for (int k = 0; k < 3; ++k) {
      const UserCb& ext = k < 2 ? small : large;
      uint64_t seq = 0;
      ASSERT_EQ(t.submit(fd, {{kInternal, in.dev_addr, in.b.size()}, {kExternal, ext.handle, ext.b.size()}}, &seq), 0);
      *during[k] = mem.region_count();
      ASSERT_EQ(t.wait_cs(fd, seq, 1000000, &r.status[k]), 0);
    }
    r.after = mem.region_count();
  });
  return r;
}

TEST(KernelCbPool, SmallCopiesShareAPooledPageThatIsReused) {
  CsWorld w;
  Regions r = run_three(w);
  EXPECT_TRUE(w.body_done);
  for (uint32_t st : r.status) EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  EXPECT_EQ(r.first, r.before + 1);   // both copies in the pool's one block
  EXPECT_EQ(r.second, r.before + 1);  // more slots of it (the external copy's again)
  EXPECT_EQ(r.big, r.before + 2);     // the 800-byte copy: a buffer of its own
  EXPECT_EQ(r.after, r.before + 1);   // the pool keeps its block
}

TEST(KernelCbPool, WithoutThePoolEveryCopyHasItsOwnBuffer) {
  CsWorld w;
  w.params.driver.kernel_cb_slot_bytes = 0;
  Regions r = run_three(w);
  EXPECT_TRUE(w.body_done);
  for (uint32_t st : r.status) EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  // An internal job's copy is kept past its CS (a held stream may still read it, after the
  // external job completed the CS): each CS leaves one.
  EXPECT_EQ(r.first, r.before + 2);
  EXPECT_EQ(r.second, r.before + 3);
  EXPECT_EQ(r.big, r.before + 4);
  EXPECT_EQ(r.after, r.before + 3);
}

}  // namespace
}  // namespace gs::test
