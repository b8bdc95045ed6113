// A sweep as a Slurm array job: one task per point, writing the same point files as the
// local runner (so a partly run sweep can be finished either way), and a merge job that
// produces the same CSV and JSON as a local sweep.
#pragma once
#include <string>

#include "testbench/sweep/sweep_plan.hpp"

namespace gs {

// Writes plan.dir/sweep.sbatch (the array job), merge.sbatch and submit.sh (submits both,
// the merge after every task has ended). `program` is the gaudisim to run on the nodes.
void write_slurm_scripts(const SweepPlan& plan, const std::string& program);

// Single-quoted for bash, safe for any text.
std::string shell_quote(const std::string& text);

}  // namespace gs
