// One direction of a full-duplex Ethernet link (a pipe): propagation delay, optional loss
// and bit-corruption rates drawn from a seeded generator, and an up/down state. Frames in
// flight are held by their arrival entries (ArrivalOrder), not by a process per link.
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <random>
#include <string>
#include <systemc>

#include "models/common/name_rank.hpp"
#include "models/fabric/packet.hpp"

namespace gs {

class ArrivalOrder;
class EgressPort;

struct LinkStats {
  uint64_t frames = 0, bytes = 0;
  // Conservation: frames = delivered (corrupted ones included) + lost + cut + still in flight.
  uint64_t delivered = 0;
  uint64_t lost = 0, corrupted = 0, dropped_down = 0;
  uint64_t cut = 0;  // carried, then dropped in flight when the link went down (also in dropped_down)
  uint64_t in_flight() const { return frames - delivered - lost - cut; }
};

// Where a link hands frames whose receiver is simulated by another process (a partitioned
// run): the frame and the time its last bit arrives there.
class FrameOutbox {
 public:
  virtual ~FrameOutbox() = default;
  virtual void post(uint32_t link_id, sc_core::sc_time arrival, const PacketPtr& p) = 0;
};

class Link : public sc_core::sc_module {
 public:
  Link(sc_core::sc_module_name name, sc_core::sc_time propagation, double loss_rate, double corrupt_rate,
       uint64_t seed);
  ~Link() override;

  void connect(NetReceiver& rx) { rx_ = &rx; }
  // The sender's last bit left at now + `tx_done`; the frame arrives a propagation later.
  void carry(const PacketPtr& p, sc_core::sc_time tx_done) { carry(PacketPtr(p), tx_done, p->wire_bytes()); }
  // The same, handing the frame over; `wire_bytes` is p->wire_bytes() (the sender has it).
  void carry(PacketPtr&& p, sc_core::sc_time tx_done, uint32_t wire_bytes);
  // A link that is down delivers nothing; frames already on the wire are lost.
  void set_up(bool up);
  bool up() const { return up_; }
  // `*flag` follows up() from now on (the sender keeps it next to the state every frame
  // reads, instead of reading the link's per frame). nullptr: stop.
  void mirror_up(bool* flag) {
    up_mirror_ = flag;
    if (flag) *flag = up_;
  }
  LinkStats stats() const {
    LinkStats s = stats_;
    s.frames = next_seq_ + not_pushed_ - injected_;
    s.bytes = bytes_;
    return s;
  }
  sc_core::sc_time propagation() const { return prop_; }

  // Partitioned runs. The sending side: frames that survive the wire go to `outbox` (their
  // counters stay here) instead of the local receiver.
  void set_outbox(FrameOutbox* outbox, uint32_t link_id) {
    outbox_ = outbox, id_ = link_id;
    update_plain();
  }
  // The receiving side: a frame the sender's process carried, delivered at `arrival` (>= now).
  void inject(sc_core::sc_time arrival, PacketPtr p);

 private:
  friend class ArrivalOrder;
  // Frame `seq`, `p`, is due (ArrivalOrder): delivered unless the link went down meanwhile.
  void arrive(uint64_t seq, const PacketPtr& p);
  void push(sc_core::sc_time at, PacketPtr p);
  void carry_checked(PacketPtr&& p, sc_core::sc_time tx_done, uint32_t wire_bytes);
  void update_plain() { plain_ = up_ && !draws_ && !outbox_; }

  // What every frame reads or counts comes first (a large fabric's links do not stay in the
  // caches), in one cache line per end: the sender's (numbering, delay, rank, whether the
  // frame needs the checks of a lossy, down or partitioned link, the byte count; the frame
  // count follows from the numbering), then the arrival's (receiver, cut, delivered).
  alignas(64) bool plain_ = true;  // up, no loss or corruption, the receiver here: carry() pushes
  bool up_ = true;
  uint64_t next_seq_ = 0;  // frames pushed so far (numbers them)
  sc_core::sc_time prop_;
  ArrivalOrder* order_ = nullptr;
  name_rank::RankCopy rank_;  // the name's rank, bound on the first frame
  uint64_t bytes_ = 0;        // stats().bytes
  alignas(64) NetReceiver* rx_ = nullptr;
  uint64_t cut_below_ = 0;  // frames numbered below this were in flight when the link went down
  LinkStats stats_;         // delivered in the first line; frames and bytes: stats()
  // stats().frames is next_seq_ plus the frames counted and not pushed (lost, or posted to
  // another process) minus those pushed and not counted (injected from another process).
  uint64_t not_pushed_ = 0, injected_ = 0;
  double loss_, corrupt_;
  FrameOutbox* outbox_ = nullptr;
  uint32_t id_ = 0;
  bool* up_mirror_ = nullptr;
  // The draws of a lossy or corrupting link: a 2.5 KB generator (and its seeding) that a
  // clean link never makes, so most of a large fabric's links go without (about 60 MB at
  // 1024 cards). Same seed, same sequence: made at construction when a rate is set.
  struct Draws {
    explicit Draws(uint64_t seed) : rng(seed) {}
    std::mt19937_64 rng;
    std::uniform_real_distribution<double> uni{0.0, 1.0};
    double next() { return uni(rng); }
  };
  std::unique_ptr<Draws> draws_;
};

}  // namespace gs
