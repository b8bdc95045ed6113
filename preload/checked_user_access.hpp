// copy_from_user / copy_to_user for the preload: the program's pointers are checked by the
// kernel (process_vm_readv / process_vm_writev on the calling process: our own, or a forked
// child whose request is served here), so a bad pointer in an ioctl gives -EFAULT as on Linux
// instead of crashing the program.
#pragma once
#include <sys/types.h>

#include <cstddef>

#include "driver/core/user_access.hpp"

namespace gsp {

// n bytes between `local` (ours) and `user` in process pid's memory; bytes copied or -1.
ssize_t process_copy(int pid, bool to_user, void* user, void* local, size_t n);

class CheckedUserAccess : public hl::UserAccess {
 public:
  int read(void* dst, const void* user_src, size_t n) override;
  int write(void* user_dst, const void* src, size_t n) override;
  int pin(void* user_ptr, size_t n) override;
  // The same for process pid's memory (device DMA into a forked child's mapped buffer).
  int read_from(int pid, void* dst, const void* user_src, size_t n);
  int write_to(int pid, void* user_dst, const void* src, size_t n);

 private:
  bool unavailable_ = false;  // the syscalls are blocked (seccomp): fall back to memcpy
};

}  // namespace gsp
