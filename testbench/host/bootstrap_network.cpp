#include "testbench/host/bootstrap_network.hpp"

namespace gs {

class BootstrapNetwork::GroupLink : public hlcomm::GroupRelay {
 public:
  GroupLink(BootstrapNetwork& n, uint32_t id) : n_(n), id_(id) {}
  void forward(const std::string& key, const hlcomm::Bytes& value, uint64_t visible_at_ns) override {
    const sc_core::sc_time at(double(visible_at_ns), sc_core::SC_NS);
    if (n_.remote_) n_.remote_(id_, key, value, at);
    n_.schedule(id_, key, value, at);
  }

 private:
  BootstrapNetwork& n_;
  uint32_t id_;
};

BootstrapNetwork::BootstrapNetwork(sc_core::sc_module_name name) : sc_module(name) {
  SC_HAS_PROCESS(BootstrapNetwork);
  SC_METHOD(deliver_due);
  sensitive << wake_;
  dont_initialize();
}

BootstrapNetwork::~BootstrapNetwork() = default;

void BootstrapNetwork::add_group(hlcomm::InProcessGroup& g) {
  links_.push_back(std::make_unique<GroupLink>(*this, uint32_t(groups_.size())));
  g.set_relay(links_.back().get());
  groups_.push_back(&g);
}

void BootstrapNetwork::schedule(uint32_t group, const std::string& key, const hlcomm::Bytes& value,
                                sc_core::sc_time at) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (at < now) at = now;
  due_.emplace(at, Publication{group, key, value});
  wake_.notify(due_.begin()->first - now);  // an earlier pending notification wins
}

// Everything due now is visible before any waiter runs: waiters wake in a later delta.
void BootstrapNetwork::deliver_due() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!due_.empty() && due_.begin()->first <= now) {
    Publication& p = due_.begin()->second;
    groups_.at(p.group)->deliver(p.key, p.value);
    due_.erase(due_.begin());
  }
  if (!due_.empty()) wake_.notify(due_.begin()->first - now);
}

}  // namespace gs
