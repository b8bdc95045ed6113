// The --sweep / --merge-sweep / --emit-slurm modes of gaudisim (docs/sweeps.md).
#pragma once
#include <ostream>

#include "testbench/config/cli.hpp"

namespace gs {

bool is_sweep_command(const CliOptions& cli);

// Validates every point's config first (ConfigError -> exit 2 before anything runs), then
// runs, resumes, emits or merges. Returns 0 when every point exited 0, 1 otherwise.
int run_sweep_command(const CliOptions& cli, std::ostream& out, std::ostream& progress);

}  // namespace gs
