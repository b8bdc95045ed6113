// Human-readable parameter reference for --help, built from describe().
#pragma once
#include <ostream>
#include <vector>

#include "testbench/config/describe.hpp"

namespace gs {

// One block per section (in first-declaration order), one aligned row per key:
// name, type, default, unit, allowed range or values, help.
void print_help(std::ostream& os, const std::vector<ParamInfo>& params);

}  // namespace gs
