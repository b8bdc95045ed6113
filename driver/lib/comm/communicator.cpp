#include "driver/lib/comm/communicator.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "driver/lib/comm/card_program.hpp"
#include "driver/lib/nic_thunk.hpp"

namespace hlcomm {

namespace {

constexpr unsigned kPorts = 10;
// HLS-1 wiring: the internal ports of a card, in the order of the other cards' slots
// (card i reaches slot j on internal[j < i ? j : j - 1]). A fact of the box, like the
// server's topology file a real library reads.
constexpr unsigned kInternalPorts[7] = {0, 2, 3, 4, 5, 6, 7};
constexpr unsigned kBoxSlots = 8;
// The scale-out ports, one ring across boxes on each (a rail): port p of every card hangs off
// the same leaf, so ring traffic crosses one switch and no spine (through the spines, ECMP
// collisions cost two thirds of it). Both QPs of a rail share its port: one sends to the next
// box, the other receives from the previous.
constexpr unsigned kRailPorts[Communicator::kMaxRails] = {1, 8, 9};
// Connection ids a rank keeps per peer: the box link, then per rail the ring-out and ring-in.
constexpr unsigned kConnSlots = 1 + 2 * Communicator::kMaxRails;

uint64_t hash_name(const std::string& s) {  // FNV-1a: ranks compare node names by hash
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

uint64_t mac_of(const hl_mac_addr& m) {
  uint64_t v = 0;
  for (unsigned i = 0; i < HL_NIC_ETH_ALEN; ++i) v = v << 8 | m.addr[i];
  return v;
}

}  // namespace

// What each rank tells the others at creation.
struct RankCard {
  uint64_t node_hash = 0;
  uint32_t module = 0;
  uint32_t port_mask = 0;
  uint64_t mac[kPorts] = {};
  uint32_t ip[kPorts] = {};
  int32_t status = 0;  // this rank's local set-up failed: nobody connects
};

const char* type_name(DataType t) { return t == DataType::bf16 ? "bfloat16" : "float"; }

const char* op_name(CollOp op) {
  switch (op) {
    case CollOp::all_reduce: return "allreduce";
    case CollOp::reduce_scatter: return "reducescatter";
    case CollOp::all_gather: return "allgather";
    case CollOp::all_to_all: return "alltoall";
    case CollOp::broadcast: return "broadcast";
  }
  return "?";
}

Communicator::Communicator(hlthunk::Thunk& t, int fd, Bootstrap& bs, const CommConfig& cfg)
    : t_(t), fd_(fd), bs_(bs), cfg_(cfg), rank_(bs.rank()), n_(bs.size()) {}

Communicator::~Communicator() {
  for (unsigned r = 0; r < peers_.size(); ++r)
    if (peers_[r].conn) hlthunk::nic_destroy_conn(t_, fd_, unsigned(peers_[r].port), peers_[r].conn);
  for (const auto& rail : ring_)
    for (const PeerInfo& p : rail)
      if (p.conn) hlthunk::nic_destroy_conn(t_, fd_, unsigned(p.port), p.conn);
  if (scratch_) t_.mem_free(fd_, scratch_);
  if (ext_cb_) t_.cb_destroy(fd_, ext_cb_);
  if (host_dev_) t_.unmap_host(fd_, host_dev_);
  std::free(host_);
}

int Communicator::create(hlthunk::Thunk& t, int fd, Bootstrap& bs, const CommConfig& cfg,
                         std::unique_ptr<Communicator>* out) {
  out->reset();
  if (bs.size() < 1 || bs.rank() < 0 || bs.rank() >= bs.size() || !cfg.port_ipv4) return -EINVAL;
  std::unique_ptr<Communicator> c(new Communicator(t, fd, bs, cfg));
  int rc = c->setup();
  // Everyone learns whether everyone succeeded, so no rank waits for a peer that gave up.
  std::vector<int32_t> all(static_cast<size_t>(bs.size()));
  int32_t mine = rc;
  int brc = bs.allgather(&mine, all.data(), sizeof mine);
  if (brc) return brc;
  for (int32_t r : all)
    if (r && !rc) rc = -ECONNABORTED;
  if (!rc) *out = std::move(c);
  return rc;
}

int Communicator::setup() {
  // Every rank takes part in every exchange below even after a local failure, so that no
  // peer is left waiting; the failure is reported by create() to everyone.
  RankCard me;
  int rc = local_setup(&me);
  me.status = rc;
  std::vector<RankCard> cards(static_cast<size_t>(n_));
  int brc = bs_.allgather(&me, cards.data(), sizeof me);
  if (!rc) rc = brc;
  for (const RankCard& c : cards)
    if (c.status && !rc) rc = -ECONNABORTED;
  return connect_peers(cards, rc);
}

int Communicator::local_setup(RankCard* me) {
  // CB and descriptor memory the device fetches, and the completion CB.
  host_bytes_ = uint64_t(19) * CardProgram::kQueueCbBytes + CardProgram::kDescBytes;
  host_ = static_cast<uint8_t*>(std::aligned_alloc(4096, host_bytes_));
  if (!host_) return -ENOMEM;
  std::memset(host_, 0, host_bytes_);
  int rc = t_.map_host(fd_, host_, host_bytes_, &host_dev_);
  if (rc) return rc;
  if ((rc = t_.cb_create(fd_, CardProgram::kQueueCbBytes, &ext_cb_))) return rc;
  if (!(ext_cpu_ = t_.cb_map(fd_, ext_cb_, CardProgram::kQueueCbBytes))) return -ENOMEM;
  // Who I am: slot in the box, the ports' addresses (INFO MAC_ADDR; IPs from the netdevs).
  hl_info_hw_ip_info hw{};
  if ((rc = t_.hw_ip_info(fd_, &hw))) return rc;
  hl_info_mac_addr macs{};
  if ((rc = t_.info(fd_, HL_INFO_MAC_ADDR, &macs, sizeof macs))) return rc;
  me->node_hash = hash_name(cfg_.node);
  me->module = hw.module_id;
  for (unsigned p = 0; p < kPorts; ++p)
    if (macs.mask[0] >> p & 1) {
      me->port_mask |= 1u << p;
      me->mac[p] = mac_of(macs.array[p]);
      me->ip[p] = cfg_.port_ipv4(p);
    }
  return 0;
}

// Links: one QP per pair of ranks in a box (over the internal port HLS-1 wires between their
// slots), and for several boxes a ring over the scale-out ports joining the cards of the same
// slot, one per scale-out port that every card has (at most CommConfig::scaleout_ports): on
// each, a card sends to the next box and receives from the previous one (two QPs, so that
// two boxes, each the other's next and previous, still have one QP per direction).
int Communicator::connect_peers(const std::vector<RankCard>& cards, int rc) {
  const RankCard& me = cards[size_t(rank_)];
  peers_.assign(size_t(n_), PeerInfo{});
  // Boxes in order of their first rank; the box size must be the same everywhere.
  std::vector<uint64_t> nodes;
  box_of_.assign(size_t(n_), 0);
  for (int r = 0; r < n_; ++r) {
    auto it = std::find(nodes.begin(), nodes.end(), cards[size_t(r)].node_hash);
    box_of_[size_t(r)] = unsigned(it - nodes.begin());
    if (it == nodes.end()) nodes.push_back(cards[size_t(r)].node_hash);
  }
  boxes_ = unsigned(nodes.size());
  // A card's slot in its box: the order of its module id among the box's cards.
  std::vector<unsigned> slot(static_cast<size_t>(n_), 0);
  for (int r = 0; r < n_; ++r)
    for (int q = 0; q < n_; ++q)
      if (box_of_[size_t(q)] == box_of_[size_t(r)] && cards[size_t(q)].module < cards[size_t(r)].module) ++slot[size_t(r)];
  auto port_between = [&](int a, int b) -> int {
    const unsigned sa = slot[size_t(a)], sb = slot[size_t(b)];
    if (box_of_[size_t(a)] != box_of_[size_t(b)] || sa >= kBoxSlots || sb >= kBoxSlots || sa == sb) return -1;
    return int(kInternalPorts[sb < sa ? sb : sb - 1]);
  };
  auto ring_rank = [&](unsigned box) -> int {  // the card of my slot in `box`
    for (int r = 0; r < n_; ++r)
      if (box_of_[size_t(r)] == box && slot[size_t(r)] == slot[size_t(rank_)]) return r;
    return -1;
  };
  const unsigned my_box = box_of_[size_t(rank_)];
  for (auto& rail : ring_) rail[0] = rail[1] = PeerInfo{};
  ring_rank_[0] = ring_rank_[1] = -1;
  rails_ = 0;
  if (boxes_ > 1) {
    ring_rank_[0] = ring_rank((my_box + 1) % boxes_);
    ring_rank_[1] = ring_rank((my_box + boxes_ - 1) % boxes_);
    for (unsigned port : kRailPorts) {  // the same rails on every rank: ports all cards have
      bool everywhere = rails_ < cfg_.scaleout_ports;
      for (const RankCard& c : cards) everywhere = everywhere && (c.port_mask >> port & 1);
      if (!everywhere) continue;
      ring_[rails_][0].port = ring_[rails_][1].port = int(port);
      ++rails_;
    }
    if (ring_rank_[0] < 0 || ring_rank_[1] < 0 || !rails_) rc = rc ? rc : -ENODEV;
  }
  // Connection ids, kConnSlots per rank.
  std::vector<uint32_t> conn_to(size_t(kConnSlots) * size_t(n_), 0);
  auto alloc = [&](PeerInfo& p, size_t slot) {
    if (rc) return;
    if (!(me.port_mask >> p.port & 1)) rc = -ENODEV;
    else rc = hlthunk::nic_alloc_conn(t_, fd_, unsigned(p.port), &p.conn);
    conn_to[slot] = p.conn;
  };
  for (int r = 0; r < n_; ++r) {
    PeerInfo& p = peers_[size_t(r)];
    p.module = slot[size_t(r)];
    p.node_hash = cards[size_t(r)].node_hash;
    if (r == rank_) continue;
    p.port = port_between(rank_, r);
    if (p.port >= 0) alloc(p, size_t(kConnSlots) * size_t(r));
  }
  for (unsigned rail = 0; rail < rails_; ++rail)
    for (unsigned k = 0; k < 2; ++k) alloc(ring_[rail][k], size_t(kConnSlots) * size_t(ring_rank_[k]) + 1 + 2 * rail + k);
  // Every rank needs every other's connection ids, even after a local failure.
  std::vector<uint32_t> all(size_t(kConnSlots) * size_t(n_) * size_t(n_));
  int brc = bs_.allgather(conn_to.data(), all.data(), conn_to.size() * sizeof(uint32_t));
  if (!rc) rc = brc;
  // Sets both halves of my link to `r`; the peer's end is its connection in `their_slot`.
  auto link = [&](PeerInfo& p, int r, int their_port, unsigned their_slot) {
    if (rc) return;
    const RankCard& them = cards[size_t(r)];
    if (their_port < 0 || !(them.port_mask >> their_port & 1)) {
      rc = -ENODEV;
      return;
    }
    hlthunk::NicPeer np;
    np.conn_id = all[(size_t(r) * size_t(n_) + size_t(rank_)) * kConnSlots + their_slot];
    np.ip = them.ip[their_port];
    np.mac = them.mac[their_port];
    const uint32_t my_ip = me.ip[p.port];
    if (!(rc = hlthunk::nic_set_requester(t_, fd_, unsigned(p.port), p.conn, my_ip, np, true, cfg_.priority)))
      rc = hlthunk::nic_set_responder(t_, fd_, unsigned(p.port), p.conn, my_ip, np, true, cfg_.priority);
  };
  for (int r = 0; r < n_; ++r)
    if (r != rank_ && peers_[size_t(r)].port >= 0) link(peers_[size_t(r)], r, port_between(r, rank_), 0);
  for (unsigned rail = 0; rail < rails_; ++rail) {
    const int port = ring_[rail][0].port;
    link(ring_[rail][0], ring_rank_[0], port, 2 + 2 * rail);  // their ring-in link is mine out
    link(ring_[rail][1], ring_rank_[1], port, 1 + 2 * rail);
  }
  // Nobody may post before every responder half exists.
  brc = bs_.barrier();
  return rc ? rc : brc;
}

int Communicator::ensure_scratch(uint64_t bytes) {
  if (bytes <= scratch_bytes_) return 0;
  if (scratch_) t_.mem_free(fd_, scratch_);
  scratch_ = 0;
  scratch_bytes_ = 0;
  bytes = (bytes + (2u << 20) - 1) & ~uint64_t((2u << 20) - 1);
  int rc = t_.mem_alloc(fd_, bytes, &scratch_);
  if (!rc) scratch_bytes_ = bytes;
  return rc;
}

}  // namespace hlcomm
