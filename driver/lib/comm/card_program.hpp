// One rank's share of one collective: a command buffer per queue it uses (a NIC queue per
// peer, TPC cores for the sums, an internal DMA channel for local copies) and the external
// job that waits for all of it, submitted as one CS. Between submit and completion only the
// card runs: monitors release fences, NIC messages move sync objects on the receiving card.
//
// Sync objects (W_S, user range) come in two sets used alternately by successive
// collectives: a fast peer may already be one collective ahead and signalling us, and its
// signals must not land in the set this card is still counting (or is about to clear).
#pragma once
#include <cstdint>
#include <vector>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/comm/communicator.hpp"

namespace hlcomm {

class CardProgram {
 public:
  static constexpr uint32_t kSobBase = 200;     // first set; the second is kSobBase + kSetSize
  static constexpr uint32_t kSetSize = 32;
  static_assert(26 + 2 * Communicator::kMaxRails <= kSetSize, "the ring counters fit in a set");
  static constexpr uint32_t kMonBase = 100;     // NIC port p: +p, TPC e: +12+e, DMA: +20, ext: +21
  static constexpr uint32_t kQueueCbBytes = 64 << 10;
  static constexpr unsigned kMaxTpc = 8;
  static constexpr uint32_t kDescBytes = 512 << 10;

  CardProgram(Communicator& c, unsigned set);

  // Sync objects of this collective's set.
  uint32_t rs_in(unsigned from) const { return base_ + from; }        // reduce-scatter pieces landed, per sender
  uint32_t ag_in(unsigned from) const { return base_ + 8 + from; }    // spread pieces landed, per sender
  uint32_t red_done(unsigned e) const { return base_ + 16 + e; }      // sums done, per TPC core
  uint32_t nic_done() const { return base_ + 24; }
  uint32_t dma_done() const { return base_ + 25; }
  // Ring blocks landed from the previous box on a rail: reduce-scatter, all-gather.
  uint32_t ring_in(unsigned rail) const { return base_ + 26 + rail; }
  uint32_t ring_ag_in(unsigned rail) const { return base_ + 26 + Communicator::kMaxRails + rail; }

  // Packets on the NIC queue towards `peer`.
  void write(unsigned peer, uint64_t local, uint64_t remote, uint64_t bytes, uint32_t remote_sob);
  void nic_wait(unsigned peer, uint32_t sob, uint32_t target);
  void nic_wait_group(unsigned peer, uint32_t first_sob, uint8_t select, uint32_t target);
  // The same on a rail's link to the next box (Communicator::ring(rail, 0)).
  // back: to the previous box instead, over the rail's other QP (the same port and queue).
  void ring_write(unsigned rail, uint64_t local, uint64_t remote, uint64_t bytes, uint32_t remote_sob,
                  bool back = false);
  void ring_wait(unsigned rail, uint32_t sob, uint32_t target);
  void ring_wait_group(unsigned rail, uint32_t first_sob, uint8_t select, uint32_t target);
  // TPC core e: wait, then sum `inputs` (in order) into `out`; red_done(e) counts them.
  void tpc_wait_group(unsigned e, uint32_t first_sob, uint8_t select, uint32_t target);
  void sum(unsigned e, const std::vector<uint64_t>& inputs, uint64_t out, uint64_t count, DataType t);
  unsigned sums(unsigned e) const { return sums_[e]; }
  // Local copy on the internal DMA channel.
  void dma_wait_group(uint32_t first_sob, uint8_t select, uint32_t target);
  void copy(uint64_t src, uint64_t dst, uint64_t bytes);
  // What the completion job waits for besides the engines: pieces landing.
  void expect_group(uint32_t first_sob, uint8_t select, uint32_t target);
  void expect(uint32_t sob, uint32_t target) { expect_group(sob - sob % 8, uint8_t(1u << (sob % 8)), target); }

  // Submits everything as one CS and waits. 0, or -errno.
  int run();

 private:
  struct Queue {
    unsigned id = 0;
    hlthunk::CbBuilder cb{nullptr, 0};
    uint64_t dev = 0;
    bool used = false;
  };
  Queue& nic(unsigned peer);
  Queue& nic_port(unsigned port);
  Queue& tpc(unsigned e);
  Queue& dma();
  void wait_group(Queue& q, uint32_t mon, uint32_t first_sob, uint8_t select, uint32_t target);
  Queue& queue(unsigned slot, unsigned id);

  Communicator& c_;
  uint32_t base_;
  std::vector<Queue> queues_;   // slot: NIC port 0..9, TPC 10..17, DMA 18
  unsigned sums_[kMaxTpc] = {};
  uint32_t desc_used_ = 0;
  struct Expect {
    uint32_t first_sob;
    uint8_t select;
    uint32_t target;
  };
  std::vector<Expect> expects_;
  int error_ = 0;
};

}  // namespace hlcomm
