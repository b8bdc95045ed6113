// Bootstrap for ranks that are threads of one program (every card of a gaudisim run lives
// in one simulator process). Waiting goes through the os layer's wait queues, so a rank
// sleeps in simulated time like any other blocked host thread. The group also carries named
// values (publish / await) for programs that swap single numbers rather than arrays.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/lib/comm/bootstrap.hpp"
#include "driver/os/os.hpp"

namespace hlcomm {

class InProcessGroup {
 public:
  InProcessGroup(hl::os::Os& os, int size);
  int size() const { return size_; }

  // Named values: publish once, await from any thread (blocks until published).
  void publish(const std::string& key, uint64_t value);
  uint64_t await(const std::string& key);
  // The value, or UINT64_MAX if nobody published it.
  uint64_t peek(const std::string& key) const;

 private:
  friend class InProcessBootstrap;
  struct Round {
    std::vector<std::vector<uint8_t>> parts;
    int arrived = 0, left = 0;
  };
  int allgather(int rank, uint64_t round, const void* mine, void* all, size_t bytes);

  int size_;
  std::unique_ptr<hl::os::WaitQueue> wq_;
  std::map<uint64_t, Round> rounds_;
  std::map<std::string, uint64_t> values_;
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
