// gaudisim: builds hosts, GAUDI cards and their driver from a config, runs a workload,
// prints a summary and optionally writes JSON. Exit codes: 0 ok, 1 the workload found an
// error (or the simulation could not go on), 2 bad command line or config.
#include <fstream>
#include <iostream>
#include <systemc>

#include "testbench/checks/config_checks.hpp"
#include "testbench/config/calibration.hpp"
#include "testbench/config/config.hpp"
#include "testbench/host/huge_heap.hpp"
#include "testbench/partition/mpi_transport.hpp"
#include "testbench/run.hpp"
#include "testbench/sweep/sweep_command.hpp"

int sc_main(int argc, char** argv) {
  // Under mpirun (or srun) with several ranks the run is partitioned (docs/partition.md).
  std::unique_ptr<gs::PartitionTransport> ranks = gs::start_mpi_if_launched(&argc, &argv);
  try {
    gs::CliOptions cli = gs::parse_cli(argc, argv);
    gs::SimParams params;
    if (cli.help) {
      gs::print_usage(std::cout, "gaudisim");
      gs::print_help(std::cout, gs::describe(params));
      return 0;
    }
    if (cli.calibration) {
      gs::print_calibration(std::cout, gs::describe(params));
      return 0;
    }
    if (gs::is_sweep_command(cli)) return gs::run_sweep_command(cli, std::cout, std::cerr);
    if (cli.config_files.empty()) cli.config_files.push_back(gs::default_config_path());
    gs::load(params, gs::build_raw(cli));
    gs::check_config(params);  // everything that needs several keys: still nothing built
    if (params.sim.huge_pages) gs::enable_huge_heap();
    // With --json - the JSON owns standard output and the table goes to standard error. The
    // process exits next: the simulated system is left to the exit, not destroyed module by
    // module (docs/architecture.md, "Exit").
    return gs::run_simulation(params, cli.json_path, cli.json_path == "-" ? std::cerr : std::cout, ranks.get(),
                              gs::Teardown::leave_to_exit);
  } catch (const gs::ConfigError& e) {
    // Every rank reads the same config and fails the same way, before any exchange.
    if (!ranks || ranks->rank() == 0) std::cerr << "gaudisim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {  // the simulation itself failed (e.g. out of host memory)
    if (ranks) ranks->abort(std::string("the simulation stopped: ") + e.what(), 1);
    std::cerr << "gaudisim: the simulation stopped: " << e.what() << "\n";
    return 1;
  }
}
