// All-reduce across boxes (docs/collectives.md): reduce-scatter inside each box (as in one
// box), a ring all-reduce of each card's share with the cards of the same slot in the other
// boxes over the scale-out ports, then the all-gather inside the box. Every step is per
// piece, so the box links, the ring and the TPC sums overlap.
#include <algorithm>

#include "driver/lib/comm/card_program.hpp"
#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/partition.hpp"

namespace hlcomm {

void Communicator::build_hier_all_reduce(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const unsigned r = unsigned(rank_), es = type_size(t), B = boxes_, my_box = box_of_[r];
  std::vector<unsigned> box;  // the ranks of my box, by slot
  for (unsigned j = 0; j < unsigned(n_); ++j)
    if (box_of_[j] == my_box) box.push_back(j);
  std::sort(box.begin(), box.end(), [&](unsigned a, unsigned c) { return peers_[a].module < peers_[c].module; });
  const unsigned L = unsigned(box.size()), l = unsigned(std::find(box.begin(), box.end(), r) - box.begin());
  const uint64_t slot = share_of(count, L, 0).count * es;
  const unsigned pieces = pieces_for(slot, cfg_.chunk_bytes, cfg_.max_pieces);

  // 1. Reduce-scatter in the box: piece k of share j to box member j (the writes are posted
  //    with the spread, step 3); sums into recv.
  const Span mine = share_of(count, L, l);
  const ReducedPieces box_sums = reduce_pieces(p, L, l, mine, pieces, b[r].send + mine.first * es, b[r].scratch,
                                               slot, b[r].recv + mine.first * es, t);
  const std::vector<unsigned>& engine = box_sums.engine;
  // The ring sums run on other TPC cores than the box sums (4 + 4 of 8): a piece's ring steps
  // must not queue behind the box sums of later pieces, which wait for reduce-scatter writes
  // that the box queues post after earlier pieces' spread (step 3). With fewer free cores the
  // spread follows the whole reduce-scatter.
  const unsigned cores = std::max(1u, std::min({cfg_.reduce_cores, pieces, unsigned(CardProgram::kMaxTpc)}));
  const bool split = 2 * cores <= CardProgram::kMaxTpc;
  auto ring_core = [&](unsigned k) { return split ? engine[k] + cores : engine[k]; };

  // 2. One ring across boxes per rail on my share: piece k is cut in R sub-pieces (one per
  //    rail), each in B blocks (one per box). last[k][rail]: the sum count of core[k][rail] after
  //    which sub-piece (k, rail) holds its latest partial.
  const unsigned R = rails_;
  auto block = [&](unsigned k, unsigned rail, unsigned i) {
    return piece_of(piece_of(piece_of(mine, pieces, k), R, rail), B, i % B);
  };
  std::vector<std::vector<unsigned>> last(pieces);
  std::vector<std::vector<unsigned>> core(pieces);
  for (unsigned k = 0; k < pieces; ++k) {
    last[k].assign(R, box_sums.sum_no[k]);
    core[k].assign(R, engine[k]);
  }
  const unsigned next = unsigned(ring_rank_[0]);
  const uint64_t ring_mine = b[r].scratch + L * slot, ring_next = b[next].scratch + L * slot;
  auto offset = [&](const Span& blk) { return (blk.first - mine.first) * es; };
  // Every queue runs its work in wavefront order: diagonal w holds the ring reduce-scatter
  // send and sum of step s of piece w - s and the ring all-gather send of step s of piece
  // w - (B - 1) - s. A step waits only on steps of earlier diagonals (or on the box sum of
  // its piece), so no queue waits on work that sits behind it in another queue, even with
  // the box queues interleaving spread and reduce-scatter (step 3).
  const unsigned waves = pieces + 2 * (B - 1);
  auto at_wave = [&](unsigned w, unsigned s, unsigned first_wave, unsigned* k) {
    if (w < first_wave + s || w - first_wave - s >= pieces) return false;
    *k = w - first_wave - s;
    return true;
  };
  // ag_idx[s][k][rail]: the ring_ag_in count at which the all-gather block of step s has
  // arrived (the previous box posts in the same order).
  std::vector<std::vector<std::vector<unsigned>>> ag_idx(B, std::vector<std::vector<unsigned>>(pieces, std::vector<unsigned>(R, 0)));
  std::vector<unsigned> ag_in(R, 0);
  std::vector<std::vector<unsigned>> ag_need(pieces, std::vector<unsigned>(R, 0));  // the last of (k, rail)
  for (unsigned w = 0; w < waves; ++w)
    for (unsigned s = 0, k = 0; s + 1 < B; ++s)
      if (at_wave(w, s, B - 1, &k))
        for (unsigned rail = 0; rail < R; ++rail)
          if (!block(k, rail, my_box + B - s).empty()) ag_need[k][rail] = ag_idx[s][k][rail] = ++ag_in[rail];
  std::vector<unsigned> rs_idx(R, 0);
  for (unsigned w = 0; w < waves; ++w) {
    for (unsigned s = 0, k = 0; s + 1 < B; ++s)  // send the partial block (my_box - s)
      if (at_wave(w, s, 0, &k))
        for (unsigned rail = 0; rail < R; ++rail) {
          const Span blk = block(k, rail, my_box + B - s);
          if (blk.empty()) continue;
          p.ring_wait(rail, p.red_done(core[k][rail]), last[k][rail]);
          p.ring_write(rail, b[r].recv + blk.first * es, ring_next + s * slot + offset(blk), blk.count * es,
                       p.ring_in(rail));
        }
    for (unsigned s = 0, k = 0; s + 1 < B; ++s)  // spread the complete block (my_box + 1 - s)
      if (at_wave(w, s, B - 1, &k))
        for (unsigned rail = 0; rail < R; ++rail) {
          const Span blk = block(k, rail, my_box + 1 + B - s);
          if (blk.empty()) continue;
          if (s == 0) p.ring_wait(rail, p.red_done(core[k][rail]), last[k][rail]);
          else p.ring_wait(rail, p.ring_ag_in(rail), ag_idx[s - 1][k][rail]);
          p.ring_write(rail, b[r].recv + blk.first * es, b[next].recv + blk.first * es, blk.count * es,
                       p.ring_ag_in(rail));
        }
    for (unsigned s = 0, k = 0; s + 1 < B; ++s)  // add the previous box's block (my_box - 1 - s)
      if (at_wave(w, s, 0, &k))
        for (unsigned rail = 0; rail < R; ++rail) {
          const Span blk = block(k, rail, my_box + 2 * B - 1 - s);
          if (blk.empty()) continue;
          const uint32_t ri = p.ring_in(rail);
          const unsigned e = ring_core(k);
          if (core[k][rail] != e) p.tpc_wait_group(e, p.red_done(0), uint8_t(1u << engine[k]), last[k][rail]);  // the box sum
          p.tpc_wait_group(e, ri - ri % 8, uint8_t(1u << (ri % 8)), ++rs_idx[rail]);
          p.sum(e, {b[r].recv + blk.first * es, ring_mine + s * slot + offset(blk)}, b[r].recv + blk.first * es,
                blk.count, t);
          last[k][rail] = p.sums(e);
          core[k][rail] = e;
        }
  }
  for (unsigned rail = 0; rail < R; ++rail) {
    const uint32_t ra = p.ring_ag_in(rail);
    p.expect_group(ra - ra % 8, uint8_t(1u << (ra % 8)), ag_in[rail]);
  }

  // 3. All-gather in the box: each finished piece of my share to every box member, once its
  //    last sum is done and every rail's last block has arrived. On each box link the spread
  //    of piece k follows the reduce-scatter write of piece k + 2 (B - 1), so that the box
  //    links carry spread pieces while the ring works on later ones (a queue runs in order:
  //    all reduce-scatter first would leave the links idle during the ring).
  const unsigned lag = split ? 2 * (B - 1) : pieces;
  for (unsigned jl = 0; jl < L; ++jl) {
    if (jl == l) continue;
    const Span sj = share_of(count, L, jl);
    for (unsigned i = 0; i < pieces + lag; ++i) {
      if (i < pieces) {
        const Span pc = piece_of(sj, pieces, i);
        p.write(box[jl], b[r].send + pc.first * es, b[box[jl]].scratch + l * slot + (pc.first - sj.first) * es,
                pc.count * es, p.rs_in(l));
      }
      if (i < lag) continue;
      const unsigned k = i - lag;
      const Span pc = piece_of(mine, pieces, k);
      if (pc.empty()) continue;
      for (unsigned e : {engine[k], ring_core(k)}) {  // the piece's last sum on each core
        unsigned after = 0;
        for (unsigned rail = 0; rail < R; ++rail)
          if (core[k][rail] == e) after = std::max(after, last[k][rail]);
        p.nic_wait(box[jl], p.red_done(e), after);
        if (!split) break;
      }
      for (unsigned rail = 0; rail < R; ++rail)
        if (ag_need[k][rail]) p.nic_wait(box[jl], p.ring_ag_in(rail), ag_need[k][rail]);
      p.write(box[jl], b[r].recv + pc.first * es, b[box[jl]].recv + pc.first * es, pc.count * es, p.ag_in(l));
    }
    const uint32_t sob = p.ag_in(jl);
    p.expect_group(sob - sob % 8, uint8_t(1u << (sob % 8)), nonempty_pieces(share_of(count, L, jl), pieces));
  }
}

}  // namespace hlcomm
