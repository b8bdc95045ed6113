#include "testbench/faults/fault_script.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "testbench/config/config_error.hpp"
#include "specs/gaudi/regs.h"
#include "testbench/sim_params.hpp"

namespace gs {

namespace {

struct Named {
  FaultKind kind;
  const char* name;
};
constexpr Named kNames[] = {{FaultKind::link_down, "link_down"},     {FaultKind::link_up, "link_up"},
                            {FaultKind::link_flap, "link_flap"},     {FaultKind::pause_storm, "pause_storm"},
                            {FaultKind::nic_hang, "nic_hang"},       {FaultKind::engine_hang, "engine_hang"},
                            {FaultKind::hbm_flip, "hbm_flip"},       {FaultKind::cpu_hang, "cpu_hang"},
                            {FaultKind::pcie_timeout, "pcie_timeout"}};

// "2ms", "150us", "1e3ns", "0.5s" -> microseconds; NaN if malformed.
double parse_time_us(const std::string& t) {
  static const std::pair<const char*, double> units[] = {{"ns", 1e-3}, {"us", 1}, {"ms", 1e3}, {"s", 1e6}};
  for (const auto& [u, scale] : units) {
    const size_t n = std::string(u).size();
    if (t.size() <= n || t.compare(t.size() - n, n, u) != 0) continue;
    const std::string num = t.substr(0, t.size() - n);
    if (num.back() == 'm' || num.back() == 'u' || num.back() == 'n') continue;  // "ms" seen as "s"
    char* end = nullptr;
    double v = std::strtod(num.c_str(), &end);
    if (end != num.c_str() + num.size() || !(v >= 0) || std::isinf(v)) return NAN;
    return v * scale;
  }
  return NAN;
}

bool parse_u64(const std::string& s, uint64_t& out) {
  char* end = nullptr;
  if (s.empty() || s[0] == '-') return false;
  out = std::strtoull(s.c_str(), &end, 0);
  return end == s.c_str() + s.size();
}

// "card3", "card3.port1", "card0.dma2", "card0.tpc7", "card0.mme1", "switch1.port4".
bool parse_target(const std::string& s, FaultKind k, PortRef& out, EngineKind& engine) {
  unsigned idx = 0, sub = 0;
  char word[16] = {}, subword[8] = {};
  int used = 0;
  if (std::sscanf(s.c_str(), "%15[a-z]%u%n", word, &idx, &used) != 2) return false;
  std::string w = word;
  if (w != "card" && w != "switch") return false;
  out = PortRef{w == "card" ? NodeKind::card : NodeKind::switch_node, idx, 0};
  const std::string rest = s.substr(size_t(used));
  const bool card_only = k == FaultKind::hbm_flip || k == FaultKind::cpu_hang || k == FaultKind::pcie_timeout;
  if (card_only) return w == "card" && rest.empty();
  int used2 = 0;
  if (std::sscanf(rest.c_str(), ".%7[a-z]%u%n", subword, &sub, &used2) != 2 || size_t(used2) != rest.size()) return false;
  out.port = sub;
  if (k == FaultKind::engine_hang) {
    const std::string e = subword;
    engine = e == "tpc" ? EngineKind::tpc : e == "mme" ? EngineKind::mme : EngineKind::dma;
    return w == "card" && (e == "dma" || e == "tpc" || e == "mme");
  }
  if (k == FaultKind::nic_hang) return w == "card" && std::string(subword) == "port";
  if (k == FaultKind::pause_storm) return w == "switch" && std::string(subword) == "port";
  return std::string(subword) == "port";  // links and pause storms: card or switch ports
}

const char* target_forms(FaultKind k) {
  switch (k) {
    case FaultKind::hbm_flip:
    case FaultKind::cpu_hang:
    case FaultKind::pcie_timeout: return "cardN";
    case FaultKind::engine_hang: return "cardN.dmaK, cardN.tpcK or cardN.mmeK";
    case FaultKind::nic_hang: return "cardN.portP";
    case FaultKind::pause_storm: return "switchK.portP (the switch port that sends the pauses)";
    default: return "cardN.portP or switchK.portP";
  }
}

}  // namespace

const char* fault_name(FaultKind k) {
  for (const auto& n : kNames)
    if (n.kind == k) return n.name;
  return "?";
}

const std::vector<std::string>& fault_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& n : kNames) v.push_back(n.name);
    return v;
  }();
  return names;
}

