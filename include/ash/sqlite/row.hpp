#pragma once
/// \file
/// Moving values between records and statements: binding fields, reading columns.

#include <sqlite3.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ash/core/fields.hpp"
#include "ash/core/param.hpp"
#include "ash/core/types.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/reflect.hpp"

namespace ash::sqlite {

/// Writes a field value (possibly optional) into a parameter.
template <class T>
void bind_value(const T& v, param& p) {
  if constexpr (is_optional_v<T>) {
    if (v) type_traits<unwrap_optional_t<T>>::bind(*v, p);
    else p.set_null();
  } else {
    type_traits<T>::bind(v, p);
  }
}

/// Reports a stored value of another kind than its field's (text in an integer column, a
/// fraction in an integer column): an `invalid_attribute` error naming the value, not a silent 0.
[[noreturn]] ASH_COLD inline void wrong_kind(sqlite3_stmt* s, int c, std::string_view type) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
  std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
  ash::detail::bad_stored_value(type, p ? std::string_view{p, n} : std::string_view{});
}

/// Reads column `c` of the current row into `out`; a NULL empties an optional.
///
/// Throws `ash::exception` if stored text is not a valid value of the type (an unknown enum
/// name, a malformed UUID or timestamp), or if a number field holds text, a blob, or a fraction.
template <class T>
void read_value(sqlite3_stmt* s, int c, T& out) {
  if constexpr (is_optional_v<T>) {
    if (sqlite3_column_type(s, c) == SQLITE_NULL) {
      out.reset();
    } else {
      unwrap_optional_t<T> v{};
      read_value(s, c, v);
      out = std::move(v);
    }
  } else {
    using tt = type_traits<T>;
    if constexpr (tt::storage == storage_class::integer) {
      const int type = sqlite3_column_type(s, c);
      if (type == SQLITE_TEXT || type == SQLITE_BLOB ||
          (type == SQLITE_FLOAT && sqlite3_column_double(s, c) != static_cast<double>(sqlite3_column_int64(s, c))))
        wrong_kind(s, c, tt::migration_type);
      out = tt::read_int(sqlite3_column_int64(s, c));
    } else if constexpr (tt::storage == storage_class::real) {
      const int type = sqlite3_column_type(s, c);
      if (type == SQLITE_TEXT || type == SQLITE_BLOB) wrong_kind(s, c, tt::migration_type);
      out = tt::read_real(sqlite3_column_double(s, c));
    } else if constexpr (tt::storage == storage_class::text) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
      std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
      // A string is filled in place (one copy, reusing its capacity), not built and moved.
      if constexpr (std::is_same_v<T, std::string>) out.assign(p ? p : "", n);
      else out = tt::read_text(p ? std::string_view{p, n} : std::string_view{});
    } else {
      const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s, c));
      std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
      out = tt::read_blob(p, n);
    }
  }
}

/// Reads the selected fields `I...` (all fields when empty) of the current row into `record`.
template <class R, std::size_t... I>
void read_record(sqlite3_stmt* s, R& record, std::index_sequence<I...>) {
  int c = 0;
  ((read_value(s, c++, record.*field_at<R, I>::member)), ...);
}

/// Reads the current row into any aggregate by position: column k into its k-th field
/// (`repo.read_into<Projection>(query.select(...))`).
template <class T>
void read_positional(sqlite3_stmt* s, T& out) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (read_value(s, static_cast<int>(I), ash::detail::field<I>(out)), ...);
  }(std::make_index_sequence<ash::detail::field_count<T>>{});
}

}  // namespace ash::sqlite
