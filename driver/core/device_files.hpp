// What the driver shows user space besides ioctls: the numbers of its device nodes, the
// sysfs attributes of each device and its debugfs files. The preload library serves them
// under the paths Linux uses (docs/preload.md); values come from the driver's state.
#pragma once
#include <string>
#include <vector>

namespace hl {

class HlDevice;

// Character-device numbers, as each driver generation allocates them. Accel driver (Linux
// 6.3 on): /dev/accel/accel<N> is the DRM accel node, major 261 minor N; its control node
// /dev/accel/accel_controlD<N> is a char device of the driver's own (dynamic) major with the
// same minor N (507 stands for that major here). Misc driver (5.x - 6.2): /dev/hl<N> and
// /dev/hl_controlD<N> have the habanalabs (dynamic) major, 508 here, and minors 2N and
// 2N + 1: the control node's minor is the primary's plus one.
constexpr unsigned kAccelMajor = 261;
constexpr unsigned kAccelControlMajor = 507;
constexpr unsigned kHabanalabsMajor = 508;
struct NodeNumber {
  unsigned major, minor;
};
NodeNumber node_number(unsigned device_id, bool control, bool accel_name);

// habanalabs sysfs attributes of a device (read-only here), in listing order.
const std::vector<std::string>& sysfs_attributes();
// False if `name` is not one of them; values end with a newline, as sysfs shows them.
bool sysfs_read(HlDevice& d, const std::string& name, std::string* out);

// debugfs files of a device: command_buffers, command_submission, userptr, vm.
const std::vector<std::string>& debugfs_files();
bool debugfs_read(HlDevice& d, const std::string& name, std::string* out);

}  // namespace hl
