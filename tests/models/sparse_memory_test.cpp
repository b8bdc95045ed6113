// SparseMemory: zero-filled reads, page-crossing accesses, fill, memmove-like copy, range
// checks, and the property the whole design leans on: untouched pages cost nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "models/common/sparse_memory.hpp"
#include "sparse_memory_bytes.hpp"

namespace gs {
namespace {

constexpr uint64_t kPage = 64 * 1024;  // the default page size
constexpr uint64_t k32GiB = 32ull << 30;

using test::pattern;
using test::read_back;

TEST(SparseMemory, ReadOfUnwrittenMemoryIsZeroAndAllocatesNothing) {
  SparseMemory m(k32GiB);
  EXPECT_EQ(m.size(), k32GiB);
  std::vector<uint8_t> got = read_back(m, k32GiB - 3 * kPage - 5, 2 * kPage + 17);
  EXPECT_EQ(std::count(got.begin(), got.end(), 0), long(got.size()));
  EXPECT_EQ(m.resident_bytes(), 0u);
}

TEST(SparseMemory, WriteReadAcrossPageBoundaries) {
  SparseMemory m(1 << 20, 4096);
  // Starts 10 bytes before a page end, spans two whole pages and part of a fourth.
  const uint64_t addr = 4096 - 10;
  const auto data = pattern(10 + 2 * 4096 + 100, 3);
  m.write(addr, data.data(), data.size());
  EXPECT_EQ(read_back(m, addr, data.size()), data);
  EXPECT_EQ(m.resident_bytes(), 4u * 4096);
  // Bytes around the written range stay zero.
  EXPECT_EQ(read_back(m, addr - 4, 4), std::vector<uint8_t>(4, 0));
  EXPECT_EQ(read_back(m, addr + data.size(), 4), std::vector<uint8_t>(4, 0));
  // A read that straddles written and untouched pages mixes data and zeros.
  auto mixed = read_back(m, addr + data.size() - 2, 4);
  EXPECT_EQ(mixed[0], data[data.size() - 2]);
  EXPECT_EQ(mixed[1], data[data.size() - 1]);
  EXPECT_EQ(mixed[2], 0);
  EXPECT_EQ(mixed[3], 0);
}

TEST(SparseMemory, OverwriteKeepsNeighbours) {
  SparseMemory m(64 * 1024, 1024);
  const auto a = pattern(3000, 1);
  m.write(500, a.data(), a.size());
  const uint8_t b[3] = {0xA1, 0xA2, 0xA3};
  m.write(1023, b, 3);  // crosses the page boundary at 1024
  auto expect = a;
  expect[1023 - 500] = 0xA1;
  expect[1024 - 500] = 0xA2;
  expect[1025 - 500] = 0xA3;
  EXPECT_EQ(read_back(m, 500, a.size()), expect);
}

TEST(SparseMemory, FillSetsExactlyTheRange) {
  SparseMemory m(1 << 20, 4096);
  m.fill(4000, 0x5A, 10000);
  auto got = read_back(m, 3990, 10020);
  for (size_t i = 0; i < got.size(); ++i) {
    uint8_t want = (i >= 10 && i < 10010) ? 0x5A : 0;
    ASSERT_EQ(got[i], want) << "at offset " << 3990 + i;
  }
  // Zero fill over written data really clears it.
  m.fill(5000, 0, 100);
  auto cleared = read_back(m, 4999, 102);
  EXPECT_EQ(cleared[0], 0x5A);
  EXPECT_EQ(std::count(cleared.begin() + 1, cleared.begin() + 101, 0), 100);
  EXPECT_EQ(cleared[101], 0x5A);
}

TEST(SparseMemory, CopyWithoutOverlap) {
  SparseMemory m(8 << 20, 4096);
  const auto data = pattern(12345, 9);
  m.write(100, data.data(), data.size());
  m.copy(5 << 20, 100, data.size());
  EXPECT_EQ(read_back(m, 5 << 20, data.size()), data);
  EXPECT_EQ(read_back(m, 100, data.size()), data);  // source intact
}

// Overlapping copies behave like memmove, including ranges longer than the 1 MiB chunk the
// implementation copies through, in both directions.
TEST(SparseMemory, CopyWithOverlapIsMemmove) {
  const size_t len = (3 << 20) + 123;
  for (int64_t shift : {int64_t(4097), int64_t(-4097), int64_t(1), int64_t(-1)}) {
    SparseMemory m(8 << 20, 4096);
    const uint64_t src = 2 << 20;
    const auto data = pattern(len, uint8_t(shift));
    m.write(src, data.data(), len);
    const uint64_t dst = uint64_t(int64_t(src) + shift);
    m.copy(dst, src, len);
    EXPECT_EQ(read_back(m, dst, len), data) << "shift " << shift;
  }
}

TEST(SparseMemory, CopyFromUntouchedMemoryClearsDestination) {
  SparseMemory m(1 << 20, 4096);
  m.fill(0, 0xFF, 8192);
  m.copy(0, 500000, 8192);
  auto got = read_back(m, 0, 8192);
  EXPECT_EQ(std::count(got.begin(), got.end(), 0), 8192);
}

TEST(SparseMemory, OutOfRangeAccessesThrow) {
  SparseMemory m(1 << 20, 4096);
  uint8_t buf[16] = {};
  EXPECT_THROW(m.read((1 << 20) - 8, buf, 16), std::out_of_range);
  EXPECT_THROW(m.write(1 << 20, buf, 1), std::out_of_range);
  EXPECT_THROW(m.write(~0ull - 4, buf, 16), std::out_of_range);  // would wrap around
  EXPECT_THROW(m.fill(0, 1, (1 << 20) + 1), std::out_of_range);
  EXPECT_THROW(m.copy(0, (1 << 20) - 4, 8), std::out_of_range);
  EXPECT_THROW(m.copy((1 << 20) - 4, 0, 8), std::out_of_range);
  EXPECT_NO_THROW(m.read((1 << 20) - 16, buf, 16));  // the last bytes are fine
  EXPECT_NO_THROW(m.write(0, buf, 0));
  EXPECT_EQ(m.resident_bytes(), 0u);  // a refused write allocates nothing
  EXPECT_FALSE(m.contains(1, 1 << 20));
  EXPECT_TRUE(m.contains(0, 1 << 20));
}

TEST(SparseMemory, PageSizeMustBeAPowerOfTwo) {
  EXPECT_THROW(SparseMemory(1 << 20, 3000), std::invalid_argument);
  EXPECT_THROW(SparseMemory(1 << 20, 0), std::invalid_argument);
}

TEST(SparseMemory, TouchingOneMegabyteOf32GiBCostsAboutOneMegabyte) {
  SparseMemory m(k32GiB);
  const uint64_t mb = 1000 * 1000;
  const auto data = pattern(mb, 5);
  const uint64_t addr = 17ull << 30 | 12345;  // unaligned, deep inside the memory
  m.write(addr, data.data(), data.size());
  EXPECT_GE(m.resident_bytes(), mb);
  EXPECT_LE(m.resident_bytes(), mb + 2 * kPage);  // at most one partial page at each end
  EXPECT_EQ(read_back(m, addr, data.size()), data);
  m.clear();
  EXPECT_EQ(m.resident_bytes(), 0u);
}

TEST(SparseMemory, ZeroFillOfUntouchedPagesAllocatesNothing) {
  SparseMemory m(k32GiB);
  m.fill(0, 0, 1ull << 30);  // a whole GiB of memset(0)
  EXPECT_EQ(m.resident_bytes(), 0u);
  // A non-zero fill of whole pages is a pattern: no bytes either; part of a page needs them.
  m.fill(4ull << 30, 0x11, 3 * kPage);
  EXPECT_EQ(m.resident_bytes(), 0u);
  m.fill((4ull << 30) + 3 * kPage + 5, 0x11, 100);  // part of a page: a run, no bytes either
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(read_back(m, (4ull << 30) + kPage - 2, 4), std::vector<uint8_t>(4, 0x11));
  EXPECT_EQ(read_back(m, (4ull << 30) + 3 * kPage + 3, 4), (std::vector<uint8_t>{0, 0, 0x11, 0x11}));
  const auto data = pattern(100, 2);  // data that repeats nothing needs the page's bytes
  m.write((4ull << 30) + 3 * kPage + 300, data.data(), data.size());
  EXPECT_EQ(m.resident_bytes(), kPage);
  EXPECT_EQ(read_back(m, (4ull << 30) + 3 * kPage + 104, 2), (std::vector<uint8_t>{0x11, 0}));
  // Zero-filling frees what it covers whole.
  m.fill(4ull << 30, 0, 10 * kPage);
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(read_back(m, (4ull << 30) + 3 * kPage, 4), std::vector<uint8_t>(4, 0));
}

// What DMA of zeros and memsets look like to the memory: writes of buffers, in chunks that
// may be smaller than a page.
TEST(SparseMemory, APageWrittenInChunksOfOnePatternStaysFree) {
  SparseMemory m(k32GiB);
  std::vector<uint8_t> chunk(kPage / 4, 0x5A);
  for (uint64_t a = 1000; a + chunk.size() <= 8 * kPage; a += chunk.size()) m.write(a, chunk.data(), chunk.size());
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(read_back(m, 998, 4), (std::vector<uint8_t>{0, 0, 0x5A, 0x5A}));
  EXPECT_EQ(read_back(m, 5 * kPage - 1, 2), std::vector<uint8_t>(2, 0x5A));
  // Three different runs in one page still fit; many need the bytes.
  for (unsigned i = 0; i < 6; ++i) m.fill(20 * kPage + i * 1000, uint8_t(i + 1), 500);
  EXPECT_EQ(m.resident_bytes(), kPage);
  for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(read_back(m, 20 * kPage + i * 1000 + 499, 2), (std::vector<uint8_t>{uint8_t(i + 1), 0}));
}

// What DMA of zeros and memsets look like to the memory: writes of buffers.
TEST(SparseMemory, WritesOfZerosAndOfRepeatedPatternsCostNoPages) {
  SparseMemory m(k32GiB);
  std::vector<uint8_t> zeros(8 * kPage, 0);
  m.write(3, zeros.data(), zeros.size());  // unaligned: partial pages at both ends too
  EXPECT_EQ(m.resident_bytes(), 0u);
  std::vector<uint8_t> pat(4 * kPage);
  for (size_t i = 0; i < pat.size(); ++i) pat[i] = uint8_t(0xA0 + (i + 5) % 8);  // an 8-byte pattern, phase 5
  m.write(16 * kPage, pat.data(), pat.size());
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(read_back(m, 16 * kPage, pat.size()), pat);
  EXPECT_EQ(read_back(m, 16 * kPage + 13, 9), std::vector<uint8_t>(pat.begin() + 13, pat.begin() + 22));
  // Different data into part of a pattern page: that page gets bytes, the pattern around stays.
  const auto data = pattern(100, 9);
  m.write(17 * kPage + 50, data.data(), data.size());
  EXPECT_EQ(m.resident_bytes(), kPage);
  EXPECT_EQ(read_back(m, 17 * kPage + 50, 100), data);
  EXPECT_EQ(read_back(m, 17 * kPage, 50), std::vector<uint8_t>(pat.begin() + kPage, pat.begin() + kPage + 50));
  // Zeros over a page with bytes: the page goes.
  m.write(17 * kPage, zeros.data(), kPage);
  EXPECT_EQ(m.resident_bytes(), 0u);
  EXPECT_EQ(read_back(m, 17 * kPage + 50, 4), std::vector<uint8_t>(4, 0));
}

TEST(SparseMemory, AWholePageWriteNeedsNoZeroFillAndReadsBackExactly) {
  SparseMemory m(1 << 20, 4096);
  const auto data = pattern(3 * 4096, 1);
  m.write(4096, data.data(), data.size());
  EXPECT_EQ(m.resident_bytes(), 3u * 4096);
  EXPECT_EQ(read_back(m, 4096, data.size()), data);
}

TEST(SparseMemory, OutOfHostMemoryFailsTheWriteNotTheProcess) {
  SparseMemory m(k32GiB);
  m.set_resident_limit(2 * kPage);
  const auto data = pattern(3 * kPage, 4);
  EXPECT_FALSE(m.write(0, data.data(), data.size()));
  EXPECT_EQ(m.resident_bytes(), 2 * kPage);
  EXPECT_EQ(m.failed_writes(), 1u);
  EXPECT_EQ(read_back(m, 0, 2 * kPage), std::vector<uint8_t>(data.begin(), data.begin() + 2 * kPage));
  // What needs no page still works: zeros, patterns, writes into pages that exist.
  std::vector<uint8_t> zeros(kPage, 0);
  EXPECT_TRUE(m.write(5 * kPage, zeros.data(), zeros.size()));
  EXPECT_TRUE(m.fill(6 * kPage, 0x7E, kPage));
  EXPECT_TRUE(m.write(100, data.data(), 1000));
  EXPECT_FALSE(m.copy(9 * kPage, 0, kPage));
}

}  // namespace
}  // namespace gs
