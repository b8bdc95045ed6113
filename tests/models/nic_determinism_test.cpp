// The same lossy transfer run twice, each in a fresh process (one elaboration per process):
// every time and counter must match.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "nic_world.hpp"

namespace gs::test {
namespace {

std::string lossy_run() {
  NicWorld w;
  w.loss = 2e-3;
  w.corrupt = 1e-3;
  w.seed = 7;
  w.build();
  const uint64_t src = kUser + 0x1000000, dst = kUser + 0x8000000, len = 4 << 20;
  NicWorld::fill_pattern(*w.a, src, len, 6);
  std::ostringstream out;
  w.run([&] {
    w.setup();
    for (unsigned i = 0; i < 4; ++i)
      NicWorld::post(*w.a, gsim_nic_rdma_write(5, src, dst + i * len, uint32_t(len), 1, 200, 1, 300));
    NicWorld::wait_idle(w.na());
    out << sc_core::sc_time_stamp().value() << ' ';
  });
  const NicCounters& a = w.na().counters();
  const NicCounters& b = w.nb().counters();
  out << a.tx_frames << ' ' << a.retransmissions << ' ' << a.timeouts << ' ' << b.naks_sent << ' '
      << b.acks_sent << ' ' << b.rx_duplicates << ' ' << NicWorld::sob(*w.b, 200) << ' '
      << NicWorld::same_bytes(*w.a, src, *w.b, dst + 3 * len, len);
  return out.str();
}

std::string in_child(std::string (*fn)()) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string s = fn();
    ssize_t n = write(fds[1], s.data(), s.size());
    _exit(n == ssize_t(s.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string s;
  char buf[256];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) s.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? s : "child failed";
}

TEST(NicDeterminism, ALossyTransferRepeatsExactly) {
  std::string first = in_child(lossy_run), second = in_child(lossy_run);
  std::printf("run: %s\n", first.c_str());
  EXPECT_EQ(first, second);
  EXPECT_NE(first.find(" 4 1"), std::string::npos);  // 4 signals, data right
}

}  // namespace
}  // namespace gs::test
