#include "testbench/sweep/sweep_merge.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace gs {
namespace {

using Json = nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string trim_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// What a failed point said: its last "gaudisim:" line, else its last non-empty line.
std::string error_of(const std::string& log) {
  std::istringstream in(log);
  std::string line, last, tagged;
  while (std::getline(in, line)) {
    line = trim_line(line);
    if (line.empty()) continue;
    last = line;
    if (line.rfind("gaudisim:", 0) == 0) tagged = line;
  }
  return tagged.empty() ? last : tagged;
}

std::string cell_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "";
  return v.dump();  // numbers: JSON's shortest round-trip text
}

// Scalars of an object, nested objects flattened with dots; arrays are skipped.
void flatten(const Json& obj, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string name = prefix + it.key();
    if (it->is_object()) flatten(*it, name + ".", out);
    else if (!it->is_array()) out.emplace_back(name, cell_text(*it));
  }
}

const Json* result_rows(const Json& record, std::string& name) {
  auto rows_like = [](const Json& v) { return v.is_array() && !v.empty() && v.front().is_object(); };
  for (const char* preferred : {"results", "rows"}) {
    if (record.contains(preferred) && rows_like(record[preferred])) {
      name = preferred;
      return &record[preferred];
    }
  }
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (rows_like(*it)) {
      name = it.key();
      return &*it;
    }
  }
  return nullptr;
}

class TableBuilder {
 public:
  void add(std::vector<std::pair<std::string, std::string>> cells) {
    std::map<std::size_t, std::string> row;
    for (auto& [column, value] : cells) row[column_index(column)] = std::move(value);
    rows_.push_back(std::move(row));
  }
  void finish(SweepTable& table) {
    table.columns = columns_;
    for (auto& row : rows_) {
      std::vector<std::string> cells(columns_.size());
      for (auto& [i, v] : row) cells[i] = std::move(v);
      table.rows.push_back(std::move(cells));
    }
  }

 private:
  std::size_t column_index(const std::string& name) {
    const auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    index_[name] = columns_.size();
    columns_.push_back(name);
    return columns_.size() - 1;
  }
  std::vector<std::string> columns_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::map<std::size_t, std::string>> rows_;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

SweepTable merge_sweep(const SweepPlan& plan) {
  SweepTable table;
  Json points = Json::array();
  TableBuilder fresh;  // column order: point, swept keys, status, error, then results
  std::vector<std::pair<std::string, std::string>> header{{"point", ""}};
  for (const SweepAxis& axis : plan.axes) header.emplace_back(axis.key, "");
  header.emplace_back("point_status", "");
  header.emplace_back("point_error", "");
  fresh.add(header);

  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    std::vector<std::pair<std::string, std::string>> common{{"point", std::to_string(i)}};
    Json params = Json::object();
    for (const auto& [key, value] : plan.points[i]) {
      common.emplace_back(key, value);
      params[key] = value;
    }
    std::string status = "missing", error;
    Json record;
    if (point_finished(plan, i)) {
      status = trim_line(read_file(point_path(plan, i, ".status")));
      record = Json::parse(read_file(point_path(plan, i, ".json")), nullptr, false);
      if (record.is_discarded()) record = Json();
      if (status != "exit 0") {
        ++table.failed;
        error = error_of(read_file(point_path(plan, i, ".log")));
      }
    } else {
      ++table.missing;
    }
    common.emplace_back("point_status", status);
    common.emplace_back("point_error", error);
    points.push_back({{"index", i}, {"params", params}, {"status", status}, {"error", error},
                      {"record", record}});

    std::vector<std::pair<std::string, std::string>> run_cells;
    std::string rows_name;
    const Json* rows = record.is_object() ? result_rows(record, rows_name) : nullptr;
    if (record.is_object()) {
      Json rest = record;
      rest.erase("config");
      rest.erase("workload");
      if (rows) rest.erase(rows_name);
      flatten(rest, "run.", run_cells);
      if (record.contains("workload")) run_cells.emplace_back("workload", cell_text(record["workload"]));
    }
    if (!rows) {
      auto cells = common;
      cells.insert(cells.end(), run_cells.begin(), run_cells.end());
      fresh.add(cells);
      continue;
    }
    for (const Json& row : *rows) {
      auto cells = common;
      flatten(row, "", cells);
      cells.insert(cells.end(), run_cells.begin(), run_cells.end());
      fresh.add(cells);
    }
  }
  fresh.finish(table);
  table.rows.erase(table.rows.begin());  // the header-order row
  Json axes = Json::array();
  for (const SweepAxis& axis : plan.axes) axes.push_back({{"key", axis.key}, {"values", axis.values}});
  table.document = {{"schema", "gaudisim-sweep/1"}, {"axes", axes},
                    {"base_args", plan.base_args}, {"points", points}};
  return table;
}

void write_csv(std::ostream& os, const SweepTable& table) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    os << (c ? "," : "") << csv_field(table.columns[c]);
  }
  os << "\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) os << (c ? "," : "") << csv_field(row[c]);
    os << "\n";
  }
}

}  // namespace gs
