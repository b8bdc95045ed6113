// gaudisim's command line: which config files and overrides to use, where to record the
// effective config, whether to print help. Parameters themselves never appear here.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "testbench/config/raw_config.hpp"

namespace gs {

struct CliOptions {
  std::vector<std::string> config_files;  // --config FILE, in command-line order
  std::vector<std::string> sets;          // --set key=value, in command-line order
  std::string json_path;                  // --json PATH; empty when not given
  bool help = false;                      // --help / -h
  bool calibration = false;               // --calibration: the sources table (docs/calibration.md)
  // Sweeps (docs/sweeps.md): each point an independent run of this program.
  std::vector<std::string> sweeps;        // --sweep key=v1,v2,... or key=A..B*F
  int jobs = 0;                           // -j / --jobs: points at a time; 0 = core count
  std::string csv_path;                   // --csv PATH: one row per point and result row
  std::string sweep_dir;                  // --sweep-dir DIR: point files, for resuming
  std::string emit_slurm;                 // --emit-slurm DIR: write a Slurm array job
  std::string merge_sweep;                // --merge-sweep DIR: merge a sweep's points
};

// Throws ConfigError for unknown options, missing arguments and stray arguments.
CliOptions parse_cli(int argc, char** argv);

// Files in order, then every --set in order; later values win.
RawConfig build_raw(const CliOptions& options);

// The option summary (not the parameter list: see print_help).
void print_usage(std::ostream& os, const std::string& program);

}  // namespace gs
