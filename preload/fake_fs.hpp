// The files a Linux machine with the habanalabs driver shows, for the simulated cards:
// device nodes (/dev/accel/accel<N>, /dev/accel/accel_controlD<N>, /dev/hl<N>,
// /dev/hl_controlD<N>), sysfs (/sys/class/accel, /sys/class/habanalabs) and debugfs
// (/sys/kernel/debug/habanalabs, /sys/kernel/debug/accel). Device nodes are served by
// device_files.cpp; everything else is a mirror tree of real files and directories in a
// private temporary directory, so that every libc path function works on it unchanged:
// interposers only translate the path, and rewrite an attribute file just before it is
// opened so that its value is current.
#pragma once
#include <string>

namespace gsp {

struct PathInfo {
  enum Kind { not_ours, device_node, mirrored } kind = not_ours;
  // device_node
  unsigned card = 0;
  bool control = false;
  bool accel_name = false;
  // mirrored
  std::string mirror;  // the real path that stands for it
  enum Content { fixed, sysfs_attr, debugfs_file } content = fixed;
  std::string attr;
};

// Cheap and side-effect free: may `path` be one of ours? (Nothing is built.)
bool claims_path(const char* path);
// What `path` names; builds the simulator on first use. not_ours when no simulator could be
// built or the path is outside what we serve (then libc handles it).
PathInfo resolve_path(const char* path);
// Brings a mirrored attribute file up to date before it is opened. False if that failed.
bool refresh_file(const PathInfo& p);
// Removes the mirror tree (at exit).
void remove_mirror();

}  // namespace gsp
