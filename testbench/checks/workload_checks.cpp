#include <sstream>

#include "testbench/checks/config_checks.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/workloads/tpc_workload.hpp"

namespace gs {

namespace {

constexpr uint64_t kMaxTransfer = 4294967288ull;  // one LIN_DMA: 32-bit size, a multiple of 8
constexpr uint64_t kHbmUserBase = 512ull << 20;    // the driver keeps HBM below this
constexpr uint64_t kHbmPage = 2ull << 20;          // allocations are whole 2 MiB pages

std::string n2s(uint64_t v) { return std::to_string(v); }

void multiple_of_8(const char* key, uint64_t v) {
  if (v % 8) throw ConfigError(std::string("config: key '") + key + "' = " + n2s(v) + ": must be a multiple of 8 (the DMA and NIC move 8-byte words)");
}

uint64_t pages(uint64_t bytes) { return (bytes + kHbmPage - 1) / kHbmPage * kHbmPage; }

void fits_hbm(const SimParams& p, const std::string& what, uint64_t bytes) {
  uint64_t user = p.card.hbm_bytes > kHbmUserBase ? p.card.hbm_bytes - kHbmUserBase : 0;
  if (bytes > user)
    throw ConfigError("config: " + what + " need " + n2s(bytes) + " B of HBM per card; card.hbm_bytes = " +
                      n2s(p.card.hbm_bytes) + " leaves " + n2s(user) + " B to users (the driver keeps the first 512 MiB)");
}

// Cards that write into card 0 in incast mode: other boxes (no direct cable) that reach it.
std::vector<unsigned> incast_senders(const SimParams& p, const TopologyPlan& plan) {
  std::vector<unsigned> out;
  const unsigned total = p.topology.hosts * p.topology.cards;
  auto direct = [&](unsigned c) {
    for (const Cable& k : plan.cables)
      if ((k.a.kind == NodeKind::card && k.b.kind == NodeKind::card) &&
          ((k.a.index == 0 && k.b.index == c) || (k.b.index == 0 && k.a.index == c)))
        return true;
    return false;
  };
  for (unsigned c = 1; c < total && out.size() < 7; ++c)
    if (!direct(c)) out.push_back(c);
  return out;
}

unsigned max_direct_peers(const SimParams& p, const TopologyPlan& plan) {
  std::vector<unsigned> n(p.topology.hosts * p.topology.cards, 0);
  unsigned best = 0;
  for (const Cable& k : plan.cables)
    if (k.a.kind == NodeKind::card && k.b.kind == NodeKind::card && k.a.index != k.b.index) {
      best = std::max(best, ++n[k.a.index]);
      best = std::max(best, ++n[k.b.index]);
    }
  return best;
}

void check_rdma(const SimParams& p, const TopologyPlan& plan) {
  const auto& r = p.rdma;
  const unsigned total = p.topology.hosts * p.topology.cards;
  const bool pingpong = p.workload.name == "rdma-pingpong";
  multiple_of_8(pingpong ? "rdma.ping_bytes" : "rdma.bytes", pingpong ? r.ping_bytes : r.bytes);
  const std::string where = " (topology.kind = " + p.fabric.kind + ", " + n2s(p.topology.hosts) + " host(s) x " +
                            n2s(p.topology.cards) + " cards)";
  if (pingpong || r.mode == "one") {
    if (total < 2) throw ConfigError("config: workload." + p.workload.name + " needs at least 2 cards" + where);
    if (r.peer >= total)
      throw ConfigError("config: key 'rdma.peer' = " + n2s(r.peer) + ": there is no such card; allowed values are 1.." +
                        n2s(total - 1) + where);
    if (!cards_connected(plan, 0, r.peer))
      throw ConfigError("config: key 'rdma.peer' = " + n2s(r.peer) + ": card " + n2s(r.peer) +
                        " cannot be reached from card 0: no cable between them and no path through switches" + where);
  }
  if (pingpong) return;
  uint64_t slots = 1;
  if (r.mode == "incast") {
    auto senders = incast_senders(p, plan);
    if (senders.empty())
      throw ConfigError("config: rdma.mode = incast needs cards without a direct cable to card 0 (other boxes) that "
                        "reach it through switches, and there are none" + where + "; use topology.hosts >= 2 or rdma.mode = one|all");
    for (unsigned c : senders)
      if (!cards_connected(plan, c, 0))
        throw ConfigError("config: rdma.mode = incast: card " + n2s(c) + " cannot reach card 0 (no cable, no path through switches)" + where);
    slots = senders.size();
  } else if (r.mode == "all") {
    slots = max_direct_peers(p, plan);
    if (!slots)
      throw ConfigError("config: rdma.mode = all sends over the cables between cards, and there are none" + where +
                        "; use topology.kind = pair, box or custom");
  }
  fits_hbm(p, "rdma-bw buffers (rdma.bytes x " + n2s(1 + slots) + ")", pages(r.bytes) + pages(r.bytes * slots));
}

void check_gemm(const SimParams& p) {
  const std::string& text = p.gemm_workload.sizes;
  auto sizes = parse_gemm_sizes(text);
  if (sizes.empty()) throw ConfigError("config: key 'gemm.sizes' is empty: give comma-separated sizes, e.g. 256,512");
  std::stringstream ss(text);
  std::string item;
  for (uint32_t n : sizes) {
    std::getline(ss, item, ',');
    if (!n)
      throw ConfigError("config: key 'gemm.sizes' = '" + text + "': '" + item + "' is not a size; allowed: whole numbers 1.." +
                        n2s(kGemmMaxSize) + " (C = n x n fp32 must fit one 4 GiB DMA transfer)");
  }
}

void check_tpc(const SimParams& p) {
  const auto& w = p.tpc_workload;
  std::string names;
  for (const auto& [name, id] : tpc_kernel_ids()) names += (names.empty() ? "" : ",") + name;
  std::stringstream ss(w.kernels);
  std::string op;
  bool any = false;
  while (std::getline(ss, op, ',')) {
    if (!tpc_kernel_ids().count(op))
      throw ConfigError("config: key 'tpc.kernels' = '" + w.kernels + "': '" + op + "' is not a kernel; allowed values are " + names);
    any = true;
  }
  if (!any) throw ConfigError("config: key 'tpc.kernels' is empty; allowed values are " + names);
  if (w.elements % w.row)
    throw ConfigError("config: key 'tpc.elements' = " + n2s(w.elements) + " must be a multiple of tpc.row = " + n2s(w.row));
  const uint64_t es = w.dtype == "bf16" ? 2 : 4;
  if (w.elements * es > kMaxTransfer)
    throw ConfigError("config: key 'tpc.elements' = " + n2s(w.elements) + ": a tensor of " + n2s(w.elements * es) +
                      " B exceeds one DMA transfer; allowed up to " + n2s(kMaxTransfer / es) + " elements of " + w.dtype);
}

}  // namespace

void check_workload(const SimParams& p, const TopologyPlan& plan) {
  const std::string& w = p.workload.name;
  if (w == "dma") {
    multiple_of_8("dma.bytes", p.dma_workload.bytes);
    fits_hbm(p, "workload dma's two buffers (dma.bytes x 2)", 2 * pages(p.dma_workload.bytes));
  }
  if (w == "rdma-bw" || w == "rdma-pingpong") check_rdma(p, plan);
  if (w == "gemm") check_gemm(p);
  if (w == "tpc") check_tpc(p);
}

}  // namespace gs
