// A memory (HBM, SRAM) as a bus target: sparse backing store plus a bandwidth server that
// every initiator on the card shares, so that concurrent engines contend. Payload that
// carries a BlockShare extension moves by reference where the store allows (SparseMemory's
// write_from and share): the time charged is the same either way.
#pragma once
#include <functional>
#include <map>
#include <string>

#include "models/common/bandwidth_server.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/sparse_memory.hpp"

namespace gs {

class MemoryTarget : public BusTarget {
 public:
  MemoryTarget(std::string name, uint64_t size, double gbytes_per_s, sc_core::sc_time latency)
      : name_(name), store_(size), server_(std::move(name), gbytes_per_s, latency) {}

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;

  SparseMemory& store() { return store_; }
  BandwidthServer& server() { return server_; }
  const BandwidthServer& server() const { return server_; }

  // ECC (fault injection): `bits` (1 or 2) bits of the 8-byte word at `offset` flip. A read
  // of the word reports it through on_ecc_error: one bit is corrected (the data read is
  // right), two are not (the read fails with an error response: poisoned data never passes
  // for good data). A write of the whole word
  // stores fresh data and check bits: the fault is gone.
  void flip_bits(uint64_t offset, unsigned bits);
  std::function<void(uint64_t offset, bool uncorrectable)> on_ecc_error;
  uint64_t ecc_corrected() const { return ecc_corrected_; }
  uint64_t ecc_uncorrectable() const { return ecc_uncorrectable_; }

 private:
  std::string name_;
  bool oom_reported_ = false;
  void check_ecc(tlm::tlm_generic_payload& gp, uint64_t addr, uint64_t len);
  bool ecc_clean(uint64_t addr, uint64_t len) const;  // no injected fault in [addr, addr + len)

  SparseMemory store_;
  BandwidthServer server_;
  std::map<uint64_t, unsigned> ecc_faults_;  // word offset -> bits flipped
  uint64_t ecc_corrected_ = 0, ecc_uncorrectable_ = 0;
};

}  // namespace gs
