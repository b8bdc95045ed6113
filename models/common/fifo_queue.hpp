// A first-in first-out queue in a ring of power-of-two size that allocates nothing until
// its first push. Ports hold many queues (an EgressPort one per priority, a switch output
// eight more) that mostly stay empty: a std::deque allocates about 600 bytes when it is
// made, and in a 1024-card fabric those bytes were a good part of what building a port cost.
// 24 bytes (32-bit head, size and capacity): with its byte count an egress port's queue is
// 32 bytes, half a cache line (models/fabric/egress_port.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>

namespace gs {

template <class T>
class FifoQueue {
 public:
  FifoQueue() = default;
  FifoQueue(const FifoQueue&) = delete;
  FifoQueue& operator=(const FifoQueue&) = delete;
  FifoQueue(FifoQueue&& o) noexcept { swap(o); }
  FifoQueue& operator=(FifoQueue&& o) noexcept {
    FifoQueue(std::move(o)).swap(*this);
    return *this;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() { return ring_[head_]; }
  const T& front() const { return ring_[head_]; }

  void push_back(T v) {
    if (size_ == mask_ + 1 || !ring_) grow();
    ring_[(head_ + size_) & mask_] = std::move(v);
    ++size_;
  }
  template <class... A> void emplace_back(A&&... a) { push_back(T(std::forward<A>(a)...)); }
  void pop_front() {
    ring_[head_] = T();  // a smart pointer lets go of its object now, as a deque's would
    head_ = (head_ + 1) & mask_;
    --size_;
  }
  void clear() {
    while (size_) pop_front();
    head_ = 0;
  }

  // Oldest first.
  template <class F> void for_each(F&& f) const {
    for (uint32_t i = 0; i < size_; ++i) f(ring_[(head_ + i) & mask_]);
  }

 private:
  void grow() {
    const uint64_t cap = ring_ ? 2 * (uint64_t(mask_) + 1) : 4;
    if (cap > (uint64_t(1) << 32)) throw std::length_error("FifoQueue: more than 2^32 entries");
    std::unique_ptr<T[]> ring(new T[cap]);
    for (uint32_t i = 0; i < size_; ++i) ring[i] = std::move(ring_[(head_ + i) & mask_]);
    ring_ = std::move(ring);
    mask_ = uint32_t(cap - 1);
    head_ = 0;
  }
  void swap(FifoQueue& o) noexcept {
    std::swap(ring_, o.ring_);
    std::swap(mask_, o.mask_);
    std::swap(head_, o.head_);
    std::swap(size_, o.size_);
  }

  std::unique_ptr<T[]> ring_;
  uint32_t mask_ = 0, head_ = 0, size_ = 0;  // mask_: capacity - 1 (a ring exists)
};

}  // namespace gs
