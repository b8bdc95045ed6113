// Parameters of workloads "rdma-pingpong" and "rdma-bw".
#pragma once
#include <cstdint>
#include <string>

#include "common/params.hpp"

namespace gs {

struct RdmaWorkloadParams {
  uint64_t bytes = 8ull << 20;    // rdma-bw: bytes of each write
  std::string mode = "one";       // rdma-bw: one link, every direct link at once, or incast
  uint32_t peer = 1;              // the card that card 0 talks to (one / pingpong)
  uint32_t iterations = 100;      // rdma-pingpong round trips
  uint32_t ping_bytes = 8;        // rdma-pingpong message size

  template <class V> void visit(V& v) {
    v.param("rdma.bytes", bytes, "B", "rdma-bw: bytes of each RDMA write (a multiple of 8)", Range{8, 4294967288.0});
    v.choice("rdma.mode", mode, {"one", "all", "incast"},
             "rdma-bw: card 0 to rdma.peer; every card to every directly linked card at once; or up to 7 cards of other boxes into card 0 through the switches");
    v.param("rdma.peer", peer, "", "global index of the card that card 0 talks to", Range{1, 65535});
    v.param("rdma.iterations", iterations, "", "rdma-pingpong: round trips measured", Range{1, 16384});
    v.param("rdma.ping_bytes", ping_bytes, "B", "rdma-pingpong: bytes of each ping and pong (a multiple of 8)", Range{8, 1 << 20});
  }
};

}  // namespace gs
