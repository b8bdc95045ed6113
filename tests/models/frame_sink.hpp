// A link's receiver for fabric tests: every frame that arrived, and when.
#pragma once
#include <systemc>
#include <vector>

#include "models/fabric/net_port.hpp"
#include "models/fabric/packet.hpp"

namespace gs::test {

struct Sink : NetReceiver {
  std::vector<PacketPtr> got;
  std::vector<sc_core::sc_time> at;
  void receive(const PacketPtr& p) override {
    got.push_back(p);
    at.push_back(sc_core::sc_time_stamp());
  }
};

}  // namespace gs::test
