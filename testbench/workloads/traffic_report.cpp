#include "testbench/workloads/traffic_report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

#include "testbench/config/config_error.hpp"

namespace gs {

namespace {

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  size_t rank = size_t(std::ceil(q * double(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

}  // namespace

FctSummary summarize_fct(const TrafficSetup& t, const std::vector<FlowOutcome>& out) {
  FctSummary s;
  s.flows = out.size();
  std::vector<double> fct;
  double first = 0, last = 0, bytes = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].done) continue;
    fct.push_back((out[i].end_ns - out[i].start_ns) / 1000.0);
    first = s.done ? std::min(first, out[i].start_ns) : out[i].start_ns;
    last = s.done ? std::max(last, out[i].end_ns) : out[i].end_ns;
    bytes += double(t.matrix.flows[i].bytes);
    ++s.done;
  }
  std::sort(fct.begin(), fct.end());
  if (fct.empty()) return s;
  s.min_us = fct.front();
  s.max_us = fct.back();
  s.median_us = percentile(fct, 0.5);
  s.p99_us = percentile(fct, 0.99);
  s.goodput_gbps = last > first ? bytes * 8 / (last - first) : 0;
  return s;
}

int report_traffic(const TrafficSetup& t, const std::vector<FlowOutcome>& out, const FabricSummary& fabric,
                   const std::string& model, const std::string& csv_path, std::ostream& os, nlohmann::json& record) {
  const FctSummary s = summarize_fct(t, out);
  os << fmt::format("traffic ({} model): {} nodes, {} flows, {} finished\n", model, t.matrix.nodes, s.flows, s.done);
  os << fmt::format("FCT us: min {:.3f}  median {:.3f}  p99 {:.3f}  max {:.3f}\n", s.min_us, s.median_us, s.p99_us,
                    s.max_us);
  os << fmt::format("goodput {:.2f} Gb/s aggregate\n", s.goodput_gbps);
  if (fabric.has_queues)
    os << fmt::format("fabric: max queue {} B, {} pause frames, {} drops\n", fabric.max_queue_bytes, fabric.pauses,
                      fabric.drops);
  else
    os << "fabric: flow model (no queues, pauses or drops)\n";
  int failed = 0;
  nlohmann::json errors = nlohmann::json::array();
  uint64_t bytes = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const FlowSpec& fl = t.matrix.flows[i];
    if (out[i].done) {
      bytes += fl.bytes;
      continue;
    }
    const std::string why = out[i].error.empty() ? "no completion" : out[i].error;
    if (failed++ < 5) os << fmt::format("flow id {} ({}->{}) did not finish: {}\n", fl.id, fl.src, fl.dst, why);
    errors.push_back({{"flow", fl.id}, {"src", fl.src}, {"dst", fl.dst}, {"message", why}});
  }
  os << fmt::format("total: {} of {} flows finished, {} bytes\n", s.done, s.flows, bytes);
  // One result row per run (the per-flow rows go to traffic.csv): a sweep gets a row per point.
  record["results"] = nlohmann::json::array(
      {{{"model", model},
        {"nodes", t.matrix.nodes},
        {"flows", s.flows},
        {"finished", s.done},
        {"fct_min_us", s.min_us},
        {"fct_median_us", s.median_us},
        {"fct_p99_us", s.p99_us},
        {"fct_max_us", s.max_us},
        {"goodput_gbit_s", s.goodput_gbps},
        {"max_queue_bytes", fabric.max_queue_bytes},
        {"pauses", fabric.pauses},
        {"drops", fabric.drops},
        {"error", failed ? fmt::format("{} flows did not finish", failed) : ""}}});
  record["summary"] = {{"model", model}, {"nodes", t.matrix.nodes}, {"flows", s.flows}};
  record["totals"] = {{"flows", s.flows}, {"finished", s.done}, {"bytes", bytes}};
  record["errors"] = errors;
  if (!csv_path.empty()) {
    std::ofstream f(csv_path);
    if (!f) throw ConfigError("config: traffic.csv: cannot write '" + csv_path + "'");
    f << "id,src,dst,bytes,start_us,end_us,fct_us,gbit_s,finished\n";
    for (size_t i = 0; i < out.size(); ++i) {
      const FlowSpec& fl = t.matrix.flows[i];
      const double fct = out[i].done ? out[i].end_ns - out[i].start_ns : 0;
      f << fmt::format("{},{},{},{},{:.6f},{:.6f},{:.6f},{:.4f},{}\n", fl.id, fl.src, fl.dst, fl.bytes,
                       out[i].start_ns / 1000, out[i].done ? out[i].end_ns / 1000 : 0.0, fct / 1000,
                       fct > 0 ? double(fl.bytes) * 8 / fct : 0.0, out[i].done ? 1 : 0);
    }
  }
  return s.done == s.flows && s.flows > 0 ? 0 : 1;
}

}  // namespace gs