std::vector<FaultAction> parse_fault_script(const std::string& text, const std::string& origin, char sep) {
  std::vector<FaultAction> out;
  std::istringstream in(text);
  std::string line;
  for (unsigned n = 1; std::getline(in, line, sep); ++n) {
    const std::string where = origin + (sep == '\n' ? " line " : " entry ") + std::to_string(n);
    auto fail = [&](const std::string& what) { throw ConfigError("config: " + where + ": " + what); };
    std::istringstream words(line.substr(0, line.find('#')));
    std::vector<std::string> tok;
    for (std::string w; words >> w;) tok.push_back(w);
    if (tok.empty()) continue;
    if (tok.size() < 3) fail("expected '<time> <fault> <target> [key=value]...', got '" + line + "'");
    FaultAction a;
    a.origin = where;
    a.at_us = parse_time_us(tok[0]);
    if (std::isnan(a.at_us)) fail("'" + tok[0] + "' is not a time: write a number with ns, us, ms or s, e.g. 2ms");
    bool known = false;
    for (const auto& nm : kNames)
      if (tok[1] == nm.name) a.kind = nm.kind, known = true;
    if (!known) {
      std::string all;
      for (const auto& nm : fault_names()) all += (all.empty() ? "" : ", ") + nm;
      fail("unknown fault '" + tok[1] + "'; faults are: " + all);
    }
    a.target_text = tok[2];
    if (!parse_target(tok[2], a.kind, a.target, a.engine))
      fail("'" + tok[2] + "' is not a target of " + tok[1] + ": write " + target_forms(a.kind));
    for (size_t i = 3; i < tok.size(); ++i) {
      const size_t eq = tok[i].find('=');
      const std::string key = tok[i].substr(0, eq), val = eq == std::string::npos ? "" : tok[i].substr(eq + 1);
      uint64_t u = 0;
      double t = parse_time_us(val);
      auto bad = [&](const std::string& allowed) { fail("'" + tok[i] + "': " + key + " takes " + allowed); };
      const bool flap = a.kind == FaultKind::link_flap, storm = a.kind == FaultKind::pause_storm, flip = a.kind == FaultKind::hbm_flip;
      if (flap && key == "down") { if (std::isnan(t) || t <= 0) bad("a time > 0"); a.down_us = t; }
      else if (flap && key == "up") { if (std::isnan(t) || t <= 0) bad("a time > 0"); a.up_us = t; }
      else if (flap && key == "count") { if (!parse_u64(val, u) || u < 1 || u > 100000) bad("1..100000"); a.count = unsigned(u); }
      else if (flap && key == "jitter") { char* e; double j = std::strtod(val.c_str(), &e); if (e == val.c_str() || *e || !(j >= 0 && j < 1)) bad("a fraction 0..0.99"); a.jitter = j; }
      else if ((storm || a.kind == FaultKind::pcie_timeout) && key == "duration") { if (std::isnan(t)) bad("a time (0 = to the end)"); a.duration_us = t; }
      else if (storm && key == "prio") {
        if (val == "all") a.prio_mask = 0xFF;
        else if (!parse_u64(val, u) || u > 7) bad("0..7 or all");
        else a.prio_mask = uint8_t(1u << u);
      }
      else if (flip && key == "addr") { if (!parse_u64(val, u)) bad("a device address (HBM), e.g. 0x20000000"); a.addr = u; }
      else if (flip && key == "bits") { if (!parse_u64(val, u) || u < 1 || u > 2) bad("1 (corrected) or 2 (uncorrectable)"); a.bits = unsigned(u); }
      else if (flip && key == "range") { if (!parse_u64(val, u)) bad("bytes from addr over which the word is drawn (fault.seed)"); a.range = u; }
      else fail("unknown option '" + key + "' for " + tok[1] + " (link_flap: down, up, count, jitter; pause_storm: duration, prio; hbm_flip: addr, bits, range; pcie_timeout: duration)");
    }
    out.push_back(a);
  }
  return out;
}

