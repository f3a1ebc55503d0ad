#pragma once
/// \file
/// The atomics and the wait/wake counter the repo's headers use, without `<atomic>`.
///
/// Every translation unit that includes the repo parses these headers. With libstdc++ 12,
/// `<atomic>` costs such a translation unit about 140 million of clang's instructions (1.3% of
/// the compile-time benchmark's, callgrind), mostly for `atomic::wait`, which the repo needs on
/// one rare path only. So with GCC and clang the few operations used are the compilers' own
/// `__atomic` builtins, and waiting is a POSIX condition variable (`<pthread.h>`, which
/// `<mutex>` includes anyway). Elsewhere both are `<atomic>`.

#include <cstdint>

#if defined(__GNUC__) && __has_include(<pthread.h>)
#define ASH_SYNC_BUILTINS 1
#include <pthread.h>
#else
#define ASH_SYNC_BUILTINS 0
#include <atomic>
#endif

namespace ash::detail {

enum class order { relaxed, seq_cst };

/// An atomic integer or pointer: the operations the library uses, sequentially consistent
/// unless `order::relaxed` is asked for.
template <class T>
class atomic {
 public:
  constexpr atomic() noexcept = default;
  constexpr atomic(T v) noexcept : v_(v) {}
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

#if ASH_SYNC_BUILTINS
  T load(order o = order::seq_cst) const noexcept { return __atomic_load_n(&v_, mo(o)); }
  void store(T v, order o = order::seq_cst) noexcept { __atomic_store_n(&v_, v, mo(o)); }
  T exchange(T v) noexcept { return __atomic_exchange_n(&v_, v, __ATOMIC_SEQ_CST); }
  bool compare_exchange_strong(T& expected, T desired) noexcept {
    return __atomic_compare_exchange_n(&v_, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
  T fetch_add(T d) noexcept { return __atomic_fetch_add(&v_, d, __ATOMIC_SEQ_CST); }
  T fetch_sub(T d) noexcept { return __atomic_fetch_sub(&v_, d, __ATOMIC_SEQ_CST); }

 private:
  static constexpr int mo(order o) noexcept { return o == order::relaxed ? __ATOMIC_RELAXED : __ATOMIC_SEQ_CST; }
  T v_{};
#else
  T load(order o = order::seq_cst) const noexcept { return v_.load(mo(o)); }
  void store(T v, order o = order::seq_cst) noexcept { v_.store(v, mo(o)); }
  T exchange(T v) noexcept { return v_.exchange(v); }
  bool compare_exchange_strong(T& expected, T desired) noexcept { return v_.compare_exchange_strong(expected, desired); }
  T fetch_add(T d) noexcept { return v_.fetch_add(d); }
  T fetch_sub(T d) noexcept { return v_.fetch_sub(d); }

 private:
  static constexpr std::memory_order mo(order o) noexcept {
    return o == order::relaxed ? std::memory_order_relaxed : std::memory_order_seq_cst;
  }
  std::atomic<T> v_{};
#endif
};

/// A counter that threads can sleep on until it moves: `seen = load()`, then `wait(seen)`
/// returns once `bump_and_wake_one()` has moved it (at once if it already has).
class wake_counter {
 public:
  wake_counter() = default;
  wake_counter(const wake_counter&) = delete;
  wake_counter& operator=(const wake_counter&) = delete;

#if ASH_SYNC_BUILTINS
  ~wake_counter() {
    pthread_cond_destroy(&cond_);
    pthread_mutex_destroy(&mutex_);
  }
  std::uint32_t load() noexcept {
    pthread_mutex_lock(&mutex_);
    const std::uint32_t v = value_;
    pthread_mutex_unlock(&mutex_);
    return v;
  }
  void wait(std::uint32_t seen) noexcept {
    pthread_mutex_lock(&mutex_);
    while (value_ == seen) pthread_cond_wait(&cond_, &mutex_);
    pthread_mutex_unlock(&mutex_);
  }
  void bump_and_wake_one() noexcept {
    pthread_mutex_lock(&mutex_);
    ++value_;
    pthread_cond_signal(&cond_);
    pthread_mutex_unlock(&mutex_);
  }

 private:
  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cond_ = PTHREAD_COND_INITIALIZER;
  std::uint32_t value_ = 0;
#else
  std::uint32_t load() noexcept { return v_.load(); }
  void wait(std::uint32_t seen) noexcept { v_.wait(seen); }
  void bump_and_wake_one() noexcept {
    v_.fetch_add(1);
    v_.notify_one();
  }

 private:
  std::atomic<std::uint32_t> v_{0};
#endif
};

}  // namespace ash::detail
