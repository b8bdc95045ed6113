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
       "write a JSON record of the run, effective configuration included, to PATH")
      ("help,h", po::bool_switch(&out.help), "list every parameter with its default and exit");
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
  os << "Usage: " << program << " [--config FILE]... [--set KEY=VALUE]... [--json PATH]\n\n"
     << cli_options(unused) << '\n';
}

}  // namespace gs
