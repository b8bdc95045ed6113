#include "models/common/trace.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace gs::trace {
namespace {

struct Track {
  int pid = 0;
  int tid = 0;
  bool open = false;  // a span waiting for possible merges
  const char* name = nullptr;
  sc_core::sc_time start, end;
  // Counter tracks: samples closer than merge_gap to the last written one wait here; the
  // window's peak and its last value are written when it closes (at most 2 per window).
  bool written = false, pending = false;
  sc_core::sc_time last_written, peak_at, latest_at;
  double peak = 0, latest = 0;
};

struct Event {
  char ph;  // 'X' span, 'C' counter
  int pid, tid;
  const char* name;
  double ts_us, dur_us_or_value;
};

struct State {
  Options options;
  std::map<std::pair<const sc_core::sc_object*, std::string>, Track> tracks;
  std::map<std::string, int> pids;                  // process name -> pid
  std::vector<std::pair<int, std::string>> process_names;
  std::vector<std::tuple<int, int, std::string>> thread_names;
  int next_tid = 1;
  std::vector<Event> events;
  Summary summary;
};

std::unique_ptr<State> g_state;

double to_us(sc_core::sc_time t) { return t.to_seconds() * 1e6; }

// card3.dma2_core -> process "card3", thread "dma2_core" (+ " lane").
Track& track_of(const sc_core::sc_object& who, const char* lane) {
  State& s = *g_state;
  auto key = std::make_pair(&who, std::string(lane ? lane : ""));
  auto it = s.tracks.find(key);
  if (it != s.tracks.end()) return it->second;
  const std::string full = who.name();
  const auto dot = full.find('.');
  const std::string process = dot == std::string::npos ? full : full.substr(0, dot);
  std::string thread = dot == std::string::npos ? full : full.substr(dot + 1);
  if (!key.second.empty()) thread += " " + key.second;
  auto [pit, added] = s.pids.emplace(process, static_cast<int>(s.pids.size()) + 1);
  if (added) s.process_names.emplace_back(pit->second, process);
  Track t;
  t.pid = pit->second;
  t.tid = s.next_tid++;
  s.thread_names.emplace_back(t.pid, t.tid, thread);
  return s.tracks.emplace(key, t).first->second;
}

void emit(const Event& e) {
  State& s = *g_state;
  if (s.events.size() >= s.options.max_events) {
    ++s.summary.dropped;
    return;
  }
  s.events.push_back(e);
}

void close_span(Track& t) {
  if (!t.open) return;
  emit({'X', t.pid, t.tid, t.name, to_us(t.start), to_us(t.end - t.start)});
  t.open = false;
}

void close_counter_window(Track& t) {
  if (!t.pending) return;
  emit({'C', t.pid, t.tid, t.name, to_us(t.peak_at), t.peak});
  if (t.latest_at != t.peak_at) emit({'C', t.pid, t.tid, t.name, to_us(t.latest_at), t.latest});
  t.last_written = t.latest_at;
  t.pending = false;
}

// card2 < card10 < leaf0: processes sorted by name with numbers compared as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  const auto split = [](const std::string& s) {
    const auto digits = s.find_first_of("0123456789");
    if (digits == std::string::npos) return std::make_pair(s, -1L);
    return std::make_pair(s.substr(0, digits), std::strtol(s.c_str() + digits, nullptr, 10));
  };
  return split(a) != split(b) ? split(a) < split(b) : a < b;
}

void write_string(std::FILE* f, const std::string& text) {
  std::fputc('"', f);
  for (char c : text) {
    if (c == '"' || c == '\\') std::fputc('\\', f);
    if (static_cast<unsigned char>(c) >= 0x20) std::fputc(c, f);
  }
  std::fputc('"', f);
}

}  // namespace

void start(const Options& options) {
  g_state = std::make_unique<State>();
  g_state->options = options;
}

bool enabled() { return g_state != nullptr; }

