#include "testbench/sweep/sweep_grid.hpp"

#include <set>

#include "testbench/config/config_error.hpp"
#include "testbench/config/value_text.hpp"

namespace gs {
namespace {

constexpr std::size_t kMaxPointsPerAxis = 100000;  // a typo like 1..1G+1 must not eat memory

uint64_t range_number(const std::string& text, const std::string& arg) {
  const IntegerText n = parse_integer_text(trim(text), false);
  if (n.overflow) throw ConfigError("--sweep " + arg + ": '" + text + "' is too large");
  return n.magnitude;
}

// "A..B*F" or "A..B+S"; false when the text is not a range at all.
bool expand_range(const std::string& text, const std::string& arg,
                  std::vector<std::string>& out) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) return false;
  const auto op = text.find_first_of("*+", dots + 2);
  if (op == std::string::npos) {
    throw ConfigError("--sweep " + arg + ": a range needs a step, A..B*F (geometric) or "
                      "A..B+S (arithmetic)");
  }
  uint64_t value = 0, last = 0, step = 0;
  try {
    value = range_number(text.substr(0, dots), arg);
    last = range_number(text.substr(dots + 2, op - dots - 2), arg);
    step = range_number(text.substr(op + 1), arg);
  } catch (const ValueError& e) {
    throw ConfigError("--sweep " + arg + ": " + e.what() + " (range A..B*F or A..B+S)");
  }
  const bool geometric = text[op] == '*';
  if (geometric ? step < 2 || value == 0 : step == 0) {
    throw ConfigError("--sweep " + arg + (geometric ? ": factor must be >= 2 and start > 0"
                                                    : ": step must be > 0"));
  }
  if (value > last) throw ConfigError("--sweep " + arg + ": range start is above its end");
  while (value <= last) {
    out.push_back(std::to_string(value));
    if (out.size() > kMaxPointsPerAxis) {
      throw ConfigError("--sweep " + arg + ": more than " + std::to_string(kMaxPointsPerAxis) +
                        " values");
    }
    const uint64_t next = geometric ? value * step : value + step;
    if (next <= value || (geometric && next / step != value)) break;  // wrapped past 2^64
    value = next;
  }
  return true;
}

}  // namespace

SweepAxis parse_sweep_arg(const std::string& arg) {
  const auto eq = arg.find('=');
  SweepAxis axis;
  axis.key = eq == std::string::npos ? "" : trim(arg.substr(0, eq));
  if (axis.key.empty()) {
    throw ConfigError("--sweep expects key=v1,v2,... or key=A..B*F, got '" + arg + "'");
  }
  const std::string values = trim(arg.substr(eq + 1));
  if (!expand_range(values, arg, axis.values)) {
    std::size_t start = 0;
    while (start <= values.size()) {
      const auto comma = values.find(',', start);
      const std::string item =
          trim(values.substr(start, comma == std::string::npos ? std::string::npos
                                                                : comma - start));
      if (item.empty()) throw ConfigError("--sweep " + arg + ": empty value in the list");
      axis.values.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return axis;
}

std::vector<SweepPoint> expand_grid(const std::vector<SweepAxis>& axes) {
  std::set<std::string> seen;
  for (const SweepAxis& axis : axes) {
    if (!seen.insert(axis.key).second) {
      throw ConfigError("--sweep: key '" + axis.key + "' is swept twice (give one list)");
    }
  }
  std::vector<SweepPoint> grid{SweepPoint{}};
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> next;
    next.reserve(grid.size() * axis.values.size());
    for (const SweepPoint& partial : grid) {
      for (const std::string& value : axis.values) {
        SweepPoint point = partial;
        point.emplace_back(axis.key, value);
        next.push_back(std::move(point));
      }
    }
    grid = std::move(next);
  }
  return grid;
}

std::string describe_point(const SweepPoint& point) {
  std::string out;
  for (const auto& [key, value] : point) out += (out.empty() ? "" : " ") + key + "=" + value;
  return out;
}

}  // namespace gs
