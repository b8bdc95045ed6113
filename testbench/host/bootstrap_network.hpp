// The out-of-band network of the programs' bootstrap rendezvous (sim.bootstrap_latency_ns):
// a publication is delivered to its group `latency` after it was made, by one method process
// that hands over everything due at an instant before any waiter runs. Single-process and
// partitioned runs (testbench/partition) deliver the same way, so both see the same order.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <systemc>

#include "driver/lib/comm/inproc_bootstrap.hpp"

namespace gs {

class BootstrapNetwork : public sc_core::sc_module {
 public:
  // A publication to send to the other ranks too (partitioned runs); null otherwise.
  using Remote = std::function<void(uint32_t group, const std::string& key, const hlcomm::Bytes& value,
                                     sc_core::sc_time at)>;
  explicit BootstrapNetwork(sc_core::sc_module_name name);
  ~BootstrapNetwork() override;

  void set_remote(Remote r) { remote_ = std::move(r); }
  // Groups in the same order on every rank: a publication names its group by index.
  void add_group(hlcomm::InProcessGroup& g);
  size_t group_count() const { return groups_.size(); }
  // A publication (local or from another rank) to deliver at `at` (>= now).
  void schedule(uint32_t group, const std::string& key, const hlcomm::Bytes& value, sc_core::sc_time at);

 private:
  class GroupLink;
  struct Publication {
    uint32_t group;
    std::string key;
    hlcomm::Bytes value;
  };
  void deliver_due();

  Remote remote_;
  std::vector<hlcomm::InProcessGroup*> groups_;
  std::vector<std::unique_ptr<GroupLink>> links_;
  std::multimap<sc_core::sc_time, Publication> due_;  // same-time entries keep arrival order
  sc_core::sc_event wake_;
};

}  // namespace gs
