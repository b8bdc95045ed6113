// Conversions between config units and SystemC time.
#pragma once
#include <cstdint>
#include <systemc>

namespace gs {

inline sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }
inline sc_core::sc_time us(double v) { return sc_core::sc_time(v, sc_core::SC_US); }
inline sc_core::sc_time ps(double v) { return sc_core::sc_time(v, sc_core::SC_PS); }
inline double to_ns(const sc_core::sc_time& t) { return t.to_seconds() * 1e9; }
inline double to_us(const sc_core::sc_time& t) { return t.to_seconds() * 1e6; }

// Time to move `bytes` at `gbytes_per_s` (decimal GB/s).
inline sc_core::sc_time transfer_time(uint64_t bytes, double gbytes_per_s) {
  return sc_core::sc_time(static_cast<double>(bytes) / gbytes_per_s * 1e3, sc_core::SC_PS);
}

}  // namespace gs