void span(const sc_core::sc_object& who, const char* lane, const char* name,
          sc_core::sc_time start, sc_core::sc_time end) {
  if (!g_state) return;
  Track& t = track_of(who, lane);
  if (t.open && t.name == name && start <= t.end + g_state->options.merge_gap) {
    if (end > t.end) t.end = end;
    ++g_state->summary.merged;
    return;
  }
  close_span(t);
  t.open = true;
  t.name = name;
  t.start = start;
  t.end = end;
}

void counter(const sc_core::sc_object& who, const char* name, sc_core::sc_time at, double value) {
  if (!g_state) return;
  Track& t = track_of(who, name);
  t.name = name;
  if (t.pending && at >= t.last_written + g_state->options.merge_gap) close_counter_window(t);
  if (!t.pending && (!t.written || at >= t.last_written + g_state->options.merge_gap)) {
    emit({'C', t.pid, t.tid, name, to_us(at), value});
    t.written = true;
    t.last_written = at;
    return;
  }
  ++g_state->summary.merged;
  if (!t.pending || value > t.peak) {
    t.peak = value;
    t.peak_at = at;
  }
  t.pending = true;
  t.latest = value;
  t.latest_at = at;
}

Summary finish() {
  if (!g_state) return {};
  // Spans and counter windows still open are written in track order (tids count in the
  // order tracks were made): the map's order is by object address, which the heap decides.
  std::vector<Track*> by_tid;
  by_tid.reserve(g_state->tracks.size());
  for (auto& [key, t] : g_state->tracks) by_tid.push_back(&t);
  std::sort(by_tid.begin(), by_tid.end(), [](const Track* a, const Track* b) { return a->tid < b->tid; });
  for (Track* t : by_tid) {
    close_span(*t);
    close_counter_window(*t);
  }
  const std::unique_ptr<State> s = std::move(g_state);
  std::FILE* f = std::fopen(s->options.path.c_str(), "w");
  if (!f) throw std::runtime_error("sim.trace: cannot write '" + s->options.path + "'");
  std::fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
  bool first = true;
  auto sep = [&] { std::fputs(first ? "" : ",\n", f); first = false; };
  std::sort(s->process_names.begin(), s->process_names.end(),
            [](const auto& a, const auto& b) { return natural_less(a.second, b.second); });
  int order = 0;
  for (const auto& [pid, name] : s->process_names) {
    sep();
    std::fprintf(f, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"args\":{\"name\":", pid);
    write_string(f, name);
    std::fprintf(f, "}},\n{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":%d,"
                 "\"args\":{\"sort_index\":%d}}", pid, order++);
  }
  for (const auto& [pid, tid, name] : s->thread_names) {
    sep();
    std::fprintf(f, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":", pid, tid);
    write_string(f, name);
    std::fputs("}}", f);
  }
  for (const Event& e : s->events) {
    sep();
    if (e.ph == 'X') {
      std::fprintf(f, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"name\":\"%s\",\"ts\":%.6f,\"dur\":%.6f}",
                   e.pid, e.tid, e.name, e.ts_us, e.dur_us_or_value);
    } else {
      // Counters are named by their track ("nic0.egress queue_bytes"): tids count from 1.
      std::fprintf(f, "{\"ph\":\"C\",\"pid\":%d,\"name\":", e.pid);
      write_string(f, std::get<2>(s->thread_names[e.tid - 1]));
      std::fprintf(f, ",\"ts\":%.6f,\"args\":{\"value\":%.6g}}", e.ts_us, e.dur_us_or_value);
    }
  }
  std::fprintf(f, "\n],\"otherData\":{\"events\":%zu,\"merged\":%llu,\"dropped\":%llu}}\n",
               s->events.size(), static_cast<unsigned long long>(s->summary.merged),
               static_cast<unsigned long long>(s->summary.dropped));
  const bool ok = std::fclose(f) == 0;
  if (!ok) throw std::runtime_error("sim.trace: cannot write '" + s->options.path + "'");
  s->summary.events = s->events.size();
  return s->summary;
}

}  // namespace gs::trace
