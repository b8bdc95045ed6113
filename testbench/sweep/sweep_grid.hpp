// What a sweep runs: axes given as --sweep key=v1,v2,... (or a range), expanded into the grid
// of every combination. Plain data; nothing here starts a simulation.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace gs {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;  // config text, passed on as --set key=value
};

// One grid point: key=value pairs in axis order.
using SweepPoint = std::vector<std::pair<std::string, std::string>>;

// "key=v1,v2,..." or "key=A..B*F" (A, A*F, A*F^2, ... up to B) or "key=A..B+S" (A, A+S, ...
// up to B); A, B, F and S are integers with optional suffixes (k, M, G, Ki, Mi, Gi, ...).
// Throws ConfigError naming the argument on any other form.
SweepAxis parse_sweep_arg(const std::string& arg);

// Every combination; the last axis varies fastest. Throws ConfigError for a key swept twice.
std::vector<SweepPoint> expand_grid(const std::vector<SweepAxis>& axes);

// "key=value key2=value2", for messages and progress lines.
std::string describe_point(const SweepPoint& point);

}  // namespace gs
