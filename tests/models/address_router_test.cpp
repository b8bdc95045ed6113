// AddressRouter: routing to the window holding the whole access (rebased), errors for
// unmapped or straddling accesses, and the same answers whether or not the last window hit
// is remembered (an access next to, before or past it must not be routed to it).
#include <stdexcept>
#include <gtest/gtest.h>

#include <vector>

#include "models/common/address_router.hpp"
#include "models/common/bus_initiator.hpp"

namespace gs {
namespace {

struct Recorder : BusTarget {
  std::vector<uint64_t> addrs;
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) override {
    addrs.push_back(gp.get_address());
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

tlm::tlm_response_status access(AddressRouter& r, uint64_t addr, uint64_t len) {
  uint8_t buf[64] = {};
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  return bus_access(r, tlm::TLM_READ_COMMAND, addr, buf, len, d);
}

TEST(AddressRouter, RemembersItsLastWindowWithoutMisrouting) {
  AddressRouter r;
  Recorder a, b;
  r.map(0x1000, 0x100, a, "a");
  r.map(0x1100, 0x100, b, "b");  // adjacent: the first byte past a is b's
  EXPECT_EQ(access(r, 0x1010, 4), tlm::TLM_OK_RESPONSE);    // a hit, remembered
  EXPECT_EQ(access(r, 0x1100, 4), tlm::TLM_OK_RESPONSE);    // just past a: b
  EXPECT_EQ(access(r, 0x10FC, 4), tlm::TLM_OK_RESPONSE);    // a's last word
  EXPECT_EQ(access(r, 0x10FE, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // straddles a and b
  EXPECT_EQ(access(r, 0x0FFC, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // before a
  EXPECT_EQ(access(r, 0x11FC, 4), tlm::TLM_OK_RESPONSE);    // b's last word
  EXPECT_EQ(access(r, 0x1200, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // past b
  EXPECT_EQ(a.addrs, (std::vector<uint64_t>{0x10, 0xFC}));
  EXPECT_EQ(b.addrs, (std::vector<uint64_t>{0x0, 0xFC}));
  EXPECT_EQ(r.decode_errors(), 3u);
}

// Windows mapped in any order, some after look-ups, are kept sorted: each access reaches its
// own window, names follow their windows, and an overlap names the window it hits.
TEST(AddressRouter, WindowsMappedOutOfOrderAfterLookUpsRouteToTheirOwn) {
  AddressRouter r;
  Recorder a, b, c;
  r.map(0x3000, 0x100, c, "c");
  EXPECT_EQ(access(r, 0x3010, 4), tlm::TLM_OK_RESPONSE);  // remembered: index 0
  r.map(0x1000, 0x100, a, "a");                           // now index 0 is a
  r.map(0x2000, 0x100, b, "b");
  EXPECT_EQ(access(r, 0x1020, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(access(r, 0x2030, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(access(r, 0x3040, 4), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(access(r, 0x2100, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // the gap after b
  EXPECT_EQ(a.addrs, (std::vector<uint64_t>{0x20}));
  EXPECT_EQ(b.addrs, (std::vector<uint64_t>{0x30}));
  EXPECT_EQ(c.addrs, (std::vector<uint64_t>{0x10, 0x40}));
  EXPECT_EQ(r.name_of(0x10FF), "a");
  EXPECT_EQ(r.name_of(0x2000), "b");
  EXPECT_EQ(r.name_of(0x30FF), "c");
  EXPECT_EQ(r.name_of(0x2FFF), "");
  try {
    r.map(0x20F0, 0x20, a, "d");
    FAIL() << "an overlap was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("d overlaps b"), std::string::npos) << e.what();
  }
}

// A target that forwards to another router: the nested access borrows its own payload,
// and the outer one sees its own fields afterwards.
TEST(AddressRouter, NestedAccessesUseTheirOwnPayloads) {
  AddressRouter inner, outer;
  Recorder leaf;
  inner.map(0, 0x100, leaf, "leaf");
  struct Forwarder : BusTarget {
    AddressRouter* next;
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& d) override {
      uint32_t word = 0;
      gp.set_response_status(bus_access(*next, tlm::TLM_WRITE_COMMAND, 0x40, &word, 4, d));
    }
  } fwd;
  fwd.next = &inner;
  outer.map(0x2000, 0x100, fwd, "fwd");
  uint8_t buf[8] = {};
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  EXPECT_EQ(bus_access(outer, tlm::TLM_READ_COMMAND, 0x2008, buf, 8, d), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(leaf.addrs, (std::vector<uint64_t>{0x40}));
}

}  // namespace
}  // namespace gs
