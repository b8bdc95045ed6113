#include "testbench/workloads/qp_errors.hpp"

#include "driver/lib/nic_thunk.hpp"
#include "driver/uapi/habanalabs.h"
#include "testbench/output/errno_text.hpp"
#include "testbench/workloads/rdma_session.hpp"

namespace gs {

QpErrorWatch::QpErrorWatch(CardSession& s, uint32_t min_entries) : s_(s) {
  uint32_t n = 64;
  while (n < min_entries && n < (1u << 20)) n <<= 1;
  if (hlthunk::nic_cq_create(s_.t, s_.fd, n, &cq_)) return;
  ring_ = static_cast<const hl_nic_cqe*>(s_.t.cb_map(s_.fd, cq_, n * uint32_t(sizeof(hl_nic_cqe))));
  if (!ring_) {
    hlthunk::nic_cq_destroy(s_.t, s_.fd, cq_);
    return;
  }
  entries_ = n;
}

QpErrorWatch::~QpErrorWatch() {
  if (ring_) hlthunk::nic_cq_destroy(s_.t, s_.fd, cq_);
}

// Takes every entry posted so far (a poll, no wait); keeps the QP errors.
void QpErrorWatch::drain() {
  for (;;) {
    uint32_t first = 0, count = 0, status = 0;
    if (hlthunk::nic_cq_wait(s_.t, s_.fd, cq_, 0, &first, &count, &status) || count == 0) return;
    for (uint32_t i = 0; i < count; ++i) {
      const hl_nic_cqe& e = ring_[(first + i) % entries_];
      if (e.is_err) syndromes_.emplace(std::make_pair(e.port, e.qp_number), e.qp_err.syndrome);
    }
    if (hlthunk::nic_cq_consumed(s_.t, s_.fd, cq_, count)) return;
  }
}

std::string QpErrorWatch::explain(unsigned port, uint32_t qp) {
  if (!ring_) return "";
  drain();
  auto it = syndromes_.find({port, qp});
  if (it == syndromes_.end()) return "";
  return "QP " + std::to_string(qp) + " on port " + std::to_string(port) + ": " + output::qp_syndrome_name(it->second);
}

}  // namespace gs
