// Reduce-scatter, all-gather and broadcast across boxes (docs/collectives.md): a box stage
// over the internal links and, per slot, a ring or a chain across the boxes over the
// scale-out rails (one NIC queue and one pair of sync objects per rail). Every step is per
// piece and per rail sub-piece, so box links, rails and TPC sums overlap.
#include <algorithm>

#include "driver/lib/comm/card_program.hpp"
#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/partition.hpp"

namespace hlcomm {

namespace {

// Sub-piece `rail` of piece k of s: what one rail carries of that piece.
Span rail_part(Span s, unsigned pieces, unsigned k, unsigned rails, unsigned rail) {
  return piece_of(piece_of(s, pieces, k), rails, rail);
}

}  // namespace

Communicator::BoxLayout Communicator::box_layout() const {
  BoxLayout x;
  x.B = boxes_;
  x.b = box_of_[unsigned(rank_)];
  x.L = unsigned(n_) / boxes_;
  x.l = peers_[unsigned(rank_)].module;
  x.ranks.assign(unsigned(n_), 0);
  for (unsigned j = 0; j < unsigned(n_); ++j) x.ranks[box_of_[j] * x.L + peers_[j].module] = j;
  return x;
}

// Rank g ends with block g of everyone's send summed. 1. In the box, card (b, l) collects
// from its box the blocks of its slot in every box (slot `l` of each box: B blocks) and sums
// them (box partials, in its own scratch slot, which no peer writes). 2. A ring across the
// boxes per slot and rail: at step s a card sends the partial of box (b - 1 - s) to the next
// box, and adds the one arriving (box b - 2 - s) to its own partial; after B - 1 steps block
// b is complete and the last sum writes it into recv. The box sums run in ring order.
void Communicator::build_hier_reduce_scatter(CardProgram& p, const std::vector<Buffers>& b, uint64_t count,
                                             DataType t) {
  const BoxLayout x = box_layout();
  const unsigned r = unsigned(rank_), es = type_size(t), R = rails_, B = x.B, L = x.L, l = x.l;
  const uint64_t blk = count * es, slot = B * blk;  // scratch: L slots of B blocks, then B - 1 ring blocks
  const unsigned pieces = pieces_for(blk, cfg_.chunk_bytes, cfg_.max_pieces);
  const unsigned cores = std::max(1u, std::min({cfg_.reduce_cores, pieces, unsigned(CardProgram::kMaxTpc)}));
  const Span whole{0, count};
  auto ring_box = [&](unsigned s) { return (x.b + 2 * B - 1 - s) % B; };  // block summed for ring step s
  auto partial = [&](unsigned box) { return b[r].scratch + l * slot + box * blk; };
  for (unsigned jl = 0; jl < L; ++jl) {  // 1. the blocks of slot jl, in ring order, to box member jl
    if (jl == l) continue;
    const unsigned peer = x.at(x.b, jl);
    for (unsigned s = 0; s < B; ++s)
      for (unsigned k = 0; k < pieces; ++k) {
        const Span pc = piece_of(whole, pieces, k);
        const unsigned box = ring_box(s);
        p.write(peer, b[r].send + (x.at(box, jl) * count + pc.first) * es,
                b[peer].scratch + l * slot + box * blk + pc.first * es, pc.count * es, p.rs_in(l));
      }
  }
  // 2. The ring. On each core, piece k's ring sum of step s - 1 follows its box sum of block
  //    ring_box(s) (the partial it adds to), so a piece's ring steps overlap the box sums of
  //    the later pieces. ready[s][k][rail]: the red_done count of piece k's core after which
  //    the partial sent at step s is current.
  const unsigned next = unsigned(ring_rank_[0]);
  const uint64_t ring_mine = b[r].scratch + L * slot, ring_next = b[next].scratch + L * slot;
  std::vector<std::vector<std::vector<unsigned>>> ready(B, std::vector<std::vector<unsigned>>(pieces, std::vector<unsigned>(R, 0)));
  std::vector<unsigned> arrived(R, 0);
  unsigned landed = 0;
  for (unsigned s = 0; s < B; ++s)
    for (unsigned k = 0; k < pieces; ++k) {
      const Span pc = piece_of(whole, pieces, k);
      if (pc.empty()) continue;
      const unsigned e = k % cores, box = ring_box(s);
      p.tpc_wait_group(e, p.rs_in(0), peers_mask(L, l), ++landed);
      std::vector<uint64_t> in;
      for (unsigned jl = 0; jl < L; ++jl)
        in.push_back(jl == l ? b[r].send + (x.at(box, l) * count + pc.first) * es
                             : b[r].scratch + jl * slot + box * blk + pc.first * es);
      p.sum(e, in, partial(box) + pc.first * es, pc.count, t);
      if (s == 0) ready[0][k].assign(R, p.sums(e));
      for (unsigned rail = 0; rail < R && s > 0; ++rail) {  // ring step s - 1 adds to this block
        const Span sub = rail_part(whole, pieces, k, R, rail);
        if (sub.empty()) continue;
        const uint32_t ri = p.ring_in(rail);
        p.tpc_wait_group(e, ri - ri % 8, uint8_t(1u << (ri % 8)), ++arrived[rail]);
        const uint64_t own = partial(box) + sub.first * es;
        p.sum(e, {own, ring_mine + (s - 1) * blk + sub.first * es}, s + 1 == B ? b[r].recv + sub.first * es : own,
              sub.count, t);
        ready[s][k][rail] = p.sums(e);
      }
    }
  for (unsigned s = 0; s + 1 < B; ++s)  // step s: my partial of block ring_box(s) to the next box
    for (unsigned k = 0; k < pieces; ++k)
      for (unsigned rail = 0; rail < R; ++rail) {
        const Span sub = rail_part(whole, pieces, k, R, rail);
        if (sub.empty()) continue;
        p.ring_wait(rail, p.red_done(k % cores), ready[s][k][rail]);
        p.ring_write(rail, partial(ring_box(s)) + sub.first * es, ring_next + s * blk + sub.first * es,
                     sub.count * es, p.ring_in(rail));
      }
}

// Rank g's block lands at block g of every recv. 1. Ring across the boxes per slot and rail:
// at step s a card sends the block of box (b - s) of its slot to the next box (its own at
// step 0, then what has just arrived). 2. Every block of its slot (its own, then each as it
// arrives) to every box member.
void Communicator::build_hier_all_gather(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const BoxLayout x = box_layout();
  const unsigned r = unsigned(rank_), es = type_size(t), R = rails_, B = x.B, L = x.L, l = x.l;
  const uint64_t blk = count * es;
  const unsigned pieces = pieces_for(blk, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span whole{0, count};
  const unsigned next = unsigned(ring_rank_[0]);
  // in[s][k][rail]: ring_ag_in(rail) count once the block of box (b - 1 - s) has that sub-piece.
  std::vector<std::vector<std::vector<unsigned>>> in(B, std::vector<std::vector<unsigned>>(pieces, std::vector<unsigned>(R, 0)));
  std::vector<unsigned> arrived(R, 0);
  for (unsigned s = 0; s + 1 < B; ++s)
    for (unsigned k = 0; k < pieces; ++k)
      for (unsigned rail = 0; rail < R; ++rail)
        if (!rail_part(whole, pieces, k, R, rail).empty()) in[s][k][rail] = ++arrived[rail];
  auto src = [&](unsigned s) {  // the block of box (b - s) in my memory
    return s == 0 ? b[r].send : b[r].recv + x.at(x.b + B - s, l) * blk;
  };
  for (unsigned s = 0; s + 1 < B; ++s)
    for (unsigned k = 0; k < pieces; ++k)
      for (unsigned rail = 0; rail < R; ++rail) {
        const Span sub = rail_part(whole, pieces, k, R, rail);
        if (sub.empty()) continue;
        if (s > 0) p.ring_wait(rail, p.ring_ag_in(rail), in[s - 1][k][rail]);
        p.ring_write(rail, src(s) + sub.first * es, b[next].recv + x.at(x.b + B - s, l) * blk + sub.first * es,
                     sub.count * es, p.ring_ag_in(rail));
      }
  for (unsigned jl = 0; jl < L; ++jl) {
    if (jl == l) continue;
    const unsigned peer = x.at(x.b, jl);
    for (unsigned s = 0; s < B; ++s)
      for (unsigned k = 0; k < pieces; ++k) {
        const Span pc = piece_of(whole, pieces, k);
        if (pc.empty()) continue;
        for (unsigned rail = 0; rail < R && s > 0; ++rail) p.nic_wait(peer, p.ring_ag_in(rail), in[s - 1][k][rail]);
        p.write(peer, src(s) + pc.first * es, b[peer].recv + x.at(x.b + B - s, l) * blk + pc.first * es,
                pc.count * es, p.ag_in(l));
      }
    p.expect(p.ag_in(jl), B * nonempty_pieces(whole, pieces));
  }
  for (unsigned rail = 0; rail < R; ++rail) p.expect(p.ring_ag_in(rail), arrived[rail]);
  p.copy(b[r].send, b[r].recv + r * blk, blk);
}

// Share j (count / L) is carried by slot j. In the root's box, as in one box: the root writes
// share j to member j and its own share to everyone; member j forwards its share to the other
// members. Across boxes each slot's share goes down a chain of boxes on that slot's rails
// (root's box -> next -> ... -> the box before it), and every card of another box forwards
// its share to all its box members as the pieces arrive.
void Communicator::build_hier_broadcast(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t,
                                        unsigned root) {
  const BoxLayout x = box_layout();
  const unsigned r = unsigned(rank_), es = type_size(t), R = rails_, B = x.B, L = x.L, l = x.l;
  const unsigned rbox = box_of_[root], rl = peers_[root].module;
  const unsigned hop = (x.b + B - rbox) % B;  // 0 in the root's box
  const unsigned pieces = pieces_for(share_of(count, L, 0).count * es, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span mine = share_of(count, L, l);
  const uint64_t from = r == root ? b[r].send : b[r].recv;
  const unsigned next = unsigned(ring_rank_[0]);
  if (r == root) {  // share j to member j, then its own share to everyone
    for (unsigned jl = 0; jl < L; ++jl) {
      if (jl == l) continue;
      const unsigned peer = x.at(x.b, jl);
      for (unsigned share : {jl, l})
        for (unsigned k = 0; k < pieces; ++k) {
          const Span pc = piece_of(share_of(count, L, share), pieces, k);
          p.write(peer, b[r].send + pc.first * es, b[peer].recv + pc.first * es, pc.count * es,
                  share == l ? p.ag_in(l) : p.rs_in(l));
        }
    }
    p.copy(b[r].send, b[r].recv, count * es);
  }
  // in[k][rail]: the arrival count of my share's sub-piece (k, rail) (ring_ag_in in another
  // box; rs_in(root's slot) counts whole pieces in the root's box).
  std::vector<std::vector<unsigned>> in(pieces, std::vector<unsigned>(R, 0));
  std::vector<unsigned> arrived(R, 0);
  unsigned whole_pieces = 0;
  for (unsigned k = 0; k < pieces; ++k) {
    if (!piece_of(mine, pieces, k).empty()) ++whole_pieces;
    for (unsigned rail = 0; rail < R; ++rail)
      if (!rail_part(mine, pieces, k, R, rail).empty()) in[k][rail] = hop ? ++arrived[rail] : whole_pieces;
  }
  if (hop + 1 < B)  // down the chain
    for (unsigned k = 0; k < pieces; ++k)
      for (unsigned rail = 0; rail < R; ++rail) {
        const Span sub = rail_part(mine, pieces, k, R, rail);
        if (sub.empty()) continue;
        if (hop) p.ring_wait(rail, p.ring_ag_in(rail), in[k][rail]);
        else if (r != root) p.ring_wait(rail, p.rs_in(rl), in[k][rail]);
        p.ring_write(rail, from + sub.first * es, b[next].recv + sub.first * es, sub.count * es, p.ring_ag_in(rail));
      }
  if (r == root) return;
  for (unsigned jl = 0; jl < L; ++jl) {  // my share to the box (but the root, which has it)
    if (jl == l || (hop == 0 && jl == rl)) continue;
    const unsigned peer = x.at(x.b, jl);
    unsigned k_landed = 0;
    for (unsigned k = 0; k < pieces; ++k) {
      const Span pc = piece_of(mine, pieces, k);
      if (pc.empty()) continue;
      ++k_landed;
      if (hop == 0) p.nic_wait(peer, p.rs_in(rl), k_landed);
      for (unsigned rail = 0; rail < R && hop; ++rail) p.nic_wait(peer, p.ring_ag_in(rail), in[k][rail]);
      p.write(peer, b[r].recv + pc.first * es, b[peer].recv + pc.first * es, pc.count * es, p.ag_in(l));
    }
  }
  if (hop == 0) p.expect(p.rs_in(rl), whole_pieces);
  for (unsigned rail = 0; rail < R && hop; ++rail) p.expect(p.ring_ag_in(rail), arrived[rail]);
  for (unsigned jl = 0; jl < L; ++jl)
    if (jl != l) p.expect(p.ag_in(jl), nonempty_pieces(share_of(count, L, jl), pieces));
}

}  // namespace hlcomm
