// topology.kind = custom: a text file with one cable per line,
//   card0.port1 card1.port0       # card to card
//   card0.port8 switch0.port3     # card to switch (switch to switch and thirdparty0 too)
// Switches get as many ports as the highest port number used; '#' starts a comment.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "testbench/config/config_error.hpp"
#include "testbench/topology/topology_plan.hpp"

namespace gs {

namespace {

const char* const kExpected =
    "expected two ports per line, like 'card0.port1 card1.port0' or 'card0.port8 switch0.port3' "
    "(also switchK.portN and thirdpartyK)";

// Parses "<word><digits>" at the start of `s`; returns false unless it matches.
bool take_numbered(const std::string& s, size_t& pos, const std::string& word, unsigned& value) {
  if (s.compare(pos, word.size(), word) != 0) return false;
  size_t i = pos + word.size(), start = i;
  unsigned long v = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < 9) v = v * 10 + (s[i++] - '0');
  if (i == start) return false;
  value = unsigned(v), pos = i;
  return true;
}

bool parse_port(const std::string& tok, PortRef& out) {
  size_t pos = 0;
  unsigned idx = 0, port = 0;
  if (take_numbered(tok, pos, "thirdparty", idx)) {
    out = PortRef{NodeKind::third_party, idx, 0};
    if (pos == tok.size()) return true;
    return tok.compare(pos, 1, ".") == 0 && (++pos, take_numbered(tok, pos, "port", port)) && port == 0 &&
           pos == tok.size();
  }
  NodeKind kind;
  if (take_numbered(tok, pos, "card", idx))
    kind = NodeKind::card;
  else if (take_numbered(tok, pos, "switch", idx))
    kind = NodeKind::switch_node;
  else
    return false;
  if (pos >= tok.size() || tok[pos] != '.') return false;
  ++pos;
  if (!take_numbered(tok, pos, "port", port) || pos != tok.size()) return false;
  out = PortRef{kind, idx, port};
  return true;
}

}  // namespace

TopologyPlan parse_links_file(const std::string& path, const TopologyShape& shape, unsigned third_party_nics) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError("config: topology.links_file '" + path + "' is a directory; give the file with one cable per line");
  std::ifstream in(path);
  if (!in) throw ConfigError("config: topology.links_file '" + path + "': cannot open the file");
  TopologyPlan plan;
  plan.third_party = third_party_nics;
  std::map<std::pair<unsigned, std::pair<unsigned, unsigned>>, unsigned> used;  // port -> line
  std::vector<unsigned> switch_ports;
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    auto fail = [&](const std::string& what) {
      throw ConfigError("config: topology.links_file '" + path + "' line " + std::to_string(n) + ": " + what);
    };
    std::string text = line.substr(0, line.find('#'));
    std::istringstream words(text);
    std::vector<std::string> tok;
    for (std::string w; words >> w;) tok.push_back(w);
    if (tok.empty()) continue;
    if (tok.size() != 2) fail(std::string(kExpected) + ", got '" + text + "'");
    PortRef end[2];
    for (int i = 0; i < 2; ++i) {
      if (!parse_port(tok[i], end[i]))
        fail("'" + tok[i] + "' is not a port: write cardN.portP, switchK.portN or thirdpartyK");
      const PortRef& e = end[i];
      if (e.kind == NodeKind::card && e.index >= shape.cards())
        fail("card " + std::to_string(e.index) + " does not exist (cards are 0.." + std::to_string(shape.cards() - 1) +
             ": topology.hosts x topology.cards, numbered host by host)");
      if (e.kind == NodeKind::card && e.port >= shape.ports_per_card)
        fail("card " + std::to_string(e.index) + " has no port " + std::to_string(e.port) + " (nic.ports = " +
             std::to_string(shape.ports_per_card) + ")");
      if (e.kind == NodeKind::switch_node && e.index >= 4096) fail("switch numbers go up to 4095");
      if (e.kind == NodeKind::switch_node && e.port >= 1024) fail("switch ports go up to 1023");
      if (e.kind == NodeKind::third_party && e.index >= 1024) fail("third-party NIC numbers go up to 1023");
      auto key = std::make_pair(unsigned(e.kind), std::make_pair(e.index, e.port));
      auto [it, fresh] = used.emplace(key, n);
      if (!fresh) fail(e.text() + " is already cabled (line " + std::to_string(it->second) + ")");
    }
    if (end[0].kind == end[1].kind && end[0].index == end[1].index && end[0].kind != NodeKind::third_party)
      fail("'" + tok[0] + " " + tok[1] + "' cables a " + (end[0].kind == NodeKind::card ? "card" : "switch") +
           " to itself (a loop); a cable joins two different nodes");
    for (const PortRef& e : end) {
      if (e.kind == NodeKind::switch_node) {
        if (switch_ports.size() <= e.index) switch_ports.resize(e.index + 1, 0);
        switch_ports[e.index] = std::max(switch_ports[e.index], e.port + 1);
      }
      if (e.kind == NodeKind::third_party) plan.third_party = std::max(plan.third_party, e.index + 1);
    }
    plan.cables.push_back(Cable{end[0], end[1]});
  }
  for (unsigned k = 0; k < switch_ports.size(); ++k)
    plan.switches.push_back(SwitchSpec{"switch" + std::to_string(k), std::max(1u, switch_ports[k])});
  return plan;
}

}  // namespace gs
