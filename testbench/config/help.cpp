#include "testbench/config/help.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace gs {
namespace {

constexpr std::size_t kColumns = 6;
using Row = std::array<std::string, kColumns>;  // name, type, default, unit, allowed, help

Row row_for(const ParamInfo& p) {
  const std::string allowed = p.type == "choice" ? join(p.choices, "|") : describe_range(p.range);
  const std::string shown_default = p.default_value.empty() ? "\"\"" : p.default_value;
  return {p.name(), p.type, shown_default, p.unit, allowed, p.help};
}

void print_row(std::ostream& os, const Row& row, const std::array<std::size_t, kColumns>& width) {
  std::string line = "  ";
  for (std::size_t c = 0; c < kColumns; ++c) {
    line += row[c];
    if (c + 1 < kColumns) line += std::string(width[c] - row[c].size() + 2, ' ');
  }
  line.erase(line.find_last_not_of(' ') + 1);
  os << line << '\n';
}

}  // namespace

void print_help(std::ostream& os, const std::vector<ParamInfo>& params) {
  const Row header = {"name", "type", "default", "unit", "allowed", "description"};
  std::array<std::size_t, kColumns> width{};
  for (std::size_t c = 0; c < kColumns; ++c) width[c] = header[c].size();
  std::vector<std::string> sections;
  for (const ParamInfo& p : params) {
    const Row row = row_for(p);
    for (std::size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], row[c].size());
    if (std::find(sections.begin(), sections.end(), p.section()) == sections.end()) {
      sections.push_back(p.section());
    }
  }

  os << "Parameters: put 'name = value' under '[section]' in a --config file, or pass\n"
        "--set section.name=value. Integers take 0x hex and k/M/G (x1000) or Ki/Mi/Gi\n"
        "(x1024) suffixes; booleans take true/false, yes/no, on/off, 1/0.\n\n";
  print_row(os, header, width);
  for (const std::string& section : sections) {
    os << "\n[" << section << "]\n";
    for (const ParamInfo& p : params) {
      if (p.section() == section) print_row(os, row_for(p), width);
    }
  }
}

}  // namespace gs
