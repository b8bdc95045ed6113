#include "models/common/bandwidth_server.hpp"

#include <stdexcept>

#include "models/common/time.hpp"

namespace gs {

BandwidthServer::BandwidthServer(std::string name, double gbytes_per_s, sc_core::sc_time latency)
    : name_(std::move(name)), gbps_(gbytes_per_s), latency_(latency) {
  if (!(gbytes_per_s > 0)) throw std::invalid_argument(name_ + ": bandwidth must be > 0");
}

sc_core::sc_time BandwidthServer::reserve(uint64_t bytes, sc_core::sc_time start) {
  sc_core::sc_time begin = start > busy_until_ ? start : busy_until_;
  if (bytes != memo_bytes_) memo_bytes_ = bytes, memo_service_ = transfer_time(bytes, gbps_);
  const sc_core::sc_time service = memo_service_;
  busy_until_ = begin + service;
  busy_ += service;
  bytes_ += bytes;
  return busy_until_ + latency_;
}

sc_core::sc_time BandwidthServer::reserve_spaced(uint64_t bytes, sc_core::sc_time start, sc_core::sc_time step, size_t n) {
  if (n == 0) return sc_core::SC_ZERO_TIME;
  if (bytes != memo_bytes_) memo_bytes_ = bytes, memo_service_ = transfer_time(bytes, gbps_);
  const sc_core::sc_time service = memo_service_;
  sc_core::sc_time busy = busy_until_;
  for (size_t k = 0; k < n; ++k, start += step) {
    busy = (start > busy ? start : busy) + service;
    busy_ += service;
  }
  busy_until_ = busy;
  bytes_ += bytes * n;
  return busy + latency_;
}

}  // namespace gs
