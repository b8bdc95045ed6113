// What an egress port's choice at a frame's end sees of the same instant (egress_port.hpp,
// "Same-instant order"): the instant's arrivals and what the wakes ranked before the port
// did, not what the wakes ranked after it do; and a dequeue hook that sends on its own port
// only queues. Each case puts the competing event at the very picosecond the frame ends.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "models/common/time.hpp"
#include "models/fabric/packet_pool.hpp"
#include "models/common/timed_wake.hpp"
#include "models/fabric/egress_port.hpp"
#include "models/fabric/link.hpp"
#include "models/fabric/pfc.hpp"
#include "models/fabric/switch.hpp"
#include "frame_sink.hpp"

namespace gs {
namespace {

const sc_core::sc_time kMtuTime = ps(334240);  // 4178 wire bytes at 100 Gb/s

// What a sink got, as "psn" for data and "P"/"R" for pause/resume frames, in order.
struct Sink : test::Sink {
  std::string order() const {
    std::string s;
    for (const PacketPtr& p : got) s += p->is_pause ? (p->pause_on ? "P" : "R") : std::to_string(p->psn);
    return s;
  }
};

PacketPtr frame(uint8_t prio, uint32_t psn) {
  auto p = make_packet();
  p->op = RoceOp::write_middle;
  p->payload_len = 4096;
  p->priority = prio;
  p->psn = psn;
  return p;
}

// An egress port named `name` with its cable to a sink.
struct Port {
  EgressPort tx;
  Link link;
  Sink sink;
  explicit Port(const char* name, const char* link_name)
      : tx(name, 100), link(link_name, sc_core::SC_ZERO_TIME, 0, 0, 1) {
    tx.connect(link);
    link.connect(sink);
  }
};

// A wake ranked `owner` enqueues a priority-3 frame at the instant the port's first frame
// ends; a priority-0 frame waits in the queue. Returns the order the sink saw.
std::string high_priority_at_frame_end(const char* owner) {
  Port p("tx", "link");
  p.tx.enqueue(frame(0, 1));  // 0 .. kMtuTime
  p.tx.enqueue(frame(0, 2));
  TimedWake w(owner, [&] { p.tx.enqueue(frame(3, 3)); });
  w.notify(kMtuTime);
  sc_core::sc_start();
  return p.sink.order();
}

TEST(FabricSameInstant, WakeRankedBeforeThePortIsSeenByItsChoice) {
  EXPECT_EQ(high_priority_at_frame_end("a"), "132");  // "a" < "tx": priority 3 goes next
}

TEST(FabricSameInstant, WakeRankedAfterThePortWaitsForTheNextChoice) {
  // "z" > "tx": the choice was made before the wake (a release a delta later saw it: "132").
  EXPECT_EQ(high_priority_at_frame_end("z"), "123");
}

// A pause or resume arriving at the instant a frame ends is applied before the choice:
// arrivals come first in every instant.
struct PausedWire {
  Port p{"tx", "link"};
  Link back{"back", sc_core::SC_ZERO_TIME, 0, 0, 2};  // from the peer: carries its PFC frames
  struct Rx : NetReceiver {
    EgressPort* tx = nullptr;
    void receive(const PacketPtr& f) override { handle_pause(*f, *tx); }
  } rx;
  PausedWire() {
    rx.tx = &p.tx;
    back.connect(rx);
  }
};

TEST(FabricSameInstant, PauseArrivingAtTheFrameEndHoldsItsPriority) {
  PausedWire w;
  w.p.tx.enqueue(frame(3, 1));  // 0 .. kMtuTime
  w.p.tx.enqueue(frame(3, 2));
  w.p.tx.enqueue(frame(0, 3));
  w.back.carry(make_pause_frame(0x0B, 1u << 3, true), kMtuTime);  // arrives as frame 1 ends
  sc_core::sc_start(us(2));
  EXPECT_EQ(w.p.sink.order(), "13");
  EXPECT_TRUE(w.p.tx.paused(3));
}

TEST(FabricSameInstant, ResumeArrivingAtTheFrameEndIsChosenFrom) {
  PausedWire w;
  w.p.tx.set_paused(3, true);
  w.p.tx.enqueue(frame(0, 1));  // 0 .. kMtuTime
  w.p.tx.enqueue(frame(3, 2));  // paused
  w.p.tx.enqueue(frame(0, 3));
  w.back.carry(make_pause_frame(0x0B, 1u << 3, false), kMtuTime);
  sc_core::sc_start();
  EXPECT_EQ(w.p.sink.order(), "123");
}

// Two ports whose frames end at the same picosecond; the dequeue hook of one sends a resume
// out of the other (a switch releasing buffer and resuming the upstream sender). The port
// ranked later sees the resume in its choice; the port ranked earlier has chosen already.
struct TwoPorts {
  Port p0{"p0", "l0"};
  Port p1{"p1", "l1"};
  TwoPorts() {
    for (Port* p : {&p0, &p1}) {
      p->tx.enqueue(frame(0, 1));  // 0 .. kMtuTime on both
      p->tx.enqueue(frame(0, 2));
    }
  }
  // `from`'s dequeue at kMtuTime sends a resume out of `to`.
  void resume_on_dequeue(EgressPort& from, EgressPort& to) {
    from.on_dequeue = [&to](const PacketPtr&, FrameHead) {
      if (sc_core::sc_time_stamp() == kMtuTime) to.send_control(make_pause_frame(0x0C, 1, false));
    };
  }
};

TEST(FabricSameInstant, ResumeFromAPortRankedBeforeGoesFirst) {
  TwoPorts w;
  w.resume_on_dequeue(w.p0.tx, w.p1.tx);  // p0 < p1
  sc_core::sc_start();
  EXPECT_EQ(w.p1.sink.order(), "1R2");
  EXPECT_EQ(w.p0.sink.order(), "12");
}

TEST(FabricSameInstant, ResumeFromAPortRankedAfterWaitsForTheNextFrame) {
  TwoPorts w;
  w.resume_on_dequeue(w.p1.tx, w.p0.tx);  // p1 > p0: p0 chose frame 2 already
  sc_core::sc_start();
  EXPECT_EQ(w.p0.sink.order(), "12R");
  EXPECT_EQ(w.p0.sink.at[2], 2 * kMtuTime + ps(84 * 80));  // right behind frame 2
}

// The port is busy with the frame being started while its dequeue hook runs: a hook that
// sends a control frame and a data frame on the same port queues them behind it instead of
// starting a second frame on the wire at once.
TEST(FabricSameInstant, DequeueHookSendingOnItsOwnPortQueues) {
  Port p("tx", "link");
  bool sent = false;
  p.tx.on_dequeue = [&](const PacketPtr&, FrameHead) {
    if (sent) return;
    sent = true;
    p.tx.send_control(make_pause_frame(0x0D, 1, true));
    p.tx.enqueue(frame(0, 9));
  };
  p.tx.enqueue(frame(0, 1));
  sc_core::sc_start();
  EXPECT_EQ(p.sink.order(), "1P9");
  ASSERT_EQ(p.sink.at.size(), 3u);
  EXPECT_EQ(p.sink.at[0], kMtuTime);
  EXPECT_EQ(p.sink.at[1], kMtuTime + ps(84 * 80));
  EXPECT_EQ(p.sink.at[2], 2 * kMtuTime + ps(84 * 80));
  EXPECT_EQ(p.tx.stats().frames, 3u);
}

// A switch's output port sends a priority-0 frame ending at an instant T with another
// queued; a priority-3 frame enters the output queue at T. From the pipeline (store and
// forward: its wake ranks by the switch's name, before its ports) it is chosen next; with
// nothing left to wait (cut-through, the lead covering the pipeline) it enters a delta
// later and waits for the next choice.
struct SwitchTie {
  Switch sw;
  Link out_link{"out", sc_core::SC_ZERO_TIME, 0, 0, 9};
  Sink sink;
  std::vector<std::unique_ptr<Link>> in;
  static SwitchParams params(bool cut_through, double latency_ns) {
    SwitchParams sp;
    sp.cut_through = cut_through;
    sp.latency_ns = latency_ns;
    return sp;
  }
  SwitchTie(bool cut_through, double latency_ns) : sw("sw", 4, 100, params(cut_through, latency_ns), 1) {
    sw.set_route(0x0A000002, {1});
    sw.port(1).egress().connect(out_link);
    out_link.connect(sink);
    for (unsigned i : {0u, 2u, 3u}) {
      in.push_back(std::make_unique<Link>(("in" + std::to_string(i)).c_str(), sc_core::SC_ZERO_TIME, 0, 0, i));
      in.back()->connect(sw.port(i).ingress());
    }
  }
  // Frames 1 and 2 (priority 0) arrive on ports 0 and 2, frame 3 (priority 3) on port 3.
  void send(sc_core::sc_time t1, sc_core::sc_time t2, sc_core::sc_time t3) {
    auto to_b = [](uint8_t prio, uint32_t psn) {
      PacketPtr p = frame(prio, psn);
      p->dst_ip = 0x0A000002;
      return p;
    };
    in[0]->carry(to_b(0, 1), t1);
    in[1]->carry(to_b(0, 2), t2);
    in[2]->carry(to_b(3, 3), t3);
  }
};

TEST(FabricSameInstant, PipelineFrameDueAtTheFrameEndIsChosen) {
  SwitchTie w(false, 1000);
  const sc_core::sc_time t1 = us(1);  // frame 1 leaves t1 + 1 us .. t1 + 1 us + kMtuTime
  w.send(t1, t1 + ns(1), t1 + kMtuTime);  // frame 3 due out as frame 1 ends
  sc_core::sc_start();
  EXPECT_EQ(w.sink.order(), "132");
  ASSERT_EQ(w.sink.at.size(), 3u);
  EXPECT_EQ(w.sink.at[1], t1 + us(1) + 2 * kMtuTime);
}

TEST(FabricSameInstant, CutThroughFrameArrivingAtTheFrameEndWaitsForTheNextChoice) {
  SwitchTie w(true, 0);  // forwarded a routing header (62 B: 4960 ps) after the first bit
  const sc_core::sc_time t1 = us(1), header = ps(4960);
  w.send(t1, t1 + ns(1), t1 + header);  // frame 1 leaves until t1 + header: frame 3 arrives then
  sc_core::sc_start();
  EXPECT_EQ(w.sink.order(), "123");
  ASSERT_EQ(w.sink.at.size(), 3u);
  EXPECT_EQ(w.sink.at[0], t1 + header);
  EXPECT_EQ(w.sink.at[1], t1 + header + kMtuTime);
}

}  // namespace
}  // namespace gs
