#pragma once
/// \file
/// `ash::date` (`std::chrono::year_month_day`), stored as TEXT "YYYY-MM-DD".
///
/// Include it to use dates in resources. It is apart from `ash/core/types.hpp` because the
/// calendar types need all of `<chrono>`, which costs a translation unit about 0.1 s.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "ash/core/error.hpp"
#include "ash/core/param.hpp"
#include "ash/core/types.hpp"

namespace ash {

/// A calendar date, stored as "YYYY-MM-DD".
using date = std::chrono::year_month_day;

template <>
struct type_traits<date> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "date";
  static constexpr compare_kind compare = compare_kind::exact;
  static constexpr bool checked_bind = true;  ///< bind may refuse a value (`invalid_attribute`)
  /// Throws `ash::exception` (invalid_attribute) for a date that does not exist, such as a
  /// default-constructed one: it could not be read back.
  static void bind(date v, param& p) {
    if (!v.ok() || static_cast<int>(v.year()) < 0 || static_cast<int>(v.year()) > 9999) {
      ash::error e;
      e.kind = error_kind::invalid_attribute;
      e.message = "is not a valid date (year " + std::to_string(static_cast<int>(v.year())) + ", month " +
                  std::to_string(static_cast<unsigned>(v.month())) + ", day " +
                  std::to_string(static_cast<unsigned>(v.day())) + ")";
      throw ash::exception(std::move(e));
    }
    char buf[10];
    detail::put_digits(buf, static_cast<int>(v.year()), 4);
    buf[4] = '-';
    detail::put_digits(buf + 5, static_cast<unsigned>(v.month()), 2);
    buf[7] = '-';
    detail::put_digits(buf + 8, static_cast<unsigned>(v.day()), 2);
    p.set_text_copy({buf, 10});
  }
  static date read_text(std::string_view v) {
    auto y = detail::parse_digits(v, 0, 4), m = detail::parse_digits(v, 5, 2), d = detail::parse_digits(v, 8, 2);
    if (v.size() == 10 && y >= 0 && m >= 0 && d >= 0 && v[4] == '-' && v[7] == '-') {
      date out{std::chrono::year{static_cast<int>(y)}, std::chrono::month{static_cast<unsigned>(m)},
               std::chrono::day{static_cast<unsigned>(d)}};
      if (out.ok()) return out;
    }
    detail::bad_stored_value("date", v);
  }
  static std::string sql_default(date v) {
    scoped_param p;
    bind(v, p);
    return "'" + std::string(p.text()) + "'";
  }
};

}  // namespace ash
