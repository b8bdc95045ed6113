#include "driver/core/user_access.hpp"

#include <cerrno>
#include <cstring>

namespace hl {

namespace {
UserAccess g_default;
UserAccess* g_access = &g_default;
}  // namespace

int UserAccess::read(void* dst, const void* user_src, size_t n) {
  if (n && !user_src) return -EFAULT;
  if (n) std::memcpy(dst, user_src, n);
  return 0;
}

int UserAccess::write(void* user_dst, const void* src, size_t n) {
  if (n && !user_dst) return -EFAULT;
  if (n) std::memcpy(user_dst, src, n);
  return 0;
}

int UserAccess::pin(void* user_ptr, size_t n) { return user_ptr || !n ? 0 : -EFAULT; }

void set_user_access(UserAccess* access) { g_access = access ? access : &g_default; }

int copy_from_user(void* dst, const void* user_src, size_t n) { return g_access->read(dst, user_src, n); }
int copy_to_user(void* user_dst, const void* src, size_t n) { return g_access->write(user_dst, src, n); }
int pin_user_range(void* user_ptr, size_t n) { return g_access->pin(user_ptr, n); }

}  // namespace hl
