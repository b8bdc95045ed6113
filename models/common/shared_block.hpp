// Blocks of bytes that several holders may share: a SparseMemory page, a NIC's payload chunk
// and the frames that refer to it, and through them the pages the frames land in on the
// peer. A block is a std::shared_ptr to its first byte (never an interior pointer); while
// more than one holder has it, nobody writes it (a SparseMemory page copies it first: copy
// on write). Blocks are carved from one process-wide PageBlocks per size (huge-page slabs,
// never zero-filled, freed blocks reused last freed first), so a block freed by one memory
// or NIC serves any other. Taking and returning blocks is thread-safe; a block's holders
// must live in one thread (the simulation's), as everything in models/ does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <tlm>

namespace gs {

using SharedBlock = std::shared_ptr<uint8_t>;

class SharedBlocks {
 public:
  // An uninitialised block of `bytes`; null when the host has no memory for it (or `bytes`
  // is over a slab).
  static SharedBlock take(size_t bytes);
  // The size of the block `p` is, or 0 if `p` is not (the start of) a block of this pool.
  static size_t block_bytes(const std::shared_ptr<const uint8_t>& p);

  // The deleter of every block: gives it back to the pool of its size.
  struct Return {
    uint8_t* base;
    size_t bytes;
    void operator()(uint8_t* b) const;
  };
};

// Rides on a bus transaction that moves payload between a memory and a NIC: on a write it
// names the block that holds the bytes (the data pointer lies inside it), so that a memory
// may refer to the block instead of copying; on a read a memory may answer by setting
// `block` to its page's block, the bytes read at `offset` in it (then the data pointer's
// buffer is left untouched). A reader that cannot use an offset (a NIC chunk is a block's
// start) leaves `any_offset` false. Targets that do not know the extension ignore it and
// move bytes as usual. A write without a block may say instead that its bytes repeat one
// 8-byte `pattern` (a DMA memset; the pattern as laid out from an 8-aligned address): a
// memory may then store the pattern without reading every byte to find that out.
struct BlockShare : tlm::tlm_extension<BlockShare> {
  std::shared_ptr<const uint8_t> block;
  uint64_t offset = 0;
  bool any_offset = false;
  bool repeats = false;
  uint64_t pattern = 0;
  tlm::tlm_extension_base* clone() const override { return new BlockShare(*this); }
  void copy_from(const tlm::tlm_extension_base& e) override { *this = static_cast<const BlockShare&>(e); }
};

}  // namespace gs
