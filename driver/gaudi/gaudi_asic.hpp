// GAUDI's operations: bring-up order and the chip-specific details of the device:
// queue set-up, completion packets, interrupts and events, hard reset.
#pragma once
#include <cstdint>
#include <memory>

#include "driver/core/asic.hpp"
#include "driver/os/os.hpp"

namespace hl {

// Entries of the event queue ring (the Linux driver uses the same size).
constexpr unsigned kEqEntries = 64;
constexpr unsigned kCpuPqEntries = 256;

class GaudiAsic : public Asic {
 public:
  const char* name() const override { return "GAUDI"; }
  int early_init(HlDevice& d) override;
  int late_init(HlDevice& d) override;
  int hw_init(HlDevice& d) override;
  void fini(HlDevice& d) override;
  void free_resources(HlDevice& d) override;
  void handle_irq(HlDevice& d, unsigned vector) override;
  int hard_reset(HlDevice& d) override;
  int heartbeat(HlDevice& d) override;
  int scrub_hbm(HlDevice& d, uint64_t addr, uint64_t size) override;
  int power_mw(HlDevice& d, uint64_t* mw) override;
  int energy_mj(HlDevice& d, uint64_t* mj) override;
  // One 4- or 8-byte host access to device memory through the BARs, as Linux's debugfs
  // data32/data64 (the caller holds the device lock): 0, -EINVAL (size or alignment),
  // -EFAULT (no memory there), or the errno of moving the HBM window.
  int access_dev_mem(HlDevice& d, uint64_t addr, unsigned size, uint64_t* val, bool write);

  unsigned queue_count() const override;
  QueueDesc queue_desc(unsigned qid, const AsicProps& p) const override;
  uint32_t end_of_cb_size() const override;
  void write_end_of_cb(uint8_t* at, const HwQueue& q, uint32_t slot, bool engine_barrier) override;
  void write_pq_entry(HwQueue& q, uint32_t slot, uint64_t cb_addr, uint32_t size) override;
  uint32_t completion_entry(uint32_t slot) const override;
  void ring_doorbell(HlDevice& d, HwQueue& q) override;
  uint64_t host_to_device(uint64_t bus) const override;

 private:
  int wait_for_firmware(HlDevice& d);
  // gaudi_card_info.cpp: the card's description from the firmware (after the CPU queue is up)
  int fetch_card_info(HlDevice& d);
  int fetch_cpucp_info(HlDevice& d);
  int fetch_nic_ports(HlDevice& d);
  int fetch_serial(HlDevice& d);
  // One CPU-CP packet whose answer the firmware writes to a host buffer of `room` bytes
  // (INFO_GET, NIC_INFO_GET, EEPROM_DATA_GET); the copy lands in `out`.
  int cpucp_read_buffer(HlDevice& d, uint32_t opcode, void* out, uint32_t room);
  // gaudi_pci.cpp: the PCIe core through ELBI, the HBM BAR's window through the iATU
  int elbi_write(HlDevice& d, uint64_t device_addr, uint32_t value);
  int set_hbm_bar_base(HlDevice& d, uint64_t addr);
  uint64_t hbm_bar_bytes(HlDevice& d);  // sized through config space on first use
  // gaudi_queues.cpp
  int alloc_queues(HlDevice& d);
  void init_qmans(HlDevice& d);
  // gaudi_security.cpp: protection bits and the sync managers' driver ranges
  void init_security(HlDevice& d);
  // gaudi_cpu_queue.cpp: driver -> firmware messages
 public:
  // Sends one message and waits for the firmware's answer. Returns 0 (and *value holds the
  // result), -ETIMEDOUT if the firmware does not answer, -EINVAL/-EIO for its error codes.
  int send_cpu_message(HlDevice& d, uint32_t opcode, uint32_t index, uint64_t* value);

 private:
  int alloc_cpu_queue(HlDevice& d);
  void program_cpu_queue(HlDevice& d);
  // gaudi_events.cpp
  int init_event_queue(HlDevice& d);
  void handle_events(HlDevice& d);
  void handle_qman_error(HlDevice& d, unsigned event_type);
  void handle_nic_event(HlDevice& d, unsigned event_type);
  void handle_ecc_event(HlDevice& d, unsigned event_type, const uint8_t* entry);
  void handle_razwi(HlDevice& d, const uint8_t* entry);

  bool hbm_bar_known_ = false;  // hbm_bar_base_ is what the iATU holds
  uint64_t hbm_bar_base_ = 0;
  uint64_t hbm_bar_bytes_ = 0;
  bool msi_enabled_ = false;
  bool single_msi_ = false;
  uint8_t* eq_ = nullptr;   // event-queue ring in host memory
  uint64_t eq_bus_ = 0;
  uint32_t eq_ci_ = 0;
  uint8_t* cpu_pq_ = nullptr;   // CPU queue ring
  uint64_t cpu_pq_bus_ = 0;
  uint8_t* cpu_msg_ = nullptr;  // the message in flight (one at a time)
  uint64_t cpu_msg_bus_ = 0;
  uint32_t cpu_pi_ = 0;
  std::unique_ptr<os::Mutex> cpu_lock_;
};

}  // namespace hl
