// The network between the cards, built from the config after the cards exist: the plan of
// the chosen topology (pair, box, boxes, custom), its switches, third-party NICs and a pair
// of Links per cable, addresses on every port and routes in every switch. Lookups let
// workloads, the driver's tests and fault scenarios find ports, peers and links.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <systemc>

#include <nlohmann/json.hpp>

#include "models/fabric/link.hpp"
#include "models/fabric/net_port.hpp"
#include "models/fabric/switch.hpp"
#include "models/fabric/third_party_nic.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/topology/topology_plan.hpp"

namespace gs {

class Card;
struct ReportRows;
struct SimParams;

enum class LinkDirection { out, in };  // out: from the card's port; in: toward it

class Fabric : public sc_core::sc_module {
 public:
  // card (global index), port -> the NIC port, or nullptr if the card has none there.
  using PortLookup = std::function<NetPort*(unsigned card, unsigned port)>;

  // Whether this process builds a node (a partitioned run's share; `port` is ignored).
  using NodeFilter = std::function<bool(const PortRef& node)>;

  // What System calls: cards in global order (null: simulated by another process); their NIC
  // ports via Card::nic_port(). `builds` (empty: everything) picks the switches and
  // third-party NICs to build; a cable with one end built gets both its Links, the far
  // end's side left to the partition (outbox and inject).
  Fabric(sc_core::sc_module_name name, const SimParams& p, std::vector<std::unique_ptr<Card>>& cards,
         NodeFilter builds = {});
  // Any ports (tests, benchmarks): `ports` stands in for the cards' NICs.
  Fabric(sc_core::sc_module_name name, const FabricParams& fp, const TopologyShape& shape, uint64_t seed,
         PortLookup ports);

  const TopologyPlan& plan() const { return plan_; }
  const TopologyShape& shape() const { return shape_; }
  size_t cable_count() const { return cables_.size(); }
  // Cable c by index: its ends, and the link from one end (null if an end has no NIC).
  const PortRef& cable_end(size_t c, bool a_end) const { return a_end ? cables_.at(c).a : cables_.at(c).b; }
  Link* cable_link(size_t c, bool from_a) const { return from_a ? cables_.at(c).ab : cables_.at(c).ba; }

  NetPort* port_of(unsigned card, unsigned port) const;
  // What the cable of (card, port) plugs into at its other end; nullopt if not cabled.
  std::optional<PortRef> peer_of(unsigned card, unsigned port) const;
  std::optional<PortRef> peer_of(const PortRef& end) const;
  // The card port cabled directly to `peer_card` (box, pair), if any.
  std::optional<unsigned> port_towards(unsigned card, unsigned peer_card) const;
  // One direction of the cable at (card, port). Throws std::out_of_range if not cabled.
  Link& link(unsigned card, unsigned port, LinkDirection dir);
  // Cable up or down (both directions); both ends' NetPorts get link_changed(up).
  void set_link_up(unsigned card, unsigned port, bool up);
  void set_link_up(const PortRef& end, bool up);
  bool link_up(unsigned card, unsigned port) const;

  uint64_t mac_of(unsigned card, unsigned port) const;
  uint32_t ip_of(unsigned card, unsigned port) const;

  // Counts of the whole topology; switch_at / third_party only for nodes this process built.
  size_t switch_count() const { return switches_.size(); }
  Switch& switch_at(unsigned k) { return *switches_.at(k); }
  size_t third_party_count() const { return third_party_.size(); }
  ThirdPartyNic& third_party(unsigned k) { return *third_party_.at(k); }
  bool built(const PortRef& node) const { return !builds_ || builds_(node); }

  // Counters of every switch, third-party NIC and cable: of this process's, or from the
  // rows of every rank (a partitioned run's reporter).
  nlohmann::json stats() const;
  nlohmann::json stats(const ReportRows& rows) const;
  // Throws std::runtime_error, as stats(rows) does, if a switch's or third-party NIC's row
  // is missing.
  static void check_rows(const ReportRows& rows);
  // The rows of what this process built (switches, third-party NICs, both sides of links).
  void report_rows(ReportRows& rows) const;
  // One direction of one cable: who sends, who receives, at what rate, and both counters.
  struct Direction {
    std::string from, to;  // PortRef::text()
    double gbps = 0;       // the sender's line rate
    LinkStats link;
    EgressStats egress;    // the sender's transmitter (frames it put on this link)
  };
  static std::vector<Direction> directions(const ReportRows& rows);  // cable order, a->b then b->a

 private:
  struct CableState {
    PortRef a, b;
    NetPort *pa = nullptr, *pb = nullptr;  // null: that end has no NIC (yet)
    Link *ab = nullptr, *ba = nullptr;
  };
  void build(uint64_t seed);
  void cable(const Cable& c, const sc_core::sc_time& prop, uint64_t seed);
  NetPort* resolve(const PortRef& end) const;
  nlohmann::json switch_row(unsigned k) const;
  int cable_at(const PortRef& end) const;
  uint32_t address_of(const PortRef& end) const;

  FabricParams fp_;
  TopologyShape shape_;
  PortLookup lookup_;
  NodeFilter builds_;
  double remote_nic_gbps_ = 0;  // a GAUDI port's rate, for a switch port facing a card not built here
  TopologyPlan plan_;
  std::vector<std::unique_ptr<Switch>> switches_;
  std::vector<std::unique_ptr<ThirdPartyNic>> third_party_;
  std::vector<std::unique_ptr<Link>> links_;
  std::vector<CableState> cables_;
  std::vector<int> card_cable_;                 // card * ports_per_card + port -> cable, -1 none
  std::vector<std::vector<int>> switch_cable_;  // [switch][port] -> cable
  std::vector<int> third_party_cable_;
};

}  // namespace gs
