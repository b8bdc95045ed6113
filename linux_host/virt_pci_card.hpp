// One simulated card as a virt-pci device of a UML guest: configuration-space and BAR
// messages from the command queue become bus accesses on the card's PCIe endpoint; the
// card's DMA reads and writes the guest's memory; its MSI writes become MSI messages on the
// interrupt queue. Commands run in order in the card's own SystemC thread (accesses take
// simulated time); the server's thread only takes them off the ring.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "linux_host/vhost_user_conn.hpp"
#include "models/card/card.hpp"

namespace gs {

class VirtPciCard : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<VirtPciCard> to_card;  // host -> endpoint (BARs)
  tlm_utils::simple_target_socket<VirtPciCard> from_card;   // endpoint -> host (DMA, MSI)

  VirtPciCard(sc_core::sc_module_name name, Card& card, const PcieParams& pp);

  void attach(std::unique_ptr<VhostUserConn> conn) { conn_ = std::move(conn); }
  void detach() { conn_.reset(); todo_.clear(); }
  VhostUserConn* conn() { return conn_.get(); }
  // Takes every available command off the ring for the card's command thread, which runs
  // them in order (each taking its simulated time) and hands them back. Returns how many.
  unsigned serve_commands();
  // Delivers MSIs that waited for an interrupt-queue buffer.
  void flush_interrupts();
  // Time-travel mode: queue interrupts are not signalled at once (the guest may be running);
  // call_pending() says which queue has one, and `raised` is notified when one appears.
  void set_time_travel(sc_core::sc_event* raised) { raised_ = raised; }
  bool call_pending(unsigned q) const { return call_pending_[q]; }
  void clear_call(unsigned q) { call_pending_[q] = false; }

  Card& card() { return card_; }
  uint64_t dma_bytes() const { return dma_bytes_; }
  uint64_t dma_errors() const { return dma_errors_; }
  uint64_t msis() const { return msis_; }
  // Guest accesses no model answered, by 4 KiB block: key = BAR << 56 | offset in the BAR.
  struct Unmodelled {
    uint64_t reads = 0, writes = 0;
  };
  const std::map<uint64_t, Unmodelled>& unmodelled() const { return unmodelled_; }

 private:
  void upstream(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void command_thread();
  void signal(unsigned q);
  uint32_t handle(const pcidev::Msg& m, const uint8_t* data, Virtqueue::Chain& c);
  uint32_t handle_op(const pcidev::Msg& m, const uint8_t* data, std::vector<uint8_t>& buf, Virtqueue::Chain& c);
  void cfg_access(bool write, uint32_t off, uint32_t size, uint8_t* data);
  bool bar_access(bool write, unsigned bar, uint64_t off, uint8_t* data, uint64_t len);

  Card& card_;
  const PcieParams& pp_;
  std::unique_ptr<VhostUserConn> conn_;
  std::deque<uint32_t> pending_msi_;
  std::deque<Virtqueue::Chain> todo_;  // taken off the command ring, not yet run
  sc_core::sc_event todo_added_;
  sc_core::sc_event* raised_ = nullptr;  // time-travel mode only
  bool call_pending_[2] = {false, false};
  bool posted_done_ = false;  // a posted write completed since the last signal
  uint64_t dma_bytes_ = 0, dma_errors_ = 0, msis_ = 0;
  std::map<uint64_t, Unmodelled> unmodelled_;
};

}  // namespace gs
