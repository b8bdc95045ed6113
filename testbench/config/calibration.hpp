// The calibration table (docs/calibration.md, `gaudisim --calibration`): every timing, rate,
// size and count default, its value and unit from the declarations (describe()), joined with
// where the figure comes from and which results it moves most. The sources live here, once;
// a key without one (or a source without a key) is a programming error, so the table cannot
// drift from the parameters.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "testbench/config/describe.hpp"

namespace gs {

struct CalibrationSource {
  const char* key;
  const char* source;  // a public figure with its source, or "assumption: <reasoning>"
  const char* moves;   // the results it moves most
};

const std::vector<CalibrationSource>& calibration_sources();

// Keys that shape a run (sizes of a workload, how many switches) rather than describe the
// hardware or the software's timing: they need no source.
bool is_run_shape_key(const std::string& key);

// True for keys that must have a source: numeric, and not a run-shape key.
bool needs_calibration_source(const ParamInfo& p);

// Markdown table, one row per key needing a source, in declaration order. Throws
// std::logic_error naming the key if one has no source or a source names no parameter.
void print_calibration(std::ostream& os, const std::vector<ParamInfo>& params);

}  // namespace gs
