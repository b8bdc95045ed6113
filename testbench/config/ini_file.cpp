// RawConfig::load_file: Boost.Program_options does the INI parsing; a light scan of the
// same text finds the line of each entry, which Boost does not report.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "testbench/config/config_error.hpp"
#include "testbench/config/json_config.hpp"
#include "testbench/config/raw_config.hpp"
#include "testbench/config/value_text.hpp"

namespace gs {
namespace {

struct IniLine {
  std::string key;  // full "section.name", spelled the way Boost spells it
  int number = 0;
};

// Mirrors Boost's line rules: '#' starts a comment, "[x]" sets the prefix "x.",
// anything else must contain '='. Lines that are none of these are returned with an
// empty key so the caller can point at them.
std::vector<IniLine> scan_lines(const std::string& content) {
  std::vector<IniLine> lines;
  std::istringstream in(content);
  std::string line, prefix;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line.front() == '[' && line.back() == ']') {
      prefix = line.substr(1, line.size() - 2) + ".";
      continue;
    }
    const auto eq = line.find('=');
    lines.push_back({eq == std::string::npos ? "" : prefix + trim(line.substr(0, eq)), number});
  }
  return lines;
}

std::string read_whole_file(const std::string& path) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (std::filesystem::is_directory(path, ec) || !in) {
    throw ConfigError("config: cannot open file '" + path + "'");
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw ConfigError("config: cannot read file '" + path + "'");
  return content.str();
}

}  // namespace

void RawConfig::load_file(const std::string& path) {
  namespace po = boost::program_options;
  const std::string content = read_whole_file(path);
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && content[first] == '{') return load_json_config(*this, path, content);
  const std::vector<IniLine> lines = scan_lines(content);

  po::options_description nothing_declared;  // keys are checked later, against params
  po::parsed_options parsed(&nothing_declared);
  try {
    std::istringstream in(content);
    parsed = po::parse_config_file(in, nothing_declared, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    for (const IniLine& l : lines) {
      if (l.key.empty()) {
        throw ConfigError("config: file '" + path + "' line " + std::to_string(l.number) +
                          ": " + e.what() + " (expected 'key = value', '[section]' or '# comment')");
      }
    }
    throw ConfigError("config: file '" + path + "': " + e.what());
  }

  // Boost yields one option per key line, in file order, so the two lists pair up.
  const bool lines_match = parsed.options.size() == lines.size();
  for (std::size_t i = 0; i < parsed.options.size(); ++i) {
    const po::option& opt = parsed.options[i];
    const std::string text = opt.value.empty() ? "" : opt.value.front();
    const bool located = lines_match && lines[i].key == opt.string_key;
    set(opt.string_key, text, located ? path + ":" + std::to_string(lines[i].number) : path, path);
  }
}

}  // namespace gs
