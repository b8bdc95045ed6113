// The keys every run record has (testbench/output/schema.hpp), added after the workload
// filled its summary, results and totals.
#pragma once
#include <nlohmann/json.hpp>

namespace gs {

struct SimParams;

struct RecordEnd {
  bool finished = true;  // every simulated process ended
  bool partial = false;  // interrupted (Ctrl-C): what finished is reported
  double sim_time_us = 0;
  int exit_code = 0;
};

// Adds schema_version, workload, finished, partial, sim_time_us, exit_code and the
// effective config; gives summary/results/totals/errors/stats their empty forms when the
// workload left them out; derives errors[] from failing result rows (a non-empty "error")
// when the workload did not list its errors itself.
void finish_record(nlohmann::json& record, const SimParams& p, const RecordEnd& end);

}  // namespace gs
