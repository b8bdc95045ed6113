// Text <-> typed value conversions shared by the loading, describing and JSON visitors.
// Value syntax (see docs/config-system.md):
//   bool     true/false, 1/0, yes/no, on/off (any case)
//   integers decimal or 0x hex, optional suffix k/M/G/T (x1000^n) or Ki/Mi/Gi/Ti (x1024^n)
//   double   1000, 0.5, 1e3, optionally with the same suffixes (2.5G)
//   string   as written; one pair of surrounding double quotes is removed
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "models/common/params.hpp"

namespace gs {

// Why a value was rejected; the loader adds the key, the text and its origin.
struct ValueError : std::runtime_error {
  ValueError(const std::string& reason, bool quote)
      : std::runtime_error(reason), quote_text(quote) {}
  bool quote_text;  // syntax errors quote the text; range errors show the number bare
};

std::string trim(std::string_view s);
std::string join(const std::vector<std::string>& items, const std::string& separator);
std::string unquote(const std::string& text);

bool parse_bool(const std::string& text);
double parse_double(const std::string& text, const Range& range);

// Sign and magnitude, so every int64 and uint64 value is representable exactly.
struct IntegerText {
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;  // more than 64 bits of magnitude
};
IntegerText parse_integer_text(const std::string& text, bool allow_negative);

std::string format_double(double value);        // shortest text that reads back exactly
std::string describe_range(const Range& range);  // "1..1024", ">= 0", "<= 5" or ""
std::string out_of_range_reason(const Range& range);

// Clamps a declared (double) bound to the integer type, rounding inwards.
template <class T>
T integer_bound(double bound, bool upper) {
  constexpr T lo = std::numeric_limits<T>::min();
  constexpr T hi = std::numeric_limits<T>::max();
  if (std::isnan(bound)) return upper ? hi : lo;
  const double rounded = upper ? std::floor(bound) : std::ceil(bound);
  if (rounded <= static_cast<double>(lo)) return lo;
  if (rounded >= static_cast<double>(hi)) return hi;  // (double)hi may round up: >= is exact
  return static_cast<T>(rounded);
}

template <class T>
T parse_integer(const std::string& text, const Range& range) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  const T lo = integer_bound<T>(range.min, false);
  const T hi = integer_bound<T>(range.max, true);
  const ValueError out_of_range("out of range " + std::to_string(lo) + ".." + std::to_string(hi),
                                false);
  const IntegerText parsed = parse_integer_text(text, std::is_signed_v<T>);
  const uint64_t max_magnitude = static_cast<uint64_t>(std::numeric_limits<T>::max()) +
                                 (parsed.negative ? 1 : 0);
  if (parsed.overflow || parsed.magnitude > max_magnitude) throw out_of_range;
  // Two's complement negation in unsigned arithmetic also covers the type's minimum.
  const T value = parsed.negative ? static_cast<T>(0 - parsed.magnitude)
                                  : static_cast<T>(parsed.magnitude);
  if (value < lo || value > hi) throw out_of_range;
  return value;
}

// The one entry point the loader uses: parses text into T and range-checks it.
template <class T>
T parse_value(const std::string& text, const Range& range) {
  if constexpr (std::is_same_v<T, bool>) {
    return parse_bool(text);
  } else if constexpr (std::is_integral_v<T>) {
    return parse_integer<T>(text, range);
  } else if constexpr (std::is_same_v<T, double>) {
    return parse_double(text, range);
  } else {
    static_assert(std::is_same_v<T, std::string>, "unsupported parameter type");
    return unquote(text);
  }
}

template <class T>
std::string format_value(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(value);
  } else if constexpr (std::is_same_v<T, double>) {
    return format_double(value);
  } else {
    return value;
  }
}

// Name shown in --help for each supported field type.
template <class T>
constexpr const char* type_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_same_v<T, int32_t>) return "int32";
  else if constexpr (std::is_same_v<T, int64_t>) return "int64";
  else if constexpr (std::is_same_v<T, uint32_t>) return "uint32";
  else if constexpr (std::is_same_v<T, uint64_t>) return "uint64";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, std::string>) return "string";
  else static_assert(sizeof(T) == 0, "unsupported parameter type");
}

}  // namespace gs
