// Parameter declaration protocol shared by every configurable part.
//
// A part keeps its tunables in a plain struct whose member initialisers are the defaults
// and whose visit() names each one once, with its unit, help text and allowed range:
//
//   struct PcieParams {
//     double mmio_read_ns = 1000;
//     template <class V> void visit(V& v) {
//       v.param("pcie.mmio_read_ns", mmio_read_ns, "ns", "MMIO read round trip", 1, 1e9);
//     }
//   };
//
// The config layer (testbench/config) runs visitors over these structs to print --help,
// to validate and load INI / --set values, and to list sweepable keys. Models only need
// this header; they never see how values were obtained.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace gs {

// Range for numeric parameters; the defaults mean "any value of the type".
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

// Unit of a string parameter that names a file: a relative path written in an INI file
// is taken relative to that file's directory.
inline constexpr const char* kFileUnit = "file";

// A visitor must provide, for T in {bool, int32_t, uint32_t, uint64_t, double, std::string}:
//   void param(const char* key, T& field, const char* unit, const char* help, Range r = {});
//   void choice(const char* key, std::string& field, std::vector<std::string> allowed,
//               const char* help);
// unit is "" for dimensionless values.

}  // namespace gs
