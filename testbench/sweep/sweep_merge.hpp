// Collects a sweep's point records into one table: a CSV row per point and result row
// (every swept key a column) and one JSON document.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "testbench/sweep/sweep_plan.hpp"

namespace gs {

struct SweepTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column, "" when absent
  nlohmann::json document;                     // {"axes", "base_args", "points": [...]}
  std::size_t failed = 0;                      // points that ended other than "exit 0"
  std::size_t missing = 0;                     // points with no status file yet
};

// Columns: point, each swept key, point_status, point_error, then the fields of the record's result rows
// (the first array of objects: "results", else "rows", else the first such array), then
// the record's other scalars as run.<path>. Points not finished appear with status "missing".
SweepTable merge_sweep(const SweepPlan& plan);

void write_csv(std::ostream& os, const SweepTable& table);

}  // namespace gs
