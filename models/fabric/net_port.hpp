// What a cable plugs into: a NIC port of a GAUDI, a switch port, a third-party NIC. The
// topology builder connects two NetPorts with a pair of Links.
#pragma once
#include <cstdint>
#include <string>

#include "models/fabric/egress_port.hpp"
#include "models/fabric/packet.hpp"

namespace gs {

class NetPort {
 public:
  virtual ~NetPort() = default;
  virtual EgressPort& egress() = 0;    // our transmitter: the builder connects its link
  virtual NetReceiver& ingress() = 0;  // where the link from the peer delivers frames
  virtual uint64_t mac() const = 0;
  virtual uint32_t ip() const = 0;
  virtual void set_address(uint64_t mac, uint32_t ip) = 0;
  // The cable's state changed (link up/down events, flushing queues on down).
  virtual void link_changed(bool up) = 0;
  virtual std::string port_name() const = 0;
};

}  // namespace gs
