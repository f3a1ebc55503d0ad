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
#include "ash/core/resource_info.hpp"
#include "ash/core/types.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/reflect.hpp"
#include "ash/sqlite/connection.hpp"

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

namespace detail {
/// Whether binding a `T` (or an optional one) can refuse the value (`type_traits::checked_bind`).
template <class T>
inline constexpr bool checked_bind = requires { type_traits<unwrap_optional_t<T>>::checked_bind; };

/// Names the resource and field in an error about a value that could not be bound.
[[noreturn]] ASH_COLD ASH_NOINLINE inline void rethrow_for_field(const ash::exception& e, std::string_view resource,
                                                                 std::string_view field) {
  ash::error err = ash::detail::copy_of(e.error());
  if (err.resource.empty()) err.resource.assign(resource);
  if (err.field.empty()) err.field.assign(field);
  throw ash::exception(std::move(err));
}
}  // namespace detail

/// Binds field `I` of `record`; a value its type refuses (an enum value `ASH_ENUM` does not list,
/// a timestamp outside the stored years) is an error naming the resource and the field.
template <class R, std::size_t I, class Rec>
void bind_field(const Rec& record, param& p) {
  using F = typename field_at<R, I>::type;
  if constexpr (detail::checked_bind<F>) {
    try {
      bind_value(record.*field_at<R, I>::member, p);
    } catch (const ash::exception& e) {
      detail::rethrow_for_field(e, resource_name<R>, field_list<R>::names[I]);
    }
  } else {
    bind_value(record.*field_at<R, I>::member, p);
  }
}

/// Reports a stored value of another kind than its field's (text in an integer column, a
/// fraction in an integer column, NULL in a field that is not optional): an `invalid_attribute`
/// error naming the value, not a silent 0 or empty string.
[[noreturn]] ASH_COLD ASH_NOINLINE inline void wrong_kind(sqlite3_stmt* s, int c, std::string_view type) {
  if (sqlite3_column_type(s, c) == SQLITE_NULL) {
    ash::error e;
    e.kind = error_kind::invalid_attribute;
    e.message.assign("stored value NULL is not a valid ").append(type).append(": the field is not optional");
    throw ash::exception(std::move(e));
  }
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
  std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
  ash::detail::bad_stored_value(type, p ? std::string_view{p, n} : std::string_view{});
}
/// `wrong_kind` unless column `c` holds a whole number stored as a REAL (which an integer field
/// reads as it is).
ASH_COLD ASH_NOINLINE inline void check_integer_column(sqlite3_stmt* s, int c, std::string_view type) {
  // (A REAL of 2^63 or more reads as INT64_MAX, whose double is 2^63 again: out of range too.)
  const double d = sqlite3_column_double(s, c);
  if (sqlite3_column_type(s, c) == SQLITE_FLOAT && d >= -0x1p63 && d < 0x1p63 &&
      d == static_cast<double>(sqlite3_column_int64(s, c)))
    return;
  wrong_kind(s, c, type);
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
      if (sqlite3_column_type(s, c) != SQLITE_INTEGER) [[unlikely]]
        check_integer_column(s, c, tt::migration_type);
      out = tt::read_int(sqlite3_column_int64(s, c));
    } else if constexpr (tt::storage == storage_class::real) {
      const int type = sqlite3_column_type(s, c);
      if (type != SQLITE_FLOAT && type != SQLITE_INTEGER) [[unlikely]]
        wrong_kind(s, c, tt::migration_type);
      out = tt::read_real(sqlite3_column_double(s, c));
    } else if constexpr (tt::storage == storage_class::text) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
      std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
      if (!p) [[unlikely]]
        wrong_kind(s, c, tt::migration_type);  // NULL (text of an empty string is never null)
      // A string is filled in place (one copy, reusing its capacity), not built and moved.
      if constexpr (std::is_same_v<T, std::string>) out.assign(p, n);
      else out = tt::read_text(std::string_view{p, n});
    } else {
      const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(s, c));
      std::size_t n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
      if (!p && sqlite3_column_type(s, c) == SQLITE_NULL) [[unlikely]]
        wrong_kind(s, c, tt::migration_type);  // an empty blob has no pointer either
      out = tt::read_blob(p, n);
    }
  }
}

