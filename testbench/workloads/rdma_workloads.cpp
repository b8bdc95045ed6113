#include "testbench/workloads/rdma_workloads.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "driver/lib/cb_builder.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/workloads/host_buffer.hpp"
#include "testbench/workloads/qp_errors.hpp"

namespace gs {

namespace {

unsigned nic_queue(unsigned port) { return GAUDI_QUEUE_ID_NIC_0_0 + 4 * port; }

double ns_between(const uint32_t* ts, unsigned i) { return double(uint32_t(ts[i + 1] - ts[i])); }

// Cards `card` sends to, and how many send to it, for the chosen mode.
std::vector<unsigned> direct_peers(System& sys, unsigned card) {
  // From the card's own cables, not by asking about every card: that was quadratic in the
  // card count (10 M cable look-ups for 1024 cards).
  std::vector<unsigned> out;
  for (unsigned p = 0; p < sys.params().card.nic_ports; ++p) {
    auto end = sys.fabric().peer_of(card, p);
    if (end && end->kind == NodeKind::card && end->index != card) out.push_back(end->index);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The CB a card's copies (the upload, each read-back) are built in: made and mapped once,
// rewritten for each copy (the driver runs its checked copy, so the next copy may reuse it).
// A CB made per copy stayed mapped to the end of the run: a fresh host page per copy.
class CopyCb {
 public:
  explicit CopyCb(CardSession& s) : s_(s) {}
  CopyCb(const CopyCb&) = delete;
  CopyCb& operator=(const CopyCb&) = delete;
  ~CopyCb() {
    if (handle_) s_.t.cb_destroy(s_.fd, handle_);
  }
  // Submits one CS that copies n bytes from `from` to `to` (device addresses: HBM, or host
  // memory mapped to the device) and waits.
  int run(uint64_t from, uint64_t to, uint32_t n) {
    if (int rc = make()) return rc;
    hlthunk::CbBuilder b(cpu_, kBytes);
    b.lin_dma(from, to, n, true);
    uint32_t st = 0;
    int rc = s_.t.run(s_.fd, {{GAUDI_QUEUE_ID_DMA_0_0, handle_, b.size()}}, 60'000'000, &st);
    return rc ? rc : st == HL_WAIT_CS_STATUS_COMPLETED ? 0 : -EIO;
  }
  // Another CS of the card's (the RDMA CS's external job) may be built here while no copy
  // runs: every copy waits for its CS, so the CB is free between copies (a CB of its own
  // was one more fresh host page per card). 0 or the error of making the CB.
  int borrow(uint64_t* handle, void** cpu) {
    if (int rc = make()) return rc;
    *handle = handle_;
    *cpu = cpu_;
    return 0;
  }
  static constexpr uint32_t kBytes = 4096;

 private:
  int make() {
    if (!handle_) {
      if (int rc = s_.t.cb_create(s_.fd, kBytes, &handle_)) return rc;
      cpu_ = s_.t.cb_map(s_.fd, handle_, kBytes);
    }
    return cpu_ ? 0 : -EFAULT;
  }
  CardSession& s_;
  uint64_t handle_ = 0;
  void* cpu_ = nullptr;
};

std::string pair_key(unsigned a, unsigned b) { return std::to_string(a) + ">" + std::to_string(b); }

std::vector<unsigned> incast_senders(System& sys);
std::vector<unsigned> senders_of(System& sys, unsigned card);

}  // namespace

void RdmaWorkload::fail(unsigned src, unsigned dst, const std::string& why, int rc, const std::string& qp_error) {
  RdmaPair p;
  p.src = src;
  p.dst = dst;
  p.error = output::failure_text(why, rc) + (qp_error.empty() ? "" : "; " + qp_error);
  p.rc = rc;
  pairs_.push_back(p);
}

void RdmaWorkload::setup(System& sys) {
  const auto& rp = sys.params().rdma;
  unsigned n = unsigned(sys.cards().size());
  unsigned peer = std::min(rp.peer, n - 1);
  rv_ = std::make_unique<Rendezvous>(sys.hosts()[0]->os(), int(n));
  auto spawn = [&](unsigned card, std::function<void()> body) {
    sys.hosts()[card / sys.params().topology.cards]->spawn_process("rdma" + std::to_string(card), std::move(body));
  };
  if (pingpong_) {
    spawn(0, [this, &sys, peer] { pingpong_side(sys, 0, peer, true); });
    spawn(peer, [this, &sys, peer] { pingpong_side(sys, peer, 0, false); });
  } else if (rp.mode == "incast") {
    auto senders = incast_senders(sys);
    spawn(0, [this, &sys] { bw_card(sys, 0, {}); });
    for (unsigned c : senders) spawn(c, [this, &sys, c] { bw_card(sys, c, {0}); });
  } else if (rp.mode == "one") {
    spawn(0, [this, &sys, peer] { bw_card(sys, 0, {peer}); });
    spawn(peer, [this, &sys, peer] { bw_card(sys, peer, {}); });
  } else {
    for (unsigned c = 0; c < n; ++c) {
      auto peers = direct_peers(sys, c);
      if (!peers.empty()) spawn(c, [this, &sys, c, peers] { bw_card(sys, c, peers); });
    }
  }
}

void RdmaWorkload::pingpong_side(System& sys, unsigned card, unsigned peer, bool initiator) {
  const auto& rp = sys.params().rdma;
  CardSession s(sys, card);
  if (s.fd < 0) return fail(card, peer, "open", s.fd);
  int port = port_towards(sys.fabric(), card, peer, sys.params().card.nic_ports);
  int pport = port_towards(sys.fabric(), peer, card, sys.params().card.nic_ports);
  if (port < 0 || pport < 0) return fail(card, peer, "no cabled port between the cards", -ENOENT);
  const uint32_t n = rp.ping_bytes;
  uint64_t src = 0, dst = 0, cb_d = 0, ts_d = 0, pat_d = 0, ext = 0;
  HostBuffer pattern(n), cbuf(4096), ts(64);
  const bool timing = sys.params().card.timing_payload();  // no bytes to fill or check
  if (!timing) pattern.fill_pattern(card + 1);
  int rc;
  if ((rc = s.t.mem_alloc(s.fd, n, &src)) || (rc = s.t.mem_alloc(s.fd, n, &dst)) ||
      (rc = s.t.map_host(s.fd, pattern.data(), n, &pat_d)) || (rc = s.t.map_host(s.fd, cbuf.data(), 4096, &cb_d)) ||
      (rc = s.t.map_host(s.fd, ts.data(), 64, &ts_d)) || (rc = CopyCb(s).run(pat_d, src, n)))
    return fail(card, peer, "set-up", rc);
  rv_->publish("pdst/" + std::to_string(card), dst);
  QpErrorWatch qp_errors(s, 16);
  int conn = connect_to(s, *rv_, unsigned(port), peer, unsigned(pport));
  if (conn < 0) return fail(card, peer, "connect", conn);
  uint64_t peer_dst = rv_->await("pdst/" + std::to_string(peer));
  rv_->publish("ready/" + std::to_string(card), 1);
  rv_->await("ready/" + std::to_string(peer));

  hlthunk::CbBuilder b(cbuf.data(), 4096);
  const uint64_t fence = hlthunk::fence_rdata_addr(nic_queue(unsigned(port)), 0);
  if (initiator) b.timestamp(ts_d);
  uint32_t loop = b.size() / 8;
  uint32_t wait_on = initiator ? kSobPong : kSobArrived;
  b.monitor(kMonPing, wait_on, 1, fence, 1);
  if (initiator) {
    hlthunk::rdma_write(b, unsigned(port), uint32_t(conn), src, peer_dst, n, int(kSobArrived), -1);
    b.fence(0, 1, 1);
    b.sob_set(wait_on, 0);
  } else {
    b.fence(0, 1, 1);
    b.sob_set(wait_on, 0);
    hlthunk::rdma_write(b, unsigned(port), uint32_t(conn), src, peer_dst, n, int(kSobPong), -1);
  }
  if (rp.iterations > 1) b.repeat(loop, rp.iterations - 1);
  if (initiator) b.timestamp(ts_d + 4, true);
  b.sob_add(kSobDone, 1, true);
  if ((rc = s.t.cb_create(s.fd, 4096, &ext))) return fail(card, peer, "CB", rc);
  hlthunk::CbBuilder e(s.t.cb_map(s.fd, ext, 4096), 4096);
  e.monitor(kMonDone, kSobDone, 1, hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
  e.fence(0, 1, 1);
  e.sob_set(kSobDone, 0);
  uint32_t st = 0;
  rc = s.t.run(s.fd, {{nic_queue(unsigned(port)), cb_d, b.size()}, {GAUDI_QUEUE_ID_DMA_0_0, ext, e.size()}}, 60'000'000, &st);
  if (rc || st != HL_WAIT_CS_STATUS_COMPLETED)
    return fail(card, peer, "ping-pong CS", rc ? rc : -EIO, qp_errors.explain(unsigned(port), uint32_t(conn)));
  if (!initiator) return;
  RdmaPair r;
  r.src = card;
  r.dst = peer;
  r.src_port = unsigned(port);
  r.dst_port = unsigned(pport);
  r.bytes = n;
  const uint32_t* t = reinterpret_cast<const uint32_t*>(ts.data());
  r.latency_us = ns_between(t, 0) / rp.iterations / 2 / 1000.0;  // one way
  r.gbps = r.latency_us > 0 ? n * 8.0 / (r.latency_us * 1000.0) : 0;  // bits per ns
  // The last pong carries the peer's bytes into our dst.
  if (!timing) {
    HostBuffer got(n);
    sys.cards()[card]->hbm().store().read(dst, got.data(), n);
    r.verified = HostBuffer::matches_pattern(peer + 1, got.data(), n);
  }
  pairs_.push_back(r);
}

namespace {

// Incast: up to 7 cards without a direct link to card 0 (other boxes) all write into it.
std::vector<unsigned> incast_senders(System& sys) {
  std::vector<unsigned> out;
  for (unsigned c = 1; c < sys.cards().size() && out.size() < 7; ++c)
    if (!sys.fabric().port_towards(0, c)) out.push_back(c);
  return out;
}

// Who writes into `card`, in slot order, for the chosen mode.
std::vector<unsigned> senders_of(System& sys, unsigned card) {
  const auto& rp = sys.params().rdma;
  if (rp.mode == "incast") return card == 0 ? incast_senders(sys) : std::vector<unsigned>{};
  if (rp.mode == "one") {
    unsigned peer = std::min<unsigned>(rp.peer, unsigned(sys.cards().size()) - 1);
    return card == peer ? std::vector<unsigned>{0} : std::vector<unsigned>{};
  }
  return direct_peers(sys, card);
}

}  // namespace

// One card of rdma-bw: write `bytes` to every peer at once (one NIC queue per port), and
// receive from every sender; received data is copied to the host and checked.
void RdmaWorkload::bw_card(System& sys, unsigned card, const std::vector<unsigned>& peers) {
  const uint32_t n = uint32_t(sys.params().rdma.bytes);
  const unsigned ports = sys.params().card.nic_ports;
  std::vector<unsigned> senders = senders_of(sys, card);
  CardSession s(sys, card);
  auto fail_all = [&](const std::string& why, int rc) {
    for (unsigned d : peers) fail(card, d, why, rc);
    if (peers.empty()) fail(senders.empty() ? card : senders[0], card, why, rc);
  };
  if (s.fd < 0) return fail_all("open", s.fd);
  uint64_t src = 0, dst = 0, pat_d = 0, ver_d = 0, cb_d = 0, ts_d = 0;
  const size_t slots = std::max<size_t>(1, senders.size());
  // One sender's data is read back and checked at a time: a buffer for all of them would
  // be fresh host memory for every byte received (half the resident memory of a large
  // bytes-mode run). It is read back into the buffer the pattern was uploaded from (mapped a
  // second time for it): the upload is over before the set-up ends, and a buffer of its own
  // was another fresh MiB per card, a quarter of the resident memory of a 1 MiB run.
  HostBuffer pattern(n), cbuf(512 * (peers.size() + 1)), ts(8 * (peers.size() + 1));
  HostBuffer& verify = pattern;
  const bool timing = sys.params().card.timing_payload();  // no bytes to fill or check
  if (!timing) pattern.fill_pattern(card + 1);
  int rc;
  if ((rc = s.t.mem_alloc(s.fd, n, &src)) || (rc = s.t.mem_alloc(s.fd, uint64_t(n) * slots, &dst)) ||
      (rc = s.t.map_host(s.fd, pattern.data(), n, &pat_d)) || (rc = s.t.map_host(s.fd, verify.data(), verify.size(), &ver_d)) ||
      (rc = s.t.map_host(s.fd, cbuf.data(), cbuf.size(), &cb_d)) || (rc = s.t.map_host(s.fd, ts.data(), ts.size(), &ts_d)))
    return fail_all("set-up", rc);
  CopyCb copies(s);
  if (!peers.empty() && (rc = copies.run(pat_d, src, n))) return fail_all("upload", rc);
  rv_->publish("dst/" + std::to_string(card), dst);
  // One connection per neighbour serves both directions.
  std::set<unsigned> neighbours(peers.begin(), peers.end());
  neighbours.insert(senders.begin(), senders.end());
  QpErrorWatch qp_errors(s, 4 * uint32_t(neighbours.size()) + 16);
  std::map<unsigned, std::pair<unsigned, int>> conn;  // neighbour -> (port, connection)
  for (unsigned d : neighbours) {
    int p = port_towards(sys.fabric(), card, d, ports), pp = port_towards(sys.fabric(), d, card, ports);
    if (p < 0 || pp < 0) return fail_all("no cabled port towards card " + std::to_string(d), -ENOENT);
    int c = connect_to(s, *rv_, unsigned(p), d, unsigned(pp));
    if (c < 0) return fail_all("connect to card " + std::to_string(d), c);
    conn[d] = {unsigned(p), c};
  }
  rv_->publish("ready/" + std::to_string(card), 1);
  for (unsigned d : neighbours) rv_->await("ready/" + std::to_string(d));

  std::vector<hlthunk::Thunk::Job> jobs;
  for (size_t i = 0; i < peers.size(); ++i) {
    unsigned d = peers[i], port = conn[d].first;
    auto their = senders_of(sys, d);
    size_t slot = size_t(std::find(their.begin(), their.end(), card) - their.begin());
    uint64_t remote = rv_->await("dst/" + std::to_string(d)) + uint64_t(slot) * n;
    hlthunk::CbBuilder b(cbuf.data() + 512 * i, 512);
    b.timestamp(ts_d + 8 * i);
    hlthunk::rdma_write(b, port, uint32_t(conn[d].second), src, remote, n, int(kSobIncoming), -1);
    b.timestamp(ts_d + 8 * i + 4, true);  // EB: after the write is acknowledged
    b.sob_add(kSobDone, 1, true);
    jobs.push_back({nic_queue(port), cb_d + 512 * i, b.size()});
  }
  uint64_t ext = 0;
  void* ext_cpu = nullptr;
  if ((rc = copies.borrow(&ext, &ext_cpu))) return fail_all("CB", rc);  // no copy runs until this CS is over
  hlthunk::CbBuilder e(ext_cpu, CopyCb::kBytes);
  if (!peers.empty()) {
    e.monitor(kMonDone, kSobDone, uint32_t(peers.size()), hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
    e.fence(0, 1, 1);
    e.sob_set(kSobDone, 0);
  }
  if (!senders.empty()) {  // the remote NICs count every message that has fully landed
    e.monitor(kMonIncoming, kSobIncoming, uint32_t(senders.size()), hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 1), 1);
    e.fence(1, 1, 1);
    e.sob_set(kSobIncoming, 0);
  }
  jobs.push_back({GAUDI_QUEUE_ID_DMA_0_0, ext, e.size()});
  uint32_t st = 0;
  rc = s.t.run(s.fd, jobs, 60'000'000, &st);
  if (rc || st != HL_WAIT_CS_STATUS_COMPLETED) {
    if (peers.empty()) return fail_all("RDMA CS", rc ? rc : -EIO);
    for (unsigned d : peers)
      fail(card, d, "RDMA CS", rc ? rc : -EIO, qp_errors.explain(conn[d].first, uint32_t(conn[d].second)));
    return;
  }
  const uint32_t* t = reinterpret_cast<const uint32_t*>(ts.data());
  for (size_t i = 0; i < peers.size(); ++i) {
    RdmaPair r;
    r.src = card;
    r.dst = peers[i];
    r.src_port = conn[peers[i]].first;
    r.bytes = n;
    double ns = ns_between(t, unsigned(2 * i));
    r.gbps = ns > 0 ? n * 8.0 / ns : 0;
    rv_->publish("sent/" + pair_key(card, peers[i]), uint64_t(r.gbps * 1000));
    pairs_.push_back(r);
  }
  // Read back what arrived from each sender and check it against the pattern that sender
  // uploaded. Timing mode reads back too (the same simulated time) but has nothing to check.
  for (size_t k = 0; k < senders.size(); ++k) {
    rc = copies.run(dst + k * n, ver_d, n);
    if (timing) continue;
    bool ok = !rc && HostBuffer::matches_pattern(senders[k] + 1, verify.data(), n);
    rv_->publish("verified/" + pair_key(senders[k], card), ok ? 1 : 0);
  }
}

int RdmaWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  // Receivers published what they checked; attach it to the senders' rows.
  for (auto& p : pairs_)
    if (!pingpong_ && p.error.empty()) p.verified = rv_->peek("verified/" + pair_key(p.src, p.dst)) == 1;
  std::sort(pairs_.begin(), pairs_.end(), [](const RdmaPair& a, const RdmaPair& b) {
    return a.src != b.src ? a.src < b.src : a.dst < b.dst;
  });
  const auto& nic = sys.params().card.nic;
  double link = nic.speed_gbps;  // the GAUDI ports' line rate
  // Goodput bound of one link: MTU payload over the frame's line time (headers, FCS,
  // preamble, inter-frame gap; RETH on the first packet neglected).
  double mtu = nic.mtu;
  double frame = mtu + wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + wire::kIcrc + wire::kFcs + wire::kPreambleSfd + wire::kIfg;
  double bound = link * mtu / frame;
  // Timing mode moves no bytes: nothing can be verified, and nothing is claimed.
  const bool timing = sys.params().card.timing_payload();
  out << fmt::format("{:>4} {:>4} {:>5} {:>12} {:>8} {:>9} {:>11}  {}\n", "src", "dst", "port", "bytes", "verified",
                     "Gb/s", "latency us", "error");
  nlohmann::json pairs = nlohmann::json::array();
  int bad = 0;
  uint64_t bytes = 0;
  double sum_gbps = 0;
  for (const auto& p : pairs_) {
    const char* verdict = timing && p.error.empty() ? "skipped" : p.verified ? "yes" : "NO";
    out << fmt::format("{:>4} {:>4} {:>5} {:>12} {:>8} {:>9.2f} {:>11.3f}  {}\n", p.src, p.dst, p.src_port, p.bytes,
                       verdict, p.gbps, p.latency_us, p.error);
    if (!p.verified && !(timing && p.error.empty())) ++bad;
    bytes += p.error.empty() ? p.bytes : 0;
    sum_gbps += p.gbps;
    nlohmann::json j = {{"src", p.src},           {"dst", p.dst},       {"src_port", p.src_port},
                        {"bytes", p.bytes},       {"verified", p.verified}, {"gbit_s", p.gbps},
                        {"latency_us", p.latency_us}, {"error", p.error}};
    if (p.rc) j["errno"] = p.rc;
    if (timing) j["verification"] = "skipped (timing mode)";
    pairs.push_back(std::move(j));
  }
  if (timing)  // timing mode moves no bytes: nothing can be verified, and nothing is claimed
    out << fmt::format("total: verification skipped (timing mode: sim.payload=timing moves no data), {} pairs, {} bytes, "
                       "{:.2f} Gb/s summed over pairs\n", pairs_.size(), bytes, sum_gbps);
  else
    out << fmt::format("total: {} of {} pairs verified, {} bytes, {:.2f} Gb/s summed over pairs\n", pairs_.size() - bad,
                       pairs_.size(), bytes, sum_gbps);
  out << fmt::format("link {:.1f} Gb/s, framing bound {:.2f} Gb/s at MTU {}\n", link, bound, nic.mtu);
  record["results"] = std::move(pairs);
  record["summary"] = {{"mode", pingpong_ ? "pingpong" : sys.params().rdma.mode},
                       {"link_gbit_s", link},
                       {"framing_bound_gbit_s", bound},
                       {"mtu_bytes", nic.mtu}};
  record["totals"] = {{"pairs", pairs_.size()}, {"pairs_verified", timing ? 0 : pairs_.size() - bad}, {"bytes", bytes},
                      {"sum_gbit_s", sum_gbps}};
  if (timing) record["summary"]["verification"] = "skipped (timing mode)";
  return bad || pairs_.empty() ? 1 : 0;
}

}  // namespace gs
