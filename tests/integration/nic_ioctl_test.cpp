// The NIC connect ioctl: who may call it, which peers it accepts, bad arguments, and what a
// link that goes down in the middle of a transfer does.
#include <cerrno>

#include "cs_harness.hpp"
#include "driver/lib/nic_thunk.hpp"
#include "models/nic/nic_port.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/nic.h"
#include "testbench/run.hpp"
#include "testbench/workloads/rdma_workloads.hpp"

namespace gs::test {
namespace {

TEST(NicIoctl, OnlyTheComputeContextOwnerMayConnect) {
  CsWorld w;
  w.params.topology.cards = 2;
  w.params.fabric.kind = "pair";
  int own = 1, control = 0, busy = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint32_t conn = 0;
    own = hlthunk::nic_alloc_conn(t, fd, 0, &conn);
    hlthunk::Thunk other(w.sys->hosts()[0]->driver(), 77);  // another process
    int cfd = other.open(0, /*control*/ true);
    ASSERT_GE(cfd, 0);
    control = hlthunk::nic_alloc_conn(other, cfd, 0, &conn);
    busy = other.open(0);  // it cannot get the compute node either
    other.close(cfd);
  });
  EXPECT_EQ(own, 0);
  EXPECT_EQ(control, -EPERM);
  EXPECT_EQ(busy, -EBUSY);
}

TEST(NicIoctl, BadPortsConnectionsAndAddressesAreInvalid) {
  CsWorld w;
  w.params.topology.cards = 2;
  w.params.fabric.kind = "pair";
  std::vector<int> rc;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint32_t conn = 0;
    rc.push_back(hlthunk::nic_alloc_conn(t, fd, 10, &conn));  // port past the card's 10
    ASSERT_EQ(hlthunk::nic_alloc_conn(t, fd, 0, &conn), 0);
    hlthunk::NicPeer peer;
    peer.mac = uint64_t(GAUDISIM_GAUDI_OUI) << 24 | 0x0102;
    peer.ip = 0x0A000102;
    peer.conn_id = 1;
    rc.push_back(hlthunk::nic_set_requester(t, fd, 0, conn + 1, 0, peer));   // not allocated
    rc.push_back(hlthunk::nic_set_requester(t, fd, 1, conn, 0, peer));       // wrong port
    hlthunk::NicPeer zero = peer;
    zero.ip = 0;
    rc.push_back(hlthunk::nic_set_requester(t, fd, 0, conn, 0, zero));       // no address
    hlthunk::NicPeer far = peer;
    far.conn_id = 5000;
    rc.push_back(hlthunk::nic_set_responder(t, fd, 0, conn, 0, far));        // peer QP out of range
    rc.push_back(hlthunk::nic_destroy_conn(t, fd, 0, 999));
    rc.push_back(hlthunk::nic_set_requester(t, fd, 0, conn, 0, peer));       // and a good one works
  });
  ASSERT_EQ(rc.size(), 7u);
  for (size_t i = 0; i + 1 < rc.size(); ++i) EXPECT_EQ(rc[i], -EINVAL) << "case " << i;
  EXPECT_EQ(rc.back(), 0);
}

TEST(NicIoctl, AThirdPartyRdmaNicIsRefused) {
  CsWorld w;
  w.params.topology.cards = 8;
  w.params.fabric.kind = "box";
  w.params.fabric.leaf_switches = 1;
  w.params.fabric.third_party_nics = 1;
  int rc = 0;
  w.run([&](hlthunk::Thunk& t, int fd) {
    ASSERT_EQ(w.sys->fabric().third_party_count(), 1u);
    auto& tp = w.sys->fabric().third_party(0);
    uint32_t conn = 0;
    ASSERT_EQ(hlthunk::nic_alloc_conn(t, fd, 1, &conn), 0);
    hlthunk::NicPeer peer{tp.ip(), tp.mac(), 1};
    rc = hlthunk::nic_set_requester(t, fd, 1, conn, 0, peer);
  });
  EXPECT_EQ(rc, -EPROTONOSUPPORT);
  EXPECT_TRUE(w.logged("is not a GAUDI port (the NIC connects GAUDI peers only)"));
}

