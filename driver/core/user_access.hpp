// How the driver touches user memory: the kernel's copy_from_user / copy_to_user and the
// pinning of a user buffer for DMA. In the testbench every user pointer is valid, so plain
// memcpy is enough; a preload library running unmodified programs installs a checked
// accessor, so that a bad pointer gives -EFAULT (as on Linux) instead of crashing the process.
#pragma once
#include <cstddef>

namespace hl {

class UserAccess {
 public:
  virtual ~UserAccess() = default;
  // 0, or -EFAULT when [src, src + n) is not readable / [dst, dst + n) not writable.
  virtual int read(void* dst, const void* user_src, size_t n);
  virtual int write(void* user_dst, const void* src, size_t n);
  // 0 when the whole range is mapped and writable (get_user_pages succeeds), else -EFAULT.
  virtual int pin(void* user_ptr, size_t n);
};

// The accessor in use (process-wide, like the kernel's). Null restores the default.
void set_user_access(UserAccess* access);

int copy_from_user(void* dst, const void* user_src, size_t n);
int copy_to_user(void* user_dst, const void* src, size_t n);
int pin_user_range(void* user_ptr, size_t n);

}  // namespace hl
