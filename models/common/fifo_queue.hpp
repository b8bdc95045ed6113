// A first-in first-out queue in a ring of power-of-two size that allocates nothing until
// its first push. Ports hold many queues (an EgressPort one per priority, a switch output
// eight more) that mostly stay empty: a std::deque allocates about 600 bytes when it is
// made, and in a 1024-card fabric those bytes were a good part of what building a port cost.
#pragma once
#include <cstddef>
#include <memory>
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
    if (size_ == cap_) grow();
    ring_[(head_ + size_) & (cap_ - 1)] = std::move(v);
    ++size_;
  }
  template <class... A> void emplace_back(A&&... a) { push_back(T(std::forward<A>(a)...)); }
  void pop_front() {
    ring_[head_] = T();  // a smart pointer lets go of its object now, as a deque's would
    head_ = (head_ + 1) & (cap_ - 1);
    --size_;
  }
  void clear() {
    while (size_) pop_front();
    head_ = 0;
  }

  // Oldest first.
  template <class F> void for_each(F&& f) const {
    for (size_t i = 0; i < size_; ++i) f(ring_[(head_ + i) & (cap_ - 1)]);
  }

 private:
  void grow() {
    size_t cap = cap_ ? 2 * cap_ : 4;
    std::unique_ptr<T[]> ring(new T[cap]);
    for (size_t i = 0; i < size_; ++i) ring[i] = std::move(ring_[(head_ + i) & (cap_ - 1)]);
    ring_ = std::move(ring);
    cap_ = cap;
    head_ = 0;
  }
  void swap(FifoQueue& o) noexcept {
    std::swap(ring_, o.ring_);
    std::swap(cap_, o.cap_);
    std::swap(head_, o.head_);
    std::swap(size_, o.size_);
  }

  std::unique_ptr<T[]> ring_;
  size_t cap_ = 0, head_ = 0, size_ = 0;
};

}  // namespace gs
