// Engine-initiated RDMA between two cards back to back: bytes land exactly, each message
// signals the remote sync object once (and the local one after the ACK), goodput against the
// framing bound, recovery from loss and corruption.
#include <chrono>
#include <cstdio>

#include "models/fabric/pfc.hpp"
#include "nic_world.hpp"

namespace gs::test {
namespace {

constexpr uint64_t kSrc = kUser + 0x1000000, kDst = kUser + 0x8000000;

TEST(NicRdma, OneMiBWriteLandsAndSignalsEachSideOnce) {
  NicWorld w;
  w.build();
  const uint64_t len = 1 << 20;
  NicWorld::fill_pattern(*w.a, kSrc, len, 1);
  Conn k;
  w.run([&] {
    w.setup(k);
    NicWorld::post(*w.a, gsim_nic_rdma_write(k.qp_a, kSrc, kDst, uint32_t(len), 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
  });
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst, len));
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 1u);  // the receiving card's object, once
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 1u);  // the sender's, once the ACK came
  EXPECT_EQ(NicWorld::sob(*w.a, 200), 0u);
  EXPECT_EQ(NicWorld::sob(*w.b, 300), 0u);
  // Requester CQ entry on A (WQE index 0), responder entry on B (message id 1).
  auto [a0, a1] = NicWorld::cqe(*w.a, 0);
  EXPECT_EQ(a0, gsim_nic_cqe_word0(k.qp_a, 0, GSIM_NIC_CQE_TYPE_REQ));
  EXPECT_EQ(a1, 0u);
  auto [b0, b1] = NicWorld::cqe(*w.b, 0);
  EXPECT_EQ(b0, gsim_nic_cqe_word0(k.qp_b, 0, GSIM_NIC_CQE_TYPE_RES));
  EXPECT_EQ(b1, 1u);
  EXPECT_EQ(w.na().cq_pi(), 1u);
  EXPECT_EQ(w.nb().cq_pi(), 1u);
  const NicCounters& ca = w.na().counters();
  const NicCounters& cb = w.nb().counters();
  EXPECT_EQ(ca.tx_payload_bytes, len);
  EXPECT_EQ(cb.rx_payload_bytes, len);
  EXPECT_EQ(ca.msgs_sent, 1u);
  EXPECT_EQ(cb.msgs_received, 1u);
  EXPECT_EQ(ca.retransmissions + ca.timeouts + cb.naks_sent + cb.rx_drops, 0u);
  EXPECT_EQ(ca.tx_frames, len / 4096);  // 256 packets, PSNs across the 24-bit wrap
  EXPECT_GT(cb.acks_sent, 0u);
  EXPECT_LE(cb.acks_sent, len / 4096 / w.cp.nic.ack_every + 1);  // coalesced
  EXPECT_EQ(w.na().outstanding_wqes(), 0u);
  EXPECT_TRUE(w.na().idle());
}

TEST(NicRdma, SeveralMessagesKeepOrderAndCountMessageIds) {
  NicWorld w;
  w.build();
  NicWorld::fill_pattern(*w.a, kSrc, 64 << 10, 2);
  Conn k;
  const uint32_t sizes[] = {1, 4095, 4096, 4097, 3 * 4096 + 5};
  w.run([&] {
    w.setup(k);
    uint64_t off = 0;
    for (uint32_t n : sizes) {
      NicWorld::post(*w.a, gsim_nic_rdma_write(k.qp_a, kSrc + off, kDst + off, n, 1, 150, 1, 151));
      off += n;
    }
    NicWorld::wait_idle(w.na());
  });
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst, 1 + 4095 + 4096 + 4097 + 3 * 4096 + 5));
  EXPECT_EQ(NicWorld::sob(*w.b, 150), 5u);
  EXPECT_EQ(NicWorld::sob(*w.a, 151), 5u);
  for (unsigned i = 0; i < 5; ++i) {
    EXPECT_EQ(NicWorld::cqe(*w.a, i).second, i);      // WQE index
    EXPECT_EQ(NicWorld::cqe(*w.b, i).second, i + 1);  // message id
  }
  EXPECT_EQ(w.na().counters().tx_frames, 1u + 1 + 1 + 2 + 4);
}

TEST(NicRdma, SixtyFourMiBGoodputIsWithinTwoPercentOfTheFramingBound) {
  NicWorld w;
  w.build();
  const uint64_t len = 64ull << 20;
  NicWorld::fill_pattern(*w.a, kSrc, len, 3);
  sc_core::sc_time start, end;
  const auto wall0 = std::chrono::steady_clock::now();
  w.run([&] {
    w.setup();
    sc_core::wait(ns(100));
    start = sc_core::sc_time_stamp();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, uint32_t(len), 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
    end = sc_core::sc_time_stamp();
  });
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const uint64_t frames = w.na().counters().tx_frames + w.nb().counters().tx_frames;
  std::printf("simulated %llu frames in %.3f s wall: %.2f M frames/s\n", (unsigned long long)frames, wall,
              frames / wall / 1e6);
  ASSERT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst, len));
  const double gbps = double(len) * 8 / (end - start).to_seconds() / 1e9;
  const double bound = framing_bound_gbps(w.cp.nic.speed_gbps, w.cp.nic.mtu);
  std::printf("64 MiB RDMA WRITE: %.3f Gb/s goodput, framing bound %.3f Gb/s (%.2f%%), %.1f us\n", gbps, bound,
              100 * gbps / bound, (end - start).to_seconds() * 1e6);
  EXPECT_LE(gbps, bound);
  EXPECT_GE(gbps, 0.98 * bound);
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 1u);
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 1u);
}

