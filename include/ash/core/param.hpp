#pragma once
/// \file
/// `ash::param`: one value ready to bind, type-erased to SQLite's five storage classes.
///
/// Queries turn their typed values into an array of params, and the runtime binds that array
/// through one non-template function, so binding code is compiled once, not per query (the same
/// trick as fmt's `vformat`). Text is borrowed when the source outlives the statement, copied into
/// a small inline buffer when short (UUIDs, timestamps), or owned when long (JSON).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ash/detail/attributes.hpp"

namespace ash {

/// SQLite's storage classes.
enum class storage_class : std::uint8_t { null, integer, real, text, blob };

/// One bindable value: a plain, trivially copyable record, so arrays and lists of params cost
/// no construction or destruction code per element. Short text and bytes live in the param
/// (`data()` finds them wherever it is copied), borrowed ones are shared, and long ones are
/// owned on the heap: whoever holds such a param frees it with `release()` — `param_list`,
/// `param_array` and `scoped_param` below do, and a plain copy of an owning param is a view of
/// the same text, not a second owner.
class param {
 public:
  void set_null() noexcept { kind_ = storage_class::null; }
  void set_int(std::int64_t v) noexcept { kind_ = storage_class::integer; i_ = v; }
  void set_real(double v) noexcept { kind_ = storage_class::real; d_ = v; }
  /// Text that outlives the statement execution (bound without a copy).
  void set_text_ref(std::string_view v) noexcept { set_bytes_ref(storage_class::text, v.data(), v.size()); }
  /// Text that may not outlive this call: kept inline when short, else owned.
  void set_text_copy(std::string_view v) { set_bytes_copy(storage_class::text, v.data(), v.size()); }
  /// Text made for this param (a JSON document, a pattern): kept inline when short, else owned.
  ASH_NOINLINE void set_text_owned(std::string&& v) { set_bytes_copy(storage_class::text, v.data(), v.size()); }
  void set_blob_ref(const void* p, std::size_t n) noexcept { set_bytes_ref(storage_class::blob, p, n); }
  void set_blob_copy(const void* p, std::size_t n) { set_bytes_copy(storage_class::blob, p, n); }

  storage_class kind() const noexcept { return kind_; }
  std::int64_t as_int() const noexcept { return i_; }
  double as_real() const noexcept { return d_; }
  const char* data() const noexcept { return where_ == where::inline_buf ? buf_ : p_; }
  std::size_t size() const noexcept { return n_; }
  std::string_view text() const noexcept { return {data(), size()}; }

  /// Makes borrowed text or bytes a copy of their own, so the param outlives the value it was
  /// bound from (expressions keep their values this way).
  ASH_NOINLINE void own() {
    if (where_ == where::borrowed && (kind_ == storage_class::text || kind_ == storage_class::blob))
      set_bytes_copy(kind_, p_, n_);
  }
  /// A param with the same value that owns its own copy of owned text.
  ASH_NOINLINE param clone() const {
    param c = *this;
    if (where_ == where::heap) {
      c.where_ = where::borrowed;
      c.own();
    }
    return c;
  }
  /// Frees owned text; the param becomes null.
  void release() noexcept {
    if (where_ == where::heap) delete[] p_;
    kind_ = storage_class::null;
    where_ = where::borrowed;
    p_ = nullptr;
    n_ = 0;
  }

 private:
  enum class where : std::uint8_t { borrowed, inline_buf, heap };
  void set_bytes_ref(storage_class k, const void* p, std::size_t n) noexcept {
    kind_ = k;
    where_ = where::borrowed;
    p_ = static_cast<const char*>(p);
    n_ = n;
  }
  ASH_NOINLINE void set_bytes_copy(storage_class k, const void* p, std::size_t n) {
    if (where_ == where::heap) delete[] p_;  // text it owned before (p is never inside it)
    kind_ = k;
    n_ = n;
    if (n <= sizeof buf_) {
      where_ = where::inline_buf;
      if (n) std::memcpy(buf_, p, n);
    } else {
      char* heap = new char[n];
      std::memcpy(heap, p, n);
      where_ = where::heap;
      p_ = heap;
    }
  }

  storage_class kind_ = storage_class::null;
  where where_ = where::borrowed;
  std::int64_t i_ = 0;
  double d_ = 0;
  const char* p_ = nullptr;
  std::size_t n_ = 0;
  char buf_[48];
};

static_assert(std::is_trivially_copyable_v<param> && std::is_trivially_destructible_v<param>,
              "ash: param_list moves params with memcpy");

/// Frees the owned text of `n` params.
ASH_NOINLINE inline void release_params(param* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) p[i].release();
}

