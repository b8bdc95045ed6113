// The PSOC's clocks as the upstream driver reads them: the CPU PLL's divider registers
// (the driver derives the PSOC timestamp frequency from the PLL's output 2) and the PSOC
// timestamp counter (the device time of HL_INFO_TIME_SYNC and of profiling), which counts
// simulated time at that frequency while its CNTCR enable bit is set.
#pragma once
#include <cstdint>
#include <string>
#include <systemc>

#include "models/common/reg_bank.hpp"

namespace gs {

class PsocClocks {
 public:
  // cpu_mhz: the CPU PLL's output (card.cpu_clock_mhz), a multiple of the 50 MHz reference.
  PsocClocks(const std::string& name, sc_core::sc_time reg_latency, double cpu_mhz);

  RegBank& pll_regs() { return pll_; }              // PSOC_CPU_PLL block
  RegBank& timestamp_regs() { return timestamp_; }  // PSOC_TIMESTAMP block
  double timestamp_mhz() const;                     // what the driver computes from the PLL
  uint64_t counter() const;                         // the timestamp counter now
  void reset();                                     // hard reset: counter stopped and zero

 private:
  RegBank pll_, timestamp_;
  bool enabled_ = false;                       // CNTCR bit 0
  uint64_t base_ = 0;                          // counter value when last written / stopped
  sc_core::sc_time since_ = sc_core::SC_ZERO_TIME;  // when counting (re)started
};

}  // namespace gs
