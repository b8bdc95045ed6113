// Command buffers: driver-owned, DMA-coherent host memory the user maps and fills with
// packets. A CB stays alive while a submitted job still refers to it, even if destroyed.
#pragma once
#include <cstdint>
#include <map>

#include "driver/os/os.hpp"

namespace hl {

struct CommandBuffer {
  uint64_t id = 0;
  uint32_t size = 0;
  uint8_t* cpu = nullptr;
  uint64_t bus = 0;
  int owner_fd = -1;
  uint32_t jobs = 0;        // submitted jobs still using it
  uint32_t maps = 0;        // user mappings (mmap) not yet unmapped
  bool destroyed = false;   // freed once jobs and maps drop to zero
};

class CbManager {
 public:
  explicit CbManager(os::Os& os) : os_(os) {}
  ~CbManager();

  // Returns the mmap handle (HL_MMAP_CB_HANDLE(id)) or a negative errno.
  int64_t create(uint32_t size, int owner_fd);
  int destroy(uint64_t handle, int fd);
  CommandBuffer* find(uint64_t handle, int fd);  // null if unknown or not the caller's
  void get(CommandBuffer& cb) { ++cb.jobs; }
  void put(CommandBuffer& cb);
  // A user mapping keeps the CB alive past DESTROY and close(), as a VMA does on Linux.
  void map(CommandBuffer& cb) { ++cb.maps; }
  void unmap(uint64_t id);
  void release_owner(int fd);  // close(): destroy everything the fd created
  size_t live() const { return cbs_.size(); }
  const std::map<uint64_t, CommandBuffer>& all() const { return cbs_; }  // debugfs

 private:
  void free_cb(uint64_t id);

  os::Os& os_;
  std::map<uint64_t, CommandBuffer> cbs_;
  uint64_t next_id_ = 1;
};

}  // namespace hl
