// The window loop of a partitioned run, the exchange between windows, and what happens
// after the run (report rows and results to rank 0, overhead report).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>

#include "testbench/host/bootstrap_network.hpp"
#include "testbench/host/huge_heap.hpp"
#include "testbench/output/report_rows.hpp"
#include "testbench/partition/partition.hpp"
#include "testbench/partition/wire.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs {

namespace {
using Clock = std::chrono::steady_clock;
constexpr uint64_t kNone = UINT64_MAX;

ByteBuffer to_bytes(const std::vector<uint64_t>& w) {
  ByteBuffer b(w.size() * 8);
  if (!w.empty()) std::memcpy(b.data(), w.data(), b.size());
  return b;
}
std::vector<uint64_t> to_words(const ByteBuffer& b) {
  std::vector<uint64_t> w(b.size() / 8);
  if (!w.empty()) std::memcpy(w.data(), b.data(), w.size() * 8);
  return w;
}
}  // namespace

RunEnd Partition::run(const RunLoopOptions& options) {
  const auto wall0 = Clock::now();
  const sc_core::sc_time guard(options.max_time_us, sc_core::SC_US);
  const sc_core::sc_time res = sc_core::sc_get_time_resolution();
  const char* die = std::getenv("GAUDISIM_TEST_RANK_EXIT");  // test hook: this rank dies after a window
  RunEnd result = RunEnd::kFinished;
  auto local_next = [] {
    return sc_core::sc_pending_activity() ? (sc_core::sc_time_stamp() + sc_core::sc_time_to_pending_activity()).value()
                                          : kNone;
  };
  std::vector<uint64_t> first{local_next()};
  t_.allreduce_min(first);
  uint64_t next = first[0];  // the earliest event anywhere: windows skip empty stretches
  for (;;) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (next == kNone) break;
    const sc_core::sc_time start = sc_core::sc_time::from_value(next);
    if (start >= guard) {
      result = RunEnd::kTimeGuard;
      break;
    }
    // [start, start + L): nothing posted in it arrives before its end. Events at the end
    // itself belong to the next window (received frames may arrive exactly then).
    const sc_core::sc_time stop = std::min(start + lookahead_ - res, guard);
    if (sc_core::sc_pending_activity() && now + sc_core::sc_time_to_pending_activity() <= stop)
      sc_core::sc_start(stop - now, sc_core::SC_EXIT_ON_STARVATION);
    ++stats_.windows;
    advise_huge_heap();  // as the single-process run loop does after each slice
    if (die && std::atoi(die) == rank()) {
      std::cerr << "gaudisim: rank " << rank() << ": exiting at simulated "
                << sc_core::sc_time_stamp().to_seconds() * 1e6 << " us (GAUDISIM_TEST_RANK_EXIT test hook)\n"
                << std::flush;
      _exit(3);
    }
    // What this rank will do next: its own events, or what it posted (injected elsewhere).
    next = std::min<uint64_t>(local_next(), posted_min_);
    posted_min_ = kNone;
    swap_window(next);
  }
  // Simulated time ends at the last event of any rank (or at the guard), as in one process.
  std::vector<uint64_t> last{kNone - sc_core::sc_time_stamp().value()};
  t_.allreduce_min(last);
  sc_core::sc_time end = sc_core::sc_time::from_value(kNone - last[0]);
  if (result == RunEnd::kTimeGuard) end = guard;
  if (end > sc_core::sc_time_stamp()) sc_core::sc_start(end - sc_core::sc_time_stamp(), sc_core::SC_RUN_TO_TIME);
  stats_.wall_s = std::chrono::duration<double>(Clock::now() - wall0).count();
  return result;
}

void Partition::swap_window(uint64_t& next) {
  std::vector<ByteBuffer> in = t_.exchange(out_, next);
  for (ByteBuffer& b : out_) b.clear();
  struct Frame {
    sc_core::sc_time at;
    uint32_t link;
    PacketPtr p;
  };
  std::vector<Frame> frames;
  struct Publication {
    sc_core::sc_time at;
    uint32_t group;
    std::string key;
    hlcomm::Bytes value;
  };
  std::vector<Publication> pubs;
  for (int src = 0; src < t_.size(); ++src) {  // source-rank order, each in posting order
    wire_msg::Reader r(in[size_t(src)]);
    while (!r.done()) {
      const uint8_t kind = r.get<uint8_t>();
      const sc_core::sc_time at = sc_core::sc_time::from_value(r.get<uint64_t>());
      if (kind == wire_msg::kFrame) {
        const uint32_t link = r.get<uint32_t>();
        frames.push_back({at, link, wire_msg::get_packet(r)});
      } else if (kind == wire_msg::kPublication) {
        const uint32_t g = r.get<uint32_t>();
        const ByteBuffer key = r.bytes();
        pubs.push_back({at, g, std::string(key.begin(), key.end()), r.bytes()});
      } else {
        t_.abort("a message of unknown kind " + std::to_string(kind) + " from rank " + std::to_string(src), 1);
      }
    }
  }
  // Arrival time first; ties keep (source rank, posting order).
  std::stable_sort(frames.begin(), frames.end(), [](const Frame& a, const Frame& b) { return a.at < b.at; });
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  Fabric& f = sys_->fabric();
  for (Frame& fr : frames) {
    if (fr.at < now) t_.abort(fmt::format("a frame arrived {} ps in the past: the lookahead is broken", (now - fr.at).value()), 1);
    f.cable_link(fr.link / 2, fr.link % 2 == 0)->inject(fr.at, std::move(fr.p));
  }
  for (Publication& p : pubs) {
    if (p.at < now || !net_ || p.group >= net_->group_count())
      t_.abort("a bootstrap publication (key '" + p.key + "') arrived in the past or for an unknown group", 1);
    net_->schedule(p.group, p.key, p.value, p.at);
  }
}

