#include "testbench/output/record.hpp"

#include "testbench/config/config.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/output/schema.hpp"
#include "testbench/sim_params.hpp"

namespace gs {
namespace {

// The columns that say which row failed (the rest are measurements).
constexpr const char* kIdentity[] = {"card", "src", "dst", "src_port", "port", "qp", "bytes", "op", "shape", "flow"};

nlohmann::json errors_from_rows(const nlohmann::json& results) {
  nlohmann::json errors = nlohmann::json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const nlohmann::json& row = results[i];
    if (!row.is_object() || !row.contains("error") || row["error"] == "") continue;
    nlohmann::json e = {{"row", i}, {"message", row["error"]}};
    for (const char* k : kIdentity)
      if (row.contains(k)) e[k] = row[k];
    if (row.contains("errno")) {
      e["errno"] = row["errno"];
      e["errno_name"] = output::errno_name(row["errno"].get<int>());
    }
    errors.push_back(std::move(e));
  }
  return errors;
}

}  // namespace

void finish_record(nlohmann::json& record, const SimParams& p, const RecordEnd& end) {
  record["schema_version"] = output::kSchemaVersion;
  record["workload"] = p.workload.name;
  record["finished"] = end.finished;
  record["partial"] = end.partial;
  record["sim_time_us"] = end.sim_time_us;
  record["exit_code"] = end.exit_code;
  SimParams copy = p;  // to_json visits (non-const)
  record["config"] = to_json(copy);
  for (const char* k : {"summary", "totals", "stats"})
    if (!record.contains(k)) record[k] = nlohmann::json::object();
  if (!record.contains("results")) record["results"] = nlohmann::json::array();
  if (!record.contains("errors")) record["errors"] = errors_from_rows(record["results"]);
}

}  // namespace gs