namespace detail {
/// Whether column `c` of the current row reads as a `T`: how the handler of a failed read finds
/// the column at fault. Cold: one per field type, compiled in no row reader.
template <class T>
ASH_COLD bool reads_as(sqlite3_stmt* s, int c) noexcept {
  try {
    T v{};
    read_value(s, c, v);
    return true;
  } catch (...) {
    return false;
  }
}
using column_check = bool (*)(sqlite3_stmt*, int) noexcept;

/// What an error about a stored value of resource `resource` needs to name its field and row.
struct row_context {
  std::string_view resource;
  const std::string_view* names;  ///< the resource's field names
  const std::size_t* columns;     ///< the field of each column read
  const column_check* checks;     ///< whether each column reads as its field's type
  std::size_t column_count;
  const std::size_t* key;  ///< the primary key's fields
  std::size_t key_count;
};

/// Rethrows `e`, about column `c` of the current row, naming the resource, the field and the
/// row's primary key (as far as the columns read include it).
[[noreturn]] ASH_COLD ASH_NOINLINE inline void rethrow_stored_value(const ash::exception& e, sqlite3_stmt* s, int c,
                                                                    const row_context& ctx) {
  ash::error err = ash::detail::copy_of(e.error());
  err.resource.assign(ctx.resource);
  if (c >= 0 && static_cast<std::size_t>(c) < ctx.column_count) err.field.assign(ctx.names[ctx.columns[c]]);
  std::string key;
  for (std::size_t k = 0; k < ctx.key_count; ++k)
    for (std::size_t col = 0; col < ctx.column_count; ++col)
      if (ctx.columns[col] == ctx.key[k]) {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, static_cast<int>(col)));
        if (!key.empty()) key.append(", ");
        key.append(ctx.names[ctx.key[k]]).append(" = ");
        key.append(t ? std::string_view(t, static_cast<std::size_t>(sqlite3_column_bytes(s, static_cast<int>(col)))) : "NULL");
      }
  if (!key.empty()) err.message.append(" (in the row with ").append(key).append(")");
  throw ash::exception(std::move(err));
}

/// `row_namer::rethrow` for a `row_context`: names `e` after the first column that does not
/// read, or returns if every column reads (then `e` is not about this row).
ASH_COLD inline void rethrow_if_bad_row(const ash::exception& e, sqlite3_stmt* s, const void* context) {
  const auto& ctx = *static_cast<const row_context*>(context);
  for (std::size_t c = 0; c < ctx.column_count; ++c)
    if (!ctx.checks[c](s, static_cast<int>(c))) rethrow_stored_value(e, s, static_cast<int>(c), ctx);
}

/// The `row_namer` of reading fields `I...` of `R`: constant data, no code per reader.
template <class R, std::size_t... I>
struct row_naming {
  static constexpr std::size_t columns[] = {I..., 0};
  static constexpr column_check checks[] = {&reads_as<field_type_t<R, I>>..., nullptr};
  static constexpr row_context context{resource_name<R>, field_list<R>::names, columns, checks, sizeof...(I),
                                       info<R>::primary_key.data(), info<R>::primary_key.size()};
  static constexpr row_namer namer{&rethrow_if_bad_row, &context};
};
template <class R, std::size_t... I>
constexpr const row_namer* namer_of(std::index_sequence<I...>) {
  return &row_naming<R, I...>::namer;
}
}  // namespace detail

/// The `row_namer` for reading every field of `R` (`read_record` with all of them).
template <class R>
constexpr const row_namer* all_fields_namer() {
  return detail::namer_of<R>(std::make_index_sequence<field_count<R>>{});
}

/// Reads the selected fields `I...` (all fields when empty) of the current row into `record`.
/// A stored value that its field cannot hold is an `invalid_attribute` error; run the statement
/// with the reader's `row_namer` and the error names the resource, the field, the value and the
/// row's key.
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
