#include "testbench/workloads/collective_workload.hpp"

#include <algorithm>
#include <cstdlib>

#include "driver/lib/cb_builder.hpp"
#include "models/common/stats_archive.hpp"
#include "testbench/system.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/workloads/collective_data.hpp"

namespace gs {

namespace {

hlcomm::CollOp parse_op(const std::string& s) {
  if (s == "reducescatter") return hlcomm::CollOp::reduce_scatter;
  if (s == "allgather") return hlcomm::CollOp::all_gather;
  if (s == "alltoall") return hlcomm::CollOp::all_to_all;
  if (s == "broadcast") return hlcomm::CollOp::broadcast;
  return hlcomm::CollOp::all_reduce;
}

// One DMA on the external PCI DMA queue, submitted and waited for.
int dma(hlthunk::Thunk& t, int fd, uint64_t cb, void* cb_cpu, uint64_t src, uint64_t dst, uint64_t bytes) {
  if (!bytes) return 0;
  hlthunk::CbBuilder b(cb_cpu, 4096);
  b.lin_dma(src, dst, uint32_t(bytes), true);
  uint32_t st = 0;
  int rc = t.run(fd, {{GAUDI_QUEUE_ID_DMA_0_0, cb, b.size()}}, 60'000'000, &st);
  return rc ? rc : st == HL_WAIT_CS_STATUS_COMPLETED ? 0 : -EIO;
}

}  // namespace

std::vector<uint64_t> CollectiveWorkload::sizes(const System& sys) const {
  const auto& cp = sys.params().collective;
  std::vector<uint64_t> out;
  for (uint64_t s = cp.min_bytes; s <= cp.max_bytes; s *= cp.step_factor) {
    out.push_back(s);
    if (s > UINT64_MAX / cp.step_factor) break;
  }
  return out;
}

// Elements per rank argument of the call (NCCL semantics, see Communicator).
uint64_t CollectiveWorkload::count_for(uint64_t bytes) const {
  uint64_t e = bytes / hlcomm::type_size(type_);
  bool per_rank = op_ == hlcomm::CollOp::reduce_scatter || op_ == hlcomm::CollOp::all_gather ||
                  op_ == hlcomm::CollOp::all_to_all;
  return per_rank ? e / n_ : e;
}

void CollectiveWorkload::setup(System& sys) {
  const auto& cp = sys.params().collective;
  sys_ = &sys;
  op_ = parse_op(cp.op);
  type_ = cp.dtype == "bfloat16" ? hlcomm::DataType::bf16 : hlcomm::DataType::f32;
  n_ = unsigned(sys.cards().size());
  root_ = cp.root;
  seed_ = sys.params().sim.seed;
  group_ = sys.make_bootstrap_group(int(n_));
  for (uint64_t s : sizes(sys)) {
    CollRow r;
    r.bytes = s;
    r.count = s / hlcomm::type_size(type_);
    rows_.push_back(r);
  }
  setup_rc_.assign(n_, 0);
  const unsigned per_host = sys.params().topology.cards;
  ref_maker_ = n_;
  for (unsigned rank = 0; rank < n_; ++rank) {
    if (!sys.local_card(rank)) continue;  // another process of a partitioned run
    ref_maker_ = std::min(ref_maker_, rank);
    sys.hosts()[rank / per_host]->spawn_process("coll" + std::to_string(rank), [this, &sys, rank] { rank_main(sys, rank); });
  }
}

// Partitioned runs: the slowest rank's time, the sums of wrong elements and connections.
void CollectiveWorkload::archive_results(const std::vector<bool>& cards, StatsArchive& a) {
  for (CollRow& row : rows_)
    for (unsigned m = 0; m < 2; ++m) {
      double t = row.time_us[m];
      uint64_t wrong = row.wrong[m], err = uint64_t(int64_t(row.error[m]));
      a.real(t), a.u64(wrong), a.u64(err);
      if (!a.loading()) continue;
      row.time_us[m] = std::max(row.time_us[m], t);
      row.wrong[m] += wrong;
      if (!row.error[m]) row.error[m] = int(int64_t(err));
    }
  for (unsigned c = 0; c < n_; ++c)
    if (cards[c]) {
      uint64_t rc = uint64_t(int64_t(setup_rc_[c]));
      a.u64(rc);
      setup_rc_[c] = int(int64_t(rc));
    }
  uint64_t conns = a.loading() ? 0 : connections_;
  a.u64(conns);
  if (a.loading()) connections_ += unsigned(conns);
  if (cards[0]) a.real(setup_us_);
  ProbeSummary s = a.loading() ? ProbeSummary{} : probe_summary(*sys_);
  a.u64(s.up), a.u64(s.total), a.u64(s.longest_ns);
  if (a.loading()) {
    remote_probe_.up += s.up, remote_probe_.total += s.total;
    remote_probe_.longest_ns = std::max(remote_probe_.longest_ns, s.longest_ns);
  }
}

void CollectiveWorkload::make_reference(uint64_t count) {
  const bool bf16 = type_ == hlcomm::DataType::bf16;
  uint64_t total = op_ == hlcomm::CollOp::reduce_scatter ? count * n_ : count;
  ref_.reset();  // back to the arena first
  ref_ = std::make_unique<HostBuffer>(total * sizeof(float));
  float* r = reinterpret_cast<float*>(ref_->data());
  for (uint64_t i = 0; i < total; ++i) r[i] = colldata::sum(bf16, seed_, n_, i);
}

// What element `idx` of `rank`'s result must be.
float CollectiveWorkload::expected(unsigned rank, uint64_t count, uint64_t idx) const {
  const bool bf16 = type_ == hlcomm::DataType::bf16;
  switch (op_) {
    case hlcomm::CollOp::all_reduce: return ref()[idx];
    case hlcomm::CollOp::reduce_scatter: return ref()[rank * count + idx];
    case hlcomm::CollOp::all_gather: return colldata::value(seed_, unsigned(idx / count), idx % count, bf16);
    case hlcomm::CollOp::all_to_all: return colldata::value(seed_, unsigned(idx / count), rank * count + idx % count, bf16);
    case hlcomm::CollOp::broadcast: return colldata::value(seed_, root_, idx, bf16);
  }
  return 0;
}

// Wrong elements among [first, first + n) of `rank`'s result, `got` holding them.
uint64_t CollectiveWorkload::check(const uint8_t* got, unsigned rank, uint64_t count, uint64_t first, uint64_t n) const {
  const bool bf16 = type_ == hlcomm::DataType::bf16;
  uint64_t wrong = 0;
  for (uint64_t i = 0; i < n; ++i) wrong += colldata::load(got, bf16, i) != expected(rank, count, first + i) ? 1 : 0;
  return wrong;
}

void CollectiveWorkload::rank_main(System& sys, unsigned rank) {
  const SimParams& P = sys.params();
  const auto& cp = P.collective;
  const unsigned host = rank / P.topology.cards, dev = rank % P.topology.cards;
  Host& h = *sys.hosts()[host];
  hlthunk::Thunk t(h.driver(), 3000 + int(rank));
  int fd = t.open(dev);
  hlcomm::InProcessBootstrap bs(*group_, int(rank));
  hlcomm::CommConfig cfg;
  cfg.node = "host" + std::to_string(host);
  cfg.port_ipv4 = [host, dev](unsigned port) { return gaudi_ip(host, dev, port); };
  cfg.chunk_bytes = cp.chunk_bytes;
  cfg.reduce_cores = cp.reduce_cores;
  cfg.scaleout_ports = cp.scaleout_ports;
  cfg.priority = uint8_t(P.card.nic.priority);
  const uint64_t t0 = h.os().now_ns();
  std::unique_ptr<hlcomm::Communicator> comm;
  int rc = hlcomm::Communicator::create(t, fd, bs, cfg, &comm);
  setup_rc_[rank] = rc;
  if (rank == 0) setup_us_ = double(h.os().now_ns() - t0) / 1000.0;
  if (rc) return;
  for (unsigned j = 0; j < n_; ++j) connections_ += comm->peer(j).conn ? 1 : 0;

  const unsigned es = hlcomm::type_size(type_);
  const uint64_t max_bytes = rows_.empty() ? 8 : rows_.back().bytes;
  // The program stages data through one pinned buffer of at most kSlice bytes, as real
  // programs do: uploads and checks go slice by slice.
  const uint64_t slice = std::min<uint64_t>(max_bytes, kSliceBytes);
  uint64_t send = 0, recv = 0, host_dev = 0, cb = 0;
  HostBuffer buf(slice);  // the pinned staging buffer: huge pages from the HostArena
  void* cb_cpu = nullptr;
  if ((rc = t.mem_alloc(fd, max_bytes, &send)) || (rc = t.mem_alloc(fd, max_bytes, &recv)) ||
      (rc = t.map_host(fd, buf.data(), slice, &host_dev)) || (rc = t.cb_create(fd, 4096, &cb)) ||
      !(cb_cpu = t.cb_map(fd, cb, 4096))) {
    setup_rc_[rank] = rc ? rc : -ENOMEM;
    return;
  }
  const bool bf16 = type_ == hlcomm::DataType::bf16;
  const uint64_t slice_elems = slice / es;
  // Timing mode moves no bytes: inputs are not made and results not compared (the upload
  // and download DMAs still run, for their time).
  const bool timing = P.card.timing_payload(), checked = cp.check && !timing;
  for (CollRow& row : rows_) {
    const uint64_t c = count_for(row.bytes);
    const bool per_rank = op_ != hlcomm::CollOp::all_reduce && op_ != hlcomm::CollOp::broadcast;
    // Elements of this rank's input and of its result.
    const uint64_t in_elems = op_ == hlcomm::CollOp::all_gather ? c : per_rank ? c * n_ : c;
    const uint64_t out_elems = op_ == hlcomm::CollOp::reduce_scatter ? c : per_rank ? c * n_ : c;
    row.count = op_ == hlcomm::CollOp::all_reduce || op_ == hlcomm::CollOp::broadcast ? c : c * n_;
    if (rank == ref_maker_ && checked && (op_ == hlcomm::CollOp::all_reduce || op_ == hlcomm::CollOp::reduce_scatter))
      make_reference(c);  // the others wait at the barrier below
    for (unsigned mode = 0; mode < 2 && !rc; ++mode) {
      // In place: the input sits where the collective expects it inside recv.
      const uint64_t in_at = mode == 0 ? send : op_ == hlcomm::CollOp::all_gather ? recv + rank * c * es : recv;
      const uint64_t out_at = mode == 1 && op_ == hlcomm::CollOp::reduce_scatter ? recv + rank * c * es : recv;
      if (op_ != hlcomm::CollOp::broadcast || rank == root_)
        for (uint64_t first = 0; first < in_elems && !rc; first += slice_elems) {
          const uint64_t k = std::min(slice_elems, in_elems - first);
          if (!timing) colldata::fill(buf.data(), bf16, seed_, rank, first, k);
          rc = dma(t, fd, cb, cb_cpu, host_dev, in_at + first * es, k * es);
        }
      if (rc || (rc = bs.barrier())) break;
      const uint64_t start = h.os().now_ns();
      rc = comm->run(op_, in_at, out_at, c, type_, root_);
      row.time_us[mode] = std::max(row.time_us[mode], double(h.os().now_ns() - start) / 1000.0);
      if (rc) {
        row.error[mode] = rc;
        break;
      }
      if (!cp.check) continue;
      // Timing mode downloads too (the same simulated time), and compares nothing.
      for (uint64_t first = 0; first < out_elems && !rc; first += slice_elems) {
        const uint64_t k = std::min(slice_elems, out_elems - first);
        if (!(rc = dma(t, fd, cb, cb_cpu, out_at + first * es, host_dev, k * es)) && checked)
          row.wrong[mode] += check(buf.data(), rank, c, first, k);
      }
    }
    if (!rc) rc = bs.barrier();  // the reference is rebuilt for the next size
    if (rc) {
      if (!row.error[0] && !row.error[1]) row.error[0] = rc;
      break;
    }
  }
  t.cb_destroy(fd, cb);
  t.unmap_host(fd, host_dev);
  comm.reset();
  t.close(fd);
}

}  // namespace gs
