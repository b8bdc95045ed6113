#include "testbench/flow/flow_run.hpp"

#include <chrono>

#include "testbench/config/config.hpp"
#include "testbench/flow/flow_network.hpp"
#include "testbench/output/record.hpp"
#include "testbench/sim_params.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/workloads/traffic_report.hpp"

namespace gs {

int run_flow_simulation(const SimParams& p, std::ostream& out, nlohmann::json& record) {
  if (p.workload.name != "traffic")
    throw ConfigError("config: fabric.model = flow runs workload.name = traffic only (got '" + p.workload.name + "')");
  if (p.topology.hosts > kMaxAddressableHosts)
    throw ConfigError("config: topology.hosts = " + std::to_string(p.topology.hosts) +
                      ": the fabric's addresses (IP 10.<host>.<card>.<port+1>) allow at most 256 hosts");
  const auto wall0 = std::chrono::steady_clock::now();
  const TopologyShape shape{p.topology.hosts, p.topology.cards, p.card.nic_ports};
  const TopologyPlan plan = plan_topology(p.fabric, shape);
  const TrafficSetup t = make_traffic_setup(p, plan);
  FlowNetwork net = build_flow_network(p, plan, t);
  const MaxMinStats st = run_max_min(net.capacity_gbps, net.flows);

  std::vector<FlowOutcome> outcomes(net.flows.size());
  double end = 0;
  for (size_t i = 0; i < net.flows.size(); ++i) {
    outcomes[i] = FlowOutcome{net.flows[i].start_ns, net.flows[i].end_ns, true, ""};
    end = std::max(end, net.flows[i].end_ns);
  }
  FabricSummary fabric;
  fabric.has_queues = false;
  const int rc = report_traffic(t, outcomes, fabric, "flow", p.traffic.csv, out, record);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  record["stats"] = {{"fabric", {{"kind", p.fabric.kind}, {"cables", plan.cables.size()}, {"switches", plan.switches.size()}}},
                     {"flow_model",
                      {{"recomputes", st.recomputes},
                       {"flows_rated", st.flows_rated},
                       {"events", st.events},
                       {"max_utilisation_fraction", st.max_link_utilisation}}}};
  finish_record(record, p, {true, false, end / 1000.0, rc});
  out << "flow model: " << plan.switches.size() << " switches, " << plan.cables.size() << " cables, "
      << st.recomputes << " rate recomputations over " << st.flows_rated << " flow ratings\n";
  out << "simulated " << end / 1000.0 << " us in " << wall_s << " s wall\n";
  return rc;
}

}  // namespace gs
