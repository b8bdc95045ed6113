// RegBank: one-off banks (add() with closures) and banks of a shared layout (RegLayoutOf),
// through the same interface: look-up, backdoor, reset, bus access and its errors.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "models/common/reg_bank.hpp"

namespace gs::test {
namespace {

using sc_core::sc_time;

tlm::tlm_response_status access(RegBank& b, bool write, uint64_t addr, void* data, unsigned len) {
  tlm::tlm_generic_payload gp;
  gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(addr);
  gp.set_data_ptr(static_cast<unsigned char*>(data));
  gp.set_data_length(len);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_time d = sc_core::SC_ZERO_TIME;
  b.b_transport(gp, d);
  return gp.get_response_status();
}

uint32_t rd(RegBank& b, uint32_t off) {
  uint32_t v = 0xDEADBEEF;
  EXPECT_EQ(access(b, false, off, &v, 4), tlm::TLM_OK_RESPONSE);
  return v;
}

void wr(RegBank& b, uint32_t off, uint32_t v) { EXPECT_EQ(access(b, true, off, &v, 4), tlm::TLM_OK_RESPONSE); }

// An owner with per-instance state the hooks read and write.
struct Widget {
  uint32_t counts[4] = {};   // COUNT_i reads counts[i]
  uint32_t kicks = 0, last_kick = 0;
  sc_time last_delay;
  RegBank regs;

  explicit Widget(const char* name) : regs(name, layout(), this) {}

