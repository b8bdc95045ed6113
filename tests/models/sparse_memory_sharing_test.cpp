// SparseMemory pages that share their blocks (copy on write): a page lent whole (share), bytes
// received from a block landing by reference (write_from), and every write to a shared page
// copying it first, so that no holder ever sees another's later writes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/common/memory_target.hpp"
#include "models/common/sparse_memory.hpp"
#include "sparse_memory_bytes.hpp"

namespace gs {
namespace {

constexpr uint64_t kPage = 64 * 1024;
constexpr uint64_t kFrame = 4096;

using test::pattern;
using test::read_back;

// A sender memory with one page of data at `at`, lent as a block.
struct Lent {
  SparseMemory sender{64 << 20};
  std::vector<uint8_t> data = pattern(kPage, 3);
  SharedBlock block;
  explicit Lent(uint64_t at = 2 * kPage) {
    sender.write(at, data.data(), data.size());
    block = sender.share(at, kPage);
  }
  // Frames [first, last) of the block into `m` at page `page`, as a NIC responder writes them.
  void land(SparseMemory& m, uint64_t page, unsigned first, unsigned last) const {
    for (unsigned f = first; f < last; ++f)
      EXPECT_TRUE(m.write_from(page * kPage + f * kFrame, block, block.get() + f * kFrame, kFrame));
  }
};

TEST(SparseMemorySharing, AWholePageIsLentAsItsBlockAndFramesOfItLandByReference) {
  Lent l;
  ASSERT_TRUE(l.block);
  EXPECT_EQ(l.block.use_count(), 2);  // the sender's page and us
  SparseMemory rx(64 << 20);
  l.land(rx, 5, 0, 16);
  EXPECT_EQ(l.block.use_count(), 3);  // the receiver's page refers to it: nothing copied
  EXPECT_EQ(read_back(rx, 5 * kPage, kPage), l.data);
  EXPECT_EQ(rx.resident_bytes(), kPage);  // counted as a copy would be
  EXPECT_EQ(read_back(rx, 6 * kPage, 8), std::vector<uint8_t>(8, 0));
}

TEST(SparseMemorySharing, APartlyReceivedPageReadsZerosBeyondAndExtendsOnlyInOrder) {
  Lent l;
  SparseMemory rx(64 << 20);
  l.land(rx, 0, 0, 2);
  EXPECT_EQ(l.block.use_count(), 3);
  std::vector<uint8_t> want(kPage, 0);
  std::copy(l.data.begin(), l.data.begin() + 2 * kFrame, want.begin());
  EXPECT_EQ(read_back(rx, 0, kPage), want);
  // A frame past the end of what the page refers to is copied: the page gets its own block.
  EXPECT_TRUE(rx.write_from(5 * kFrame, l.block, l.block.get() + 5 * kFrame, kFrame));
  EXPECT_EQ(l.block.use_count(), 2);
  std::copy(l.data.begin() + 5 * kFrame, l.data.begin() + 6 * kFrame, want.begin() + 5 * kFrame);
  EXPECT_EQ(read_back(rx, 0, kPage), want);
  // Bytes at another offset than their own in the block are copied too.
  EXPECT_TRUE(rx.write_from(3 * kPage, l.block, l.block.get() + kFrame, kFrame));
  EXPECT_EQ(l.block.use_count(), 2);
  EXPECT_EQ(read_back(rx, 3 * kPage, kFrame), std::vector<uint8_t>(l.data.begin() + kFrame, l.data.begin() + 2 * kFrame));
  // A first frame that lands mid-page on an empty page: the bytes before it stay zeros.
  EXPECT_TRUE(rx.write_from(4 * kPage + kFrame, l.block, l.block.get() + kFrame, kFrame));
  EXPECT_EQ(l.block.use_count(), 2);
  std::vector<uint8_t> mid(2 * kFrame, 0);
  std::copy(l.data.begin() + kFrame, l.data.begin() + 2 * kFrame, mid.begin() + kFrame);
  EXPECT_EQ(read_back(rx, 4 * kPage, 2 * kFrame), mid);
  EXPECT_EQ(read_back(l.sender, 2 * kPage, kPage), l.data);
}

TEST(SparseMemorySharing, AWriteIntoASharedPageCopiesItAndLeavesTheOthersBytesAlone) {
  Lent l;
  SparseMemory rx(64 << 20);
  l.land(rx, 1, 0, 2);  // the receiver refers to [0, 8 KiB) of the block; beyond, zeros
  // A write further on would lay zeros over [8 KiB, 32 KiB) of its block: never the shared one.
  const auto mine = pattern(100, 77);
  EXPECT_TRUE(rx.write(kPage + 32 * 1024, mine.data(), mine.size()));
  EXPECT_EQ(l.block.use_count(), 2);
  EXPECT_EQ(read_back(l.sender, 2 * kPage, kPage), l.data);
  std::vector<uint8_t> want(kPage, 0);
  std::copy(l.data.begin(), l.data.begin() + 2 * kFrame, want.begin());
  std::copy(mine.begin(), mine.end(), want.begin() + 32 * 1024);
  EXPECT_EQ(read_back(rx, kPage, kPage), want);
  EXPECT_EQ(rx.resident_bytes(), kPage);
}

TEST(SparseMemorySharing, ASenderOverwritingItsBufferLeavesReceiverAndLentBlockIntact) {
  Lent l;
  SparseMemory rx(64 << 20);
  l.land(rx, 0, 0, 16);
  const auto later = pattern(kPage, 99);
  EXPECT_TRUE(l.sender.write(2 * kPage + 10, later.data(), 5000));
  EXPECT_EQ(read_back(l.sender, 2 * kPage + 10, 5000), std::vector<uint8_t>(later.begin(), later.begin() + 5000));
  EXPECT_EQ(read_back(rx, 0, kPage), l.data);                       // received before: unchanged
  EXPECT_EQ(std::vector<uint8_t>(l.block.get(), l.block.get() + kPage), l.data);  // a retransmission's bytes
  EXPECT_EQ(l.block.use_count(), 2);
  EXPECT_EQ(l.sender.resident_bytes(), kPage);
}

TEST(SparseMemorySharing, FillAndCopyOnSharedPagesCopyFirst) {
  Lent l;
  SparseMemory rx(64 << 20);
  l.land(rx, 0, 0, 16);
  l.land(rx, 1, 0, 16);
  EXPECT_EQ(l.block.use_count(), 4);
  EXPECT_TRUE(rx.fill(100, 0xAB, 300));
  EXPECT_TRUE(rx.copy(kPage + 7, 0, 1000));  // into the other shared page, from the filled one
  EXPECT_TRUE(l.sender.fill(2 * kPage, 0x11, 64));
  EXPECT_EQ(l.block.use_count(), 1);
  EXPECT_EQ(std::vector<uint8_t>(l.block.get(), l.block.get() + kPage), l.data);
  std::vector<uint8_t> p0 = l.data;
  std::fill(p0.begin() + 100, p0.begin() + 400, 0xAB);
  EXPECT_EQ(read_back(rx, 0, kPage), p0);
  std::vector<uint8_t> p1 = l.data;
  std::copy(p0.begin(), p0.begin() + 1000, p1.begin() + 7);
  EXPECT_EQ(read_back(rx, kPage, kPage), p1);
  // Zeroing a whole shared page drops the reference; the other holders keep their bytes.
  EXPECT_TRUE(rx.fill(0, 0, 2 * kPage));
  EXPECT_EQ(rx.resident_bytes(), 0u);
  EXPECT_EQ(read_back(l.sender, 2 * kPage + 64, kPage - 64),
            std::vector<uint8_t>(l.data.begin() + 64, l.data.end()));
}

TEST(SparseMemorySharing, OnlyPagesThatHoldTheirBytesAreLent) {
  SparseMemory m(64 << 20);
  const auto data = pattern(kPage, 5);
  m.write(0, data.data(), data.size());
  m.write(kPage, data.data(), 1000);  // [0, 1000) laid, the rest zeros
  m.fill(2 * kPage, 0x42, kPage);     // a pattern page: no bytes to lend
  EXPECT_FALSE(m.share(4 * kPage, kPage));  // never written
  EXPECT_FALSE(m.share(2 * kPage, kPage));
  EXPECT_FALSE(m.share(kPage - 8, 16));     // across two pages
  EXPECT_FALSE(m.share(0, kPage + 8));      // more than a page
  EXPECT_EQ(m.share(8, 4096), m.share(0, kPage));  // any part of a page: its block
  SharedBlock head = m.share(kPage, 512);   // within what the page holds
  ASSERT_TRUE(head);
  // [1000, page) is not laid and the block is shared now: a longer read copies.
  EXPECT_FALSE(m.share(kPage, 2000));
  head.reset();
  SharedBlock whole = m.share(kPage, kPage);  // the page's own again: laid out, then lent
  ASSERT_TRUE(whole);
  std::vector<uint8_t> want(kPage, 0);
  std::copy(data.begin(), data.begin() + 1000, want.begin());
  EXPECT_EQ(std::vector<uint8_t>(whole.get(), whole.get() + kPage), want);
}

TEST(SparseMemorySharing, BytesThatACopyWouldStoreAsRunsOrCannotStoreStaySo) {
  // Zeros and patterns from a block cost no page, as when copied.
  SharedBlock zeros = SharedBlocks::take(kPage);
  std::fill(zeros.get(), zeros.get() + kPage, 0);
  SparseMemory m(64 << 20);
  EXPECT_TRUE(m.write_from(0, zeros, zeros.get(), kFrame));
  EXPECT_TRUE(m.write_from(kPage, zeros, zeros.get(), kPage));
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(zeros.use_count(), 1);
  // A block of another size, or bytes not in a pool block at all, are copied.
  SharedBlock small = SharedBlocks::take(4096);
  std::vector<uint8_t> data = pattern(4096, 8);
  std::copy(data.begin(), data.end(), small.get());
  EXPECT_TRUE(m.write_from(2 * kPage, small, small.get(), 4096));
  EXPECT_EQ(small.use_count(), 1);
  std::shared_ptr<const uint8_t> plain(new uint8_t[kPage](), std::default_delete<uint8_t[]>());
  EXPECT_TRUE(m.write_from(3 * kPage + 8, plain, plain.get() + 8, 16));
  EXPECT_EQ(read_back(m, 2 * kPage, 4096), data);
  // The resident limit holds for pages that would refer to a block as for copies.
  Lent l;
  SparseMemory rx(64 << 20);
  rx.set_resident_limit(kPage);
  l.land(rx, 0, 0, 1);
  EXPECT_FALSE(rx.write_from(kPage, l.block, l.block.get(), kFrame));
  EXPECT_EQ(rx.failed_writes(), 1u);
  EXPECT_EQ(rx.resident_bytes(), kPage);
  EXPECT_EQ(read_back(rx, kPage, 8), std::vector<uint8_t>(8, 0));
  EXPECT_EQ(l.block.use_count(), 3);
}

// Through the bus: a read with a BlockShare gets the page's block (charged as a read), unless
// an injected ECC fault must reach the reader's bytes; a write with one lands by reference.
TEST(SparseMemorySharing, AMemoryTargetLendsAndTakesBlocksButNeverPoisonsOne) {
  MemoryTarget hbm("hbm", 64 << 20, 100.0, sc_core::SC_ZERO_TIME);
  const auto data = pattern(kPage, 11);
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  ASSERT_EQ(bus_access(hbm, tlm::TLM_WRITE_COMMAND, kPage, const_cast<uint8_t*>(data.data()), kPage, d),
            tlm::TLM_OK_RESPONSE);
  std::vector<uint8_t> buf(kPage, 0xEE);
  BlockShare lent;
  sc_core::sc_time r = sc_core::SC_ZERO_TIME;
  ASSERT_EQ(bus_access(hbm, tlm::TLM_READ_COMMAND, kPage, buf.data(), kPage, r, &lent), tlm::TLM_OK_RESPONSE);
  ASSERT_TRUE(lent.block);
  EXPECT_GT(r, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(buf, std::vector<uint8_t>(kPage, 0xEE));  // not copied
  EXPECT_EQ(std::vector<uint8_t>(lent.block.get(), lent.block.get() + kPage), data);
  BlockShare from;
  from.block = lent.block;
  ASSERT_EQ(bus_access(hbm, tlm::TLM_WRITE_COMMAND, 5 * kPage, const_cast<uint8_t*>(from.block.get()), kPage, d,
                       &from),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(lent.block.use_count(), 4);  // page 1, page 5, lent, from
  // A reader that needs the block's start gets a copy of bytes in the middle of a page; one
  // that takes any offset gets the block and where they are in it.
  BlockShare start, any;
  any.any_offset = true;
  std::vector<uint8_t> part(100, 0xEE);
  ASSERT_EQ(bus_access(hbm, tlm::TLM_READ_COMMAND, kPage + 300, part.data(), 100, r, &start), tlm::TLM_OK_RESPONSE);
  EXPECT_FALSE(start.block);
  EXPECT_EQ(part, std::vector<uint8_t>(data.begin() + 300, data.begin() + 400));
  ASSERT_EQ(bus_access(hbm, tlm::TLM_READ_COMMAND, kPage + 300, part.data(), 100, r, &any), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(any.block, lent.block);
  EXPECT_EQ(any.offset, 300u);
  hbm.flip_bits(5 * kPage + 16, 2);
  BlockShare poisoned;
  EXPECT_EQ(bus_access(hbm, tlm::TLM_READ_COMMAND, 5 * kPage, buf.data(), kPage, r, &poisoned),
            tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_FALSE(poisoned.block);
  EXPECT_EQ(buf[16], data[16] ^ 0x3);
  EXPECT_EQ(std::vector<uint8_t>(lent.block.get(), lent.block.get() + kPage), data);
}

}  // namespace
}  // namespace gs
