#pragma once
/// \file
/// `ash::result<T>`: either a value or an `ash::error`, for the non-throwing `try_*` forms.

#include <type_traits>
#include <utility>
#include <variant>

#include "ash/core/error.hpp"

namespace ash {

/// A value of type T, or the error that prevented it. `result<void>` holds only success or error.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(ash::error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  /// The value; throws `ash::exception` holding the error if there is none.
  T& value() & {
    if (!ok()) throw ash::exception(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw ash::exception(std::get<1>(v_));
    return std::move(std::get<0>(v_));
  }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  /// The error; only valid when `!ok()`.
  const ash::error& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, ash::error> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(ash::error e) : err_(std::move(e)), ok_(false) {}
  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) throw ash::exception(err_);
  }
  const ash::error& error() const& { return err_; }

 private:
  ash::error err_;
  bool ok_ = true;
};

}  // namespace ash
