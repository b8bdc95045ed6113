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
  uint8_t others = 0;
  for (unsigned j = 0; j < L; ++j)
    if (j != l) others |= uint8_t(1u << j);

  // 1. Reduce-scatter in the box: piece k of share j to box member j; sums into recv.
  for (unsigned jl = 0; jl < L; ++jl) {
    if (jl == l) continue;
    const Span sj = share_of(count, L, jl);
    for (unsigned k = 0; k < pieces; ++k) {
      const Span pc = piece_of(sj, pieces, k);
      p.write(box[jl], b[r].send + pc.first * es, b[box[jl]].scratch + l * slot + (pc.first - sj.first) * es,
              pc.count * es, p.rs_in(l));
    }
  }
  const Span mine = share_of(count, L, l);
  const unsigned cores = std::max(1u, std::min({cfg_.reduce_cores, pieces, unsigned(CardProgram::kMaxTpc)}));
  std::vector<unsigned> engine(pieces), last_sum(pieces, 0);  // sum count of engine[k] that finished piece k's latest partial
  unsigned landed = 0;
  for (unsigned k = 0; k < pieces; ++k) {
    const Span pc = piece_of(mine, pieces, k);
    engine[k] = k % cores;
    if (pc.empty()) continue;
    p.tpc_wait_group(engine[k], p.rs_in(0), others, ++landed);
    std::vector<uint64_t> in;
    for (unsigned jl = 0; jl < L; ++jl)
      in.push_back(jl == l ? b[r].send + pc.first * es : b[r].scratch + jl * slot + (pc.first - mine.first) * es);
    p.sum(engine[k], in, b[r].recv + pc.first * es, pc.count, t);
    last_sum[k] = p.sums(engine[k]);
  }

  // 2. Ring across boxes on my share: piece k is cut in B blocks, one per box.
  auto block = [&](unsigned k, unsigned i) { return piece_of(piece_of(mine, pieces, k), B, i % B); };
  const unsigned next = unsigned(ring_rank_[0]);
  const uint64_t ring_mine = b[r].scratch + L * slot, ring_next = b[next].scratch + L * slot;
  unsigned rs_idx = 0;
  for (unsigned s = 0; s + 1 < B; ++s) {
    for (unsigned k = 0; k < pieces; ++k) {  // send the partial block (my_box - s)
      const Span blk = block(k, my_box + B - s);
      if (blk.empty()) continue;
      p.ring_wait(p.red_done(engine[k]), last_sum[k]);
      p.ring_write(b[r].recv + blk.first * es, ring_next + s * slot + (blk.first - mine.first) * es, blk.count * es,
                   p.ring_in());
    }
    for (unsigned k = 0; k < pieces; ++k) {  // add the previous box's block (my_box - 1 - s)
      const Span blk = block(k, my_box + 2 * B - 1 - s);
      if (blk.empty()) continue;
      const uint32_t ri = p.ring_in();
      p.tpc_wait_group(engine[k], ri - ri % 8, uint8_t(1u << (ri % 8)), ++rs_idx);
      p.sum(engine[k], {b[r].recv + blk.first * es, ring_mine + s * slot + (blk.first - mine.first) * es},
            b[r].recv + blk.first * es, blk.count, t);
      last_sum[k] = p.sums(engine[k]);
    }
  }
  // Block (my_box + 1) is now complete; spread it round the ring, forwarding what arrives.
  std::vector<unsigned> ag_need(pieces, 0);  // ring messages piece k must have received
  std::vector<std::vector<unsigned>> ag_idx(B, std::vector<unsigned>(pieces, 0));
  unsigned ag_in = 0;
  for (unsigned s = 0; s + 1 < B; ++s)
    for (unsigned k = 0; k < pieces; ++k)
      if (!block(k, my_box + B - s).empty()) ag_need[k] = ag_idx[s][k] = ++ag_in;  // from the previous box
  for (unsigned s = 0; s + 1 < B; ++s)
    for (unsigned k = 0; k < pieces; ++k) {
      const Span blk = block(k, my_box + 1 + B - s);
      if (blk.empty()) continue;
      if (s == 0) p.ring_wait(p.red_done(engine[k]), last_sum[k]);
      else p.ring_wait(p.ring_ag_in(), ag_idx[s - 1][k]);
      p.ring_write(b[r].recv + blk.first * es, b[next].recv + blk.first * es, blk.count * es, p.ring_ag_in());
    }
  const uint32_t ra = p.ring_ag_in();
  p.expect_group(ra - ra % 8, uint8_t(1u << (ra % 8)), ag_in);

  // 3. All-gather in the box: each finished piece of my share to every box member.
  for (unsigned jl = 0; jl < L; ++jl) {
    if (jl == l) continue;
    for (unsigned k = 0; k < pieces; ++k) {
      const Span pc = piece_of(mine, pieces, k);
      if (pc.empty()) continue;
      p.nic_wait(box[jl], p.red_done(engine[k]), last_sum[k]);
      if (ag_need[k]) p.nic_wait(box[jl], p.ring_ag_in(), ag_need[k]);
      p.write(box[jl], b[r].recv + pc.first * es, b[box[jl]].recv + pc.first * es, pc.count * es, p.ag_in(l));
    }
    unsigned expect = 0;
    for (unsigned k = 0; k < pieces; ++k) expect += piece_of(share_of(count, L, jl), pieces, k).empty() ? 0 : 1;
    const uint32_t sob = p.ag_in(jl);
    p.expect_group(sob - sob % 8, uint8_t(1u << (sob % 8)), expect);
  }
}

}  // namespace hlcomm
