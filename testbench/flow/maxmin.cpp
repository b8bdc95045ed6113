#include "testbench/flow/maxmin.hpp"

#include <algorithm>
#include <map>
#include <queue>

namespace gs {

namespace {

// Progressive filling over one set of flows: every round the link with the smallest fair
// share (spare capacity / unfrozen flows) fixes the rate of all its unfrozen flows. A heap
// keyed by (share, link) finds it; entries go stale when a link's share changes.
class Filler {
 public:
  explicit Filler(size_t links) : cnt_(links, 0), members_(links) {}

  // paths[i]: links of flow i; cap: spare capacity per link (consumed). rate[i] filled.
  template <class PathOf>
  void fill(size_t nflows, PathOf path_of, const std::vector<uint32_t>& links, std::vector<double>& cap,
            std::vector<double>& rate) {
    for (uint32_t l : links) cnt_[l] = 0, members_[l].clear();
    for (size_t i = 0; i < nflows; ++i)
      for (uint32_t l : path_of(i)) ++cnt_[l], members_[l].push_back(uint32_t(i));
    using Entry = std::pair<double, uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
    auto share = [&](uint32_t l) { return std::max(0.0, cap[l]) / cnt_[l]; };
    for (uint32_t l : links)
      if (cnt_[l]) heap.push({share(l), l});
    frozen_.assign(nflows, 0);
    rate.assign(nflows, 0);
    while (!heap.empty()) {
      auto [s, l] = heap.top();
      heap.pop();
      if (cnt_[l] == 0 || s != share(l)) continue;  // stale
      for (uint32_t i : members_[l]) {
        if (frozen_[i]) continue;
        frozen_[i] = 1;
        rate[i] = s;
        for (uint32_t l2 : path_of(i)) {
          cap[l2] -= s;
          if (--cnt_[l2] > 0 && l2 != l) heap.push({share(l2), l2});
        }
      }
    }
  }

 private:
  std::vector<uint32_t> cnt_;
  std::vector<std::vector<uint32_t>> members_;
  std::vector<uint8_t> frozen_;
};

enum class Ev : uint8_t { ready, sent, end };
struct Event {
  double t;
  uint64_t order;  // insertion order: ties are processed as scheduled (deterministic)
  Ev kind;
  uint32_t flow;
  uint64_t version;
  bool operator>(const Event& o) const { return t != o.t ? t > o.t : order > o.order; }
};

}  // namespace

void max_min_rates(const std::vector<std::vector<uint32_t>>& paths, std::vector<double>& cap,
                   std::vector<double>& rate_out) {
  std::vector<uint32_t> links(cap.size());
  for (uint32_t l = 0; l < cap.size(); ++l) links[l] = l;
  Filler f(cap.size());
  f.fill(paths.size(), [&](size_t i) -> const std::vector<uint32_t>& { return paths[i]; }, links, cap, rate_out);
}

MaxMinStats run_max_min(const std::vector<double>& capacity, std::vector<FluidFlow>& flows) {
  MaxMinStats st;
  const size_t nl = capacity.size(), nf = flows.size();
  std::vector<std::vector<uint32_t>> on_link(nl);  // active (sending) flows per link
  std::vector<double> rem(nf, 0), rate(nf, 0), last(nf, 0);
  std::vector<uint64_t> version(nf, 0);
  std::vector<uint8_t> active(nf, 0);
  // Lanes: flows in vector order; the head of each lane waits for its ready time.
  std::map<uint32_t, std::vector<uint32_t>> lanes;
  for (uint32_t i = 0; i < nf; ++i) lanes[flows[i].lane].push_back(i);
  std::vector<uint32_t> next_in_lane(nf, UINT32_MAX);
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> pq;
  uint64_t order = 0;
  for (auto& [lane, members] : lanes) {
    std::stable_sort(members.begin(), members.end(),
                     [&](uint32_t a, uint32_t b) { return flows[a].ready_ns < flows[b].ready_ns; });
    for (size_t k = 0; k + 1 < members.size(); ++k) next_in_lane[members[k]] = members[k + 1];
    pq.push({flows[members[0]].ready_ns, order++, Ev::ready, members[0], 0});
  }

  Filler filler(nl);
  std::vector<uint8_t> link_seen(nl, 0), flow_seen(nf, 0);
  std::vector<uint32_t> touched, comp_links, comp_flows;
  std::vector<double> cap(capacity), comp_rate;
  while (!pq.empty()) {
    const double t = pq.top().t;
    touched.clear();
    while (!pq.empty() && pq.top().t == t) {
      Event e = pq.top();
      pq.pop();
      ++st.events;
      FluidFlow& f = flows[e.flow];
      if (e.kind == Ev::ready) {
        f.start_ns = t;
        rem[e.flow] = f.bits;
        last[e.flow] = t;
        if (f.bits <= 0 || f.links.empty()) {
          pq.push({t + f.tail_ns, order++, Ev::end, e.flow, 0});
          continue;
        }
        active[e.flow] = 1;
        for (uint32_t l : f.links) on_link[l].push_back(e.flow), touched.push_back(l);
      } else if (e.kind == Ev::sent) {
        if (!active[e.flow] || e.version != version[e.flow]) continue;
        active[e.flow] = 0;
        rem[e.flow] = 0;
        for (uint32_t l : f.links) {
          auto& v = on_link[l];
          v.erase(std::find(v.begin(), v.end(), e.flow));
          touched.push_back(l);
        }
        pq.push({t + f.tail_ns, order++, Ev::end, e.flow, 0});
      } else {
        f.end_ns = t;
        const uint32_t n = next_in_lane[e.flow];
        if (n != UINT32_MAX) pq.push({std::max(t, flows[n].ready_ns), order++, Ev::ready, n, 0});
      }
    }
    if (touched.empty()) continue;
    // The connected component of links and sending flows around what changed.
    comp_links.clear();
    comp_flows.clear();
    for (uint32_t l : touched)
      if (!link_seen[l]) link_seen[l] = 1, comp_links.push_back(l);
    for (size_t k = 0; k < comp_links.size(); ++k)
      for (uint32_t i : on_link[comp_links[k]]) {
        if (flow_seen[i]) continue;
        flow_seen[i] = 1;
        comp_flows.push_back(i);
        for (uint32_t l : flows[i].links)
          if (!link_seen[l]) link_seen[l] = 1, comp_links.push_back(l);
      }
    std::sort(comp_flows.begin(), comp_flows.end());  // fill order must not depend on discovery
    for (uint32_t l : comp_links) link_seen[l] = 0, cap[l] = capacity[l];
    for (uint32_t i : comp_flows) {
      flow_seen[i] = 0;
      rem[i] = std::max(0.0, rem[i] - rate[i] * (t - last[i]));
      last[i] = t;
    }
    filler.fill(comp_flows.size(), [&](size_t k) -> const std::vector<uint32_t>& { return flows[comp_flows[k]].links; },
                comp_links, cap, comp_rate);
    st.recomputes += !comp_flows.empty();
    st.flows_rated += comp_flows.size();
    for (uint32_t l : comp_links)
      if (capacity[l] > 0) st.max_link_utilisation = std::max(st.max_link_utilisation, 1.0 - cap[l] / capacity[l]);
    for (size_t k = 0; k < comp_flows.size(); ++k) {
      const uint32_t i = comp_flows[k];
      rate[i] = std::max(comp_rate[k], 1e-12);
      pq.push({t + rem[i] / rate[i], order++, Ev::sent, i, ++version[i]});
    }
  }
  return st;
}

}  // namespace gs
