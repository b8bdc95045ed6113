#include "testbench/partition/mpi_transport.hpp"

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace gs {
namespace {

using Clock = std::chrono::steady_clock;

int g_rank = -1;

// mpirun ends the surviving ranks with SIGTERM when one dies: say so, on every rank.
extern "C" void on_term(int sig) {
  char msg[160];
  const int n = snprintf(msg, sizeof msg,
                         "gaudisim: rank %d: stopped by signal %d from the MPI launcher (another rank failed or the job "
                         "was cancelled)\n", g_rank, sig);
  if (n > 0) (void)!write(STDERR_FILENO, msg, size_t(n));
  _exit(1);
}

class MpiTransport : public PartitionTransport {
 public:
  MpiTransport() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    g_rank = rank_;
  }
  ~MpiTransport() override {
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin) MPI_Finalize();
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  // Sizes and next-event times all to all, then point to point only where there is data.
  std::vector<ByteBuffer> exchange(const std::vector<ByteBuffer>& out, uint64_t& next) override {
    const auto t0 = Clock::now();
    const size_t n = static_cast<size_t>(size_);
    std::vector<uint64_t> head(2 * n), got(2 * n);
    for (size_t r = 0; r < n; ++r) head[2 * r] = out[r].size(), head[2 * r + 1] = next;
    MPI_Alltoall(head.data(), 2, MPI_UINT64_T, got.data(), 2, MPI_UINT64_T, MPI_COMM_WORLD);
    std::vector<ByteBuffer> in(n);
    std::vector<MPI_Request> reqs;
    for (size_t r = 0; r < n; ++r) {
      next = std::min(next, got[2 * r + 1]);
      if (!got[2 * r]) continue;
      in[r].resize(got[2 * r]);
      reqs.emplace_back();
      MPI_Irecv(in[r].data(), int(in[r].size()), MPI_BYTE, int(r), 19, MPI_COMM_WORLD, &reqs.back());
    }
    for (size_t r = 0; r < n; ++r) {
      if (out[r].empty()) continue;
      reqs.emplace_back();
      MPI_Isend(out[r].data(), int(out[r].size()), MPI_BYTE, int(r), 19, MPI_COMM_WORLD, &reqs.back());
    }
    MPI_Waitall(int(reqs.size()), reqs.data(), MPI_STATUSES_IGNORE);
    wait_ += std::chrono::duration<double>(Clock::now() - t0).count();
    return in;
  }

  void allreduce_min(std::vector<uint64_t>& v) override {
    const auto t0 = Clock::now();
    MPI_Allreduce(MPI_IN_PLACE, v.data(), int(v.size()), MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    wait_ += std::chrono::duration<double>(Clock::now() - t0).count();
  }

  std::vector<ByteBuffer> gather(const ByteBuffer& mine) override {
    int n = int(mine.size());
    std::vector<int> counts(static_cast<size_t>(size_)), disp(static_cast<size_t>(size_));
    MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < size_; ++r) disp[r] = int(total), total += size_t(counts[r]);
    ByteBuffer all(std::max<size_t>(total, 1));
    MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), disp.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
    std::vector<ByteBuffer> out;
    if (rank_ == 0)
      for (int r = 0; r < size_; ++r) out.emplace_back(all.begin() + disp[r], all.begin() + disp[r] + counts[r]);
    return out;
  }

  double wait_seconds() const override { return wait_; }

  [[noreturn]] void abort(const std::string& why, int code) override {
    std::cerr << "gaudisim: rank " << rank_ << ": " << why << "\n" << std::flush;
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
  }

 private:
  int rank_ = 0, size_ = 1;
  double wait_ = 0;
};

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    const char* s = std::getenv(v);
    if (s && std::atoi(s) > 1) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<PartitionTransport> start_mpi_if_launched(int* argc, char*** argv) {
  if (!launched_by_mpi()) return nullptr;
  MPI_Init(argc, argv);
  auto t = std::make_unique<MpiTransport>();
  if (t->size() < 2) return nullptr;  // finalised by the destructor
  struct sigaction sa {};
  sa.sa_handler = on_term;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  return t;
}

}  // namespace gs
