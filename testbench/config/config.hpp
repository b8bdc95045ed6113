// The configuration layer in one include. Typical use in main():
//
//   CliOptions cli = parse_cli(argc, argv);
//   RootParams params;                                    // defaults
//   if (cli.help) { print_usage(std::cout, argv[0]); print_help(std::cout, describe(params)); }
//   load(params, build_raw(cli));                         // throws ConfigError -> exit 2
//   nlohmann::json record = to_json(params);
//
// Parts declare their parameters once, in visit() (models/common/params.hpp); help,
// validation and the JSON record are all derived from that declaration.
#pragma once
#include "testbench/config/cli.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/config/describe.hpp"
#include "testbench/config/help.hpp"
#include "testbench/config/json_config.hpp"
#include "testbench/config/load.hpp"
#include "testbench/config/raw_config.hpp"
