#include <algorithm>
#include <fstream>
#include <unistd.h>

#include "testbench/checks/config_checks.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/workloads/tpc_workload.hpp"

namespace gs {

uint64_t host_memory_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? uint64_t(pages) * uint64_t(size) : UINT64_MAX;
}

// What each workload fills and checks in host memory: its HostBuffers and reference copies
// (a few KiB of CBs and timestamps aside).
uint64_t workload_host_bytes(const SimParams& p) {
  const std::string& w = p.workload.name;
  const uint64_t cards = uint64_t(p.topology.hosts) * p.topology.cards;
  if (w == "dma") return cards * 2 * p.dma_workload.bytes;
  if (w == "rdma-bw") {
    // A sender holds its pattern (host) and source (HBM); a receiver one landing slot per
    // sender (HBM: this process's memory too) and one verify buffer (host). Timing mode
    // touches none of it.
    if (p.card.timing_payload()) return 0;
    const uint64_t n = p.rdma.bytes;
    if (p.rdma.mode == "one") return 4 * n;
    if (p.rdma.mode == "incast") return 7 * 2 * n + (7 + 1) * n;  // at most seven senders
    return cards * (2 * n + (7 + 1) * n);  // all: every card sends, and receives from up to seven
  }
  if (w == "gemm") {
    uint64_t worst = 0;
    const uint64_t es = p.gemm_workload.dtype == "bf16" ? 2 : 4;
    if (!p.card.mme.functional) return 0;
    for (uint32_t n : parse_gemm_sizes(p.gemm_workload.sizes)) {
      uint64_t nn = uint64_t(n) * n;
      worst = std::max(worst, nn * (2 * es + 4 + 2 * 4 + 4));  // A, B, C on the host; A, B, C as floats
    }
    return worst;
  }
  if (w == "tpc") {
    const auto& t = p.tpc_workload;
    const uint64_t es = t.dtype == "bf16" ? 2 : 4, inputs = std::max<uint32_t>(2, t.inputs);
    return t.elements * ((inputs + 1) * es + inputs * 4 + 4);  // buffers, float copies, reference
  }
  return 0;
}

void check_host_memory(const SimParams& p) {
  const uint64_t need = workload_host_bytes(p), have = host_memory_available();
  if (need > have)
    throw ConfigError("config: workload." + p.workload.name + " needs " + std::to_string(need >> 20) +
                      " MiB of host memory for its data buffers, and this machine has " + std::to_string(have >> 20) +
                      " MiB available; lower the workload's size keys (dma.bytes, rdma.bytes, gemm.sizes, tpc.elements) "
                      "or topology.cards/topology.hosts");
}

}  // namespace gs