/// A fixed array of params that frees their owned text when it goes: what a statement binds
/// from a record.
template <std::size_t N>
struct param_array {
  param items[N > 0 ? N : 1];
  param_array() = default;
  param_array(const param_array&) = delete;
  param_array& operator=(const param_array&) = delete;
  ~param_array() { release_params(items, N); }
  param& operator[](std::size_t i) noexcept { return items[i]; }
};

/// One param that frees its owned text when it goes (a temporary to bind into).
struct scoped_param : param {
  scoped_param() = default;
  scoped_param(const scoped_param&) = delete;
  scoped_param& operator=(const scoped_param&) = delete;
  ~scoped_param() { release(); }
};

/// The values of an expression or a query, in the order of their `?` in the SQL text. Not a
/// template: building, joining and binding value lists is compiled once for every query, so a
/// query adds only its shape (a type) to a program, not code to carry its values around.
///
/// The values live in a plain heap block: `param` is trivially copyable, so growing, splicing and
/// moving are `realloc`, `memmove` and `memcpy`, with no `std::vector<param>` and its growth
/// code for every translation unit to compile.
class param_list {
 public:
  param_list() = default;
  param_list(param_list&& o) noexcept : items_(o.items_), size_(o.size_), capacity_(o.capacity_) { o.forget(); }
  param_list(const param_list& o) { append(o); }
  param_list& operator=(param_list&& o) noexcept {
    if (this != &o) {
      free_all();
      items_ = o.items_;
      size_ = o.size_;
      capacity_ = o.capacity_;
      o.forget();
    }
    return *this;
  }
  param_list& operator=(const param_list& o) {
    if (this != &o) {
      param_list copy(o);
      *this = static_cast<param_list&&>(copy);
    }
    return *this;
  }
  // Out of line: every expression and query is destroyed through here, in one copy.
  ASH_NOINLINE ~param_list() { free_all(); }

  /// Appends a null value and returns it, to be set.
  ASH_NOINLINE param& add() {
    reserve(size_ + 1);
    items_[size_] = param{};
    return items_[size_++];
  }
  /// Inserts `more` before position `at`.
  ASH_NOINLINE void insert(std::size_t at, param_list&& more) {
    if (size_ == 0) {
      *this = static_cast<param_list&&>(more);
    } else if (more.size_ != 0) {
      splice(at, more.items_, more.size_);
      more.size_ = 0;  // their owned text is ours now
    }
  }
  /// Appends `more`.
  void append(param_list&& more) { insert(size_, static_cast<param_list&&>(more)); }
  /// Appends a copy of `more`.
  ASH_NOINLINE void append(const param_list& more) {
    reserve(size_ + more.size_);
    for (std::size_t i = 0; i < more.size_; ++i) items_[size_++] = more.items_[i].clone();
  }
  /// Sets the integer at `at`, inserting it there unless `replace`.
  ASH_NOINLINE void put_int(std::size_t at, std::int64_t v, bool replace) {
    if (replace) {
      items_[at].release();
      items_[at].set_int(v);
    } else {
      param p;
      p.set_int(v);
      splice(at, &p, 1);
    }
  }
  std::span<const param> view() const noexcept { return {items_, size_}; }
  std::size_t size() const noexcept { return size_; }
  const param& operator[](std::size_t i) const noexcept { return items_[i]; }

 private:
  /// Makes room for `n` values.
  void reserve(std::size_t n) {
    if (n > capacity_) grow(n);
  }
  ASH_NOINLINE void grow(std::size_t n) {
    std::size_t c = capacity_ ? 2 * capacity_ : 4;
    if (c < n) c = n;
    void* block = std::realloc(items_, c * sizeof(param));
    if (!block) throw std::bad_alloc();
    items_ = static_cast<param*>(block);
    capacity_ = c;
  }
  /// Moves `n` params from `from` into the list before position `at` (the params at `from` are
  /// left as plain copies: whoever owned text there, the list owns it now).
  void splice(std::size_t at, const param* from, std::size_t n) {
    reserve(size_ + n);
    std::memmove(items_ + at + n, items_ + at, (size_ - at) * sizeof(param));
    std::memcpy(items_ + at, from, n * sizeof(param));
    size_ += n;
  }
  void free_all() noexcept {
    release_params(items_, size_);
    std::free(items_);
  }
  void forget() noexcept {
    items_ = nullptr;
    size_ = capacity_ = 0;
  }

  param* items_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace ash
