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
};

// Throws ConfigError for unknown options, missing arguments and stray arguments.
CliOptions parse_cli(int argc, char** argv);

// Files in order, then every --set in order; later values win.
RawConfig build_raw(const CliOptions& options);

// The option summary (not the parameter list: see print_help).
void print_usage(std::ostream& os, const std::string& program);

}  // namespace gs
