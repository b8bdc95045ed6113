// Bootstrap for ranks that are threads of one program (every card of a gaudisim run lives
// in one simulator process). Waiting goes through the os layer's wait queues, so a rank
// sleeps in simulated time like any other blocked host thread. The group also carries named
// values (publish / await) for programs that swap single numbers rather than arrays.
//
// The out-of-band network has a latency: a value published at t is seen from t + latency
// (0: at once). A partitioned simulation (testbench/partition) runs the group's ranks in
// several simulator processes: a relay forwards every publication to the others, which
// deliver() it at the same simulated time, so both kinds of run see the same instants.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/lib/comm/bootstrap.hpp"
#include "driver/os/os.hpp"

namespace hlcomm {

using Bytes = std::vector<uint8_t>;

class GroupRelay {
 public:
  virtual ~GroupRelay() = default;
  // `key` = `value` becomes visible everywhere (this process included: the relay calls
  // deliver()) at visible_at_ns (simulated time).
  virtual void forward(const std::string& key, const Bytes& value, uint64_t visible_at_ns) = 0;
};

class InProcessGroup {
 public:
  InProcessGroup(hl::os::Os& os, int size, uint64_t latency_ns = 0);
  int size() const { return size_; }
  uint64_t latency_ns() const { return latency_ns_; }
  void set_relay(GroupRelay* relay) { relay_ = relay; }

  // Named values: publish once, await from any thread (blocks until published).
  void publish(const std::string& key, uint64_t value);
  uint64_t await(const std::string& key);
  void publish_bytes(const std::string& key, const Bytes& value);
  Bytes await_bytes(const std::string& key);
  // The value, or UINT64_MAX if nobody published it (or it is not visible yet).
  uint64_t peek(const std::string& key) const;
  // A publication another process relayed, now visible here.
  void deliver(const std::string& key, const Bytes& value);

 private:
  friend class InProcessBootstrap;
  struct Round {
    std::vector<std::vector<uint8_t>> parts;
    int arrived = 0, left = 0;
  };
  struct Pending {
    uint64_t at_ns;
    std::string key;
    Bytes value;
  };
  int allgather(int rank, uint64_t round, const void* mine, void* all, size_t bytes);
  int allgather_published(int rank, uint64_t round, const void* mine, void* all, size_t bytes);
  void courier();  // makes delayed publications visible at their time

  hl::os::Os& os_;
  int size_;
  uint64_t latency_ns_;
  GroupRelay* relay_ = nullptr;
  std::unique_ptr<hl::os::WaitQueue> wq_, courier_wq_;
  bool courier_running_ = false;
  std::deque<Pending> pending_;  // constant latency: in visibility order
  std::map<uint64_t, Round> rounds_;
  std::map<std::string, Bytes> values_;
};

class InProcessBootstrap : public Bootstrap {
 public:
  InProcessBootstrap(InProcessGroup& g, int rank) : g_(g), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return g_.size(); }
  int allgather(const void* mine, void* all, size_t bytes) override {
    return g_.allgather(rank_, round_++, mine, all, bytes);
  }

 private:
  InProcessGroup& g_;
  int rank_;
  uint64_t round_ = 0;
};

}  // namespace hlcomm
