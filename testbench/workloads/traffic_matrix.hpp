// Traffic matrices for fabric studies: the plain-text connection-matrix format of datacenter
// network simulators (htsim and its kin), and the two patterns everyone starts with.
//
//   Nodes 16                               # endpoints the flows name (0 .. N-1)
//   Connections 2                          # flows that follow
//   0->5 id 1 start 0 size 2097152         # src->dst, flow id, start in us, bytes
//   5->0 id 2 start 12.5 size 65536
//
// '#' starts a comment; blank lines are skipped; the fields after src->dst may come in any
// order (id and size are required, start defaults to 0). Plain data: no SystemC.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gs {

struct FlowSpec {
  unsigned src = 0, dst = 0;
  uint64_t id = 0;
  double start_us = 0;
  uint64_t bytes = 0;
};

struct TrafficMatrix {
  unsigned nodes = 0;
  std::vector<FlowSpec> flows;  // in file order
};

constexpr uint64_t kMaxFlowBytes = 0xFFFFFFFFull;  // one RDMA WRITE: 32-bit length

// Throws ConfigError "traffic file 'F' line L: ..." for anything malformed (the caller exits 2).
TrafficMatrix parse_traffic_matrix(const std::string& text, const std::string& file_name);
TrafficMatrix load_traffic_matrix(const std::string& path);
// Every node sends `bytes` to one other, every node receives once (a random derangement
// drawn from `seed`); all start at `start_us`.
TrafficMatrix permutation_matrix(unsigned nodes, uint64_t bytes, uint64_t seed, double start_us = 0);
// Every ordered pair, src-major.
TrafficMatrix all_to_all_matrix(unsigned nodes, uint64_t bytes, double start_us = 0);
// The file text of a matrix (round trip with parse_traffic_matrix).
std::string format_traffic_matrix(const TrafficMatrix& m);

}  // namespace gs
