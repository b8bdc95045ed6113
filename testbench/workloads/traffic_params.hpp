// Parameters of workload "traffic": a traffic matrix (a file or a built-in pattern) whose
// flows run as engine-initiated RDMA writes (fabric.model = packet) or through the flow
// model (fabric.model = flow).
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct TrafficParams {
  std::string pattern = "permutation";
  std::string file;
  uint64_t bytes = 2ull << 20;   // built-in patterns: bytes of every flow
  uint32_t endpoints = 0;        // built-in patterns: nodes (0 = every switch-attached card port)
  double start_us = 0;           // built-in patterns: start of every flow
  std::string csv;               // per-flow CSV ("" = none)

  template <class V> void visit(V& v) {
    v.choice("traffic.pattern", pattern, {"file", "permutation", "all-to-all"},
             "traffic: flows from traffic.file, a random permutation (every node sends to one other), or all-to-all");
    v.param("traffic.file", file, kFileUnit,
            "traffic.pattern = file: 'Nodes N', 'Connections M', then 'src->dst id I start T(us) size B' per flow");
    v.param("traffic.bytes", bytes, "B", "built-in patterns: bytes of every flow (one RDMA write)", Range{1, 4294967295.0});
    v.param("traffic.endpoints", endpoints, "",
            "built-in patterns: nodes taking part, the first N switch-attached card ports (0 = all)", Range{0, 16777216});
    v.param("traffic.start_us", start_us, "us", "built-in patterns: start time of every flow", Range{0, 1e9});
    v.param("traffic.csv", csv, "", "write one line per flow (id, src, dst, bytes, start, end, FCT, rate) to this file");
  }
};

}  // namespace gs
