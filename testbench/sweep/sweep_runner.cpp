#include "testbench/sweep/sweep_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstring>
#include <deque>
#include <iomanip>
#include <map>

#include "testbench/config/config_error.hpp"
#include "testbench/run_loop.hpp"

extern char** environ;

namespace gs {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

// A point stopped by Ctrl-C has not finished: it must run again on resume.
bool stopped_by_interrupt(const std::string& status) {
  return status == "exit " + std::to_string(kInterruptedExitCode) ||
         status == "signal " + std::to_string(SIGINT) ||
         status == "signal " + std::to_string(SIGTERM);
}

pid_t spawn_point(const SweepPlan& plan, std::size_t index, const std::string& program) {
  std::vector<std::string> args = point_args(plan, index);
  args.insert(args.begin(), program);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const std::string log = point_path(plan, index, ".log");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw ConfigError("sweep: cannot start '" + program + "': " + std::strerror(rc));
  }
  return pid;
}

std::string status_text(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "signal " + std::to_string(WTERMSIG(wait_status));
  return "exit 255";
}

void print_progress(std::ostream& os, std::size_t done, std::size_t total, std::size_t failed,
                    Clock::time_point start, const std::string& last) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double eta = done ? elapsed / done * (total - done) : 0.0;
  os << "sweep: " << done << "/" << total << " points done";
  if (failed) os << " (" << failed << " failed)";
  os << std::fixed << std::setprecision(1) << ", " << elapsed << " s elapsed, ETA " << eta
     << " s; last: " << last << "\n";
  os.unsetf(std::ios::floatfield);
  os.flush();
}

}  // namespace

std::string self_executable() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw ConfigError("sweep: cannot find the gaudisim executable (/proc/self/exe)");
  return std::string(path, static_cast<std::size_t>(n));
}

SweepRunSummary run_sweep_points(const SweepPlan& plan, const std::string& program, int jobs,
                                 std::ostream& progress) {
  SweepRunSummary summary;
  std::deque<std::size_t> todo;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    if (point_finished(plan, i)) ++summary.resumed;
    else todo.push_back(i);
  }
  if (summary.resumed) {
    progress << "sweep: resuming in " << plan.dir << ": " << summary.resumed << " of "
             << plan.points.size() << " points already finished\n";
  }
  const Clock::time_point start = Clock::now();
  g_interrupted = 0;
  struct sigaction sa {}, old_int {}, old_term {};
  sa.sa_handler = on_interrupt;  // no SA_RESTART: waitpid returns EINTR
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  std::map<pid_t, std::size_t> running;
  bool forwarded = false;
  while ((!todo.empty() && !g_interrupted) || !running.empty()) {
    while (!todo.empty() && !g_interrupted && static_cast<int>(running.size()) < std::max(jobs, 1)) {
      const std::size_t index = todo.front();
      todo.pop_front();
      running[spawn_point(plan, index, program)] = index;
    }
    int wait_status = 0;
    const pid_t pid = waitpid(-1, &wait_status, 0);
    if (pid < 0) {
      if (errno == EINTR) {
        // Ctrl-C in a terminal reaches the points too; a signal sent to this process alone
        // is passed on, so that running points stop now and resume later.
        if (g_interrupted && !forwarded) {
          for (const auto& [child, unused] : running) kill(child, SIGINT);
          forwarded = true;
        }
        continue;
      }
      throw ConfigError(std::string("sweep: waitpid: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    const std::size_t index = it->second;
    running.erase(it);
    const std::string status = status_text(wait_status);
    if (g_interrupted || stopped_by_interrupt(status)) {
      summary.interrupted = true;
      abandon_point(plan, index);
      progress << "sweep: point " << index << " (" << describe_point(plan.points[index])
               << ") interrupted; it runs again when the sweep is resumed\n";
      continue;
    }
    finish_point(plan, index, status);
    ++summary.ran;
    if (status != "exit 0") ++summary.failed;
    print_progress(progress, summary.ran, plan.points.size() - summary.resumed, summary.failed,
                   start, describe_point(plan.points[index]) + " -> " + status);
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  summary.interrupted = summary.interrupted || g_interrupted;
  return summary;
}

}  // namespace gs
