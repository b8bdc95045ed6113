// The calendar side of UML's external time-travel protocol (time-travel=ext:ID:SOCKET; the
// public header include/uapi/linux/um_timetravel.h): one UML kernel connects, asks for the
// time and for run time, and runs only when the calendar grants it. The device server is the
// calendar and SystemC time is the clock (docs/linux-host.md, "Time").
#pragma once
#include <cstdint>
#include <string>

namespace gs::tt {

// struct um_timetravel_msg: {u32 op, u32 seq, u64 time (ns)}.
struct Msg {
  uint32_t op, seq;
  uint64_t time;
} __attribute__((packed));

enum Op : uint32_t {
  kAck = 0,        // answer to any message; GET, GET_TOD: time carries the answer
  kStart = 1,      // guest -> calendar: first message, time = the guest's ID
  kRequest = 2,    // guest -> calendar: "my next event is at time" (replaces the previous one)
  kWait = 3,       // guest -> calendar: "I wait for my request" (then RUN)
  kGet = 4,        // guest -> calendar: current time
  kUpdate = 5,     // guest -> calendar: the guest's time (before it notifies a device)
  kRun = 6,        // calendar -> guest: run, at time
  kFreeUntil = 7,  // calendar -> guest: may run on its own until time (not used)
  kGetTod = 8,     // guest -> calendar: time of day at time 0 (ns since the epoch)
  kBroadcast = 9,
};

// The guest's socket. Messages are whole (12 bytes, sent with one write by both sides).
class Link {
 public:
  explicit Link(std::string path);  // listens
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  int listen_fd() const { return listen_fd_; }
  int fd() const { return fd_; }  // -1 until the guest connected
  bool accept();
  // Next message; false when the guest closed the link or sent a short message.
  bool receive(Msg& m);
  // The START answer: two file descriptors ride with it (UML reads a shared-memory and a log
  // descriptor from it unconditionally); the shared memory's version 0 tells UML to keep to
  // messages, and it closes both.
  bool ack_start(uint32_t seq);
  bool ack(uint32_t seq, uint64_t time = 0);
  bool run(uint64_t time);
  const std::string& path() const { return path_; }

 private:
  bool send(const Msg& m);
  std::string path_;
  int listen_fd_ = -1, fd_ = -1;
  uint32_t seq_ = 0;
};

const char* op_name(uint32_t op);

}  // namespace gs::tt