void Partition::archive_results(int r, StatsArchive& a) {
  std::vector<bool> cards(card_rank_.size());
  for (size_t c = 0; c < cards.size(); ++c) cards[c] = card_rank_[c] == r;
  wl_->archive_results(cards, a);
}

void Partition::gather(Workload& wl) {
  wl_ = &wl;
  StatsWriter w;
  if (!reporter()) archive_results(rank(), w);
  const std::vector<ByteBuffer> results = t_.gather(to_bytes(w.words));
  // The report's rows of what each rank built (JSON text: integers and strings only).
  std::string text = reporter() ? std::string() : sys_->report_rows().to_json().dump();
  const std::vector<ByteBuffer> rows = t_.gather(ByteBuffer(text.begin(), text.end()));
  if (!reporter()) return;
  ReportRows merged = sys_->report_rows();
  for (int r = 1; r < int(results.size()); ++r) {
    const std::vector<uint64_t> words = to_words(results[size_t(r)]);
    StatsReader rd(words);
    archive_results(r, rd);
    if (!rd.at_end()) t_.abort("the results from rank " + std::to_string(r) + " do not match this rank's world", 1);
    try {
      merged.merge(nlohmann::json::parse(rows[size_t(r)].begin(), rows[size_t(r)].end()));
    } catch (const std::exception& e) {
      t_.abort("the report rows from rank " + std::to_string(r) + ": " + e.what(), 1);
    }
  }
  sys_->set_report_rows(std::move(merged));
}

int Partition::share_exit_code(int rc) {
  std::vector<uint64_t> v{reporter() ? uint64_t(rc) : kNone};
  t_.allreduce_min(v);
  return int(v[0]);
}

void Partition::report_overhead(std::ostream& err) {
  stats_.wait_s = t_.wait_seconds();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  built_.peak_rss_kb = uint64_t(ru.ru_maxrss);  // Linux: kilobytes
  std::vector<uint64_t> w{stats_.windows,     stats_.frames_sent, stats_.frame_bytes, stats_.publications_sent,
                          built_.cards,        built_.hosts,       built_.switches,    built_.cut_links,
                          built_.peak_rss_kb};
  StatsWriter sw;
  sw.words = w;
  sw.real(stats_.wait_s), sw.real(stats_.wall_s);
  const std::vector<ByteBuffer> all = t_.gather(to_bytes(sw.words));
  if (!reporter()) return;
  std::vector<unsigned> hosts(size_t(t_.size()), 0);
  for (int r : host_rank_) ++hosts[size_t(r)];
  err << fmt::format("partition: {} ranks, lookahead {} ns (smallest latency of a cut link)\n", t_.size(),
                     lookahead_.to_seconds() * 1e9);
  for (int r = 0; r < int(all.size()); ++r) {
    std::vector<uint64_t> v = to_words(all[size_t(r)]);
    StatsReader rd(v);
    PartitionStats s;
    PartitionBuilt b;
    rd.u64(s.windows), rd.u64(s.frames_sent), rd.u64(s.frame_bytes), rd.u64(s.publications_sent);
    rd.u64(b.cards), rd.u64(b.hosts), rd.u64(b.switches), rd.u64(b.cut_links), rd.u64(b.peak_rss_kb);
    rd.real(s.wait_s), rd.real(s.wall_s);
    err << fmt::format("partition: rank {}: {} hosts, {} windows, {} frames sent ({:.1f} MB), {} publications, "
                       "{:.2f} s of {:.2f} s waiting for other ranks ({:.0f}%)\n",
                       r, hosts[size_t(r)], s.windows, s.frames_sent, s.frame_bytes / 1e6, s.publications_sent, s.wait_s,
                       s.wall_s, s.wall_s > 0 ? 100 * s.wait_s / s.wall_s : 0);
    err << fmt::format("partition: rank {}: built {} cards, {} hosts, {} switches, {} cut links; peak RSS {:.0f} MB\n",
                       r, b.cards, b.hosts, b.switches, b.cut_links, b.peak_rss_kb / 1e3);
  }
}

}  // namespace gs
