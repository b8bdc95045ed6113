// The collectives of one HLS-1 box (docs/collectives.md): every rank talks to every other
// over its own link at once; each buffer is cut in n shares (one per rank) and each share
// in pieces that flow through the pipeline NIC -> TPC -> NIC independently.
#include <cerrno>

#include "driver/lib/comm/card_program.hpp"
#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/partition.hpp"

namespace hlcomm {

int Communicator::all_reduce(uint64_t s, uint64_t r, uint64_t c, DataType t) { return run(CollOp::all_reduce, s, r, c, t); }
int Communicator::reduce_scatter(uint64_t s, uint64_t r, uint64_t c, DataType t) { return run(CollOp::reduce_scatter, s, r, c, t); }
int Communicator::all_gather(uint64_t s, uint64_t r, uint64_t c, DataType t) { return run(CollOp::all_gather, s, r, c, t); }
int Communicator::all_to_all(uint64_t s, uint64_t r, uint64_t c, DataType t) { return run(CollOp::all_to_all, s, r, c, t); }
int Communicator::broadcast(uint64_t s, uint64_t r, uint64_t c, DataType t, unsigned root) {
  return run(CollOp::broadcast, s, r, c, t, root);
}

int Communicator::run(CollOp op, uint64_t send, uint64_t recv, uint64_t count, DataType t, unsigned root) {
  const unsigned n = unsigned(n_), es = type_size(t);
  int rc = 0;
  if (failed_) rc = -ECONNABORTED;
  if (op == CollOp::broadcast && root >= n) rc = -EINVAL;
  const bool hier = boxes_ > 1;
  unsigned box_size = 0;
  for (unsigned j = 0; j < n; ++j) box_size += box_of_[j] == box_of_[unsigned(rank_)] ? 1 : 0;
  if (hier && box_size * boxes_ != n) rc = -EOPNOTSUPP;  // across boxes: boxes of equal size
  for (unsigned j = 0; j < n && !rc && !hier; ++j)
    if (j != unsigned(rank_) && peers_[j].port < 0) rc = -EOPNOTSUPP;
  uint64_t scratch = 0;
  const uint64_t B = boxes_;
  if (op == CollOp::all_reduce && hier)
    scratch = uint64_t(box_size + boxes_ - 1) * share_of(count, box_size, 0).count * es;
  else if (op == CollOp::all_reduce)
    scratch = uint64_t(n) * share_of(count, n, 0).count * es;
  if (op == CollOp::reduce_scatter)  // hier: box slots of B blocks, then B - 1 ring blocks
    scratch = (hier ? uint64_t(n) + B - 1 : uint64_t(n)) * count * es;
  if (op == CollOp::all_to_all && hier)  // staging from the box and from the ring, landing in place
    scratch = uint64_t(n) * (1 + B + (send == recv ? 1 : 0)) * count * es;
  else if (op == CollOp::all_to_all && send == recv)
    scratch = uint64_t(n) * count * es;
  if (!rc && count) rc = ensure_scratch(scratch);
  std::vector<Buffers> all(n);
  Buffers mine{send, recv, scratch_, rc};
  int brc = bs_.allgather(&mine, all.data(), sizeof mine);
  if (brc) return brc;
  for (const Buffers& b : all)
    if (b.status && !rc) rc = -ECONNABORTED;  // a peer cannot take part
  if (rc) return rc;
  if (!count) return 0;
  CardProgram p(*this, unsigned(seq_ % 2));
  switch (op) {
    case CollOp::all_reduce:
      if (hier) build_hier_all_reduce(p, all, count, t);
      else build_all_reduce(p, all, count, t);
      break;
    case CollOp::reduce_scatter:
      if (hier) build_hier_reduce_scatter(p, all, count, t);
      else build_reduce_scatter(p, all, count, t);
      break;
    case CollOp::all_gather:
      if (hier) build_hier_all_gather(p, all, count, t);
      else build_all_gather(p, all, count, t);
      break;
    case CollOp::all_to_all:
      if (hier) build_hier_all_to_all(p, all, count, t);
      else build_all_to_all(p, all, count, t);
      break;
    case CollOp::broadcast:
      if (hier) build_hier_broadcast(p, all, count, t, root);
      else build_broadcast(p, all, count, t, root);
      break;
  }
  ++seq_;
  const int prc = p.run();
  if (prc) failed_ = prc;
  return prc;
}

// Reduce-scatter then all-gather, pipelined by piece. Rank r sends piece k of share j to
// rank j (into r's slot of j's scratch); rank j's TPC cores sum piece k of its share from
// all ranks, in rank order, into recv as soon as every sender's piece k has landed; each
// summed piece then goes to every peer's recv. One NIC queue per peer keeps its link busy:
// all reduce-scatter writes are posted at once, the spread writes follow as sums complete.
void Communicator::build_all_reduce(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const unsigned n = unsigned(n_), r = unsigned(rank_), es = type_size(t);
  if (n == 1) return p.copy(b[r].send, b[r].recv, count * es);
  const uint64_t slot = share_of(count, n, 0).count * es;
  const unsigned pieces = pieces_for(slot, cfg_.chunk_bytes, cfg_.max_pieces);
  for (unsigned j = 0; j < n; ++j) {
    if (j == r) continue;
    Span sj = share_of(count, n, j);
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(sj, pieces, k);
      p.write(j, b[r].send + pc.first * es, b[j].scratch + r * slot + (pc.first - sj.first) * es, pc.count * es,
              p.rs_in(r));
    }
  }
  const Span mine = share_of(count, n, r);
  const ReducedPieces sums = reduce_pieces(p, n, r, mine, pieces, b[r].send + mine.first * es, b[r].scratch, slot,
                                           b[r].recv + mine.first * es, t);
  const std::vector<unsigned>& engine = sums.engine;
  const std::vector<unsigned>& sum_no = sums.sum_no;
  for (unsigned j = 0; j < n; ++j) {
    if (j == r) continue;
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(mine, pieces, k);
      if (pc.empty()) continue;
      p.nic_wait(j, p.red_done(engine[k]), sum_no[k]);
      p.write(j, b[r].recv + pc.first * es, b[j].recv + pc.first * es, pc.count * es, p.ag_in(r));
    }
    const uint32_t sob = p.ag_in(j);
    p.expect_group(sob - sob % 8, uint8_t(1u << (sob % 8)), nonempty_pieces(share_of(count, n, j), pieces));
  }
}

