// The run record: one shape for every workload (docs/output.md is its reference, and
// tests/integration/output_schema_test.cpp checks every workload against that page).
//   schema_version, workload, finished, partial, sim_time_us, config  (run.cpp)
//   summary {scalars}, results [rows], totals {sums over the rows}   (the workload)
//   errors [{card, what, errno, errno_name, message, ...}]            (the workload)
//   stats {links, switches, nic, engines, hbm, pcie}                  (output/run_stats)
// Units are in the key names: _bytes, _us, _ns, _gbyte_s (1e9 B/s), _gbit_s (1e9 b/s),
// _tflops, _fraction (0..1); bare nouns are counts.
#pragma once

namespace gs::output {

// Bumped when a key is renamed or removed (adding keys keeps the version).
constexpr int kSchemaVersion = 1;

}  // namespace gs::output
