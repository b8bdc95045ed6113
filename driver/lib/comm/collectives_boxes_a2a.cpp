// All-to-all across boxes (docs/collectives.md). 1. In the box: card (b, l) writes its
// blocks for box member j's own recv directly, and its blocks for the cards of slot j in the
// other boxes into j's staging area. 2. Per slot and rail, a ring across the boxes: the
// blocks that box o's cards sent for slot j of box d travel o -> o+1 -> ... -> d, staged in
// each intermediate card's scratch, and the last hop writes them into the destination's recv.
#include <algorithm>

#include "driver/lib/comm/card_program.hpp"
#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/partition.hpp"

namespace hlcomm {

namespace {

// One ring message: at step s, box x sends to the next box (or, back, to the previous one)
// the piece k (rail sub-piece `rail`) of the block that slot `from` of box o = x -/+ s has for
// box d. Boxes up to B/2 ahead are reached forwards, the others backwards (fewer hops).
struct RingMsg {
  unsigned s, o, d, from, k, rail;
  Span sub;
  bool last_hop;  // d is the receiving box: into its recv
  bool back;
};

// Every message box x's card posts on the rails, in posting order (per rail and direction,
// the receiver counts them in the same order).
std::vector<RingMsg> ring_messages(unsigned x, unsigned B, unsigned L, unsigned R, uint64_t count, unsigned pieces) {
  std::vector<RingMsg> out;
  const unsigned reach[2] = {B / 2, B - 1 - B / 2};  // forwards, backwards
  for (unsigned s = 0; s < reach[0]; ++s)
    for (bool back : {false, true})
      for (unsigned t = 0; t + s < reach[back]; ++t)
        for (unsigned k = 0; k < pieces; ++k)  // piece-major: the box members' pieces land in parallel
          for (unsigned from = 0; from < L; ++from)
            for (unsigned rail = 0; rail < R; ++rail) {
              const Span sub = piece_of(piece_of(Span{0, count}, pieces, k), R, rail);
              if (sub.empty()) continue;
              const unsigned o = back ? (x + s) % B : (x + B - s) % B;
              const unsigned d = back ? (x + 2 * B - 1 - t) % B : (x + 1 + t) % B;
              out.push_back({s, o, d, from, k, rail, sub, t == 0, back});
            }
  return out;
}

}  // namespace

// Scratch: staging from the box, A[from slot][dest box], L x B blocks; staging from the ring,
// G[origin box][dest box][from slot], B x B x L blocks; in place, then a landing block per
// rank, copied into recv once everything has arrived and every own write has left.
void Communicator::build_hier_all_to_all(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const BoxLayout x = box_layout();
  const unsigned r = unsigned(rank_), n = unsigned(n_), es = type_size(t), R = rails_, B = x.B, L = x.L, l = x.l;
  const uint64_t blk = count * es;
  const unsigned pieces = pieces_for(blk, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span whole{0, count};
  const unsigned P = nonempty_pieces(whole, pieces);
  auto staged_box = [&](unsigned c, unsigned from, unsigned d) { return b[c].scratch + (from * B + d) * blk; };
  auto staged_ring = [&](unsigned c, unsigned o, unsigned d, unsigned from) {
    return b[c].scratch + (uint64_t(L) * B + (uint64_t(o) * B + d) * L + from) * blk;
  };
  auto dest = [&](unsigned c, unsigned g) {  // where block g for card c goes
    const bool in_place = b[c].send == b[c].recv;
    return in_place ? b[c].scratch + (uint64_t(L) * B + uint64_t(B) * B * L + g) * blk : b[c].recv + g * blk;
  };
  // 1. The box: first the blocks to stage (in ring order of their box), then member j's own.
  for (unsigned jl = 0; jl < L; ++jl) {
    if (jl == l) continue;
    const unsigned peer = x.at(x.b, jl);
    for (unsigned t = 0; t + 1 < B; ++t)
      for (unsigned k = 0; k < pieces; ++k) {
        const Span pc = piece_of(whole, pieces, k);
        const unsigned d = (x.b + 1 + t) % B;
        p.write(peer, b[r].send + (x.at(d, jl) * count + pc.first) * es, staged_box(peer, l, d) + pc.first * es,
                pc.count * es, p.rs_in(l));
      }
    for (unsigned k = 0; k < pieces; ++k) {
      const Span pc = piece_of(whole, pieces, k);
      p.write(peer, b[r].send + (peer * count + pc.first) * es, dest(peer, r) + pc.first * es, pc.count * es,
              p.ag_in(l));
    }
    p.expect(p.ag_in(jl), P);
  }
  // 2. The rails. What the previous box posts to me, counted per rail: messages for me
  //    (ring_ag_in) and staged ones (ring_in), whose arrival count I forward them at.
  auto key = [&](unsigned o, unsigned d, unsigned from, unsigned k, unsigned rail) {
    return (((size_t(o) * B + d) * L + from) * pieces + k) * R + rail;
  };
  //    Backwards (from the next box) they count on back_in / back_final_in: all-to-all sums
  //    nothing, so the TPC counters are free.
  auto staged_sob = [&](bool back, unsigned rail) { return back ? p.red_done(rail) : p.ring_in(rail); };
  auto final_sob = [&](bool back, unsigned rail) { return back ? p.red_done(R + rail) : p.ring_ag_in(rail); };
  std::vector<unsigned> staged_at(size_t(B) * B * L * pieces * R, 0), final_in(2 * R, 0), staged_in(2 * R, 0);
  for (bool back : {false, true})
    for (const RingMsg& m : ring_messages((x.b + (back ? 1 : B - 1)) % B, B, L, R, count, pieces)) {
      if (m.back != back) continue;
      if (m.last_hop) ++final_in[back * R + m.rail];
      else staged_at[key(m.o, m.d, m.from, m.k, m.rail)] = ++staged_in[back * R + m.rail];
    }
  std::vector<unsigned> landed(pieces, 0);  // a box member's pieces of one block landed with piece k
  for (unsigned k = 0; k < pieces; ++k) landed[k] = (k ? landed[k - 1] : 0) + (piece_of(whole, pieces, k).empty() ? 0 : 1);
  const unsigned next = unsigned(ring_rank_[0]), prev = unsigned(ring_rank_[1]);
  std::vector<bool> rail_used(R, false);
  std::vector<unsigned> box_waited(R, 0);  // a small block leaves some rails without a sub-piece
  for (const RingMsg& m : ring_messages(x.b, B, L, R, count, pieces)) {
    rail_used[m.rail] = true;
    uint64_t src;
    if (m.s > 0) {
      p.ring_wait(m.rail, staged_sob(m.back, m.rail), staged_at[key(m.o, m.d, m.from, m.k, m.rail)]);
      src = staged_ring(r, m.o, m.d, m.from);
    } else if (m.from != l) {  // one wait per piece: every member's copy of it has landed
      const unsigned target = ((m.d + B - x.b - 1) % B) * P + landed[m.k];
      if (box_waited[m.rail] != target) p.ring_wait_group(m.rail, p.rs_in(0), peers_mask(L, l), target);
      box_waited[m.rail] = target;
      src = staged_box(r, m.from, m.d);
    } else {
      src = b[r].send + x.at(m.d, l) * blk;
    }
    const unsigned c = m.back ? prev : next;
    const uint64_t to = m.last_hop ? dest(c, x.at(m.o, m.from)) : staged_ring(c, m.o, m.d, m.from);
    p.ring_write(m.rail, src + m.sub.first * es, to + m.sub.first * es, m.sub.count * es,
                 m.last_hop ? final_sob(m.back, m.rail) : staged_sob(m.back, m.rail), m.back);
  }
  for (unsigned rail = 0; rail < R; ++rail)
    for (bool back : {false, true}) p.expect(final_sob(back, rail), final_in[back * R + rail]);
  if (b[r].send != b[r].recv) return p.copy(b[r].send + r * blk, b[r].recv + r * blk, blk);
  // In place: the landed blocks into recv once all have landed and all my writes have left.
  p.dma_wait_group(p.ag_in(0), peers_mask(L, l), P);
  for (unsigned rail = 0; rail < R; ++rail)
    for (bool back : {false, true}) {
      const uint32_t ri = final_sob(back, rail);
      p.dma_wait_group(ri - ri % 8, uint8_t(1u << (ri % 8)), final_in[back * R + rail]);
    }
  const uint32_t nd = p.nic_done();
  p.dma_wait_group(nd - nd % 8, uint8_t(1u << (nd % 8)), unsigned(L - 1 + std::count(rail_used.begin(), rail_used.end(), true)));
  const uint64_t landing = dest(r, 0);
  p.copy(landing, b[r].recv, r * blk);
  p.copy(landing + (r + 1) * blk, b[r].recv + (r + 1) * blk, (n - r - 1) * blk);
}

}  // namespace hlcomm
