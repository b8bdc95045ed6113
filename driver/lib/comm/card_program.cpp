#include "driver/lib/comm/card_program.hpp"

#include <algorithm>
#include <cerrno>

#include "driver/lib/compute_builder.hpp"
#include "driver/lib/nic_thunk.hpp"

namespace hlcomm {

namespace {
constexpr unsigned kNicSlots = 10, kTpcSlot = 10, kDmaSlot = 18, kSlots = 19;
constexpr uint32_t kNicQueueStride = 4;  // four streams per engine; stream 0 is ours
}  // namespace

CardProgram::CardProgram(Communicator& c, unsigned set) : c_(c), base_(kSobBase + set * kSetSize), queues_(kSlots) {}

CardProgram::Queue& CardProgram::queue(unsigned slot, unsigned id) {
  Queue& q = queues_[slot];
  if (!q.used) {
    q.used = true;
    q.id = id;
    q.cb = hlthunk::CbBuilder(c_.host_ + uint64_t(slot) * kQueueCbBytes, kQueueCbBytes);
    q.dev = c_.host_dev_ + uint64_t(slot) * kQueueCbBytes;
  }
  return q;
}

CardProgram::Queue& CardProgram::nic(unsigned peer) { return nic_port(unsigned(c_.peers_[peer].port)); }

CardProgram::Queue& CardProgram::nic_port(unsigned port) {
  return queue(port, GAUDI_QUEUE_ID_NIC_0_0 + kNicQueueStride * port);
}

void CardProgram::ring_write(unsigned rail, uint64_t local, uint64_t remote, uint64_t bytes, uint32_t remote_sob,
                             bool back) {
  if (!bytes) return;
  const PeerInfo& p = c_.ring_[rail][back ? 1 : 0];
  hlthunk::rdma_write(nic_port(unsigned(p.port)).cb, unsigned(p.port), p.conn, local, remote, uint32_t(bytes),
                      int(remote_sob), -1);
}

void CardProgram::ring_wait(unsigned rail, uint32_t sob, uint32_t target) {
  ring_wait_group(rail, sob - sob % 8, uint8_t(1u << (sob % 8)), target);
}

void CardProgram::ring_wait_group(unsigned rail, uint32_t first_sob, uint8_t select, uint32_t target) {
  const unsigned port = unsigned(c_.ring_[rail][0].port);
  wait_group(nic_port(port), kMonBase + port, first_sob, select, target);
}

CardProgram::Queue& CardProgram::tpc(unsigned e) { return queue(kTpcSlot + e, GAUDI_QUEUE_ID_TPC_0_0 + 4 * e); }
CardProgram::Queue& CardProgram::dma() { return queue(kDmaSlot, GAUDI_QUEUE_ID_DMA_2_0); }

void CardProgram::wait_group(Queue& q, uint32_t mon, uint32_t first_sob, uint8_t select, uint32_t target) {
  if (!select || !target) return;
  q.cb.monitor_group(mon, first_sob / 8, select, target, hlthunk::fence_rdata_addr(q.id, 0), 1);
  q.cb.fence(0, 1, 1);
}

void CardProgram::write(unsigned peer, uint64_t local, uint64_t remote, uint64_t bytes, uint32_t remote_sob) {
  if (!bytes) return;
  const PeerInfo& p = c_.peers_[peer];
  hlthunk::rdma_write(nic(peer).cb, unsigned(p.port), p.conn, local, remote, uint32_t(bytes), int(remote_sob), -1);
}

void CardProgram::nic_wait(unsigned peer, uint32_t sob, uint32_t target) {
  nic_wait_group(peer, sob - sob % 8, uint8_t(1u << (sob % 8)), target);
}

void CardProgram::nic_wait_group(unsigned peer, uint32_t first_sob, uint8_t select, uint32_t target) {
  wait_group(nic(peer), kMonBase + unsigned(c_.peers_[peer].port), first_sob, select, target);
}

void CardProgram::tpc_wait_group(unsigned e, uint32_t first_sob, uint8_t select, uint32_t target) {
  wait_group(tpc(e), kMonBase + 12 + e, first_sob, select, target);
}

void CardProgram::sum(unsigned e, const std::vector<uint64_t>& inputs, uint64_t out, uint64_t count, DataType t) {
  if (!count) return;
  const uint32_t dt = t == DataType::bf16 ? GSIM_DTYPE_BF16 : GSIM_DTYPE_FP32;
  std::vector<gsim_tensor> in;
  for (uint64_t a : inputs) in.push_back(hlthunk::tensor(a, dt, {uint32_t(count)}));
  gsim_tpc_desc d = hlthunk::tpc_kernel(GSIM_TPC_SUM, in, hlthunk::tensor(out, dt, {uint32_t(count)}));
  if (desc_used_ + sizeof d > kDescBytes) {
    error_ = -E2BIG;
    return;
  }
  const uint64_t off = uint64_t(kSlots) * kQueueCbBytes + desc_used_;
  std::memcpy(c_.host_ + off, &d, sizeof d);
  desc_used_ += (sizeof d + 7) & ~7u;
  Queue& q = tpc(e);
  hlthunk::launch(q.cb, q.id, c_.host_dev_ + off, hlthunk::sob_increment(red_done(e)));
  ++sums_[e];
}

void CardProgram::dma_wait_group(uint32_t first_sob, uint8_t select, uint32_t target) {
  wait_group(dma(), kMonBase + 20, first_sob, select, target);
}

void CardProgram::copy(uint64_t src, uint64_t dst, uint64_t bytes) {
  if (!bytes || src == dst) return;
  Queue& q = dma();
  for (uint64_t done = 0; done < bytes;) {  // one LIN_DMA moves at most 4 GiB - 1
    uint64_t n = std::min<uint64_t>(bytes - done, 1ull << 31);
    q.cb.lin_dma(src + done, dst + done, uint32_t(n));
    done += n;
  }
}

void CardProgram::expect_group(uint32_t first_sob, uint8_t select, uint32_t target) {
  if (select && target) expects_.push_back({first_sob, select, target});
}

int CardProgram::run() {
  if (error_) return error_;
  hlthunk::CbBuilder ext(c_.ext_cpu_, kQueueCbBytes);
  const uint64_t ext_fence = hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0);
  const uint32_t ext_mon = kMonBase + 21;
  auto ext_wait = [&](uint32_t first, uint8_t select, uint32_t target) {
    if (!select || !target) return;
    ext.monitor_group(ext_mon, first / 8, select, target, ext_fence, 1);
    ext.fence(0, 1, 1);
  };
  std::vector<hlthunk::Thunk::Job> jobs;
  unsigned nics = 0;
  for (unsigned s = 0; s < kSlots; ++s) {
    Queue& q = queues_[s];
    if (!q.used) continue;
    if (s < kNicSlots) {
      q.cb.sob_add(nic_done(), 1, true);  // EB: every write of this queue acknowledged
      ++nics;
    } else if (s == kDmaSlot) {
      q.cb.sob_add(dma_done(), 1, true);  // EB: the copies have landed
    } else {
      hlthunk::engine_sync_point(q.cb);   // a sum that failed fails this stream (and the CS)
    }
    if (q.cb.overflowed()) return -E2BIG;
    jobs.push_back({q.id, q.dev, q.cb.size()});
  }
  ext_wait(nic_done() - nic_done() % 8, uint8_t(1u << (nic_done() % 8)), nics);
  if (queues_[kDmaSlot].used) ext_wait(dma_done() - dma_done() % 8, uint8_t(1u << (dma_done() % 8)), 1);
  for (unsigned e = 0; e < kMaxTpc; ++e)
    ext_wait(red_done(e) - red_done(e) % 8, uint8_t(1u << (red_done(e) % 8)), sums_[e]);
  for (const Expect& x : expects_) ext_wait(x.first_sob, x.select, x.target);
  for (uint32_t s = 0; s < kSetSize; ++s) ext.sob_set(base_ + s, 0);  // ready for the collective after next
  if (ext.overflowed()) return -E2BIG;
  jobs.push_back({GAUDI_QUEUE_ID_DMA_0_0, c_.ext_cb_, ext.size()});
  uint32_t status = 0;
  int rc = c_.t_.run(c_.fd_, jobs, c_.cfg_.timeout_us, &status);
  if (rc) return rc;
  if (status == HL_WAIT_CS_STATUS_COMPLETED) return 0;
  return status == HL_WAIT_CS_STATUS_BUSY ? -ETIMEDOUT : -EIO;
}

}  // namespace hlcomm
