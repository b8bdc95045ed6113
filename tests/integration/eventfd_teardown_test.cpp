// The compute user's eventfd reference (INFO REGISTER_EVENTFD) is a descriptor the simulator
// holds for the program; it must be given back when the device goes away with the user
// still open, as when a run ends with a program that never closed its node.
#include <dirent.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cs_harness.hpp"
#include "driver/uapi/habanalabs.h"

namespace gs::test {
namespace {

unsigned open_descriptors() {
  unsigned n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

TEST(EventfdTeardown, ARegisteredEventfdIsReleasedWithTheDevice) {
  int efd = ::eventfd(0, EFD_CLOEXEC);
  ASSERT_GE(efd, 0);
  const unsigned before = open_descriptors();
  unsigned while_registered = 0;
  {
    CsWorld w;
    int rc = 1;
    w.run([&](hlthunk::Thunk& t, int fd) {
      hl_info_args a{};
      a.op = HL_INFO_REGISTER_EVENTFD;
      a.eventfd = uint32_t(efd);
      rc = int(t.ioctl(fd, HL_IOCTL_INFO, &a));
      while_registered = open_descriptors();
    });  // the node stays open: the world is torn down with the user registered
    ASSERT_EQ(rc, 0);
    EXPECT_EQ(while_registered, before + 1);  // the driver's private reference
  }
  EXPECT_EQ(open_descriptors(), before);
  ::close(efd);
}

}  // namespace
}  // namespace gs::test
