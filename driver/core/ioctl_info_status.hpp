// INFO opcodes about the device's health and history: power, energy, PLLs, clock throttling,
// open statistics, the errors captured since the last open and the notifier events.
#pragma once
#include <cstddef>
#include <cstdint>

struct hl_info_args;

namespace hl {

struct HlFile;
class HlDevice;

// copy_to_user of at most return_size bytes, as every INFO answer; -EINVAL without a buffer.
long info_answer(const hl_info_args& a, const void* data, size_t size);
// The opcodes of this file answered in any device state, and those that need an operational
// device; each returns -ENOTTY if `a.op` is not one of its own.
long info_status_any(HlFile& f, hl_info_args& a);
long info_status_operational(HlFile& f, hl_info_args& a);
// DEVICE_UTILIZATION as Linux computes it: the card's power between the DC power and the
// board limit (sysfs max_power), in percent.
constexpr uint64_t kDcPowerMw = 60000;  // GAUDI DC power (Linux DC_POWER_DEFAULT)

}  // namespace hl