TEST(NicIoctl, LinkDownMidTransferEndsInAReportedErrorNotAHang) {
  SimParams p;
  p.fast_boot();
  p.topology.cards = 2;
  p.fabric.kind = "pair";
  p.rdma.bytes = 64 << 20;  // about 5 ms on the wire
  p.driver.cs_timeout_ms = 20;
  System sys(p, false);
  RdmaWorkload wl(false);
  wl.setup(sys);
  uint64_t sent_at_cut = 0;
  sys.hosts()[0]->spawn_process("cut", [&sys, &sent_at_cut] {
    NicPort& nic = sys.cards()[0]->nic(0);
    while (nic.counters().tx_payload_bytes < (8u << 20)) sc_core::wait(sc_core::sc_time(10, sc_core::SC_US));
    sent_at_cut = nic.counters().tx_payload_bytes;  // the write is well under way
    sys.fabric().set_link_up(0, 0, false);
  });
  ASSERT_TRUE(sys.run()) << "something hung until the time guard";
  std::ostringstream out;
  nlohmann::json rec;
  EXPECT_EQ(gs::report_run(wl, sys, out, rec), 1);
  bool sender_failed = false;
  for (const auto& pr : rec["results"])
    if (pr["src"] == 0 && pr.value("errno", 0) == -EIO)
      sender_failed = true;
  EXPECT_TRUE(sender_failed) << out.str();
  EXPECT_TRUE(sys.logger().contains("QP error on NIC port 0"));
  EXPECT_TRUE(sys.logger().contains("NIC port 0 link down"));
  EXPECT_GT(sys.cards()[0]->nic(0).counters().qp_errors, 0u);
  EXPECT_LT(sent_at_cut, uint64_t(p.rdma.bytes));
}

}  // namespace
}  // namespace gs::test

namespace gs::test {
namespace {

// The owner's NIC completion queue: the sender sees a requester entry per acknowledged
// message, the receiver a responder entry per message that landed and signalled.
TEST(NicIoctl, CompletionQueueReportsMessagesOnBothSides) {
  SimParams p;
  p.fast_boot();
  p.topology.cards = 2;
  p.fabric.kind = "pair";
  System sys(p, false);
  Rendezvous rv(sys.hosts()[0]->os(), 2);
  hl_nic_cqe seen[2] = {};
  uint32_t count[2] = {0, 0};
  int conn_of[2] = {0, 0};
  for (unsigned card = 0; card < 2; ++card) {
    sys.hosts()[0]->spawn_process("cq" + std::to_string(card), [&, card] {
      CardSession s(sys, card);
      ASSERT_GE(s.fd, 0);
      uint64_t cq = 0, buf = 0;
      ASSERT_EQ(hlthunk::nic_cq_create(s.t, s.fd, 64, &cq), 0);
      int err = 0;
      auto* ring = static_cast<hl_nic_cqe*>(s.host.driver().mmap(s.fd, cq, 64 * sizeof(hl_nic_cqe), &err));
      ASSERT_NE(ring, nullptr);
      ASSERT_EQ(s.t.mem_alloc(s.fd, 1 << 20, &buf), 0);
      rv.publish("buf/" + std::to_string(card), buf);
      int conn = connect_to(s, rv, 0, 1 - card, 0);
      ASSERT_GT(conn, 0);
      conn_of[card] = conn;
      uint64_t peer_buf = rv.await("buf/" + std::to_string(1 - card));
      if (card == 0) {
        HostBuffer cb(512);
        uint64_t cb_d = 0, ext = 0, seq = 0;
        ASSERT_EQ(s.t.map_host(s.fd, cb.data(), cb.size(), &cb_d), 0);
        hlthunk::CbBuilder b(cb.data(), 512);
        hlthunk::rdma_write(b, 0, uint32_t(conn), buf, peer_buf, 4096, int(kSobIncoming), -1);
        b.nop();
        ASSERT_EQ(s.t.cb_create(s.fd, 4096, &ext), 0);
        hlthunk::CbBuilder e(s.t.cb_map(s.fd, ext, 4096), 4096);
        e.nop();
        ASSERT_EQ(s.t.submit(s.fd, {{GAUDI_QUEUE_ID_NIC_0_0, cb_d, b.size()}, {GAUDI_QUEUE_ID_DMA_0_0, ext, e.size()}}, &seq), 0);
      }
      uint32_t first = 0, st = 0;
      ASSERT_EQ(hlthunk::nic_cq_wait(s.t, s.fd, cq, 100000, &first, &count[card], &st), 0);
      if (count[card]) seen[card] = ring[first];
      EXPECT_EQ(hlthunk::nic_cq_consumed(s.t, s.fd, cq, count[card]), 0);
      EXPECT_EQ(hlthunk::nic_cq_consumed(s.t, s.fd, cq, 1), -EINVAL);  // nothing left
      EXPECT_EQ(hlthunk::nic_cq_destroy(s.t, s.fd, cq), 0);
    });
  }
  ASSERT_TRUE(sys.run());
  ASSERT_EQ(count[0], 1u);
  EXPECT_EQ(seen[0].type, HL_NIC_CQE_TYPE_REQ);
  EXPECT_EQ(seen[0].is_err, 0);
  EXPECT_EQ(seen[0].port, 0u);
  EXPECT_EQ(seen[0].qp_number, uint32_t(conn_of[0]));
  ASSERT_EQ(count[1], 1u);
  EXPECT_EQ(seen[1].type, HL_NIC_CQE_TYPE_RES);
  EXPECT_EQ(seen[1].responder.msg_id, 1u);
  EXPECT_EQ(seen[1].qp_number, uint32_t(conn_of[1]));
}

}  // namespace
}  // namespace gs::test

