#include "preload/sim_bridge.hpp"

#include "models/common/instant_end.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>

#include "testbench/host/host.hpp"

namespace gsp {

// The primitive channel: its update() runs in the kernel's update phase after a program
// thread called async_request_update(), and turns that into an event processes can wait on.
class SimBridge::Inbox : public sc_core::sc_prim_channel {
 public:
  Inbox() : sc_prim_channel(sc_core::sc_gen_unique_name("preload_inbox")) {
    async_attach_suspending();  // sc_start() waits for program threads instead of returning
  }
  void poke() { async_request_update(); }
  sc_core::sc_event arrived;
  // Wall-clock mode: how much simulated time the request must wait for, so that the time
  // the device sat idle passes in the simulation too (zero otherwise).
  std::function<sc_core::sc_time()> catch_up;

 private:
  void update() override { arrived.notify(catch_up ? catch_up() : sc_core::SC_ZERO_TIME); }
};

SimBridge::SimBridge(gs::Host& host, sc_core::sc_time pace_quantum, bool wall_time)
    : host_(host), quantum_(pace_quantum), wall_time_(wall_time), inbox_(std::make_unique<Inbox>()) {
  host_.spawn_process("preload_dispatch", [this] { dispatch(); });
  if (wall_time_)
    inbox_->catch_up = [this] {
      if (!idle_) return sc_core::SC_ZERO_TIME;
      idle_ = false;
      auto idle = std::chrono::steady_clock::now() - idle_since_;
      return sc_core::sc_time(double(std::chrono::duration_cast<std::chrono::nanoseconds>(idle).count()), sc_core::SC_NS);
    };
  if (quantum_ == sc_core::SC_ZERO_TIME && !wall_time_) return;  // pacing off: simulated time runs free
  sc_core::sc_spawn_options opt;
  opt.set_stack_size(64 << 10);
  sc_core::sc_spawn([this] { pacer(); }, "preload_pacer", &opt);
}

SimBridge::~SimBridge() = default;

void SimBridge::post(Request* r) {
  {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(r);
    if (!r->retire && !r->interrupt) waiting_.insert(r);
  }
  wall_.notify_all();
  inbox_->poke();
}

bool SimBridge::call(const std::shared_ptr<Client>& c, std::function<void()> fn, bool interruptible) {
  Request r;
  r.fn = std::move(fn);
  r.client = c;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (dead_) return false;
  }
  if (interruptible && c->wake_fd < 0) c->wake_fd = eventfd(0, EFD_CLOEXEC);
  post(&r);
  if (interruptible && c->wake_fd >= 0) wait_interruptibly(c, r);
  std::unique_lock<std::mutex> l(c->m);
  c->cv.wait(l, [&] { return r.done; });
  return !r.abandoned;
}

void SimBridge::wait_interruptibly(const std::shared_ptr<Client>& c, Request& r) {
  int saved = errno;
  bool sent = false;
  for (;;) {
    {
      std::lock_guard<std::mutex> g(c->m);
      if (r.done) break;
    }
    uint64_t v;
    if (read(c->wake_fd, &v, sizeof v) < 0 && errno == EINTR && !sent) {
      sent = true;
      auto* sig = new Request;
      sig->client = c;
      sig->interrupt = &r;
      {
        std::lock_guard<std::mutex> g(mu_);
        if (dead_) {
          delete sig;
          continue;
        }
      }
      post(sig);
    }
  }
  errno = saved;
}

bool SimBridge::call_dispatcher(std::function<void()> fn) {
  Request r;
  r.fn = std::move(fn);
  {
    std::lock_guard<std::mutex> g(mu_);
    if (dead_) return false;
  }
  post(&r);
  std::unique_lock<std::mutex> l(mu_);
  dispatcher_done_.wait(l, [&] { return r.done || dead_; });
  return r.done;
}

void SimBridge::retire(const std::shared_ptr<Client>& c) {
  --running_outside;
  auto* r = new Request;
  r->client = c;
  r->retire = true;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (dead_) {
      delete r;
      return;
    }
  }
  post(r);
}

void SimBridge::mark_dead() {
  std::deque<Request*> left;
  std::set<Request*> stuck;
  {
    std::lock_guard<std::mutex> g(mu_);
    dead_ = true;
    left.swap(queue_);
    stuck.swap(waiting_);
  }
  dispatcher_done_.notify_all();
  for (Request* r : left)
    if (r->retire || r->interrupt) delete r;
  // Calls the kernel will never finish (queued, or inside a process that will not run
  // again): their threads return, without the call having run to its end.
  for (Request* r : stuck) {
    r->abandoned = true;
    if (r->client) finish(r);
  }
}

