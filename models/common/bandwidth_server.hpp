// An analytical bandwidth server: a resource that serves requests one after another at a
// fixed rate, remembering when it is next free. Contention between initiators comes from
// that "busy until" time; nobody ticks a clock.
#pragma once
#include <cstdint>
#include <string>
#include <systemc>


namespace gs {

class BandwidthServer {
 public:
  BandwidthServer(std::string name, double gbytes_per_s, sc_core::sc_time latency);

  // Serve `bytes` starting no earlier than `start`; returns when the last byte is through,
  // plus the fixed latency. Requests are served in call order.
  sc_core::sc_time reserve(uint64_t bytes, sc_core::sc_time start);
  // reserve(bytes, start + k x step) for k = 0 .. n-1, in that order (a run of equal
  // requests, such as posted register writes); returns the last one's time.
  sc_core::sc_time reserve_spaced(uint64_t bytes, sc_core::sc_time start, sc_core::sc_time step, size_t n);

  const std::string& name() const { return name_; }
  double gbytes_per_s() const { return gbps_; }
  sc_core::sc_time latency() const { return latency_; }
  sc_core::sc_time busy_until() const { return busy_until_; }
  uint64_t bytes_served() const { return bytes_; }
  sc_core::sc_time busy_time() const { return busy_; }
  void reset() { busy_until_ = sc_core::SC_ZERO_TIME; }

 private:
  std::string name_;
  double gbps_;
  sc_core::sc_time latency_;
  sc_core::sc_time busy_until_;
  sc_core::sc_time busy_;
  uint64_t bytes_ = 0;
  // The last request's size and service time: runs of equal requests (a bring-up table's
  // register writes, full frames) skip the floating-point conversion into sc_time.
  uint64_t memo_bytes_ = ~uint64_t(0);
  sc_core::sc_time memo_service_;
};

}  // namespace gs
