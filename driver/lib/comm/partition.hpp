// How a buffer is cut: n shares (one per rank, sizes differing by at most one element),
// each share cut into the same number of pieces (the pipeline's chunks).
#pragma once
#include <algorithm>
#include <cstdint>

namespace hlcomm {

struct Span {
  uint64_t first = 0, count = 0;  // elements
  bool empty() const { return count == 0; }
};

inline Span share_of(uint64_t count, unsigned n, unsigned j) {
  const uint64_t base = count / n, rem = count % n;
  return Span{j * base + std::min<uint64_t>(j, rem), base + (j < rem ? 1 : 0)};
}

inline Span piece_of(Span s, unsigned pieces, unsigned k) {
  const uint64_t a = s.count * k / pieces, b = s.count * (k + 1) / pieces;
  return Span{s.first + a, b - a};
}

// Pieces per share: enough that none exceeds chunk_bytes, and at least kMinPieces of at
// least kMinPieceBytes when the share allows (a share in one piece cannot overlap its
// reduction with its transfer); at most max_pieces.
constexpr unsigned kMinPieces = 4;
constexpr uint64_t kMinPieceBytes = 64 << 10;
inline unsigned pieces_for(uint64_t share_bytes, uint64_t chunk_bytes, unsigned max_pieces) {
  uint64_t p = chunk_bytes ? (share_bytes + chunk_bytes - 1) / chunk_bytes : 1;
  p = std::max<uint64_t>(p, std::min<uint64_t>(kMinPieces, share_bytes / kMinPieceBytes));
  return unsigned(std::clamp<uint64_t>(p, 1, max_pieces));
}

// Pieces of s that hold at least one element (what a receiver counts).
inline unsigned nonempty_pieces(Span s, unsigned pieces) {
  unsigned c = 0;
  for (unsigned k = 0; k < pieces; ++k) c += piece_of(s, pieces, k).empty() ? 0 : 1;
  return c;
}

// Sync-object group mask of members 0..n-1 but one or two (a monitor watches 8 at once).
inline uint8_t peers_mask(unsigned n, unsigned except1, unsigned except2 = ~0u) {
  uint8_t m = 0;
  for (unsigned j = 0; j < n; ++j)
    if (j != except1 && j != except2) m |= uint8_t(1u << j);
  return m;
}

}  // namespace hlcomm