// The reduction half shared by all-reduce, reduce-scatter and the box stage of the
// hierarchical all-reduce: among n members (rank or box slot; r is mine, sending on
// rs_in(r)), piece k of `region` (my share) is summed on TPC core k % cores, once every
// other member's copy of it has landed in scratch (member j's at scratch + j * slot), from
// own_src and their copies into dst. Offsets inside the region are the same in all three.
Communicator::ReducedPieces Communicator::reduce_pieces(CardProgram& p, unsigned n, unsigned r, Span region,
                                                        unsigned pieces, uint64_t own_src, uint64_t scratch,
                                                        uint64_t slot, uint64_t dst, DataType t) {
  const unsigned es = type_size(t);
  const unsigned cores = std::max(1u, std::min({cfg_.reduce_cores, pieces, unsigned(CardProgram::kMaxTpc)}));
  ReducedPieces out{std::vector<unsigned>(pieces), std::vector<unsigned>(pieces)};
  unsigned landed = 0;
  for (unsigned k = 0; k < pieces; ++k) {
    const Span pc = piece_of(region, pieces, k);
    if (pc.empty()) continue;
    const unsigned e = k % cores;
    const uint64_t offset = (pc.first - region.first) * es;
    p.tpc_wait_group(e, p.rs_in(0), peers_mask(n, r), ++landed);
    std::vector<uint64_t> in;
    for (unsigned j = 0; j < n; ++j) in.push_back(j == r ? own_src + offset : scratch + j * slot + offset);
    p.sum(e, in, dst + offset, pc.count, t);
    out.engine[k] = e;
    out.sum_no[k] = p.sums(e);
  }
  return out;
}

// Rank j's share (count elements) of send is summed over all ranks into j's recv.
void Communicator::build_reduce_scatter(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const unsigned n = unsigned(n_), r = unsigned(rank_), es = type_size(t);
  if (n == 1) return p.copy(b[r].send, b[r].recv, count * es);
  const uint64_t slot = count * es;
  const unsigned pieces = pieces_for(slot, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span whole{0, count};
  for (unsigned j = 0; j < n; ++j) {
    if (j == r) continue;
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(whole, pieces, k);
      p.write(j, b[r].send + (j * count + pc.first) * es, b[j].scratch + r * slot + pc.first * es, pc.count * es,
              p.rs_in(r));
    }
  }
  reduce_pieces(p, n, r, whole, pieces, b[r].send + r * count * es, b[r].scratch, slot, b[r].recv, t);
}

