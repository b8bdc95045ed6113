// One port of a switch: the cable plugs in here. Frames from the cable go to the switch's
// forwarding logic; frames the switch forwards leave through this port's EgressPort.
#pragma once
#include <cstdint>
#include <string>

#include "models/fabric/net_port.hpp"

namespace gs {

class Switch;

class SwitchPort : public NetPort, public NetReceiver {
 public:
  SwitchPort(Switch& owner, unsigned index, EgressPort& egress) : sw_(owner), index_(index), egress_(egress) {}

  EgressPort& egress() override { return egress_; }
  NetReceiver& ingress() override { return *this; }
  uint64_t mac() const override { return mac_; }
  uint32_t ip() const override { return 0; }  // switches route, they have no address on the data path
  void set_address(uint64_t mac, uint32_t /*ip*/) override { mac_ = mac; }
  void link_changed(bool up) override;        // switch.cpp
  std::string port_name() const override { return egress_.name(); }
  void receive(const PacketPtr& p) override;  // switch.cpp

  unsigned index() const { return index_; }
  bool up() const { return up_ && egress_.connected(); }

 private:
  Switch& sw_;
  unsigned index_;
  EgressPort& egress_;
  uint64_t mac_ = 0;
  bool up_ = true;
};

}  // namespace gs
