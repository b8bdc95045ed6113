// Time-travel mode of the device server: it is the calendar of UML's time-travel=ext
// protocol and SystemC time is the guest's clock (docs/linux-host.md, "Time").
//
// The guest and the model take turns. While the guest runs, SystemC time stands still: the
// server answers the guest's messages (vhost-user control, in-band kicks, calendar GET /
// REQUEST / UPDATE) at the current time, running only the delta cycles they cause. When the
// guest waits (WAIT, after a REQUEST for its next event), the server advances SystemC to
// that time (every model event before it runs) and grants it (RUN), unless a card raises an
// interrupt first: then the interrupt goes to the guest in-band (SLAVE_VRING_CALL) at that
// time, the guest asks to run at once, and is granted. Every exchange is synchronous, so the
// same guest and config give the same run, to the nanosecond.
#include <poll.h>

#include <cstdio>
#include <vector>

#include "linux_host/device_server.hpp"

namespace gs {

uint64_t DeviceServer::now_ns() const {
  return uint64_t(sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value());
}

void DeviceServer::settle() {
  while (sc_core::sc_pending_activity_at_current_time()) wait(sc_core::SC_ZERO_TIME);
}

// One calendar message. False when the link broke.
bool DeviceServer::handle_tt(const tt::Msg& m) {
  ++messages_;
  // Commands the guest queued before this message are served at this time (the guest kicks
  // in-band, so this only catches a ring the guest filled without a kick).
  for (auto& p : ports_) p->serve_commands();
  settle();
  switch (m.op) {
    case tt::kStart:
      return tt_->ack_start(m.seq);
    case tt::kGetTod:
      return tt_->ack(m.seq, o_.time_of_day_ns);
    case tt::kGet:
      return tt_->ack(m.seq, now_ns());
    case tt::kUpdate:
      // The guest's time only moves when the calendar grants it: an update is the current time.
      if (m.time != now_ns())
        std::fprintf(stderr, "device-server: time travel: guest UPDATE %llu ns, calendar at %llu ns\n",
                     (unsigned long long)m.time, (unsigned long long)now_ns());
      return tt_->ack(m.seq);
    case tt::kRequest:
      request_ns_ = m.time;
      return tt_->ack(m.seq);
    case tt::kWait:
      guest_waiting_ = true;
      return tt_->ack(m.seq);
    case tt::kAck:  // the guest's answer to a RUN
      return true;
    case tt::kBroadcast:
      return tt_->ack(m.seq);
    default:
      std::fprintf(stderr, "device-server: time travel: unexpected message %s (%u)\n", tt::op_name(m.op), m.op);
      return tt_->ack(m.seq);
  }
}

// The guest runs: block on its sockets until it waits on the calendar.
bool DeviceServer::guest_turn() {
  while (!guest_waiting_) {
    std::vector<pollfd> fds;
    std::vector<int> card;  // -1: the calendar link
    fds.push_back({tt_->fd() >= 0 ? tt_->fd() : tt_->listen_fd(), POLLIN, 0});
    card.push_back(-1);
    for (unsigned i = 0; i < ports_.size(); ++i) {
      VhostUserConn* c = ports_[i]->conn();
      fds.push_back({c ? c->fd() : listen_fds_[i], POLLIN, 0});
      card.push_back(int(i));
    }
    if (poll(fds.data(), fds.size(), -1) <= 0) continue;
    for (size_t k = 0; k < fds.size(); ++k) {
      if (!fds[k].revents) continue;
      if (card[k] < 0) {
        if (tt_->fd() < 0) {
          tt_->accept();
          if (o_.verbose) std::fprintf(stderr, "device-server: guest connected to the calendar\n");
          continue;
        }
        tt::Msg m;
        if (!tt_->receive(m) || !handle_tt(m)) return false;
        continue;
      }
      unsigned i = unsigned(card[k]);
      if (!ports_[i]->conn()) {
        accept_card(i);
      } else if (!ports_[i]->conn()->service()) {
        if (o_.verbose) std::fprintf(stderr, "device-server: card %u disconnected\n", i);
        ports_[i]->detach();
      }
    }
    inject_faults();
    if (guest_gone()) return false;
  }
  return true;
}

// In-band interrupts raised since the last look. Each is answered by the guest; meanwhile it
// asks the calendar for the time and to run at once.
bool DeviceServer::deliver_calls() {
  for (auto& p : ports_) {
    VhostUserConn* c = p->conn();
    for (unsigned q = 0; q < 2; ++q) {
      if (!p->call_pending(q)) continue;
      p->clear_call(q);
      if (!c || !c->send_vring_call(q)) continue;
      ++calls_;
      for (;;) {
        pollfd fds[2] = {{tt_->fd(), POLLIN, 0}, {c->slave_fd(), POLLIN, 0}};
        if (poll(fds, 2, -1) <= 0) continue;
        if (fds[0].revents) {
          tt::Msg m;
          if (!tt_->receive(m) || !handle_tt(m)) return false;
        }
        if (fds[1].revents) {
          if (!c->read_slave_reply()) return false;
          break;
        }
      }
    }
  }
  return true;
}

// The guest waits for request_ns_: advance SystemC to it, or to an interrupt before it.
bool DeviceServer::calendar_turn() {
  const uint64_t ps_per_ns = sc_core::sc_time(1, sc_core::SC_NS).value();
  const uint64_t max_ns = ~uint64_t(0) / ps_per_ns;
  for (;;) {
    settle();
    if (!deliver_calls()) return false;
    uint64_t now = now_ns();
    if (request_ns_ <= now) {
      if (request_ns_ < now)
        std::fprintf(stderr, "device-server: time travel: guest asked for %llu ns, calendar at %llu ns\n",
                     (unsigned long long)request_ns_, (unsigned long long)now);
      guest_waiting_ = false;
      ++runs_;
      return tt_->run(now);
    }
    if (request_ns_ >= max_ns) {
      std::fprintf(stderr, "device-server: time travel: the guest waits for %llu ns, past SystemC's range\n",
                   (unsigned long long)request_ns_);
      return false;
    }
    wait(sc_core::sc_time::from_value((request_ns_ - now) * ps_per_ns), call_raised_);
    inject_faults();
  }
}

void DeviceServer::run_time_travel() {
  for (;;) {
    if (!guest_turn()) break;
    if (!calendar_turn()) break;
  }
  if (o_.verbose) std::fprintf(stderr, "device-server: guest left the calendar at %llu ns\n", (unsigned long long)now_ns());
}

}  // namespace gs
