// The messages of a partitioned run, as bytes: frames that cross a cut link (headers, the
// arrival time, and the payload bytes when the frame carries any) and the out-of-band
// bootstrap's publications. Plain data: both sides are this program.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/fabric/packet.hpp"

namespace gs::wire_msg {

enum Kind : uint8_t { kFrame = 1, kPublication = 2 };

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}
  template <class T> void put(const T& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    out_.insert(out_.end(), p, p + sizeof(T));
  }
  void bytes(const uint8_t* p, size_t n) {
    put<uint64_t>(n);
    out_.insert(out_.end(), p, p + n);
  }

 private:
  std::vector<uint8_t>& out_;
};

class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }
  template <class T> T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::vector<uint8_t> bytes() {
    const uint64_t n = get<uint64_t>();
    need(n);
    std::vector<uint8_t> v(in_.begin() + long(pos_), in_.begin() + long(pos_ + n));
    pos_ += n;
    return v;
  }

 private:
  void need(size_t n) const {
    if (pos_ + n > in_.size()) throw std::runtime_error("partition: a message from another rank is truncated");
  }
  const std::vector<uint8_t>& in_;
  size_t pos_ = 0;
};

void put_packet(Writer& w, const Packet& p);
PacketPtr get_packet(Reader& r);

}  // namespace gs::wire_msg