  static const RegLayoutOf<Widget>& layout() {
    static const RegLayoutOf<Widget> l = [] {
      RegLayoutOf<Widget> l;
      l.add(0x10, "CTRL", 0x5);
      l.add(0x00, "ID", 0x1234, false);  // declared out of order: the layout sorts
      for (uint32_t i = 0; i < 4; ++i)
        l.add(0x20 + 4 * i, "COUNT_" + std::to_string(i), 0, false)
            .on_read([](const Widget& w, uint32_t i) { return w.counts[i]; }, i);
      l.add(0x40, "KICK").on_write([](Widget& w, uint32_t arg, uint32_t& v, sc_time d) {
        w.kicks += arg;
        w.last_kick = v;
        w.last_delay = d;
        v = 0;  // self-clearing
      }, 1);
      return l;
    }();
    return l;
  }
};

// Offsets within a 64 KiB block are found through a table by word, filled as registers are
// declared in any order; a layout reaching further falls back to searching its offsets.
TEST(RegLayout, TableByWordUntilABlockReachesFurtherThenASearch) {
  RegLayoutOf<Widget> l;
  auto positions = [&l](std::vector<std::pair<uint32_t, long>> want) {
    for (const auto& [offset, at] : want) EXPECT_EQ(l.index_of(offset), at) << std::hex << offset;
  };
  l.add(0x800, "C");
  l.add(0x4, "A");
  l.add(0x400, "B");
  ASSERT_TRUE(l.direct());
  positions({{0x4, 0}, {0x400, 1}, {0x800, 2}, {0x0, -1}, {0x804, -1}});
  l.add(0x20000, "FAR");
  l.add(0x200, "A2");
  EXPECT_FALSE(l.direct());
  positions({{0x4, 0}, {0x200, 1}, {0x800, 3}, {0x20000, 4}, {0x20004, -1}});
  EXPECT_STREQ(l.entry(size_t(l.index_of(0x20000))).name, "FAR");
}

TEST(RegLayout, SortedLookupAndRefusals) {
  const RegLayout& l = Widget::layout();
  EXPECT_EQ(l.size(), 7u);
  EXPECT_EQ(l.index_of(0x00), 0);
  EXPECT_EQ(l.index_of(0x10), 1);
  EXPECT_EQ(l.index_of(0x44), -1);
  EXPECT_STREQ(l.entry(l.index_of(0x28)).name, "COUNT_2");
  EXPECT_EQ(l.index_of(0x12), -1);  // unaligned: no register
  EXPECT_EQ(l.index_of(0x100000), -1);
  EXPECT_TRUE(l.direct());
  RegLayoutOf<Widget> bad;
  bad.add(0x8, "A");
  EXPECT_THROW(bad.add(0x8, "B"), std::invalid_argument);
  EXPECT_THROW(bad.add(0x6, "C"), std::invalid_argument);
}

TEST(RegLayout, InstancesHoldTheirOwnValues) {
  Widget a("a"), b("b");
  EXPECT_EQ(rd(a.regs, 0x10), 0x5u);
  wr(a.regs, 0x10, 0x77);
  EXPECT_EQ(rd(a.regs, 0x10), 0x77u);
  EXPECT_EQ(rd(b.regs, 0x10), 0x5u);
  b.regs.set(0x10, 0x99);
  EXPECT_EQ(a.regs.value(0x10), 0x77u);
  EXPECT_EQ(b.regs.value(0x10), 0x99u);
  EXPECT_EQ(*b.regs.value_ptr(0x10), 0x99u);
  EXPECT_EQ(b.regs.value_ptr(0x44), nullptr);
}

TEST(RegLayout, HooksReachTheirOwnInstanceWithTheirArgument) {
  Widget a("a"), b("b");
  a.counts[2] = 42;
  b.counts[2] = 7;
  b.counts[3] = 8;
  EXPECT_EQ(rd(a.regs, 0x28), 42u);
  EXPECT_EQ(rd(b.regs, 0x28), 7u);
  EXPECT_EQ(rd(b.regs, 0x2C), 8u);
  tlm::tlm_generic_payload gp;
  uint32_t v = 0xAB;
  gp.set_command(tlm::TLM_WRITE_COMMAND);
  gp.set_address(0x40);
  gp.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
  gp.set_data_length(4);
  sc_time d = sc_core::sc_time(3, sc_core::SC_NS);
  b.regs.b_transport(gp, d);
  EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.kicks, 1u);
  EXPECT_EQ(b.last_kick, 0xABu);
  EXPECT_EQ(b.last_delay, sc_core::sc_time(3, sc_core::SC_NS));
  EXPECT_EQ(a.kicks, 0u);
  EXPECT_EQ(b.regs.value(0x40), 0u);  // the hook changed the stored value
}

TEST(RegLayout, ReadOnlyResetNamesAndBadAccesses) {
  Widget a("a");
  wr(a.regs, 0x00, 0xFFFF);  // read-only: ignored, as on silicon
  EXPECT_EQ(rd(a.regs, 0x00), 0x1234u);
  wr(a.regs, 0x10, 0x1);
  a.regs.set(0x00, 0x1);  // the backdoor writes read-only registers
  a.regs.reset_all();
  EXPECT_EQ(a.regs.value(0x10), 0x5u);
  EXPECT_EQ(a.regs.value(0x00), 0x1234u);
  EXPECT_STREQ(a.regs.reg_name(0x24), "COUNT_1");
  EXPECT_EQ(a.regs.reg_name(0x44), nullptr);
  EXPECT_TRUE(a.regs.has(0x40));
  EXPECT_FALSE(a.regs.has(0x44));
  EXPECT_EQ(a.regs.find(0x10), nullptr);  // no declared Reg on a shared-layout bank
  EXPECT_THROW(a.regs.add(0x50, "X"), std::logic_error);
  uint32_t v = 0;
  EXPECT_EQ(access(a.regs, false, 0x44, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(access(a.regs, false, 0x10, &v, 2), tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(access(a.regs, false, 0x10, nullptr, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(a.regs.bad_accesses(), 3u);
  uint32_t pair[2] = {0, 0};  // 64-bit: two registers, low word first
  a.counts[0] = 11;
  a.counts[1] = 22;
  EXPECT_EQ(access(a.regs, false, 0x20, pair, 8), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(pair[0], 11u);
  EXPECT_EQ(pair[1], 22u);
}

TEST(RegBankDeclared, ClosuresValuesAndReset) {
  RegBank b("one_off");
  uint32_t reads = 0, written = 0;
  b.add(0x8, "B", 0x3);
  b.add(0x4, "A").on_read = [&reads](const RegBank::Reg& r) { return ++reads + r.value; };
  b.add(0xC, "C").on_write = [&written](RegBank::Reg& r, sc_time) { written = r.value; };
  EXPECT_EQ(rd(b, 0x4), 1u);
  wr(b, 0xC, 9);
  EXPECT_EQ(written, 9u);
  ASSERT_NE(b.find(0x8), nullptr);
  EXPECT_STREQ(b.find(0x8)->name, "B");
  EXPECT_STREQ(b.reg_name(0x4), "A");
  wr(b, 0x8, 0x10);
  EXPECT_EQ(b.value(0x8), 0x10u);
  b.reset_all();
  EXPECT_EQ(b.value(0x8), 0x3u);
  EXPECT_EQ(*b.value_ptr(0xC), 0u);
  b.add(0x4, "dup");
  EXPECT_THROW(b.value(0x4), std::invalid_argument);  // found when the index is sorted
}

}  // namespace
}  // namespace gs::test