TEST(NicRdma, At400GbpsTheBoundScalesToo) {
  NicWorld w;
  w.cp.nic.speed_gbps = 400;
  w.build();
  const uint64_t len = 16ull << 20;
  sc_core::sc_time start, end;
  w.run([&] {
    w.setup();
    start = sc_core::sc_time_stamp();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, uint32_t(len), 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
    end = sc_core::sc_time_stamp();
  });
  const double gbps = double(len) * 8 / (end - start).to_seconds() / 1e9;
  const double bound = framing_bound_gbps(400, w.cp.nic.mtu);
  std::printf("16 MiB at 400G: %.3f Gb/s goodput, framing bound %.3f Gb/s\n", gbps, bound);
  EXPECT_GE(gbps, 0.98 * bound);
}

// Loss or corruption on both directions (data and ACKs): go-back-N recovers; the data is
// right and each sync object still moves exactly once.
void lossy_transfer(double loss, double corrupt) {
  NicWorld w;
  w.loss = loss;
  w.corrupt = corrupt;
  w.seed = 42;
  w.build();
  const uint64_t len = 16ull << 20;
  NicWorld::fill_pattern(*w.a, kSrc, len, 4);
  w.run([&] {
    w.setup();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst, uint32_t(len), 1, 200, 1, 300));
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kSrc, kDst + len, 4096 * 3, 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
  });
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst, len));
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kSrc, *w.b, kDst + len, 4096 * 3));
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 2u);
  EXPECT_EQ(NicWorld::sob(*w.a, 300), 2u);
  EXPECT_FALSE(w.na().qp_in_error(5));
  const NicCounters& ca = w.na().counters();
  const NicCounters& cb = w.nb().counters();
  EXPECT_GT(ca.retransmissions, 0u);
  EXPECT_EQ(cb.msgs_received, 2u);
  EXPECT_EQ(ca.msgs_sent, 2u);
  if (loss > 0) {
    EXPECT_GT(w.ab->stats().lost, 0u);
  }
  if (corrupt > 0) {
    EXPECT_EQ(cb.rx_corrupt, w.ab->stats().corrupted);
  }
  std::printf("lost %llu/%llu corrupted %llu/%llu: retransmitted %llu, NAKs %llu, timeouts %llu, dup %llu\n",
              (unsigned long long)w.ab->stats().lost, (unsigned long long)w.ba->stats().lost,
              (unsigned long long)w.ab->stats().corrupted, (unsigned long long)w.ba->stats().corrupted,
              (unsigned long long)ca.retransmissions, (unsigned long long)cb.naks_sent,
              (unsigned long long)ca.timeouts, (unsigned long long)cb.rx_duplicates);
}

TEST(NicRdma, LossOfOnePerThousandIsRecovered) { lossy_transfer(1e-3, 0); }
TEST(NicRdma, CorruptionOfOnePerThousandIsRecovered) { lossy_transfer(0, 1e-3); }

}  // namespace
}  // namespace gs::test

namespace gs::test {
namespace {

// PFC: a pause for the connection's priority stops the port (only frames already on the
// wire finish); the resume lets the transfer finish without loss or retransmission.
TEST(NicRdma, PfcPauseHoldsTheTransferAndResumeFinishesIt) {
  NicWorld w;
  w.build();
  const uint64_t len = 4 << 20;
  NicWorld::fill_pattern(*w.a, kUser, len, 8);
  uint64_t at_pause = 0, after_pause = 0;
  w.run([&] {
    w.setup();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kUser, kUser + len, uint32_t(len), 1, 200, 1, 300));
    sc_core::wait(us(20));
    w.na().receive(make_pause_frame(w.nb().mac(), 1u << 3, true));
    EXPECT_TRUE(w.na().egress().paused(3));
    sc_core::wait(us(1));  // the frame on the wire finishes
    at_pause = w.na().counters().tx_frames;
    sc_core::wait(us(100));
    after_pause = w.na().counters().tx_frames;
    w.na().receive(make_pause_frame(w.nb().mac(), 1u << 3, false));
    NicWorld::wait_idle(w.na());
  });
  EXPECT_EQ(at_pause, after_pause);
  EXPECT_GT(at_pause, 0u);
  EXPECT_TRUE(NicWorld::same_bytes(*w.a, kUser, *w.b, kUser + len, len));
  EXPECT_EQ(w.na().counters().pause_received, 2u);
  EXPECT_EQ(w.na().counters().retransmissions, 0u);
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 1u);
}

}  // namespace
}  // namespace gs::test

namespace gs::test {
namespace {

// What-if per-QP window: a window smaller than the bandwidth-delay product caps goodput at
// window / RTT, and the ACKs reopen it (no timeouts).
TEST(NicRdma, SmallWindowLimitsGoodputWithoutTimeouts) {
  NicWorld w;
  w.cp.nic.window_packets = 2;
  w.cp.nic.ack_every = 1;
  w.link_ns = 2000;  // 400 m of fibre: RTT well above two packets' wire time
  w.build();
  const uint64_t len = 1 << 20;
  sc_core::sc_time start, end;
  w.run([&] {
    w.setup();
    start = sc_core::sc_time_stamp();
    NicWorld::post(*w.a, gsim_nic_rdma_write(5, kUser, kUser + len, uint32_t(len), 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
    end = sc_core::sc_time_stamp();
  });
  const double gbps = double(len) * 8 / (end - start).to_seconds() / 1e9;
  EXPECT_LT(gbps, 20.0);  // 2 x 4 KiB per ~4.7 us round trip: about 14 Gb/s
  EXPECT_GT(gbps, 10.0);
  EXPECT_EQ(w.na().counters().timeouts, 0u);
  EXPECT_EQ(NicWorld::sob(*w.b, 200), 1u);
}

}  // namespace
}  // namespace gs::test
