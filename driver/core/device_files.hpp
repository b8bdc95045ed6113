// What the driver shows user space besides ioctls: the numbers of its device nodes, the
// sysfs attributes of each device and its debugfs files. The preload library serves them
// under the paths Linux uses (docs/preload.md); values come from the driver's state.
#pragma once
#include <string>
#include <vector>

namespace hl {

class HlDevice;

// Character-device numbers. Accel names (/dev/accel/accel<N>, accel_controlD<N>): major 261
// (the kernel's accel major), minor N for the compute node and 128 + N for the control node.
// Older names (/dev/hl<N>, hl_controlD<N>): the habanalabs major (dynamic on Linux, 508 here),
// minors 2N and 2N + 1 as the 5.x driver allocates them.
constexpr unsigned kAccelMajor = 261;
constexpr unsigned kAccelControlMinorBase = 128;
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
