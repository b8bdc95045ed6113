// One simulated card as a virt-pci device of a UML guest: configuration-space and BAR
// messages from the command queue become bus accesses on the card's PCIe endpoint; the
// card's DMA reads and writes the guest's memory; its MSI writes become MSI messages on the
// interrupt queue. Runs in the server's SystemC thread (accesses may take simulated time).
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
  void detach() { conn_.reset(); }
  VhostUserConn* conn() { return conn_.get(); }
  // Serves every available command; call from an SC_THREAD. Returns messages handled.
  unsigned serve_commands();
  // Delivers MSIs that waited for an interrupt-queue buffer.
  void flush_interrupts();

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
  uint32_t handle(const pcidev::Msg& m, const uint8_t* data, Virtqueue::Chain& c);
  uint32_t handle_op(const pcidev::Msg& m, const uint8_t* data, std::vector<uint8_t>& buf, Virtqueue::Chain& c);
  void cfg_access(bool write, uint32_t off, uint32_t size, uint8_t* data);
  bool bar_access(bool write, unsigned bar, uint64_t off, uint8_t* data, uint64_t len);

  Card& card_;
  const PcieParams& pp_;
  std::unique_ptr<VhostUserConn> conn_;
  std::deque<uint32_t> pending_msi_;
  uint64_t dma_bytes_ = 0, dma_errors_ = 0, msis_ = 0;
  std::map<uint64_t, Unmodelled> unmodelled_;
};

}  // namespace gs
