#include "testbench/config/cli.hpp"

#include <boost/program_options.hpp>

#include "testbench/config/config_error.hpp"

namespace gs {
namespace po = boost::program_options;
namespace {

po::options_description cli_options(CliOptions& out) {
  po::options_description options("Options");
  options.add_options()
      ("config", po::value(&out.config_files)->value_name("FILE"),
       "INI file with [section] name = value lines; repeatable, later files win")
      ("set", po::value(&out.sets)->value_name("KEY=VALUE"),
       "override one parameter, e.g. --set topology.cards=8; repeatable, beats files")
      ("json", po::value(&out.json_path)->value_name("PATH"),
       "write a JSON record of the run, effective configuration included, to PATH ('-': "
       "standard output, the table then goes to standard error)")
      ("sweep", po::value(&out.sweeps)->value_name("KEY=VALUES"),
       "run one simulation per value: KEY=v1,v2,... or a range KEY=A..B*F / A..B+S; "
       "repeatable: the grid of all combinations (docs/sweeps.md)")
      ("jobs,j", po::value(&out.jobs)->value_name("N"),
       "sweep points run at a time, each its own process (default: the core count)")
      ("csv", po::value(&out.csv_path)->value_name("PATH"),
       "sweep: write one CSV row per point and result row, every swept key a column")
      ("sweep-dir", po::value(&out.sweep_dir)->value_name("DIR"),
       "sweep: keep point results here; an interrupted sweep run again resumes "
       "(default: the --csv or --json path + '.d')")
      ("emit-slurm", po::value(&out.emit_slurm)->value_name("DIR"),
       "sweep: write a Slurm array job (one task per point) and its merge job to DIR, run nothing")
      ("merge-sweep", po::value(&out.merge_sweep)->value_name("DIR"),
       "merge the points of a sweep directory into --csv / --json (the Slurm merge step)")
      ("help,h", po::bool_switch(&out.help), "list every parameter with its default and exit")
      ("calibration", po::bool_switch(&out.calibration),
       "print every timing, rate, size and count default with its source (Markdown, "
       "docs/calibration.md) and exit");
  return options;
}

}  // namespace

CliOptions parse_cli(int argc, char** argv) {
  CliOptions out;
  const po::options_description options = cli_options(out);
  po::options_description all;
  all.add(options).add_options()("stray", po::value<std::vector<std::string>>(), "");
  po::positional_options_description stray;
  stray.add("stray", -1);
  // No abbreviations: --conf silently meaning --config would hide typos in scripts.
  const int style = po::command_line_style::default_style &
                    ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(stray)
                  .style(style)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw ConfigError(std::string("command line: ") + e.what() + " (see --help)");
  }
  if (vm.count("stray")) {
    throw ConfigError("command line: unexpected argument '" +
                      vm["stray"].as<std::vector<std::string>>().front() +
                      "' (config files go after --config; see --help)");
  }
  const bool sweep_only = out.jobs != 0 || !out.csv_path.empty() || !out.sweep_dir.empty() ||
                          !out.emit_slurm.empty();
  if (sweep_only && out.sweeps.empty() && out.merge_sweep.empty()) {
    throw ConfigError("command line: -j, --csv, --sweep-dir and --emit-slurm need --sweep");
  }
  if (out.jobs < 0) throw ConfigError("command line: -j must be at least 1");
  return out;
}

RawConfig build_raw(const CliOptions& options) {
  RawConfig raw;
  for (const std::string& file : options.config_files) raw.load_file(file);
  for (const std::string& assignment : options.sets) raw.apply_set(assignment);
  return raw;
}

void print_usage(std::ostream& os, const std::string& program) {
  CliOptions unused;
  os << "Usage: " << program << " [--config FILE]... [--set KEY=VALUE]... [--json PATH]\n"
     << "       " << program << " [--config FILE]... --sweep KEY=VALUES... [-j N] [--csv PATH]\n\n"
     << cli_options(unused) << '\n';
}

}  // namespace gs
