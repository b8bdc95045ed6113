#include "testbench/workloads/traffic_matrix.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "models/fabric/ecmp.hpp"
#include "testbench/config/config_error.hpp"

namespace gs {

namespace {

struct LineError {
  std::string file;
  unsigned line;
  [[noreturn]] void operator()(const std::string& what) const {
    throw ConfigError("traffic file '" + file + "' line " + std::to_string(line) + ": " + what);
  }
};

uint64_t parse_count(const std::string& tok, const char* what, const LineError& fail) {
  if (tok.empty() || tok.find_first_not_of("0123456789") != std::string::npos)
    fail(std::string(what) + " '" + tok + "' is not a non-negative integer");
  if (tok.size() > 19) fail(std::string(what) + " '" + tok + "' is too large");
  return std::stoull(tok);
}

double parse_time(const std::string& tok, const LineError& fail) {
  char* end = nullptr;
  double v = std::strtod(tok.c_str(), &end);
  if (tok.empty() || *end || !std::isfinite(v) || v < 0)
    fail("start '" + tok + "' is not a time in us >= 0");
  return v;
}

// "Nodes 16" / "Connections 4": the keyword and one count, nothing else.
uint64_t header(std::istringstream& ls, const std::string& key, const LineError& fail) {
  std::string word, n, extra;
  ls >> word >> n;
  if (word != key) fail("expected '" + key + " <count>', got '" + word + "'");
  uint64_t v = parse_count(n, key == "Nodes" ? "node count" : "connection count", fail);
  if (ls >> extra) fail("unexpected '" + extra + "' after '" + key + " " + n + "'");
  return v;
}

FlowSpec parse_flow(std::istringstream& ls, unsigned nodes, const LineError& fail) {
  FlowSpec f;
  std::string ends;
  ls >> ends;
  const size_t arrow = ends.find("->");
  if (arrow == std::string::npos) fail("expected 'src->dst id I start T size B', got '" + ends + "'");
  f.src = unsigned(parse_count(ends.substr(0, arrow), "src", fail));
  f.dst = unsigned(parse_count(ends.substr(arrow + 2), "dst", fail));
  for (unsigned n : {f.src, f.dst})
    if (n >= nodes) fail("node " + std::to_string(n) + " out of range 0.." + std::to_string(nodes - 1) + " (Nodes " + std::to_string(nodes) + ")");
  if (f.src == f.dst) fail("flow from node " + std::to_string(f.src) + " to itself");
  bool have_id = false, have_size = false, have_start = false;
  std::string key, val;
  while (ls >> key) {
    if (!(ls >> val)) fail("'" + key + "' without a value");
    bool* seen = key == "id" ? &have_id : key == "size" ? &have_size : key == "start" ? &have_start : nullptr;
    if (!seen) fail("unknown field '" + key + "' (fields are id, start, size)");
    if (*seen) fail("field '" + key + "' given twice");
    *seen = true;
    if (key == "id") f.id = parse_count(val, "id", fail);
    if (key == "start") f.start_us = parse_time(val, fail);
    if (key == "size") {
      f.bytes = parse_count(val, "size", fail);
      if (f.bytes == 0 || f.bytes > kMaxFlowBytes)
        fail("size " + val + " out of range 1.." + std::to_string(kMaxFlowBytes) + " bytes (one RDMA write)");
    }
  }
  if (!have_id) fail("flow without 'id'");
  if (!have_size) fail("flow without 'size'");
  return f;
}

}  // namespace

TrafficMatrix parse_traffic_matrix(const std::string& text, const std::string& file_name) {
  TrafficMatrix m;
  std::istringstream in(text);
  std::string raw;
  LineError fail{file_name, 0};
  uint64_t connections = 0;
  unsigned state = 0;  // 0: want Nodes, 1: want Connections, 2: flows
  std::set<uint64_t> ids;
  while (std::getline(in, raw)) {
    ++fail.line;
    std::string line = raw.substr(0, raw.find('#'));
    std::istringstream ls(line);
    std::string probe;
    if (!(std::istringstream(line) >> probe)) continue;
    if (state == 0) {
      uint64_t n = header(ls, "Nodes", fail);
      if (n < 2 || n > (1u << 24)) fail("Nodes " + std::to_string(n) + " out of range 2..16777216");
      m.nodes = unsigned(n);
      state = 1;
    } else if (state == 1) {
      connections = header(ls, "Connections", fail);
      m.flows.reserve(size_t(std::min<uint64_t>(connections, 1u << 24)));
      state = 2;
    } else {
      if (m.flows.size() == connections) fail("more flows than 'Connections " + std::to_string(connections) + "'");
      FlowSpec f = parse_flow(ls, m.nodes, fail);
      if (!ids.insert(f.id).second) fail("flow id " + std::to_string(f.id) + " used twice");
      m.flows.push_back(f);
    }
  }
  ++fail.line;  // problems found at the end name the line after the last
  if (state == 0) fail("no 'Nodes <count>' line");
  if (state == 1) fail("no 'Connections <count>' line");
  if (m.flows.size() != connections)
    fail("'Connections " + std::to_string(connections) + "' but " + std::to_string(m.flows.size()) + " flows given");
  return m;
}

TrafficMatrix load_traffic_matrix(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw ConfigError("config: traffic.file: cannot open '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_traffic_matrix(ss.str(), path);
}

TrafficMatrix permutation_matrix(unsigned nodes, uint64_t bytes, uint64_t seed, double start_us) {
  // Sattolo's algorithm: a uniformly random single cycle, so nobody sends to itself.
  std::vector<unsigned> to(nodes);
  for (unsigned i = 0; i < nodes; ++i) to[i] = i;
  uint64_t x = mix64(seed ^ 0x7065726d75746174ull);
  for (unsigned i = nodes; i-- > 1;) {
    x = mix64(x + 0x9E3779B97F4A7C15ull);
    std::swap(to[i], to[unsigned(x % i)]);
  }
  TrafficMatrix m;
  m.nodes = nodes;
  for (unsigned i = 0; i < nodes; ++i) m.flows.push_back(FlowSpec{i, to[i], i + 1ull, start_us, bytes});
  return m;
}

TrafficMatrix all_to_all_matrix(unsigned nodes, uint64_t bytes, double start_us) {
  TrafficMatrix m;
  m.nodes = nodes;
  for (unsigned s = 0; s < nodes; ++s)
    for (unsigned d = 0; d < nodes; ++d)
      if (s != d) m.flows.push_back(FlowSpec{s, d, m.flows.size() + 1, start_us, bytes});
  return m;
}

std::string format_traffic_matrix(const TrafficMatrix& m) {
  std::ostringstream o;
  o << "Nodes " << m.nodes << "\nConnections " << m.flows.size() << "\n";
  o.precision(17);
  for (const FlowSpec& f : m.flows)
    o << f.src << "->" << f.dst << " id " << f.id << " start " << f.start_us << " size " << f.bytes << "\n";
  return o.str();
}

}  // namespace gs
