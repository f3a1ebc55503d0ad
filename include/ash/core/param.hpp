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
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
class param_list {
 public:
  param_list() = default;
  param_list(param_list&& o) noexcept : items_(static_cast<std::vector<param>&&>(o.items_)) { o.items_.clear(); }
  param_list(const param_list& o) { append(o); }
  param_list& operator=(param_list&& o) noexcept {
    if (this != &o) {
      release_params(items_.data(), items_.size());
      items_.clear();
      items_.swap(o.items_);
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
  ASH_NOINLINE ~param_list() { release_params(items_.data(), items_.size()); }

  /// Appends a null value and returns it, to be set.
  ASH_NOINLINE param& add() {
    items_.push_back(param{});
    return items_.back();
  }
  /// Inserts `more` before position `at`.
  ASH_NOINLINE void insert(std::size_t at, param_list&& more) {
    if (items_.empty()) {
      items_.swap(more.items_);
    } else if (!more.items_.empty()) {
      splice(at, more.items_.data(), more.items_.size());
      more.items_.clear();  // their owned text is ours now
    }
  }
  /// Appends `more`.
  void append(param_list&& more) { insert(items_.size(), static_cast<param_list&&>(more)); }
  /// Appends a copy of `more`.
  ASH_NOINLINE void append(const param_list& more) {
    items_.reserve(items_.size() + more.items_.size());
    for (const param& p : more.items_) items_.push_back(p.clone());
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
  std::span<const param> view() const noexcept { return items_; }
  std::size_t size() const noexcept { return items_.size(); }
  const param& operator[](std::size_t i) const noexcept { return items_[i]; }

 private:
  /// Moves `n` params from `from` into the list before position `at`: appended in place, or the
  /// list rebuilt around them (push_back alone, so no other growth code of std::vector is
  /// compiled).
  void splice(std::size_t at, param* from, std::size_t n) {
    if (at == items_.size()) {
      items_.reserve(at + n);
      for (std::size_t i = 0; i < n; ++i) items_.push_back(static_cast<param&&>(from[i]));
      return;
    }
    std::vector<param> out;
    out.reserve(items_.size() + n);
    for (std::size_t i = 0; i < at; ++i) out.push_back(static_cast<param&&>(items_[i]));
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<param&&>(from[i]));
    for (std::size_t i = at; i < items_.size(); ++i) out.push_back(static_cast<param&&>(items_[i]));
    items_.swap(out);
  }

  std::vector<param> items_;
};

}  // namespace ash
