// copy_from_user / copy_to_user for the preload: the program's pointers are checked by the
// kernel (process_vm_readv / process_vm_writev on our own process), so a bad pointer in an
// ioctl gives -EFAULT as on Linux instead of crashing the program.
#pragma once
#include "driver/core/user_access.hpp"

namespace gsp {

class CheckedUserAccess : public hl::UserAccess {
 public:
  int read(void* dst, const void* user_src, size_t n) override;
  int write(void* user_dst, const void* src, size_t n) override;
  int pin(void* user_ptr, size_t n) override;

 private:
  bool unavailable_ = false;  // the syscalls are blocked (seccomp): fall back to memcpy
};

}  // namespace gsp
