// DmaCore copies between memory pages by reference: a chunk the source memory lends (its
// page's block) is written on by that reference, so an HBM -> HBM copy of whole pages shares
// them (copy on write, SparseMemory), with the same bytes, times and counts as a copy.
#include "dma_world.hpp"

namespace gs::test {
namespace {

constexpr uint64_t kPage = 64 * 1024;

std::vector<uint8_t> bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(seed + i * 13 + (i >> 9));
  return v;
}

TEST(DmaSharing, AnHbmCopyOfWholePagesSharesThemUntilEitherSideIsWritten) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  auto& dma = w.add_dma(0);
  const auto data = bytes(4 * kPage + 4096, 1);
  ASSERT_TRUE(hbm.store().write(0x100000, data.data(), data.size()));
  JobDone aligned, shifted;
  w.run([&] {
    dma.start_lin_dma(lin(0x100000, 0x400000, uint32_t(data.size())), aligned.cb());
    dma.start_lin_dma(lin(0x100000, 0x600008, uint32_t(data.size())), shifted.cb());
  });
  ASSERT_TRUE(aligned.ok);
  ASSERT_TRUE(shifted.ok);
  EXPECT_EQ(read_back(hbm, 0x400000, data.size()), data);
  EXPECT_EQ(read_back(hbm, 0x600008, data.size()), data);
  for (uint64_t p = 0; p < 4; ++p)  // the same block: nothing copied
    EXPECT_EQ(hbm.store().share(0x400000 + p * kPage, kPage), hbm.store().share(0x100000 + p * kPage, kPage)) << p;
  // Bytes that land at another page offset are copied.
  EXPECT_NE(hbm.store().share(0x600000, 8), hbm.store().share(0x100000, 8));
  EXPECT_EQ(hbm.store().resident_bytes(), 3 * 5 * kPage);  // counted as copies would be: 5 pages each
  // The source written after the copy: the copy keeps what was read, and the other way round.
  const auto later = bytes(300, 77);
  ASSERT_TRUE(hbm.store().write(0x100000 + 100, later.data(), later.size()));
  ASSERT_TRUE(hbm.store().write(0x400000 + kPage + 5, later.data(), later.size()));
  EXPECT_EQ(read_back(hbm, 0x400000, kPage), std::vector<uint8_t>(data.begin(), data.begin() + kPage));
  EXPECT_EQ(read_back(hbm, 0x100000 + kPage, kPage), std::vector<uint8_t>(data.begin() + kPage, data.begin() + 2 * kPage));
  EXPECT_EQ(read_back(hbm, 0x100000 + 100, 300), later);
  EXPECT_EQ(hbm.server().bytes_served(), 4 * data.size());  // every byte read and written, as before
}

// A DMA memset says what its bytes are (BlockShare::repeats): the memory stores the pattern
// without scanning every chunk's bytes for it. The bytes sent along are not read (zeros here).
TEST(DmaSharing, AWriteThatSaysItRepeatsAPatternIsStoredAsThatPattern) {
  DmaWorld w;
  auto& hbm = w.add_mem("hbm", 0, 16 << 20, 1000, 120);
  std::vector<uint8_t> zeros(3 * kPage);
  BlockShare says;
  says.repeats = true;
  says.pattern = 0x0706050403020100ull;  // as laid out from an 8-aligned address
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  ASSERT_EQ(bus_access(hbm, tlm::TLM_WRITE_COMMAND, 0x10003, zeros.data(), zeros.size(), d, &says), tlm::TLM_OK_RESPONSE);
  const auto got = read_back(hbm, 0x10003, zeros.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], uint8_t((3 + i) % 8)) << i;
  EXPECT_EQ(hbm.store().resident_bytes(), 0u);
  EXPECT_EQ(hbm.server().bytes_served(), zeros.size());
}

}  // namespace
}  // namespace gs::test
