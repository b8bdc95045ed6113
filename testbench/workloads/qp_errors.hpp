// Why an RDMA CS failed, found out the way a program does: the NIC completion queue of its
// context reports each QP that went to the error state, with port, QP and syndrome.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>

struct hl_nic_cqe;

namespace gs {

struct CardSession;

class QpErrorWatch {
 public:
  // Creates and maps the context's CQ (at least `min_entries`); without one, explain() is "".
  QpErrorWatch(CardSession& s, uint32_t min_entries);
  ~QpErrorWatch();
  QpErrorWatch(const QpErrorWatch&) = delete;
  QpErrorWatch& operator=(const QpErrorWatch&) = delete;

  // "QP 3 on port 0: RETRY_EXCEEDED" if that QP's error has been posted, else "".
  std::string explain(unsigned port, uint32_t qp);

 private:
  void drain();

  CardSession& s_;
  uint64_t cq_ = 0;
  uint32_t entries_ = 0;
  const hl_nic_cqe* ring_ = nullptr;
  std::map<std::pair<unsigned, uint32_t>, uint32_t> syndromes_;  // (port, QP) -> first syndrome
};

}  // namespace gs
