// Bad TPC launches are refused at the LAUNCH write (which the QMAN turns into its error
// event), failures while a kernel runs are reported through ERR_CAUSE, on_error and the
// engine's sync point; nothing crashes and the core keeps working afterwards.
#include "tpc_world.hpp"

namespace gs::test {
namespace {

using hlthunk::tensor;
using hlthunk::tpc_kernel;

constexpr uint64_t kIn = kData, kOut = kData + 0x10000;

gsim_tpc_desc good() {
  return tpc_kernel(GSIM_TPC_RELU, {tensor(kIn, GSIM_DTYPE_FP32, {256})}, tensor(kOut, GSIM_DTYPE_FP32, {256}));
}

// Launches `d` at `desc_addr`, expects a refusal with `cause`, then a good kernel runs.
void expect_refused(gsim_tpc_desc d, uint32_t cause, uint64_t desc_addr = 0,
                    std::function<void(ComputeWorld&)> setup = nullptr) {
  ComputeWorld w;
  w.add_hbm();
  TpcCore& tpc = w.add_tpc(0);
  if (setup) setup(w);
  if (!desc_addr) desc_addr = w.put_desc(d);
  else w.hbm->store().write(desc_addr, &d, sizeof d);
  bool first = true, second = false;
  uint32_t cause_reg = 0, cleared = 1;
  w.run([&] {
    first = w.launch_tpc(0, desc_addr);
    cause_reg = w.rd(w.tpc_reg(0, GSIM_ENG_ERR_CAUSE));
    w.wr(w.tpc_reg(0, GSIM_ENG_ERR_CAUSE), cause_reg);  // write 1 to clear
    cleared = w.rd(w.tpc_reg(0, GSIM_ENG_ERR_CAUSE));
    second = w.launch_tpc(0, w.put_desc(good()));
    w.wait_idle(tpc);
  });
  EXPECT_FALSE(first) << "the LAUNCH write must fail";
  EXPECT_EQ(cause_reg, cause);
  EXPECT_EQ(cleared, 0u);
  EXPECT_TRUE(second);
  EXPECT_EQ(tpc.launches_refused(), 1u);
  EXPECT_EQ(tpc.kernels_done(), 1u);
}

TEST(TpcErrors, MisalignedDescriptorIsRefused) { expect_refused(good(), GSIM_ENG_ERR_ALIGN, kDesc + 0x804); }

TEST(TpcErrors, MisalignedTensorIsRefused) {
  auto d = good();
  d.output.addr += 2;  // fp32 needs 4-byte alignment
  expect_refused(d, GSIM_ENG_ERR_ALIGN);
}

TEST(TpcErrors, UnknownKernelIsRefused) {
  auto d = good();
  d.kernel = 42;
  expect_refused(d, GSIM_ENG_ERR_KERNEL);
}

TEST(TpcErrors, WrongMagicOrInputCountIsRefused) {
  auto d = good();
  d.num_inputs = 2;
  expect_refused(d, GSIM_ENG_ERR_DESC_BAD);
}

TEST(TpcErrors, MismatchedShapesAreRefused) {
  auto d = tpc_kernel(GSIM_TPC_ADD, {tensor(kIn, GSIM_DTYPE_FP32, {256}), tensor(kIn, GSIM_DTYPE_FP32, {128, 2})},
                      tensor(kOut, GSIM_DTYPE_FP32, {256}));
  expect_refused(d, GSIM_ENG_ERR_SHAPE);
}

TEST(TpcErrors, BroadcastOutputIsRefused) {
  auto d = good();
  d.output.stride[0] = 0;
  expect_refused(d, GSIM_ENG_ERR_SHAPE);
}

TEST(TpcErrors, TensorOutsideUserMemoryIsRefused) {
  auto d = good();
  d.output.addr = 0x1000;  // below the user range the card allows
  expect_refused(d, GSIM_ENG_ERR_RANGE, 0, [](ComputeWorld& w) {
    w.tpcs[0]->user_memory = [](uint64_t a, uint64_t n) { return a >= kDesc && a + n <= (1ull << 30); };
  });
}

TEST(TpcErrors, UnreadableDescriptorIsRefused) {
  ComputeWorld w;
  w.add_hbm();
  TpcCore& tpc = w.add_tpc(0);
  bool ok = true;
  w.run([&] { ok = w.launch_tpc(0, 0x4000000000ull); });  // nothing mapped there
  EXPECT_FALSE(ok);
  EXPECT_EQ(tpc.err_cause(), GSIM_ENG_ERR_DESC_READ);
  EXPECT_EQ(tpc.last_error_address(), 0x4000000000ull);
}

TEST(TpcErrors, CompletionIntoARegisterBlockIsRefused) {
  ComputeWorld w;
  w.add_hbm();
  TpcCore& tpc = w.add_tpc(0);
  bool ok = true;
  w.run([&] {
    hlthunk::Completion c{ComputeWorld::tpc_reg(0, GSIM_ENG_LAUNCH), 1};  // would launch itself
    ok = w.launch_tpc(0, w.put_desc(good()), c);
  });
  EXPECT_FALSE(ok);
  EXPECT_EQ(tpc.err_cause(), GSIM_ENG_ERR_RANGE);
}

TEST(TpcErrors, BusErrorWhileRunningFailsTheKernelAndTheSyncPoint) {
  ComputeWorld w;
  w.add_hbm();
  w.add_sm();
  TpcCore& tpc = w.add_tpc(0);
  std::vector<uint32_t> reported;
  tpc.on_error = [&](unsigned, uint32_t cause) { reported.push_back(cause); };
  auto bad = good();
  bad.input[0].addr = (1ull << 30) - 512;  // runs past the end of HBM: no window holds it
  int sync1 = -1, sync2 = -1;
  w.run([&] {
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(bad), hlthunk::sob_increment(200)));  // nobody checks at launch
    tpc.start_lin_dma(gaudi_pkt_lin_dma(0, 0, 0, 0, 0, 0), [&](bool ok) { sync1 = ok; });
    w.wait_idle(tpc);
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(good())));
    tpc.start_lin_dma(gaudi_pkt_lin_dma(0, 0, 0, 0, 0, 0), [&](bool ok) { sync2 = ok; });
    w.wait_idle(tpc);
  });
  EXPECT_EQ(sync1, 0) << "the sync point reports the failed kernel";
  EXPECT_EQ(sync2, 1) << "and only once";
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0], GSIM_ENG_ERR_BUS_RD);
  EXPECT_EQ(w.sm->sob(200), 0u) << "no completion for a failed kernel";
  EXPECT_EQ(tpc.kernels_failed(), 1u);
  EXPECT_EQ(tpc.kernels_done(), 1u);
}

