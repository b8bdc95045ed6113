// A sweep on disk: the manifest (base arguments, axes) and one file set per point in
// DIR/points/. Both the local runner and a Slurm array job write points this way, and
// merge_sweep() reads them, so a sweep can be resumed, split across a cluster and merged.
#pragma once
#include <string>
#include <vector>

#include "testbench/sweep/sweep_grid.hpp"

namespace gs {

struct SweepPlan {
  std::string dir;                     // where manifest and points live
  std::vector<std::string> base_args;  // --config/--set arguments shared by every point
  std::vector<SweepAxis> axes;
  std::vector<SweepPoint> points;      // expand_grid(axes)
};

// The point's files: NNNN.json (its record), NNNN.log (stdout and stderr), NNNN.status
// ("exit N" or "signal N", written last: a point with a status file is finished).
std::string point_path(const SweepPlan& plan, std::size_t index, const std::string& ext);

// Arguments that run one point (after the program name): base args, one --set per axis,
// --json to the point's .json.part file (renamed when the run ends).
std::vector<std::string> point_args(const SweepPlan& plan, std::size_t index);

// Creates DIR and DIR/points and writes the manifest; if DIR already holds a manifest it
// must describe the same sweep (then finished points are kept: resume), else ConfigError.
void prepare_sweep_dir(const SweepPlan& plan);

// Reads DIR/manifest.json back into a plan (for --merge-sweep). Throws ConfigError.
SweepPlan read_sweep_dir(const std::string& dir);

// Records how a point's process ended and moves its .json.part into place.
void finish_point(const SweepPlan& plan, std::size_t index, const std::string& status);

// Removes what an interrupted point left (its partial record), keeping it unfinished.
void abandon_point(const SweepPlan& plan, std::size_t index);

bool point_finished(const SweepPlan& plan, std::size_t index);

}  // namespace gs
