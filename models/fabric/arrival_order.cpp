#include "models/fabric/arrival_order.hpp"

#include <cstring>
#include <iterator>
#include <map>
#include <memory>

#include "models/common/spawn_method.hpp"
#include "models/fabric/link.hpp"

namespace gs {

bool ArrivalOrder::Entry::operator<(const Entry& o) const {
  if (at != o.at) return at < o.at;
  if (link != o.link) {
    const int c = std::strcmp(link_name, o.link_name);
    if (c) return c < 0;
  }
  return seq < o.seq;
}

ArrivalOrder& ArrivalOrder::get() {
  static std::map<sc_core::sc_simcontext*, std::unique_ptr<ArrivalOrder>> per_simulation;
  std::unique_ptr<ArrivalOrder>& p = per_simulation[sc_core::sc_get_curr_simcontext()];
  if (!p) p.reset(new ArrivalOrder());
  return *p;
}

ArrivalOrder::ArrivalOrder() {
  // Sensitive to the wake's own event: zero-latency arrivals come as a delta notification.
  spawn_method_on(wake_.event(), [this] { deliver_due(); }, "arrival_order");
}

void ArrivalOrder::schedule(sc_core::sc_time at, Link* link, uint64_t seq) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  due_.insert({at, link->name(), seq, link});
  wake_.notify(due_.begin()->at - now);  // an earlier pending notification wins
}

void ArrivalOrder::forget(const Link* link) {
  for (auto it = due_.begin(); it != due_.end();) it = it->link == link ? due_.erase(it) : std::next(it);
}

void ArrivalOrder::deliver_due() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!due_.empty() && due_.begin()->at <= now) {
    const Entry e = *due_.begin();
    due_.erase(due_.begin());
    e.link->arrive(e.seq);
  }
  if (!due_.empty()) wake_.notify(due_.begin()->at - now);
}

}  // namespace gs
