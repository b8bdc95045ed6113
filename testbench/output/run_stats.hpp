// End-of-run statistics of a built system: links, switches, NIC ports and QPs, engines,
// HBM and PCIe. Full in the JSON record ("stats"), a few lines in the printed summary.
// Rows are kept only for what was used (a link that carried a frame, a busy engine), so
// that a 1024-card run's record stays proportional to its traffic. Without `detail` (a run
// that writes no record) the rows are left out (links.used, switches.detail, nic.ports,
// nic.qps, engines): only the totals and the per-card HBM and PCIe rows the summary reads.
#pragma once
#include <nlohmann/json.hpp>
#include <ostream>

namespace gs {

class System;

nlohmann::json collect_run_stats(System& sys, double sim_time_us, bool detail = true);
void print_run_stats(const nlohmann::json& stats, std::ostream& out);

}  // namespace gs
