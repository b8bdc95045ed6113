#include "testbench/sweep/sweep_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "testbench/config/config.hpp"
#include "testbench/run.hpp"
#include "testbench/run_loop.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/sweep/slurm_script.hpp"
#include "testbench/sweep/sweep_merge.hpp"
#include "testbench/sweep/sweep_runner.hpp"

namespace gs {
namespace fs = std::filesystem;
namespace {

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

std::string default_dir(const CliOptions& cli) {
  if (!cli.sweep_dir.empty()) return cli.sweep_dir;
  if (!cli.emit_slurm.empty()) return cli.emit_slurm;
  if (!cli.csv_path.empty()) return cli.csv_path + ".d";
  if (!cli.json_path.empty() && cli.json_path != "-") return cli.json_path + ".d";
  return "gaudisim-sweep";
}

SweepPlan plan_from_cli(const CliOptions& cli) {
  SweepPlan plan;
  plan.dir = absolute(default_dir(cli));
  std::vector<std::string> files = cli.config_files;
  if (files.empty()) files.push_back(default_config_path());
  for (const std::string& file : files) {
    plan.base_args.push_back("--config");
    plan.base_args.push_back(absolute(file));
  }
  for (const std::string& set : cli.sets) {
    plan.base_args.push_back("--set");
    plan.base_args.push_back(set);
  }
  for (const std::string& arg : cli.sweeps) plan.axes.push_back(parse_sweep_arg(arg));
  plan.points = expand_grid(plan.axes);
  return plan;
}

// Every point must load cleanly before any runs: a typo in the 40th value is found now.
void validate_points(const CliOptions& cli, const SweepPlan& plan) {
  CliOptions base = cli;
  if (base.config_files.empty()) base.config_files.push_back(default_config_path());
  const RawConfig raw = build_raw(base);
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    RawConfig point = raw;
    for (const auto& [key, value] : plan.points[i]) point.set(key, value, "--sweep");
    SimParams params;
    try {
      load(params, point);
    } catch (const ConfigError& e) {
      throw ConfigError("sweep point " + std::to_string(i) + " (" +
                        describe_point(plan.points[i]) + "): " + e.what());
    }
  }
}

// Output files are opened (created) before the sweep starts, so a bad path costs nothing.
void check_writable(const std::string& path, const char* option) {
  if (path.empty() || path == "-") return;
  std::ofstream f(path, std::ios::app);
  if (!f) throw ConfigError(std::string(option) + ": cannot write '" + path + "'");
}

int write_outputs(const CliOptions& cli, const SweepPlan& plan, std::ostream& out) {
  const SweepTable table = merge_sweep(plan);
  if (!cli.csv_path.empty()) {
    std::ofstream f(cli.csv_path);
    write_csv(f, table);
  }
  if (cli.json_path == "-") {
    out << table.document.dump(2) << "\n";
  } else if (!cli.json_path.empty()) {
    std::ofstream(cli.json_path) << table.document.dump(2) << "\n";
  }
  std::ostream& report = cli.json_path == "-" ? std::cerr : out;
  const auto& points = table.document["points"];
  for (const auto& p : points) {
    if (p["status"] == "exit 0") continue;
    report << "sweep: point " << p["index"].get<std::size_t>() << " ("
           << describe_point(plan.points[p["index"].get<std::size_t>()]) << ") "
           << p["status"].get<std::string>()
           << (p["error"].get<std::string>().empty() ? "" : ": " + p["error"].get<std::string>())
           << "\n";
  }
  report << "sweep: " << plan.points.size() << " points, " << table.failed << " failed";
  if (table.missing) report << ", " << table.missing << " not run yet";
  report << "; " << table.rows.size() << " rows";
  if (!cli.csv_path.empty()) report << " in " << cli.csv_path;
  report << "; point files in " << plan.dir << "\n";
  return table.failed || table.missing ? 1 : 0;
}

}  // namespace

bool is_sweep_command(const CliOptions& cli) {
  return !cli.sweeps.empty() || !cli.merge_sweep.empty();
}

int run_sweep_command(const CliOptions& cli, std::ostream& out, std::ostream& progress) {
  if (!cli.merge_sweep.empty()) {
    if (!cli.sweeps.empty()) throw ConfigError("command line: --merge-sweep takes no --sweep");
    check_writable(cli.csv_path, "--csv");
    check_writable(cli.json_path, "--json");
    return write_outputs(cli, read_sweep_dir(absolute(cli.merge_sweep)), out);
  }
  SweepPlan plan = plan_from_cli(cli);
  validate_points(cli, plan);
  check_writable(cli.csv_path, "--csv");
  check_writable(cli.json_path, "--json");
  const std::string program = self_executable();
  prepare_sweep_dir(plan);
  if (!cli.emit_slurm.empty()) {
    write_slurm_scripts(plan, program);
    out << "sweep: " << plan.points.size() << " points written to " << plan.dir
        << "/sweep.sbatch; submit with " << plan.dir << "/submit.sh (results.csv appears in "
        << plan.dir << " after the merge job)\n";
    return 0;
  }
  const int jobs = cli.jobs > 0 ? cli.jobs
                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  progress << "sweep: " << plan.points.size() << " points, " << jobs << " at a time, in "
           << plan.dir << "\n";
  const SweepRunSummary summary = run_sweep_points(plan, program, jobs, progress);
  const int rc = write_outputs(cli, plan, out);
  if (summary.interrupted) {
    progress << "sweep: interrupted; run the same command again to finish the missing points\n";
    return kInterruptedExitCode;
  }
  return rc;
}

}  // namespace gs
