// A small simulated world for command-submission tests: one host, N cards, and a user
// process that runs the test's body with a thunk and an open compute fd of card 0.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/thunk.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/system.hpp"
#include "models/sync/sync_manager.hpp"
#include "testbench/workloads/host_buffer.hpp"

namespace gs::test {

struct CsWorld {
  SimParams params;
  std::unique_ptr<System> sys;
  bool finished = false;
  bool body_done = false;

  CsWorld() {
    params.topology.cards = 1;
    params.fast_boot();
    params.sim.max_time_ms = 20000;
  }
  // Runs body(thunk, fd) in a simulated process on card 0, then the simulation to its end.
  void run(std::function<void(hlthunk::Thunk&, int fd)> body) {
    sys = std::make_unique<System>(params, /*echo_log*/ false);
    Host& h = *sys->hosts()[0];
    h.spawn_process("test", [this, &h, body] {
      hlthunk::Thunk t(h.driver(), 42);
      int fd = t.open(0);
      ASSERT_GE(fd, 0);
      body(t, fd);
      body_done = true;
    });
    finished = sys->run();
  }
  Card& card() { return *sys->cards()[0]; }
  hl::HlDevice& device() { return *sys->hosts()[0]->driver().device(0); }
  bool logged(const std::string& s) { return sys->logger().contains(s); }
};

// Allocates a mapped CB and returns a builder over it.
struct UserCb {
  uint64_t handle = 0;
  hlthunk::CbBuilder b{nullptr, 0};
  UserCb(hlthunk::Thunk& t, int fd, uint32_t size = 4096) {
    EXPECT_EQ(t.cb_create(fd, size, &handle), 0);
    b = hlthunk::CbBuilder(t.cb_map(fd, handle, size), size);
  }
};

// A CB in a host buffer mapped for the device (what internal queues may run: the driver
// reads it and runs its checked copy), and a builder over it.
struct MappedHostCb {
  HostBuffer buf{4096};
  uint64_t dev_addr = 0;
  hlthunk::CbBuilder b{buf.data(), 4096};
  MappedHostCb(hlthunk::Thunk& t, int fd) { EXPECT_EQ(t.map_host(fd, buf.data(), 4096, &dev_addr), 0); }
};

// Submits one job and waits for it; returns the WAIT_CS status (or the submit error).
inline int run_one(hlthunk::Thunk& t, int fd, unsigned queue, uint64_t cb, uint32_t size,
                   uint64_t timeout_us = 1000000) {
  uint32_t status = 99;
  int rc = t.run(fd, {{queue, cb, size}}, timeout_us, &status);
  return rc ? rc : int(status);
}

}  // namespace gs::test
