// The bridge between program threads (real OS threads of the preloaded program) and the
// SystemC kernel running on a thread of its own. A program thread puts a request on a
// thread-safe inbox and sleeps on a condition variable; the inbox, a primitive channel, wakes
// the kernel with async_request_update(); a dispatcher process hands the request to the
// simulated process of that program thread, which serves its requests one at a time, in
// order, and may block in simulated time (WAIT_CS) without holding up other threads.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <systemc>

namespace gs {
class Host;
}

namespace gsp {

struct Request;

// One program thread as the simulation sees it.
struct Client {
  std::mutex m;
  std::condition_variable cv;   // the program thread sleeps here until its request is done
  unsigned id = 0;
  // Simulation side only:
  std::deque<Request*> pending;
  sc_core::sc_event* kick = nullptr;  // the worker's wake-up, while it runs
  bool spawned = false;
  sc_core::sc_object* process = nullptr;  // the worker process, while it runs
  Request* current = nullptr;             // the request it serves
  int wake_fd = -1;  // program side: eventfd of interruptible calls, written when one is done
};

struct Request {
  std::function<void()> fn;
  std::shared_ptr<Client> client;  // null: run by the dispatcher itself (shutdown)
  bool done = false;
  bool abandoned = false;          // the simulation ended before serving it
  bool retire = false;             // the thread is gone: its worker ends (and deletes this)
  Request* interrupt = nullptr;    // a signal reached the thread waiting for this request
};

class SimBridge {
 public:
  // Elaboration time, on the simulation thread. Requests are served once `host`'s driver is
  // up. While a program thread runs its own code, simulated time may jump ahead no faster
  // than wall time across gaps longer than `pace_quantum`; with `wall_time`, simulated time
  // also follows the wall clock while the simulation is idle (see docs/preload.md).
  SimBridge(gs::Host& host, sc_core::sc_time pace_quantum, bool wall_time);
  ~SimBridge();

  // Program thread: runs fn in the thread's simulated process; returns when it has run.
  // False if the simulation ended first (fn did not run, or not to its end). While an
  // interruptible call waits, the thread sleeps in read(2) of an eventfd, which a signal
  // handler installed without SA_RESTART interrupts exactly as it would the real ioctl (one
  // with SA_RESTART restarts the read, as the kernel restarts the ioctl): the simulated
  // process is then sent the signal, and its interruptible sleep ends (WAIT_CS: EINTR).
  bool call(const std::shared_ptr<Client>& c, std::function<void()> fn, bool interruptible = false);
  // Program thread: runs fn in the dispatcher (used once, for shutdown); waits for it.
  bool call_dispatcher(std::function<void()> fn);
  // A program thread ended: its worker process ends after the requests before this one.
  void retire(const std::shared_ptr<Client>& c);
  // The simulation thread ended (sc_stop or an error): wake everyone still waiting.
  void mark_dead();

  // Program threads whose next request the simulation has not taken yet (they run their own
  // code, or a request is on its way): the pacer's input. Counted on the simulation side.
  std::atomic<int> running_outside{0};

 private:
  class Inbox;
  void post(Request* r);
  void dispatch();
  void worker(std::shared_ptr<Client> c);
  void pacer();
  void finish(Request* r);
  void wait_interruptibly(const std::shared_ptr<Client>& c, Request& r);

  gs::Host& host_;
  sc_core::sc_time quantum_;
  bool wall_time_;
  // Wall-clock mode: set by the pacer while the simulation is idle (simulation thread only).
  bool idle_ = false;
  std::chrono::steady_clock::time_point idle_since_;
  std::unique_ptr<Inbox> inbox_;
  std::mutex mu_;                 // guards queue_ and dead_
  std::condition_variable wall_;  // the pacer's wall-clock sleep, cut short by a request
  std::condition_variable dispatcher_done_;
  std::deque<Request*> queue_;
  std::set<Request*> waiting_;    // posted and not finished: released if the kernel stops
  bool dead_ = false;
  unsigned workers_ = 0;
};

}  // namespace gsp
