// What a partitioned run needs from the processes it is split over: exchanging bytes with
// every other rank, global minima, gathering at the reporting rank, and a clean abort.
// MPI provides it (mpi_transport.cpp, linked into gaudisim only: the preload library and
// the tests build without MPI).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gs {

using ByteBuffer = std::vector<uint8_t>;

class PartitionTransport {
 public:
  virtual ~PartitionTransport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // out[r] goes to rank r; the result's [r] came from rank r. `next` is reduced to its
  // minimum over the ranks on the way (one round of messages per window). Collective.
  virtual std::vector<ByteBuffer> exchange(const std::vector<ByteBuffer>& out, uint64_t& next) = 0;
  // Element-wise minimum over the ranks, in place. Collective.
  virtual void allreduce_min(std::vector<uint64_t>& v) = 0;
  // Every rank's bytes at rank 0 (others get an empty list). Collective.
  virtual std::vector<ByteBuffer> gather(const ByteBuffer& mine) = 0;
  // Wall seconds spent inside the calls above (waiting for the slowest rank, mostly).
  virtual double wait_seconds() const = 0;
  // Ends every rank of the run with `why` on standard error.
  [[noreturn]] virtual void abort(const std::string& why, int code) = 0;
};

}  // namespace gs