TEST(TpcErrors, NonZeroLinDmaIsRefused) {
  ComputeWorld w;
  w.add_hbm();
  TpcCore& tpc = w.add_tpc(0);
  EXPECT_FALSE(tpc.start_lin_dma(gaudi_pkt_lin_dma(kIn, kOut, 64, 0, 0, 0), nullptr));
}

TEST(TpcErrors, ResetAbortsTheRunningKernelAndDropsQueuedOnes) {
  ComputeWorld w;
  w.add_hbm(10);  // slow memory: the kernel is still running when the reset comes
  TpcCore& tpc = w.add_tpc(0);
  const uint32_t n = 1 << 20;
  auto d = tpc_kernel(GSIM_TPC_RELU, {tensor(kIn, GSIM_DTYPE_FP32, {n})}, tensor(kIn + 4 * n, GSIM_DTYPE_FP32, {n}));
  int sync = -1;
  w.run([&] {
    uint64_t at = w.put_desc(d);
    EXPECT_TRUE(w.launch_tpc(0, at));
    EXPECT_TRUE(w.launch_tpc(0, at));
    tpc.start_lin_dma(gaudi_pkt_lin_dma(0, 0, 0, 0, 0, 0), [&](bool ok) { sync = ok; });
    sc_core::wait(ns(20000));
    EXPECT_FALSE(tpc.idle());
    tpc.reset();
    w.wait_idle(tpc);
  });
  EXPECT_EQ(sync, 0);
  EXPECT_EQ(tpc.kernels_done(), 0u);
  EXPECT_TRUE(tpc.idle());
  EXPECT_LT(sc_core::sc_time_stamp(), us(100)) << "the aborted kernel stopped at once";
}

}  // namespace
}  // namespace gs::test
