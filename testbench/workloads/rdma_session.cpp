#include "testbench/workloads/rdma_session.hpp"

namespace gs {

CardSession::CardSession(System& s, unsigned c)
    : sys(s), card(c), host(*s.hosts()[c / s.params().topology.cards]), dev(c % s.params().topology.cards),
      t(host.driver(), 2000 + int(c)) {
  fd = t.open(dev);
}

CardSession::~CardSession() {
  if (fd >= 0) t.close(fd);
}

int port_towards(Fabric& f, unsigned card, unsigned peer, unsigned ports) {
  if (auto p = f.port_towards(card, peer)) return int(*p);
  for (unsigned p = 0; p < ports; ++p) {
    auto end = f.peer_of(card, p);
    if (end && end->kind == NodeKind::switch_node) return int(p);
  }
  return -1;
}

static std::string key(unsigned card, unsigned port, unsigned peer) {
  return "conn/" + std::to_string(card) + "." + std::to_string(port) + "->" + std::to_string(peer);
}

int connect_to(CardSession& s, Rendezvous& rv, unsigned port, unsigned peer_card, unsigned peer_port) {
  Fabric& f = s.sys.fabric();
  uint32_t conn = 0;
  int rc = hlthunk::nic_alloc_conn(s.t, s.fd, port, &conn);
  if (rc) return rc;
  rv.publish(key(s.card, port, peer_card), conn);
  hlthunk::NicPeer peer;
  peer.conn_id = uint32_t(rv.await(key(peer_card, peer_port, s.card)));
  peer.ip = f.ip_of(peer_card, peer_port);
  peer.mac = f.mac_of(peer_card, peer_port);
  uint32_t me = f.ip_of(s.card, port);
  if ((rc = hlthunk::nic_set_requester(s.t, s.fd, port, conn, me, peer)) ||
      (rc = hlthunk::nic_set_responder(s.t, s.fd, port, conn, me, peer)))
    return rc;
  return int(conn);
}

}  // namespace gs