namespace gs::test {
namespace {

// Sync objects below 144 belong to the driver (sync streams, collectives): a user's write
// may not move them, neither on the receiving card nor on its own.
TEST(NicIoctl, WritesCannotSignalTheDriversSyncObjects) {
  SimParams p;
  p.fast_boot();
  p.topology.cards = 2;
  p.fabric.kind = "pair";
  System sys(p, false);
  Rendezvous rv(sys.hosts()[0]->os(), 2);
  uint32_t refused_before = 0, refused_after = 0;
  for (unsigned card = 0; card < 2; ++card) {
    sys.hosts()[0]->spawn_process("sob" + std::to_string(card), [&, card] {
      CardSession s(sys, card);
      uint64_t buf = 0;
      ASSERT_EQ(s.t.mem_alloc(s.fd, 1 << 20, &buf), 0);
      rv.publish("buf/" + std::to_string(card), buf);
      int conn = connect_to(s, rv, 0, 1 - card, 0);
      ASSERT_GT(conn, 0);
      uint64_t peer_buf = rv.await("buf/" + std::to_string(1 - card));
      if (card != 0) {
        rv.await("done");  // keep the connection open until the sender is through
        return;
      }
      HostBuffer cb(512);
      uint64_t cb_d = 0, ext = 0, seq = 0;
      ASSERT_EQ(s.t.map_host(s.fd, cb.data(), cb.size(), &cb_d), 0);
      hlthunk::CbBuilder b(cb.data(), 512);
      hlthunk::rdma_write(b, 0, uint32_t(conn), buf, peer_buf, 4096, /*remote*/ 10, -1);
      hlthunk::rdma_write(b, 0, uint32_t(conn), buf, peer_buf, 4096, -1, /*local*/ 12, /*eb*/ true);
      b.nop();
      ASSERT_EQ(s.t.cb_create(s.fd, 4096, &ext), 0);
      hlthunk::CbBuilder e(s.t.cb_map(s.fd, ext, 4096), 4096);
      e.nop();
      refused_before = uint32_t(sys.cards()[0]->nic(0).counters().wqes_refused);
      ASSERT_EQ(s.t.submit(s.fd, {{GAUDI_QUEUE_ID_NIC_0_0, cb_d, b.size()}, {GAUDI_QUEUE_ID_DMA_0_0, ext, e.size()}}, &seq), 0);
      uint32_t st = 0;
      s.t.wait_cs(s.fd, seq, 1000000, &st);
      sc_core::wait(sc_core::sc_time(50, sc_core::SC_US));  // let the first write land
      refused_after = uint32_t(sys.cards()[0]->nic(0).counters().wqes_refused);
      rv.publish("done", 1);
    });
  }
  ASSERT_TRUE(sys.run());
  EXPECT_EQ(sys.cards()[1]->sync_manager(3).sob(10), 0u);
  EXPECT_EQ(sys.cards()[1]->nic(0).counters().rx_access_errors, 1u);
  EXPECT_EQ(refused_after - refused_before, 1u) << "the WQE naming local object 12 is refused";
  EXPECT_EQ(sys.cards()[0]->sync_manager(3).sob(12), 0u);
}

}  // namespace
}  // namespace gs::test

namespace gs::test {
namespace {

TEST(NicIoctl, InfoReportsEveryPortsMac) {
  CsWorld w;
  w.params.topology.cards = 2;
  w.params.fabric.kind = "pair";
  hl_info_mac_addr m{};
  int rc = 1;
  w.run([&](hlthunk::Thunk& t, int fd) { rc = t.info(fd, HL_INFO_MAC_ADDR, &m, sizeof m); });
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(m.mask[0], (1ull << 10) - 1);  // ten ports
  for (unsigned p = 0; p < 10; ++p) {
    uint64_t mac = 0;
    for (int i = 0; i < HL_NIC_ETH_ALEN; ++i) mac = mac << 8 | m.array[p].addr[i];
    EXPECT_EQ(mac, w.sys->fabric().mac_of(0, p)) << "port " << p;
    EXPECT_EQ(GSIM_MAC_OUI(mac), GAUDISIM_GAUDI_OUI);
  }
}

}  // namespace
}  // namespace gs::test
