// The third-party RoCE NIC: responder (writes land in memory, coalesced ACKs, NAK on a PSN
// gap, corrupt frames dropped) and requester (go-back-N over a lossy cable).
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "models/common/time.hpp"
#include "models/fabric/packet_pool.hpp"
#include "models/fabric/third_party_nic.hpp"

namespace gs {
namespace {

constexpr uint32_t kIpA = 0x0A000001, kIpB = 0xAC100001;
constexpr uint64_t kMacA = 0x021DA3000001ull, kMacB = 0x0C42A1000001ull;

struct Sink : NetReceiver {
  std::vector<PacketPtr> got;
  void receive(const PacketPtr& p) override { got.push_back(p); }
};

// A raw sender (the test plays the GAUDI side) cabled to a third-party NIC.
struct RawWorld {
  EgressPort tx{"raw_tx", 100};
  Link to_nic{"to_nic", ns(100), 0, 0, 1}, from_nic{"from_nic", ns(100), 0, 0, 2};
  ThirdPartyNic nic{"nic", ThirdPartyNicConfig{}, kMacB, kIpB};
  Sink sink;
  std::shared_ptr<std::vector<uint8_t>> data = std::make_shared<std::vector<uint8_t>>(3 * 4096);

  RawWorld() {
    tx.connect(to_nic);
    to_nic.connect(nic.ingress());
    nic.egress().connect(from_nic);
    from_nic.connect(sink);
    std::iota(data->begin(), data->end(), uint8_t(7));
    nic.connect(/*qp*/ 5, kIpA, kMacA, /*peer qp*/ 9, /*psn*/ 100);
  }
  PacketPtr packet(RoceOp op, uint32_t psn, uint32_t k, uint32_t qp = 5) {
    auto p = make_packet();
    p->src_mac = kMacA, p->dst_mac = kMacB, p->src_ip = kIpA, p->dst_ip = kIpB;
    p->op = op, p->dest_qp = qp, p->psn = psn;
    p->va = 0x10000, p->dma_len = uint32_t(data->size());
    p->data = std::shared_ptr<const uint8_t>(data, data->data()), p->data_offset = k * 4096ull, p->payload_len = 4096;
    p->ack_req = op == RoceOp::write_last;
    return p;
  }
};

// Two third-party NICs cabled to each other, QP 1 on `a` connected to QP 2 on `b`.
struct NicPair {
  ThirdPartyNic a, b;
  Link ab, ba;
  NicPair(const std::string& name, const ThirdPartyNicConfig& cfg, double loss, double corrupt, uint64_t seed)
      : a((name + "_a").c_str(), cfg, kMacA, kIpA),
        b((name + "_b").c_str(), cfg, kMacB, kIpB),
        ab((name + "_ab").c_str(), ns(100), loss, corrupt, seed),
        ba((name + "_ba").c_str(), ns(100), loss, 0, seed + 1) {
    a.egress().connect(ab);
    ab.connect(b.ingress());
    b.egress().connect(ba);
    ba.connect(a.ingress());
    a.connect(1, kIpB, kMacB, 2);
    b.connect(2, kIpA, kMacA, 1);
  }
};

TEST(FabricThirdParty, ReceivesAWriteAndAcks) {
  RawWorld w;
  uint64_t landed_va = 0, landed_len = 0;
  w.nic.on_write_received = [&](uint32_t, uint64_t va, uint64_t len) { landed_va = va, landed_len = len; };
  w.tx.enqueue(w.packet(RoceOp::write_first, 100, 0));
  w.tx.enqueue(w.packet(RoceOp::write_middle, 101, 1));
  w.tx.enqueue(w.packet(RoceOp::write_last, 102, 2));
  sc_core::sc_start();
  std::vector<uint8_t> got(w.data->size());
  w.nic.memory().read(0x10000, got.data(), got.size());
  EXPECT_EQ(got, *w.data);
  EXPECT_EQ(landed_va, 0x10000u);
  EXPECT_EQ(landed_len, w.data->size());
  ASSERT_EQ(w.sink.got.size(), 1u);  // one coalesced ACK for the message
  const Packet& a = *w.sink.got[0];
  EXPECT_EQ(a.op, RoceOp::ack);
  EXPECT_EQ(a.syndrome, kAethAck);
  EXPECT_EQ(a.psn, 102u);
  EXPECT_EQ(a.dest_qp, 9u);
  EXPECT_EQ(a.msn, 1u);
  EXPECT_EQ(a.dst_mac, kMacA);
  EXPECT_EQ(a.src_mac >> 24, kThirdPartyOui);
  EXPECT_EQ(a.frame_bytes(), 66u);
  EXPECT_EQ(w.nic.stats().writes_received, 1u);
}

TEST(FabricThirdParty, NaksAGapOnceAndDropsCorruptAndUnknownFrames) {
  RawWorld w;
  auto bad = w.packet(RoceOp::write_first, 100, 0);
  bad->corrupted = true;
  w.tx.enqueue(bad);
  w.tx.enqueue(w.packet(RoceOp::write_middle, 101, 1));  // 100 is missing now: NAK
  w.tx.enqueue(w.packet(RoceOp::write_last, 102, 2));    // same gap: no second NAK
  w.tx.enqueue(w.packet(RoceOp::write_first, 100, 0, /*qp*/ 6));  // never connected
  sc_core::sc_start();
  ASSERT_EQ(w.sink.got.size(), 1u);
  EXPECT_EQ(w.sink.got[0]->syndrome, kAethNakPsnSeqErr);
  EXPECT_EQ(w.sink.got[0]->psn, 100u);  // the PSN expected
  EXPECT_EQ(w.nic.stats().corrupted_dropped, 1u);
  EXPECT_EQ(w.nic.stats().unknown_qp_dropped, 1u);
  EXPECT_EQ(w.nic.stats().naks_sent, 1u);
  EXPECT_EQ(w.nic.stats().writes_received, 0u);
}

TEST(FabricThirdParty, WritesAcrossALossyCableWithGoBackN) {
  ThirdPartyNicConfig cfg;
  cfg.retransmit_us = 20;
  NicPair w("lossy", cfg, 0.01, 0.01, 11);
  ThirdPartyNic &a = w.a, &b = w.b;
  Link& ab = w.ab;
  const uint64_t bytes = 1 << 20;
  std::vector<uint8_t> src(bytes);
  for (uint64_t i = 0; i < bytes; ++i) src[i] = uint8_t(i * 31 + 3);
  a.memory().write(0x2000, src.data(), bytes);
  int done = 0;
  a.write(1, 0x40000, 0, 0x2000, bytes, [&](bool ok) { done += ok ? 1 : -100; });
  a.write(1, 0x40000 + bytes, 0, 0x2000, 100, [&](bool ok) { done += ok ? 1 : -100; });
  sc_core::sc_start();
  EXPECT_EQ(done, 2);
  std::vector<uint8_t> got(bytes);
  b.memory().read(0x40000, got.data(), bytes);
  EXPECT_EQ(got, src);
  EXPECT_GT(ab.stats().lost + ab.stats().corrupted, 0u);
  EXPECT_GT(a.stats().retransmits, 0u);
  EXPECT_EQ(b.stats().writes_received, 2u);
  EXPECT_EQ(a.stats().writes_completed, 2u);
}

TEST(FabricThirdParty, ReceivedPagesReferToTheSendersPagesUntilWritten) {
  NicPair w("share", ThirdPartyNicConfig{}, 0, 0, 21);
  ThirdPartyNic &a = w.a, &b = w.b;
  const uint64_t bytes = 256 * 1024, page = a.memory().page_bytes(), from = 4 * page, to = 16 * page;
  std::vector<uint8_t> src(bytes);
  for (uint64_t i = 0; i < bytes; ++i) src[i] = uint8_t(i * 13 + 1);
  a.memory().write(from, src.data(), bytes);
  bool ok = false;
  a.write(1, to, 0, from, bytes, [&](bool r) { ok = r; });
  sc_core::sc_start();
  ASSERT_TRUE(ok);
  for (uint64_t off = 0; off < bytes; off += page)  // the same block on both sides: no copy
    EXPECT_EQ(b.memory().share(to + off, page), a.memory().share(from + off, page)) << "page at " << off;
  std::vector<uint8_t> zeros(bytes, 0), got(bytes);
  a.memory().write(from, zeros.data(), bytes);  // the sender reuses its buffer: copy on write
  b.memory().read(to, got.data(), bytes);
  EXPECT_EQ(got, src);
}

}  // namespace
}  // namespace gs
