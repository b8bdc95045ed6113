#include "testbench/workloads/traffic_workload.hpp"

#include <algorithm>

#include "driver/lib/cb_builder.hpp"
#include "models/common/stats_archive.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/output/report_rows.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/workloads/host_buffer.hpp"

namespace gs {

namespace {

// W_S sync objects and monitors of this workload (user range): one per NIC queue of a card
// (port * 4 + lane), and one counting the card's finished flows.
constexpr uint32_t kSobLane = 200, kMonLane = 100, kSobFlowsDone = 199, kMonFlowsDone = 99;
constexpr uint32_t kMaxFlowsPerCard = 32767;  // a sync object counts to 2^15 - 1
constexpr uint32_t kCbSlot = 256;             // bytes of one flow's command buffer

unsigned nic_queue(unsigned port, unsigned lane) { return GAUDI_QUEUE_ID_NIC_0_0 + 4 * port + lane; }
std::string conn_key(unsigned from, unsigned to) { return "c/" + std::to_string(from) + ">" + std::to_string(to); }
double now_ns() { return sc_core::sc_time_stamp().to_seconds() * 1e9; }

}  // namespace

void TrafficWorkload::prepare(const SimParams& p) {
  const TopologyShape shape{p.topology.hosts, p.topology.cards, p.card.nic_ports};
  t_ = make_traffic_setup(p, plan_topology(p.fabric, shape));
  std::vector<uint32_t> per_card(shape.cards(), 0);
  for (const FlowSpec& f : t_.matrix.flows)
    if (++per_card[t_.nodes[f.src].index] > kMaxFlowsPerCard)
      throw ConfigError("config: traffic: card " + std::to_string(t_.nodes[f.src].index) + " sends more than " +
                        std::to_string(kMaxFlowsPerCard) + " flows (packet model limit); use fabric.model = flow");
}

void TrafficWorkload::fail_card(unsigned card, const std::string& why, int rc) {
  rv_->publish("ready/" + std::to_string(card), 1);  // nobody waits for a card that gave up
  rv_->publish("finished/" + std::to_string(card), 1);
  for (size_t i = 0; i < t_.matrix.flows.size(); ++i)
    if (t_.nodes[t_.matrix.flows[i].src].index == card && !out_[i].done && out_[i].error.empty())
      out_[i].error = why + " (" + std::to_string(rc) + ")";
}

void TrafficWorkload::setup(System& sys) {
  rv_ = sys.make_bootstrap_group(int(sys.cards().size()));
  out_.assign(t_.matrix.flows.size(), FlowOutcome{});
  pairs_of_card_.assign(sys.cards().size(), {});
  for (unsigned k = 0; k < t_.pairs.size(); ++k) {
    const unsigned a = t_.nodes[t_.pairs[k].lo].index, b = t_.nodes[t_.pairs[k].hi].index;
    pairs_of_card_[a].push_back(k);
    if (b != a) pairs_of_card_[b].push_back(k);
  }
  for (unsigned c = 0; c < sys.cards().size(); ++c)
    if (!pairs_of_card_[c].empty() && sys.local_card(c))
      sys.hosts()[c / sys.params().topology.cards]->spawn_process("traffic" + std::to_string(c),
                                                                  [this, &sys, c] { card_process(sys, c); });
}

void TrafficWorkload::card_process(System& sys, unsigned card) {
  const auto& flows = t_.matrix.flows;
  CardSession s(sys, card);
  if (s.fd < 0) return fail_card(card, "open", s.fd);
  std::vector<unsigned> mine;  // flows this card sends, in dispatch order
  uint64_t max_out = 8, max_in = 8;
  for (unsigned i : t_.order) {
    if (t_.nodes[flows[i].src].index == card) mine.push_back(i), max_out = std::max(max_out, flows[i].bytes);
    if (t_.nodes[flows[i].dst].index == card) max_in = std::max(max_in, flows[i].bytes);
  }
  // Payload bytes are not checked here (rdma-bw does): every incoming flow lands in one
  // region, every outgoing one reads one region.
  uint64_t src = 0, dst = 0, cb_d = 0, ts_d = 0, noop = 0;
  HostBuffer cbuf(std::max<size_t>(1, mine.size()) * kCbSlot), ts(std::max<size_t>(1, mine.size()) * 8);
  int rc;
  if ((rc = s.t.mem_alloc(s.fd, max_out, &src)) || (rc = s.t.mem_alloc(s.fd, max_in, &dst)) ||
      (rc = s.t.map_host(s.fd, cbuf.data(), cbuf.size(), &cb_d)) ||
      (rc = s.t.map_host(s.fd, ts.data(), ts.size(), &ts_d)) || (rc = s.t.cb_create(s.fd, 64, &noop)))
    return fail_card(card, "set-up", rc);
  hlthunk::CbBuilder nb(s.t.cb_map(s.fd, noop, 64), 64);
  nb.nop();
  rv_->publish("dst/" + std::to_string(card), dst);

  // Connections: allocate every local side first, then fill both halves from the peer's id.
  std::vector<std::pair<unsigned, unsigned>> sides;  // (local node, remote node)
  for (unsigned k : pairs_of_card_[card])
    for (auto [me, peer] : {std::pair{t_.pairs[k].lo, t_.pairs[k].hi}, std::pair{t_.pairs[k].hi, t_.pairs[k].lo}})
      if (t_.nodes[me].index == card) sides.push_back({me, peer});
  std::map<std::pair<unsigned, unsigned>, uint32_t> conn;
  for (auto [me, peer] : sides) {
    uint32_t id = 0;
    if ((rc = hlthunk::nic_alloc_conn(s.t, s.fd, t_.nodes[me].port, &id))) return fail_card(card, "connection", rc);
    conn[{me, peer}] = id;
    rv_->publish(conn_key(me, peer), id);
  }
  Fabric& f = sys.fabric();
  for (auto [me, peer] : sides) {
    const PortRef& m = t_.nodes[me];
    const PortRef& r = t_.nodes[peer];
    hlthunk::NicPeer np;
    np.conn_id = uint32_t(rv_->await(conn_key(peer, me)));
    np.ip = f.ip_of(r.index, r.port);
    np.mac = f.mac_of(r.index, r.port);
    const uint32_t ip = f.ip_of(m.index, m.port);
    if ((rc = hlthunk::nic_set_requester(s.t, s.fd, m.port, conn[{me, peer}], ip, np)) ||
        (rc = hlthunk::nic_set_responder(s.t, s.fd, m.port, conn[{me, peer}], ip, np)))
      return fail_card(card, "connection set-up", rc);
  }
  // Every card is connected before the first flow: start times count from then, the same
  // instant for every process (they all wake on the last publish).
  rv_->publish("ready/" + std::to_string(card), 1);
  for (unsigned c = 0; c < pairs_of_card_.size(); ++c)
    if (!pairs_of_card_[c].empty()) rv_->await("ready/" + std::to_string(c));
  t0_ns_ = now_ns();

  std::vector<uint64_t> seqs;
  for (size_t k = 0; k < mine.size(); ++k) {
    const unsigned i = mine[k];
    const FlowSpec& fl = flows[i];
    const PortRef& sp = t_.nodes[fl.src];
    const TrafficPair& pr = t_.pairs[t_.flow_pair[i]];
    const uint32_t id = conn[{fl.src, fl.dst}];
    if (id != (fl.src == pr.lo ? pr.conn_lo : pr.conn_hi)) {
      out_[i].error = "connection id " + std::to_string(id) + " differs from the plan";
      continue;
    }
    const double at = t0_ns_ + fl.start_us * 1000.0;
    if (at > now_ns()) sc_core::wait(sc_core::sc_time(at - now_ns(), sc_core::SC_NS));
    const unsigned lane = t_.flow_lane[i], q = nic_queue(sp.port, lane), slot = sp.port * kTrafficLanes + lane;
    hlthunk::CbBuilder b(cbuf.data() + k * kCbSlot, kCbSlot);
    b.monitor(kMonLane + slot, kSobLane + slot, 1, hlthunk::fence_rdata_addr(q, 0), 1);
    b.timestamp(ts_d + 8 * k);
    hlthunk::rdma_write(b, sp.port, id, src, rv_->await("dst/" + std::to_string(t_.nodes[fl.dst].index)),
                        uint32_t(fl.bytes), -1, int(kSobLane + slot));
    b.fence(0, 1, 1);
    b.sob_set(kSobLane + slot, 0);
    b.timestamp(ts_d + 8 * k + 4);
    b.sob_add(kSobFlowsDone, 1);
    uint64_t seq = 0;
    out_[i].start_ns = now_ns();  // until the device stamps it
    // A full hardware queue (-EAGAIN) drains as flows finish: try again a little later.
    while ((rc = s.t.submit(s.fd, {{q, cb_d + k * kCbSlot, b.size()}, {GAUDI_QUEUE_ID_DMA_0_0, noop, nb.size()}},
                            &seq)) == -EAGAIN)
      sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));
    if (rc) out_[i].error = "submit (" + std::to_string(rc) + ")";
    else seqs.push_back(seq);
  }
  uint64_t ext = 0;
  if (!seqs.empty()) {  // one CS that completes once every flow of this card has stamped its end
    if ((rc = s.t.cb_create(s.fd, 4096, &ext))) return fail_card(card, "CB", rc);
    hlthunk::CbBuilder e(s.t.cb_map(s.fd, ext, 4096), 4096);
    e.monitor(kMonFlowsDone, kSobFlowsDone, uint32_t(seqs.size()), hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
    e.fence(0, 1, 1);
    e.sob_set(kSobFlowsDone, 0);
    uint32_t st = 0;
    rc = s.t.run(s.fd, {{GAUDI_QUEUE_ID_DMA_0_0, ext, e.size()}}, uint64_t(sys.params().sim.max_time_ms * 1000), &st);
    if (rc || st != HL_WAIT_CS_STATUS_COMPLETED) return fail_card(card, "waiting for the flows", rc ? rc : -EIO);
  }
  // Closing the device destroys this card's connections: stay until every flow is over.
  rv_->publish("finished/" + std::to_string(card), 1);
  for (unsigned c = 0; c < pairs_of_card_.size(); ++c)
    if (!pairs_of_card_[c].empty()) rv_->await("finished/" + std::to_string(c));
  const uint32_t* stamp = reinterpret_cast<const uint32_t*>(ts.data());
  for (size_t k = 0; k < mine.size(); ++k) {
    FlowOutcome& o = out_[mine[k]];
    if (!o.error.empty()) continue;
    // 32-bit device stamps: the posting time disambiguates the wrap (every 4.3 s).
    const double posted = o.start_ns;
    const double start = posted + double(uint32_t(stamp[2 * k] - uint32_t(uint64_t(posted))));
    o.start_ns = start - t0_ns_;
    o.end_ns = o.start_ns + double(uint32_t(stamp[2 * k + 1] - stamp[2 * k]));
    o.done = true;
  }
}

void TrafficWorkload::archive_results(const std::vector<bool>& cards, StatsArchive& a) {
  for (size_t i = 0; i < out_.size(); ++i) {
    if (!cards[t_.nodes[t_.matrix.flows[i].src].index]) continue;
    FlowOutcome& o = out_[i];
    a.real(o.start_ns), a.real(o.end_ns), a.flag(o.done), a.text(o.error);
  }
}

FabricSummary summarize_fabric(const nlohmann::json& fs) {
  FabricSummary s;
  for (const auto& sw : fs["switches"]) {
    s.drops += sw["drops"].get<uint64_t>();
    for (const auto& p : sw["port_stats"]) {
      s.max_queue_bytes = std::max(s.max_queue_bytes, p["max_queue_bytes"].get<uint64_t>());
      s.pauses += p["pauses_sent"].get<uint64_t>();
    }
  }
  s.drops += fs["links"]["lost"].get<uint64_t>() + fs["links"]["corrupted"].get<uint64_t>();
  return s;
}

int TrafficWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  nlohmann::json fs = sys.fabric().stats(sys.report_rows());
  const auto& p = sys.params();
  return report_traffic(t_, out_, summarize_fabric(fs), "packet", p.traffic.csv, out, record);
}

}  // namespace gs