// Every rank's count elements go to every peer's recv at offset rank x count.
void Communicator::build_all_gather(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const unsigned n = unsigned(n_), r = unsigned(rank_), es = type_size(t);
  const uint64_t bytes = count * es;
  const unsigned pieces = pieces_for(bytes, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span whole{0, count};
  for (unsigned j = 0; j < n; ++j) {
    if (j == r) continue;
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(whole, pieces, k);
      p.write(j, b[r].send + pc.first * es, b[j].recv + r * bytes + pc.first * es, pc.count * es, p.ag_in(r));
    }
  }
  p.copy(b[r].send, b[r].recv + r * bytes, bytes);
  p.expect_group(p.ag_in(0), peers_mask(n, r), nonempty_pieces(whole, pieces));
}

// Block j of send goes to rank j's recv at block r. In place, blocks land in the peers'
// scratch and are copied into recv once every block has arrived and every own block has
// left (the NIC queues' engine barriers).
void Communicator::build_all_to_all(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t) {
  const unsigned n = unsigned(n_), r = unsigned(rank_), es = type_size(t);
  const uint64_t bytes = count * es;
  const bool in_place = b[r].send == b[r].recv;
  const unsigned pieces = pieces_for(bytes, cfg_.chunk_bytes, cfg_.max_pieces);
  const Span whole{0, count};
  for (unsigned j = 0; j < n; ++j) {
    if (j == r) continue;
    const uint64_t dst = in_place ? b[j].scratch + r * bytes : b[j].recv + r * bytes;
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(whole, pieces, k);
      p.write(j, b[r].send + j * bytes + pc.first * es, dst + pc.first * es, pc.count * es, p.ag_in(r));
    }
  }
  const unsigned expected = nonempty_pieces(whole, pieces);
  if (!in_place) {
    p.copy(b[r].send + r * bytes, b[r].recv + r * bytes, bytes);
  } else if (n > 1) {
    p.dma_wait_group(p.ag_in(0), peers_mask(n, r), expected);
    const uint32_t nd = p.nic_done();
    p.dma_wait_group(nd - nd % 8, uint8_t(1u << (nd % 8)), n - 1);
    for (unsigned j = 0; j < n; ++j)
      if (j != r) p.copy(b[r].scratch + j * bytes, b[r].recv + j * bytes, bytes);
  }
  p.expect_group(p.ag_in(0), peers_mask(n, r), expected);
}

// The root scatters share j to rank j, which forwards it to every other non-root rank as
// its pieces arrive; the root sends its own share to everyone directly. Each link carries
// at most two shares: the root's links are the bottleneck.
void Communicator::build_broadcast(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t,
                                   unsigned root) {
  const unsigned n = unsigned(n_), r = unsigned(rank_), es = type_size(t);
  const unsigned pieces = pieces_for(share_of(count, n, 0).count * es, cfg_.chunk_bytes, cfg_.max_pieces);
  if (r == root) {
    for (unsigned j = 0; j < n; ++j) {
      if (j == r) continue;
      for (unsigned share : {j, root})
        for (unsigned k = 0; k < pieces; ++k) {
          Span pc = piece_of(share_of(count, n, share), pieces, k);
          p.write(j, b[r].send + pc.first * es, b[j].recv + pc.first * es, pc.count * es,
                  share == root ? p.ag_in(root) : p.rs_in(root));
        }
    }
    p.copy(b[r].send, b[r].recv, count * es);
    return;
  }
  const Span mine = share_of(count, n, r);
  for (unsigned j = 0; j < n; ++j) {
    if (j == r || j == root) continue;
    unsigned landed = 0;
    for (unsigned k = 0; k < pieces; ++k) {
      Span pc = piece_of(mine, pieces, k);
      if (pc.empty()) continue;
      p.nic_wait(j, p.rs_in(root), ++landed);
      p.write(j, b[r].recv + pc.first * es, b[j].recv + pc.first * es, pc.count * es, p.ag_in(r));
    }
  }
  const uint32_t rs = p.rs_in(root);
  p.expect_group(rs - rs % 8, uint8_t(1u << (rs % 8)), nonempty_pieces(mine, pieces));
  for (unsigned j = 0; j < n; ++j)
    if (j != r) {
      const uint32_t sob = p.ag_in(j);
      p.expect_group(sob - sob % 8, uint8_t(1u << (sob % 8)), nonempty_pieces(share_of(count, n, j), pieces));
    }
}

}  // namespace hlcomm
