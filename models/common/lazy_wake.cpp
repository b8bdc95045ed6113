#include "models/common/lazy_wake.hpp"

#include "models/common/spawn_method.hpp"

namespace gs {

void LazyWake::notify(sc_core::sc_time delay) {
  if (!made_) made_.emplace(std::string(owner_->name()) + suffix_, action_);
  if (delay == sc_core::SC_ZERO_TIME && !made_->method) {  // a delta notification: a method runs it
    made_->method = true;
    sc_core::sc_simcontext* sim = sc_core::sc_get_curr_simcontext();
    sim->hierarchy_push(owner_);  // the owner's child, not the notifier's
    spawn_method_on(made_->wake.event(), action_, stem_);
    sim->hierarchy_pop();
  }
  made_->wake.notify(delay);
}

}  // namespace gs
