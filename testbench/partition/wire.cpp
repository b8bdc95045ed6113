#include "testbench/partition/wire.hpp"
#include "models/fabric/packet_pool.hpp"

namespace gs::wire_msg {

void put_packet(Writer& w, const Packet& p) {
  w.put(p.uid), w.put(p.src_mac), w.put(p.dst_mac), w.put(p.src_ip), w.put(p.dst_ip);
  w.put(p.udp_sport), w.put(p.udp_dport), w.put(p.priority), w.put(p.ecn), w.put(p.op);
  w.put(p.dest_qp), w.put(p.psn), w.put(p.ack_req), w.put(p.va), w.put(p.rkey), w.put(p.dma_len);
  w.put(p.imm), w.put(p.syndrome), w.put(p.msn), w.put(p.payload_len), w.put(p.corrupted);
  w.put(p.is_pause), w.put(p.pause_mask), w.put(p.pause_on);
  // Payload bytes travel only when the frame has them (sim.payload=timing frames carry sizes).
  const bool has_data = p.data != nullptr;
  w.put(has_data);
  if (has_data) w.bytes(p.data.get() + p.data_offset, p.payload_len);
}

PacketPtr get_packet(Reader& r) {
  auto p = make_packet();
  p->uid = r.get<uint64_t>(), p->src_mac = r.get<uint64_t>(), p->dst_mac = r.get<uint64_t>();
  p->src_ip = r.get<uint32_t>(), p->dst_ip = r.get<uint32_t>();
  p->udp_sport = r.get<uint16_t>(), p->udp_dport = r.get<uint16_t>(), p->priority = r.get<uint8_t>();
  p->ecn = r.get<uint8_t>(), p->op = r.get<RoceOp>();
  p->dest_qp = r.get<uint32_t>(), p->psn = r.get<uint32_t>(), p->ack_req = r.get<bool>();
  p->va = r.get<uint64_t>(), p->rkey = r.get<uint32_t>(), p->dma_len = r.get<uint32_t>();
  p->imm = r.get<uint32_t>(), p->syndrome = r.get<uint8_t>(), p->msn = r.get<uint32_t>();
  p->payload_len = r.get<uint32_t>(), p->corrupted = r.get<bool>();
  p->is_pause = r.get<bool>(), p->pause_mask = r.get<uint8_t>(), p->pause_on = r.get<bool>();
  if (r.get<bool>()) {
    auto d = std::make_shared<const std::vector<uint8_t>>(r.bytes());
    p->data = std::shared_ptr<const uint8_t>(d, d->data());
    p->data_offset = 0;
  }
  return p;
}

}  // namespace gs::wire_msg
