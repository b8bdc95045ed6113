// The table of workload "collective", in the NCCL tests' layout, and its JSON record.
#include <fmt/format.h>

#include "models/fabric/packet.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/collective_workload.hpp"

namespace gs {

double CollectiveWorkload::busbw_factor() const {
  const double n = n_;
  switch (op_) {
    case hlcomm::CollOp::all_reduce: return 2 * (n - 1) / n;
    case hlcomm::CollOp::broadcast: return 1;
    default: return (n - 1) / n;
  }
}

CollectiveWorkload::ProbeSummary CollectiveWorkload::probe_summary(System& sys) {
  ProbeSummary s;
  for (auto& h : sys.hosts()) {
    if (!h) continue;  // another rank's, not built here
    for (auto& d : h->driver().devices()) {
      ++s.total;
      s.up += d->probe_error().empty() ? 1 : 0;
      s.longest_ns = std::max(s.longest_ns, d->probe_ns());
    }
  }
  return s;
}

int CollectiveWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  const auto& nic = sys.params().card.nic;
  const auto& cp = sys.params().collective;
  // Probe: what the driver found.
  ProbeSummary probe = probe_summary(sys);  // the hosts this process ran
  const uint64_t up = probe.up + remote_probe_.up, total = probe.total + remote_probe_.total;
  const uint64_t probe_ns = std::max(probe.longest_ns, remote_probe_.longest_ns);
  out << fmt::format("# probe: {} of {} cards up, longest probe {:.1f} us\n", up, total, probe_ns / 1000.0);
  int setup_rc = 0;
  for (int rc : setup_rc_) setup_rc = setup_rc ? setup_rc : rc;
  out << fmt::format("# communicator: {} ranks on {} host(s), {} connections, set-up {:.1f} us{}\n", n_,
                     sys.hosts().size(), connections_, setup_us_,
                     setup_rc ? ", FAILED (" + output::errno_text(setup_rc) + ")" : std::string());
  const char* redop = op_ == hlcomm::CollOp::all_reduce || op_ == hlcomm::CollOp::reduce_scatter ? "sum" : "none";
  const int root = op_ == hlcomm::CollOp::broadcast ? int(root_) : -1;
  out << fmt::format("# collective: {}, {}, chunk {} B, {} TPC cores for sums\n", cp.op, hlcomm::type_name(type_),
                     cp.chunk_bytes, cp.reduce_cores);
  out << "#\n";
  out << "#                                                              out-of-place                       in-place          \n";
  out << "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong\n";
  out << "#        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)       \n";
  nlohmann::json rows = nlohmann::json::array();
  // Results are checked only with real data (sim.payload=bytes) and collective.check.
  const bool timing = sys.params().card.timing_payload(), checked = cp.check && !timing;
  uint64_t wrong_total = 0;
  int errors = setup_rc ? 1 : 0;
  double bus_sum = 0, last_bus = 0;
  unsigned measured = 0;
  for (const CollRow& r : rows_) {
    std::string line = fmt::format("{:>12}  {:>12}  {:>8}  {:>6}  {:>6}", r.bytes, r.count, hlcomm::type_name(type_), redop, root);
    nlohmann::json j = {{"bytes", r.bytes}, {"count", r.count}};
    std::string row_error;
    for (unsigned m = 0; m < 2; ++m) {
      const double t = r.time_us[m];
      const double alg = t > 0 ? double(r.bytes) / (t * 1e3) : 0;  // bytes per ns = GB/s
      const double bus = alg * busbw_factor();
      std::string wrong = r.error[m] ? "ERR" : checked ? std::to_string(r.wrong[m]) : "-";
      line += fmt::format("  {:>7.2f}  {:>6.2f}  {:>6.2f}  {:>5}", t, alg, bus, wrong);
      wrong_total += r.wrong[m];
      errors += r.error[m] ? 1 : 0;
      bus_sum += bus;
      measured += 1;
      if (m == 0) last_bus = bus;
      // Out-of-place columns bare (NCCL's first half), in-place ones prefixed: flat rows for CSV.
      const std::string pre = m == 0 ? "" : "in_place_";
      j[pre + "time_us"] = t;
      j[pre + "algbw_gbyte_s"] = alg;
      j[pre + "busbw_gbyte_s"] = bus;
      j[pre + "wrong"] = r.wrong[m];
      if (r.error[m]) {
        j[pre + "errno"] = r.error[m];
        row_error += (row_error.empty() ? "" : "; ") + output::failure_text(m ? "in place" : "out of place", r.error[m]);
      }
    }
    j["error"] = row_error;
    if (!row_error.empty()) j["errno"] = r.error[0] ? r.error[0] : r.error[1];
    out << line << (row_error.empty() ? "" : "  # " + row_error) << "\n";
    rows.push_back(j);
  }
  const double avg = measured ? bus_sum / measured : 0;
  if (checked)
    out << fmt::format("# Out of bounds values : {} {}\n", wrong_total, wrong_total || errors ? "FAILED" : "OK");
  else
    out << fmt::format("# Out of bounds values : skipped ({}){}\n", timing ? "timing mode" : "collective.check=false",
                       errors ? ", FAILED" : "");
  out << fmt::format("# Avg bus bandwidth    : {:.4f} \n", avg);
  out << fmt::format("# total: {} sizes x 2 runs, {} wrong elements, {} failed runs\n", rows_.size(),
                     checked ? std::to_string(wrong_total) : std::string("unchecked"), errors);
  out << "#\n";
  // The fabric's bound on bus bandwidth: every card's links to the others at the RDMA
  // goodput of one link (line rate x payload / wire bytes of a full MTU packet).
  const double mtu = nic.mtu;
  const double frame = mtu + wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + wire::kIcrc + wire::kFcs +
                       wire::kPreambleSfd + wire::kIfg;
  // Across boxes (docs/validation.md) the box links carry S / L per link per phase: all-reduce
  // (two phases), reduce-scatter, all-gather and all-to-all are bounded at L x link x (n-1)/n.
  // All-to-all also sends (B-1)/B x S out of each box along the ring of each rail, forwards to
  // the B/2 boxes ahead and backwards to the others: h = F(F+1)/2 + K(K+1)/2 block-hops of
  // S / B per card over R rails (F = B/2, K = B-1-F), i.e. B R / h x link x (n-1)/n. Broadcast:
  // the root's links carry two shares of S / L, L/2 x link.
  const unsigned boxes = unsigned(sys.hosts().size());
  const unsigned per_box = boxes ? n_ / boxes : n_;
  const unsigned links = per_box > 1 ? std::min(per_box - 1, 7u) : 0;
  const double link = nic.speed_gbps / 8 * mtu / frame;
  double bound = boxes > 1 ? per_box * link * (n_ - 1) / n_ : links * link;
  std::string why = boxes > 1 ? fmt::format("{} cards per box x {:.0f} Gb/s x {:.2f}% RoCE framing x {}/{}", per_box,
                                            nic.speed_gbps, 100 * mtu / frame, n_ - 1, n_)
                              : fmt::format("{} links x {:.0f} Gb/s x {:.2f}% RoCE framing", links, nic.speed_gbps,
                                            100 * mtu / frame);
  const double rails = std::min(cp.scaleout_ports, 3u);
  const unsigned fwd = boxes / 2, bwd = boxes ? boxes - 1 - fwd : 0, hops = fwd * (fwd + 1) / 2 + bwd * (bwd + 1) / 2;
  if (boxes > 1 && op_ == hlcomm::CollOp::all_to_all && boxes * rails / hops < per_box) {
    bound = boxes * rails / hops * link * (n_ - 1) / n_;
    why = fmt::format("{} boxes x {:.0f} rails / {} block-hops x {:.0f} Gb/s x {:.2f}% RoCE framing x {}/{}", boxes,
                      rails, hops, nic.speed_gbps, 100 * mtu / frame, n_ - 1, n_);
  } else if (boxes > 1 && op_ == hlcomm::CollOp::broadcast) {
    bound = per_box / 2.0 * link;
    why = fmt::format("{}/2 cards per box x {:.0f} Gb/s x {:.2f}% RoCE framing", per_box, nic.speed_gbps,
                      100 * mtu / frame);
  }
  out << fmt::format("# Fabric bound (busbw) : {} = {:.2f} GB/s\n", why, bound);
  if (!rows_.empty() && bound > 0)
    out << fmt::format("# Reached at {} B      : {:.2f} GB/s = {:.1f}% of the bound\n", rows_.back().bytes, last_bus,
                       100 * last_bus / bound);
  record["results"] = std::move(rows);
  record["summary"] = {{"op", cp.op},
                       {"dtype", hlcomm::type_name(type_)},
                       {"cards", n_},
                       {"busbw_bound_gbyte_s", bound},
                       {"setup_us", setup_us_},
                       {"setup_error", setup_rc ? output::errno_text(setup_rc) : ""}};
  record["totals"] = {{"avg_busbw_gbyte_s", avg}, {"wrong", wrong_total}, {"failed_runs", errors}, {"sizes", rows_.size()}};
  if (!checked)
    record["summary"]["verification"] = timing ? "skipped (timing mode)" : "skipped (collective.check=false)";
  return wrong_total || errors || rows_.empty() ? 1 : 0;
}

}  // namespace gs
