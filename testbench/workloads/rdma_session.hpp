// What the RDMA workloads share: one simulated process per card with its own driver handle,
// an out-of-band rendezvous (the role MPI or a socket plays for real programs) to swap
// connection ids and buffer addresses, and connection set-up through the NIC ioctl.
#pragma once
#include <cstdint>
#include <string>

#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "driver/lib/nic_thunk.hpp"
#include "driver/lib/thunk.hpp"
#include "testbench/system.hpp"

namespace gs {

// Values published by one process and awaited by another: the communication library's
// in-process bootstrap group (driver/lib/comm), waiting in simulated time.
using Rendezvous = hlcomm::InProcessGroup;

struct CardSession {
  CardSession(System& sys, unsigned card);
  ~CardSession();
  System& sys;
  unsigned card;   // global index
  Host& host;
  unsigned dev;    // index on its host
  hlthunk::Thunk t;
  int fd = -1;
};

// The port of `card` that reaches `peer`: the direct link if there is one, else the first
// port cabled to a switch. -1 if none.
int port_towards(Fabric& f, unsigned card, unsigned peer, unsigned ports);

// Allocates a connection on (s.card, port), swaps ids with the peer's process through the
// rendezvous, and sets both halves towards the peer. Returns the local connection id, or a
// negative errno. Both processes must call it with mirrored arguments.
int connect_to(CardSession& s, Rendezvous& rv, unsigned port, unsigned peer_card, unsigned peer_port);

// W_S sync objects and monitors the workloads use (the user range).
constexpr uint32_t kSobArrived = 160, kSobPong = 161, kSobDone = 162, kSobIncoming = 163;
constexpr uint32_t kMonPing = 80, kMonDone = 81, kMonIncoming = 82;

}  // namespace gs
