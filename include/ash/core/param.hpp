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
#include <string>
#include <string_view>

namespace ash {

/// SQLite's storage classes.
enum class storage_class : std::uint8_t { null, integer, real, text, blob };

/// One bindable value. Not copyable: text may point into the param itself.
class param {
 public:
  param() = default;
  param(const param&) = delete;
  param& operator=(const param&) = delete;

  void set_null() noexcept { kind_ = storage_class::null; }
  void set_int(std::int64_t v) noexcept { kind_ = storage_class::integer; i_ = v; }
  void set_real(double v) noexcept { kind_ = storage_class::real; d_ = v; }
  /// Text that outlives the statement execution (bound without a copy).
  void set_text_ref(std::string_view v) noexcept { set_bytes_ref(storage_class::text, v.data(), v.size()); }
  /// Text that may not outlive this call: kept inline when short, else owned.
  void set_text_copy(std::string_view v) { set_bytes_copy(storage_class::text, v.data(), v.size()); }
  void set_text_owned(std::string&& v) {
    kind_ = storage_class::text;
    heap_ = std::move(v);
    where_ = where::heap;
  }
  void set_blob_ref(const void* p, std::size_t n) noexcept { set_bytes_ref(storage_class::blob, p, n); }
  void set_blob_copy(const void* p, std::size_t n) { set_bytes_copy(storage_class::blob, p, n); }

  storage_class kind() const noexcept { return kind_; }
  std::int64_t as_int() const noexcept { return i_; }
  double as_real() const noexcept { return d_; }
  const char* data() const noexcept {
    return where_ == where::borrowed ? p_ : where_ == where::inline_buf ? buf_ : heap_.data();
  }
  std::size_t size() const noexcept { return where_ == where::heap ? heap_.size() : n_; }
  std::string_view text() const noexcept { return {data(), size()}; }

 private:
  enum class where : std::uint8_t { borrowed, inline_buf, heap };
  void set_bytes_ref(storage_class k, const void* p, std::size_t n) noexcept {
    kind_ = k;
    where_ = where::borrowed;
    p_ = static_cast<const char*>(p);
    n_ = n;
  }
  void set_bytes_copy(storage_class k, const void* p, std::size_t n) {
    kind_ = k;
    if (n <= sizeof buf_) {
      where_ = where::inline_buf;
      if (n) std::memcpy(buf_, p, n);
      n_ = n;
    } else {
      where_ = where::heap;
      heap_.assign(static_cast<const char*>(p), n);
    }
  }

  storage_class kind_ = storage_class::null;
  where where_ = where::borrowed;
  std::int64_t i_ = 0;
  double d_ = 0;
  const char* p_ = nullptr;
  std::size_t n_ = 0;
  char buf_[48];
  std::string heap_;
};

}  // namespace ash
