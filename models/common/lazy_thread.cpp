#include "models/common/lazy_thread.hpp"

namespace gs {

uint64_t LazyThread::alive_ = 0;

LazyThread::LazyThread(std::string name, size_t stack_bytes, std::function<void()> body)
    : LazyThread(sc_core::sc_get_curr_simcontext()->hierarchy_curr(), std::move(name), stack_bytes, std::move(body)) {}

LazyThread::LazyThread(sc_core::sc_module* owner, std::string name, size_t stack_bytes, std::function<void()> body)
    : name_(std::move(name)), owner_(owner), stack_bytes_(stack_bytes), body_(std::move(body)) {}

void LazyThread::kick() {
  if (running_) return;
  running_ = true;
  ++starts_;
  if (created_) {  // parked: the next delta cycle runs the body again
    start_->notify(sc_core::SC_ZERO_TIME);
    return;
  }
  created_ = true;
  start_ = std::make_unique<sc_core::sc_event>();
  ++alive_;
  sc_core::sc_spawn_options opts;
  opts.set_stack_size(stack_bytes_);
  opts.set_sensitivity(start_.get());
  opts.dont_initialize();
  // The owner as the current hierarchy makes the new process its child.
  sc_core::sc_simcontext* sim = sc_core::sc_get_curr_simcontext();
  if (owner_) sim->hierarchy_push(owner_);
  sc_core::sc_spawn(
      [this] {
        for (;;) {
          body_();
          running_ = false;
          sc_core::wait(*start_);
        }
      },
      sc_core::sc_gen_unique_name(name_.c_str()), &opts);
  if (owner_) sim->hierarchy_pop();
  start_->notify(sc_core::SC_ZERO_TIME);
}

}  // namespace gs
