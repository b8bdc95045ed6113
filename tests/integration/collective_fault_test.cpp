// Failures under the communication library (driver/lib/comm): a cable of the box cut in the
// middle of an all-reduce must end in an error on every rank, never a hang, and after the
// cable is back a new communicator must give the right sums again.
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <systemc>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "integration_helpers.hpp"
#include "models/nic/nic_port.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/workloads/collective_data.hpp"

namespace gs::test {
namespace {

constexpr uint64_t kSeed = 7;

// A rank's device buffers and the pinned host buffer it stages them through.
struct RankBuffers {
  hlthunk::Thunk& t;
  int fd;
  uint64_t bytes, send = 0, recv = 0, host_dev = 0, cb = 0;
  void* cb_cpu = nullptr;
  uint8_t* host = nullptr;

  RankBuffers(hlthunk::Thunk& th, int f, uint64_t b) : t(th), fd(f), bytes(b) {
    host = static_cast<uint8_t*>(std::aligned_alloc(4096, b));
    EXPECT_EQ(t.mem_alloc(fd, b, &send), 0);
    EXPECT_EQ(t.mem_alloc(fd, b, &recv), 0);
    EXPECT_EQ(t.map_host(fd, host, b, &host_dev), 0);
    EXPECT_EQ(t.cb_create(fd, 4096, &cb), 0);
    cb_cpu = t.cb_map(fd, cb, 4096);
    EXPECT_NE(cb_cpu, nullptr);
  }
  ~RankBuffers() {
    t.cb_destroy(fd, cb);
    t.unmap_host(fd, host_dev);
    t.mem_free(fd, send);
    t.mem_free(fd, recv);
    std::free(host);
  }
  int dma(uint64_t src, uint64_t dst) {
    hlthunk::CbBuilder b(cb_cpu, 4096);
    b.lin_dma(src, dst, uint32_t(bytes), true);
    uint32_t st = 0;
    int rc = t.run(fd, {{GAUDI_QUEUE_ID_DMA_0_0, cb, b.size()}}, 1'000'000, &st);
    return rc ? rc : st == HL_WAIT_CS_STATUS_COMPLETED ? 0 : -EIO;
  }
  int upload(unsigned rank) {
    colldata::fill(host, false, kSeed, rank, 0, bytes / 4);
    return dma(host_dev, send);
  }
  // Elements of recv that differ from the sum over `n` ranks.
  uint64_t wrong(unsigned n) {
    if (dma(recv, host_dev)) return ~0ull;
    uint64_t w = 0;
    for (uint64_t i = 0; i < bytes / 4; ++i) w += colldata::load(host, false, i) != colldata::sum(false, kSeed, n, i);
    return w;
  }
};

hlcomm::CommConfig config(unsigned card) {
  hlcomm::CommConfig c;
  c.node = "box0";
  c.port_ipv4 = [card](unsigned port) { return gaudi_ip(0, card, port); };
  return c;
}

// One rank's turn on its card: open it (retrying while the previous context is still being
// released), create a communicator and upload the rank's data; `body` runs collectives; then
// everything is torn down and the device closed.
void with_communicator(Host& h, hlthunk::Thunk& t, hlcomm::Bootstrap& bs, unsigned k, uint64_t bytes,
                       const std::function<void(hlcomm::Communicator&, RankBuffers&)>& body) {
  int fd;
  while ((fd = t.open(k)) == -EBUSY) h.os().sleep_ns(100'000);
  ASSERT_GE(fd, 0);
  std::unique_ptr<hlcomm::Communicator> comm;
  EXPECT_EQ(hlcomm::Communicator::create(t, fd, bs, config(k), &comm), 0);
  if (comm) {
    RankBuffers b(t, fd, bytes);
    EXPECT_EQ(b.upload(k), 0);
    EXPECT_EQ(bs.barrier(), 0);
    body(*comm, b);
  }
  comm.reset();
  t.close(fd);
}

// Card 0's port 0 is the cable to card 1 (the HLS-1 wiring). It is cut once card 0 has sent
// 128 KiB of an 8 MiB all-reduce (its first piece to card 1 is on the wire), for good: the
// QPs of both ends spend their retry budget (1.6 ms) and go to error, so cards 0 and 1 see
// -EIO; the others wait for pieces that never come until the driver's watchdog
// (driver.cs_timeout_ms) resets their card: -ETIMEDOUT. The broken communicator then
// refuses the next call on every rank. The cable comes back; every rank closes its device
// (a card left busy is reset), reopens it and builds a new communicator, whose all-reduce is
// checked element by element against the host's sums.
TEST(CollectiveFaults, LinkDownMidAllReduceFailsEveryRankAndTheNextCommunicatorIsRight) {
  constexpr unsigned n = 8;
  constexpr uint64_t kBytes = 8 << 20;
  SimParams p;
  p.fast_boot();
  p.topology.cards = n;
  p.driver.cs_timeout_ms = 20;
  System sys(p, false);
  Host& h = *sys.hosts()[0];
  hlcomm::InProcessGroup group(h.os(), int(n));
  std::vector<int> first(n, 1), refused(n, 1), recovered(n, 1);
  std::vector<uint64_t> failed_ns(n, 0), wrong(n, ~0ull);
  uint64_t cut_ns = 0, sent_at_cut = 0, qp_errors = 0;
  unsigned reported = 0;

  h.spawn_process("cutter", [&] {
    NicPort& nic = sys.cards()[0]->nic(0);
    while (nic.counters().tx_payload_bytes < (128u << 10)) sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));
    sent_at_cut = nic.counters().tx_payload_bytes;
    cut_ns = h.os().now_ns();
    sys.fabric().set_link_up(0, 0, false);
    while (reported < n) sc_core::wait(sc_core::sc_time(100, sc_core::SC_US));
    sys.fabric().set_link_up(0, 0, true);
    group.publish("link up", 1);
  });
  for (unsigned k = 0; k < n; ++k)
    h.spawn_process("rank" + std::to_string(k), [&, k] {
      hlthunk::Thunk t(h.driver(), 900 + int(k));
      hlcomm::InProcessBootstrap bs(group, int(k));
      with_communicator(h, t, bs, k, kBytes, [&](hlcomm::Communicator& comm, RankBuffers& b) {
        first[k] = comm.all_reduce(b.send, b.recv, kBytes / 4, hlcomm::DataType::f32);
        failed_ns[k] = h.os().now_ns();
        if (k == 0) qp_errors = sys.cards()[0]->nic(0).counters().qp_errors;  // before the reset clears them
        ++reported;
        EXPECT_EQ(comm.failed(), first[k]);
        refused[k] = comm.all_reduce(b.send, b.recv, kBytes / 4, hlcomm::DataType::f32);
      });
      group.await("link up");
      with_communicator(h, t, bs, k, kBytes, [&](hlcomm::Communicator& comm, RankBuffers& b) {
        recovered[k] = comm.all_reduce(b.send, b.recv, kBytes / 4, hlcomm::DataType::f32);
        wrong[k] = b.wrong(n);
      });
    });
  ASSERT_TRUE(sys.run()) << "something hung until the time guard";

  EXPECT_GT(cut_ns, 0u);
  EXPECT_LT(sent_at_cut, kBytes / n);  // card 1's share had not all left
  for (unsigned k = 0; k < n; ++k) {
    SCOPED_TRACE("rank " + std::to_string(k));
    EXPECT_EQ(first[k], k < 2 ? -EIO : -ETIMEDOUT);
    // Reported within the retry budget (ends of the cable) or the watchdog's timeout.
    EXPECT_GT(failed_ns[k], cut_ns);
    EXPECT_LT(failed_ns[k] - cut_ns, (k < 2 ? 3ull : 25ull) * 1'000'000);
    EXPECT_EQ(refused[k], -ECONNABORTED);
    EXPECT_EQ(recovered[k], 0);
    EXPECT_EQ(wrong[k], 0u);
  }
  EXPECT_GT(qp_errors, 0u);
  EXPECT_TRUE(sys.logger().contains("QP error on NIC port 0"));
}

}  // namespace
}  // namespace gs::test
