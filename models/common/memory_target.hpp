// A memory (HBM, SRAM) as a bus target: sparse backing store plus a bandwidth server that
// every initiator on the card shares, so that concurrent engines contend.
#pragma once
#include <string>

#include "models/common/bandwidth_server.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/sparse_memory.hpp"

namespace gs {

class MemoryTarget : public BusTarget {
 public:
  MemoryTarget(std::string name, uint64_t size, double gbytes_per_s, sc_core::sc_time latency)
      : name_(name), store_(size), server_(std::move(name), gbytes_per_s, latency) {}

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;

  SparseMemory& store() { return store_; }
  BandwidthServer& server() { return server_; }

 private:
  std::string name_;
  bool oom_reported_ = false;
  SparseMemory store_;
  BandwidthServer server_;
};

}  // namespace gs