void SimBridge::finish(Request* r) {
  {
    std::lock_guard<std::mutex> g(mu_);
    waiting_.erase(r);
  }
  if (!r->client) {
    std::lock_guard<std::mutex> g(mu_);
    r->done = true;
    dispatcher_done_.notify_all();
    return;
  }
  std::shared_ptr<Client> c = r->client;  // r may be gone once done is seen
  ++running_outside;  // from now on the thread runs its own code, even before it wakes up
  std::lock_guard<std::mutex> g(c->m);
  r->done = true;
  c->cv.notify_all();
  if (c->wake_fd >= 0) {
    uint64_t one = 1;
    if (write(c->wake_fd, &one, sizeof one) < 0) {}  // a full counter wakes the reader anyway
  }
}

void SimBridge::dispatch() {
  for (;;) {
    std::deque<Request*> batch;
    {
      std::lock_guard<std::mutex> g(mu_);
      batch.swap(queue_);
    }
    if (batch.empty()) {
      sc_core::wait(inbox_->arrived);
      continue;
    }
    for (Request* r : batch) {
      if (!r->client) {  // shutdown and other whole-simulation work
        r->fn();
        finish(r);
        continue;
      }
      Client& c = *r->client;
      if (r->interrupt) {  // only if that request is still being served
        if (c.current == r->interrupt && c.process) host_.os().send_signal(c.process);
        delete r;
        continue;
      }
      if (!r->retire) --running_outside;  // the thread now waits for the simulation
      c.pending.push_back(r);
      if (!c.spawned) {
        c.spawned = true;
        sc_core::sc_spawn_options opt;
        opt.set_stack_size(2 << 20);  // driver calls run here
        std::string name = "preload_thread_" + std::to_string(c.id);
        sc_core::sc_spawn([this, cp = r->client] { worker(cp); }, name.c_str(), &opt);
        ++workers_;
      } else if (c.kick) {
        c.kick->notify(sc_core::SC_ZERO_TIME);
      }
    }
  }
}

void SimBridge::worker(std::shared_ptr<Client> c) {
  sc_core::sc_event kick;
  c->kick = &kick;
  c->process = sc_core::sc_get_current_process_handle().get_process_object();
  for (;;) {
    while (c->pending.empty()) sc_core::wait(kick);
    Request* r = c->pending.front();
    c->pending.pop_front();
    if (r->retire) {
      c->kick = nullptr;
      host_.os().forget_process(c->process);
      c->process = nullptr;
      if (c->wake_fd >= 0) close(c->wake_fd);
      c->wake_fd = -1;
      delete r;
      --workers_;
      return;  // the process ends; SystemC reclaims it
    }
    host_.os().clear_signal(c->process);  // a signal meant for an earlier call
    c->current = r;
    r->fn();
    c->current = nullptr;
    finish(r);
  }
}

// Keeps simulated time from racing ahead of a program that is still working. The pacer
// follows the kernel from one time point to the next without adding any of its own, until
// the next event is further away than a quantum (a CS deadline, a WAIT_CS timeout) while a
// program thread runs its own code (it may still submit the work that ends the wait, or has
// a request on its way): then it sleeps up to a quantum of wall time before it lets
// simulated time move on by that quantum. A request cuts the sleep short and is served at
// the current time.
void SimBridge::pacer() {
  using namespace sc_core;
  const auto wall = std::chrono::nanoseconds(uint64_t(quantum_.to_seconds() * 1e9));
  for (;;) {
    if (!sc_pending_activity()) {
      // Idle: nothing happens until a program thread asks. In wall-clock mode the request is
      // served once the wall time of the idle spell has passed in the simulation too.
      idle_since_ = std::chrono::steady_clock::now();
      idle_ = true;
      wait(inbox_->arrived);
      idle_ = false;
      continue;
    }
    sc_time next = sc_time_to_pending_activity();
    bool program_busy = running_outside.load() > 0;
    if (next == SC_ZERO_TIME) {
      // This time point is not finished yet. Waiting for its end, not a delta at a time:
      // a pacer re-armed every delta would itself keep the instant open for a process
      // that waits for its end (an interrupt handler's dma_rmb).
      gs::wait_instant_end();
    } else if (next <= quantum_ || !program_busy || quantum_ == SC_ZERO_TIME) {
      wait(next);  // with the kernel, to its next event
    } else {
      std::unique_lock<std::mutex> l(mu_);
      bool asked = wall_.wait_for(l, wall, [&] { return !queue_.empty() || dead_; });
      l.unlock();
      if (asked && host_.driver_ready()) {
        wait(SC_ZERO_TIME);  // the inbox's update runs now, before time moves
      } else if (asked) {
        // The dispatcher, a host process, starts once the driver has probed the cards
        // (seconds of firmware boot): until then the request stays queued, and waiting
        // for it in deltas would stop time. Let time reach the next event instead.
        wait(std::min(next, quantum_));
      } else {
        wait(quantum_);
      }
    }
  }
}

}  // namespace gsp
