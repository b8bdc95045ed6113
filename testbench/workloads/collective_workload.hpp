// Workload "collective" (the default run): one process per card builds a communicator
// (driver/lib/comm) and sweeps a collective over sizes, out of place then in place, each
// result copied back to host memory by DMA and checked against a host reference; the table
// is the one the NCCL tests print.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "testbench/workloads/host_buffer.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

struct CollRow {
  uint64_t bytes = 0, count = 0;
  double time_us[2] = {0, 0};  // out of place, in place (slowest rank)
  uint64_t wrong[2] = {0, 0};
  int error[2] = {0, 0};
};

class CollectiveWorkload : public Workload {
 public:
  void setup(System& sys) override;
  int report(System& sys, std::ostream& out, nlohmann::json& record) override;
  void archive_results(const std::vector<bool>& cards, StatsArchive& a) override;
  const std::vector<CollRow>& rows() const { return rows_; }

 private:
  void rank_main(System& sys, unsigned rank);
  // Sizes of the sweep (bytes of the larger buffer) and the count each one uses.
  std::vector<uint64_t> sizes(const System& sys) const;
  uint64_t count_for(uint64_t bytes) const;
  // Fills the shared reference for this size (rank 0, before the collective).
  void make_reference(uint64_t count);
  float expected(unsigned rank, uint64_t count, uint64_t idx) const;
  uint64_t check(const uint8_t* got, unsigned rank, uint64_t count, uint64_t first, uint64_t n) const;
  static constexpr uint64_t kSliceBytes = 16ull << 20;  // the program's pinned staging buffer
  double busbw_factor() const;

  struct ProbeSummary {
    uint64_t up = 0, total = 0, longest_ns = 0;
  };
  static ProbeSummary probe_summary(System& sys);

  System* sys_ = nullptr;
  ProbeSummary remote_probe_;  // partitioned runs: the drivers other ranks ran
  hlcomm::CollOp op_ = hlcomm::CollOp::all_reduce;
  hlcomm::DataType type_ = hlcomm::DataType::f32;
  unsigned n_ = 0, root_ = 0;
  unsigned ref_maker_ = 0;  // the rank that fills ref_ in this process (the first local one)
  uint64_t seed_ = 1;
  std::unique_ptr<hlcomm::InProcessGroup> group_;
  std::vector<CollRow> rows_;
  // allreduce / reducescatter: the sums, element by element (floats). A HostBuffer, so the
  // largest size's 256 MiB are huge pages written once, not a vector grown size by size
  // (zero-filled, then copied on every growth, 4 KiB faults throughout).
  std::unique_ptr<HostBuffer> ref_;
  const float* ref() const { return reinterpret_cast<const float*>(ref_->data()); }
  std::vector<double> times_;  // per rank, this size and mode
  std::vector<int> setup_rc_;
  double setup_us_ = 0;
  unsigned connections_ = 0;
};

}  // namespace gs
