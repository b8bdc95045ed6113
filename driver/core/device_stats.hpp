// What the driver remembers about a device for INFO: open statistics, the errors it captured
// (the first of each kind since the user opened the device, as Linux's captured_err_info),
// and the notifier events not yet read.
#pragma once
#include <cstdint>

namespace hl {

struct CapturedError {
  bool valid = false;
  int64_t timestamp_ns = 0;
  uint64_t seq = 0;           // CS timeout
  uint64_t addr = 0;          // RAZWI: the address; undefined opcode: the CB being run
  uint32_t size = 0;          // undefined opcode: the CB's size
  uint32_t engine_id = 0;     // enum gaudi_engine_id
  uint32_t stream = 0;        // undefined opcode: the stream (4: the lower CP)
  uint32_t event_id = 0;      // HW/FW error: the event
  uint32_t flags = 0;         // RAZWI: HL_RAZWI_*; FW error: enum hl_info_fw_err_type
};

struct DeviceStats {
  // Opens of the compute node: how many, when the last one began, and how long the last
  // completed one lasted.
  uint64_t open_counter = 0;
  int64_t last_open_ns = 0;
  uint64_t last_open_period_ms = 0;
  CapturedError cs_timeout, razwi, undef_opcode, hw_err, fw_err;
  uint64_t notifier_events = 0;  // HL_NOTIFIER_EVENT_* for the compute user, cleared on read

  // A new user: what was captured for the previous one is forgotten.
  void new_user(int64_t now_ns) {
    ++open_counter;
    last_open_ns = now_ns;
    cs_timeout = razwi = undef_opcode = hw_err = fw_err = CapturedError{};
    notifier_events = 0;
  }
  // Keeps the first error of a kind and raises its notifier bits.
  void capture(CapturedError& slot, const CapturedError& e, uint64_t events) {
    if (!slot.valid) slot = e, slot.valid = true;
    notifier_events |= events;
  }
};

}  // namespace hl
