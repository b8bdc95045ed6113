// The kernel's struct file for a device node, as the preload library keeps it: every
// duplicate of a descriptor, and a forked child's inherited copy, holds a reference; the
// driver's file is released when the last reference goes.
#pragma once
#include <memory>
#include <vector>

namespace gsp {

struct OpenFile {
  int driver_fd;
  int node;  // card << 2 | control << 1 | accel name
};
using FileRef = std::shared_ptr<OpenFile>;

// Drops a reference held outside the descriptor table (by a forked child's server); closes
// the driver's file if it was the last one.
void release_file(FileRef f);

}  // namespace gsp