std::vector<FaultAction> load_fault_actions(const SimParams& p) {
  std::vector<FaultAction> out;
  if (!p.fault.script.empty()) {
    std::ifstream in(p.fault.script);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || !text) throw ConfigError("config: fault.script '" + p.fault.script + "': cannot read the file");
    out = parse_fault_script(text.str(), "fault.script '" + p.fault.script + "'");
  }
  auto more = parse_fault_script(p.fault.events, "fault.events", ';');
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

void check_fault_targets(const SimParams& p, const TopologyPlan& plan, const std::vector<FaultAction>& actions) {
  const unsigned cards = p.topology.hosts * p.topology.cards;
  for (const FaultAction& a : actions) {
    auto fail = [&](const std::string& what) { throw ConfigError("config: " + a.origin + ": " + a.target_text + ": " + what); };
    const PortRef& t = a.target;
    if (t.kind == NodeKind::card && t.index >= cards)
      fail("no such card (cards are 0.." + std::to_string(cards - 1) + ")");
    if (t.kind == NodeKind::switch_node && t.index >= plan.switches.size())
      fail("no such switch (the topology has " + std::to_string(plan.switches.size()) + ")");
    if (t.kind == NodeKind::switch_node && t.port >= plan.switches[t.index].ports)
      fail("no such port (the switch has " + std::to_string(plan.switches[t.index].ports) + ")");
    if (a.kind == FaultKind::engine_hang && a.engine == EngineKind::dma && t.port >= p.card.dma_channels)
      fail("no such DMA channel (card.dma_channels = " + std::to_string(p.card.dma_channels) + ")");
    if (a.kind == FaultKind::engine_hang && a.engine == EngineKind::tpc && t.port >= p.card.tpc_cores)
      fail("no such TPC core (card.tpc_cores = " + std::to_string(p.card.tpc_cores) + ")");
    if (a.kind == FaultKind::engine_hang && a.engine == EngineKind::mme && t.port >= p.card.mme_engines)
      fail("no such MME master (card.mme_engines = " + std::to_string(p.card.mme_engines) + ")");
    if (a.kind == FaultKind::hbm_flip &&
        (a.addr - GAUDI_DRAM_PHYS_BASE + a.range + 8 > p.card.hbm_bytes))  // HBM starts at 0
      fail("addr=" + std::to_string(a.addr) + " (+ range " + std::to_string(a.range) + ") is not inside HBM (" +
           std::to_string(GAUDI_DRAM_PHYS_BASE) + " + card.hbm_bytes = " + std::to_string(p.card.hbm_bytes) + ")");
    const bool port_fault = a.kind == FaultKind::link_down || a.kind == FaultKind::link_up ||
                            a.kind == FaultKind::link_flap || a.kind == FaultKind::pause_storm || a.kind == FaultKind::nic_hang;
    if (port_fault && t.kind == NodeKind::card && t.port >= p.card.nic_ports)
      fail("no such NIC port (nic.ports = " + std::to_string(p.card.nic_ports) + ")");
    if ((a.kind == FaultKind::link_down || a.kind == FaultKind::link_up || a.kind == FaultKind::link_flap ||
         a.kind == FaultKind::pause_storm)) {
      bool cabled = false;
      for (const Cable& c : plan.cables) cabled |= c.a == t || c.b == t;
      if (!cabled) fail("not cabled in this topology (topology.kind = " + p.fabric.kind + ")");
    }
  }
}

}  // namespace gs
