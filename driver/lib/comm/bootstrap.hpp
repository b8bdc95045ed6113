// How the ranks of a communicator find each other before any card is involved: the
// out-of-band channel NCCL calls bootstrap (a socket ring, or MPI). The collectives only
// use allgather and barrier, so an MPI bootstrap is MPI_Allgather / MPI_Barrier behind this
// interface and nothing else changes.
#pragma once
#include <cstddef>
#include <vector>

namespace hlcomm {

class Bootstrap {
 public:
  virtual ~Bootstrap() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every rank contributes `bytes` bytes; `all` receives size() x bytes in rank order.
  // Collective: every rank calls it, in the same order. 0 or -errno.
  virtual int allgather(const void* mine, void* all, size_t bytes) = 0;
  virtual int barrier() {
    char c = 0;
    std::vector<char> all(static_cast<size_t>(size()));
    return allgather(&c, all.data(), 1);
  }
};

}  // namespace hlcomm
