#pragma once
/// \file
/// The types a resource field may have, and how each is stored in SQLite (`ash::type_traits`).
///
/// Storage matches AshSqlite / ecto_sqlite3 so that databases interoperate: integers and bools
/// as INTEGER, doubles as REAL, strings, enums (by name), UUIDs (36 chars) and timestamps
/// (ISO-8601 UTC with microseconds) as TEXT, bytes as BLOB. Dates (`ash::date`) live in
/// `ash/types/date.hpp`, maps and arrays (JSON TEXT) in `ash/types/json.hpp`, so that programs
/// that do not use them do not parse `<chrono>`'s calendar or Boost.JSON. Users add types by
/// specialising `ash::type_traits`.

#if __has_include(<sys/random.h>)
#include <sys/random.h>  // getentropy (glibc >= 2.25, macOS, the BSDs)
#else
#include <random>
#endif

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ash/core/error.hpp"
#include "ash/core/param.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/clock.hpp"
#include "ash/detail/string_writer.hpp"

namespace ash {

/// How values of a type may be compared in filters.
enum class compare_kind {
  numeric,  ///< integers and doubles compare with each other
  boolean,  ///< bool compares with bool
  text,     ///< strings of any kind compare with each other
  exact,    ///< only with the same type (enums, UUIDs, timestamps, dates, bytes, JSON)
};

/// Writes `v` in decimal, as `std::to_string` does, to a writer `w` (`w.put(char)`); usable in
/// constant expressions, for `type_traits::write_sql_default`.
template <class W, class T>
constexpr void write_sql_integer(W& w, T v) {
  char buf[24]{};
  int i = 0;
  // The magnitude as unsigned, so the most negative value needs no special case.
  unsigned long long m = v < 0 ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  do buf[i++] = static_cast<char>('0' + m % 10);
  while ((m /= 10) != 0);
  if (v < 0) w.put('-');
  while (i) w.put(buf[--i]);
}
/// Writes `'text'` with embedded single quotes doubled, an SQL string literal, to a writer `w`;
/// usable in constant expressions, for `type_traits::write_sql_default`.
template <class W>
constexpr void write_sql_string(W& w, std::string_view v) {
  w.put('\'');
  for (char c : v) {
    if (c == '\'') w.put('\'');
    w.put(c);
  }
  w.put('\'');
}
/// Storage of a field type; specialise for your own types. A specialisation provides:
/// - `storage`: the storage class (`storage_class::integer`, `real`, `text` or `blob`);
/// - `migration_type`: the type name used in snapshots ("bigint", "text", ...);
/// - `compare`: a `compare_kind`;
/// - `bind(const T&, param&)`: turn a value into a parameter;
/// - one of `read_int(std::int64_t)`, `read_real(double)`, `read_text(std::string_view)`,
///   `read_blob(const std::byte*, std::size_t)` matching `storage`, returning T;
/// - optionally `sql_default(const T&) -> std::string`: the value as an SQL literal, so a
///   constant default can be lowered into the schema;
/// - optionally, in addition, `template <class W> static constexpr void write_sql_default(W& w,
///   const D& v)`, where `D` is how `default_value` holds the constant (the field type, or
///   `std::string_view` for a string literal): the same literal written with `w.put(...)` in a
///   constant expression. With it, `repo.create_table<R>()` runs a `CREATE TABLE` rendered at
///   compile time instead of rendering it when the program runs.
template <class T, class Enable = void>
struct type_traits;

/// Whether `T` has storage traits.
template <class T>
concept storable = requires { type_traits<T>::storage; };

/// `std::optional<T>` -> T; anything else unchanged.
template <class T>
struct unwrap_optional {
  using type = T;
  static constexpr bool is_optional = false;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
  static constexpr bool is_optional = true;
};
template <class T>
using unwrap_optional_t = typename unwrap_optional<T>::type;
template <class T>
inline constexpr bool is_optional_v = unwrap_optional<T>::is_optional;

namespace detail {
[[noreturn]] ASH_COLD inline void bad_stored_value(std::string_view type, std::string_view text) {
  ash::error e;
  e.kind = error_kind::invalid_attribute;
  e.message.assign("stored value '").append(text).append("' is not a valid ").append(type);
  throw ash::exception(std::move(e));
}
/// Throws an `invalid_attribute` error with `message`: a value that cannot be bound or read.
[[noreturn]] ASH_COLD ASH_NOINLINE inline void throw_invalid_attribute(std::string message) {
  ash::error e;
  e.kind = error_kind::invalid_attribute;
  e.message = std::move(message);
  throw ash::exception(std::move(e));
}
/// A stored integer that the field's type cannot hold.
[[noreturn]] ASH_COLD ASH_NOINLINE inline void stored_integer_out_of_range(std::int64_t v, int bits, bool is_signed) {
  std::string m = "stored value ";
  append_decimal(m, v);
  m.append(" does not fit in the field's ");
  append_decimal(m, bits);
  m.append(is_signed ? "-bit signed integer" : "-bit unsigned integer");
  throw_invalid_attribute(std::move(m));
}
inline constexpr char hex_digits[] = "0123456789abcdef";
constexpr int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
/// `v` as the shortest text that reads back as the same double (`std::to_string` keeps only six
/// decimals). Infinities become `9e999` / `-9e999`, which SQLite and its JSON parser read back as
/// infinities; NaN, which SQLite stores as NULL, becomes `null`.
inline std::string format_double(double v) {
  if (v != v) return "null";  // NaN
  if (v == std::numeric_limits<double>::infinity()) return "9e999";
  if (v == -std::numeric_limits<double>::infinity()) return "-9e999";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
/// Appends `t` to `out` as a JSON string, escaped.
inline void append_json_string(std::string& out, std::string_view t) {
  out += '"';
  for (unsigned char c : t) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex_digits[c >> 4];
          out += hex_digits[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}
/// Appends `v` to `out` as a JSON value (`in` lists and JSON arrays are bound as JSON text).
inline void append_json(std::string& out, const param& v) {
  switch (v.kind()) {
    case storage_class::integer: out += std::to_string(v.as_int()); break;
    case storage_class::real: out += format_double(v.as_real()); break;
    case storage_class::text:
    case storage_class::blob:  // blobs are refused by `in` and by JSON arrays at compile time
      append_json_string(out, v.text());
      break;
    default: out += "null"; break;
  }
}
/// Writes `v` as `width` decimal digits, zero-padded.
inline char* put_digits(char* out, long long v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + width;
}
/// Parses exactly `width` decimal digits at `s[pos]`; -1 if they are not digits.
constexpr long long parse_digits(std::string_view s, std::size_t pos, int width) {
  if (pos + static_cast<std::size_t>(width) > s.size()) return -1;
  long long v = 0;
  for (int i = 0; i < width; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}
}  // namespace detail

// --- integers, bool, double, strings ---------------------------------------------------------

template <class T>
struct type_traits<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                       !std::is_same_v<T, char> && (sizeof(T) <= 8)>> {
  static constexpr storage_class storage = storage_class::integer;
  static constexpr std::string_view migration_type = "bigint";
  static constexpr compare_kind compare = compare_kind::numeric;
  static void bind(T v, param& p) noexcept { p.set_int(static_cast<std::int64_t>(v)); }
  /// A stored value the type cannot hold is an error, not a silent truncation. (A 64-bit
  /// unsigned value is stored as the signed integer of the same bits and read back as it was.)
  static T read_int(std::int64_t v) {
    if constexpr (sizeof(T) < 8) {
      if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) || v > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
        [[unlikely]] detail::stored_integer_out_of_range(v, static_cast<int>(sizeof(T) * 8), std::is_signed_v<T>);
    }
    return static_cast<T>(v);
  }
  static std::string sql_default(T v) {
    return detail::write_string([&](auto& w) { write_sql_integer(w, v); });
  }
  template <class W>
  static constexpr void write_sql_default(W& w, T v) { write_sql_integer(w, v); }
};

template <>
struct type_traits<bool> {
  static constexpr storage_class storage = storage_class::integer;
  static constexpr std::string_view migration_type = "boolean";
  static constexpr compare_kind compare = compare_kind::boolean;
  static void bind(bool v, param& p) noexcept { p.set_int(v ? 1 : 0); }
  static bool read_int(std::int64_t v) noexcept { return v != 0; }
  static std::string sql_default(bool v) { return v ? "1" : "0"; }
  template <class W>
  static constexpr void write_sql_default(W& w, bool v) { w.put(v ? '1' : '0'); }
};

template <>
struct type_traits<double> {
  static constexpr storage_class storage = storage_class::real;
  static constexpr std::string_view migration_type = "float";
  static constexpr compare_kind compare = compare_kind::numeric;
  static void bind(double v, param& p) noexcept { p.set_real(v); }
  static double read_real(double v) noexcept { return v; }
  static std::string sql_default(double v) { return detail::format_double(v); }
};

template <>
struct type_traits<std::string> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "text";
  static constexpr compare_kind compare = compare_kind::text;
  static void bind(const std::string& v, param& p) noexcept { p.set_text_ref(v); }
  static std::string read_text(std::string_view v) { return std::string(v); }
  static std::string sql_default(const std::string& v) {
    return detail::write_string([&](auto& w) { write_sql_string(w, v); });
  }
  template <class W>
  static constexpr void write_sql_default(W& w, std::string_view v) { write_sql_string(w, v); }
};

/// String views appear only as filter values (never as fields): bound without a copy.
template <>
struct type_traits<std::string_view> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "text";
  static constexpr compare_kind compare = compare_kind::text;
  static void bind(std::string_view v, param& p) noexcept { p.set_text_ref(v); }
};

/// A case-insensitive string (AshSqlite's `ci_string`): compared with `COLLATE NOCASE`.
///
/// Its column is declared `TEXT COLLATE NOCASE`, so unique indexes and sorts fold case too
/// (AshSqlite folds only in `=` and `IN`). Folding is ASCII-only, as SQLite's NOCASE is.
struct ci_string {
  std::string value;
  ci_string() = default;
  ci_string(std::string v) : value(std::move(v)) {}
  ci_string(const char* v) : value(v) {}
  /// Equal ignoring ASCII case, as the database compares.
  friend bool operator==(const ci_string& a, const ci_string& b) noexcept {
    if (a.value.size() != b.value.size()) return false;
    for (std::size_t i = 0; i < a.value.size(); ++i) {
      auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
      if (lower(a.value[i]) != lower(b.value[i])) return false;
    }
    return true;
  }
};

template <>
struct type_traits<ci_string> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "citext";
  static constexpr compare_kind compare = compare_kind::text;
  static constexpr bool case_insensitive = true;
  static void bind(const ci_string& v, param& p) noexcept { p.set_text_ref(v.value); }
  static ci_string read_text(std::string_view v) { return ci_string{std::string(v)}; }
  static std::string sql_default(const ci_string& v) { return type_traits<std::string>::sql_default(v.value); }
  template <class W>
  static constexpr void write_sql_default(W& w, std::string_view v) { write_sql_string(w, v); }
};

// --- UUID --------------------------------------------------------------------------------------

/// A UUID, stored as its 36-character lowercase text form.
struct uuid {
  std::array<std::uint8_t, 16> bytes{};

  friend bool operator==(const uuid&, const uuid&) = default;
  friend auto operator<=>(const uuid&, const uuid&) = default;

  /// Whether all 16 bytes are zero (the nil UUID, a field that was never assigned).
  bool is_nil() const noexcept {
    for (auto b : bytes)
      if (b) return false;
    return true;
  }

  /// A random (version 4) UUID: 122 bits from the operating system's random source, read
  /// afresh for each UUID (no generator state to share with a forked child).
  static uuid generate() {
    uuid u;
    fill_random(u.bytes.data(), u.bytes.size());
    u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0f) | 0x40);
    u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3f) | 0x80);
    return u;
  }

  /// Fills `out` with `n` (at most 256) bytes from the operating system's random source.
  static void fill_random(std::uint8_t* out, std::size_t n) {
#if __has_include(<sys/random.h>)
    if (getentropy(out, n) == 0) return;
    if (std::FILE* f = std::fopen("/dev/urandom", "rb")) {  // getentropy unavailable (an old kernel)
      std::size_t got = std::fread(out, 1, n, f);
      std::fclose(f);
      if (got == n) return;
    }
    throw std::runtime_error("ash: no random source for uuid::generate");
#else
    std::random_device rd;
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(rd());
#endif
  }

  /// Writes the 36 characters of the text form to `out`.
  void write(char* out) const noexcept {
    std::size_t o = 0;
    for (std::size_t i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
      out[o++] = detail::hex_digits[bytes[i] >> 4];
      out[o++] = detail::hex_digits[bytes[i] & 0xf];
    }
  }
  std::string to_string() const {
    std::string s(36, '\0');
    write(s.data());
    return s;
  }
  /// Parses the 36-character form (either case); nullopt if malformed.
  static std::optional<uuid> parse(std::string_view s) noexcept {
    if (s.size() != 36) return std::nullopt;
    uuid u;
    std::size_t b = 0;
    for (std::size_t i = 0; i < 36;) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (s[i] != '-') return std::nullopt;
        ++i;
        continue;
      }
      int hi = detail::hex_value(s[i]), lo = detail::hex_value(s[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      u.bytes[b++] = static_cast<std::uint8_t>(hi * 16 + lo);
      i += 2;
    }
    return u;
  }
};

template <>
struct type_traits<uuid> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "uuid";
  static constexpr compare_kind compare = compare_kind::exact;
  static void bind(const uuid& v, param& p) {
    char buf[36];
    v.write(buf);
    p.set_text_copy({buf, 36});
  }
  static uuid read_text(std::string_view v) {
    if (auto u = uuid::parse(v)) return *u;
    detail::bad_stored_value("uuid", v);
  }
  static std::string sql_default(const uuid& v) { return "'" + v.to_string() + "'"; }
};

// --- time --------------------------------------------------------------------------------------

/// A UTC instant with microsecond precision, stored as "YYYY-MM-DDTHH:MM:SS.ffffffZ".
using utc_datetime = std::chrono::sys_time<std::chrono::microseconds>;

/// The current time, at microsecond precision.
inline utc_datetime utc_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

namespace detail {
// Days since 1970-01-01 and civil dates (proleptic Gregorian), in plain arithmetic so that this
// header needs no calendar from `<chrono>`.

/// Whether year `y`, month `m`, day `d` is a date that exists.
constexpr bool valid_date(long long y, long long m, long long d) noexcept {
  if (m < 1 || m > 12 || d < 1) return false;
  constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  return d <= month_days[m - 1] + (m == 2 && leap ? 1 : 0);
}
/// The days from 1970-01-01 to the given date.
constexpr long long days_from_civil(long long y, long long m, long long d) noexcept {
  y -= m <= 2;  // years start in March, so that the leap day is the last day of a year
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long year_of_era = y - era * 400;                                    // [0, 399]
  const long long day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}
struct civil_date {
  long long year, month, day;
};
/// The date `days` days after 1970-01-01.
constexpr civil_date civil_from_days(long long days) noexcept {
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long day_of_era = days - era * 146097;  // [0, 146096]
  const long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long long mp = (5 * day_of_year + 2) / 153;  // March is 0
  const long long month = mp < 10 ? mp + 3 : mp - 9;
  return {year_of_era + era * 400 + (month <= 2), month, day_of_year - (153 * mp + 2) / 5 + 1};
}
}  // namespace detail

/// The earliest and latest instants the stored form holds: years 0000 to 9999, as in
/// AshSqlite, whose ISO-8601 text sorts as the instants do only with four-digit years.
inline constexpr utc_datetime min_stored_datetime{std::chrono::microseconds{detail::days_from_civil(0, 1, 1) * 86400000000LL}};
inline constexpr utc_datetime max_stored_datetime{std::chrono::microseconds{detail::days_from_civil(10000, 1, 1) * 86400000000LL - 1}};

/// Writes the 27-character ISO-8601 form of `t` to `out`.
inline void write_iso8601(utc_datetime t, char* out) noexcept {
  constexpr long long us_per_day = 86400000000LL;
  const long long since_epoch = t.time_since_epoch().count();
  long long days = since_epoch / us_per_day;
  if (since_epoch % us_per_day < 0) --days;  // round towards the past
  const long long us = since_epoch - days * us_per_day;
  const detail::civil_date ymd = detail::civil_from_days(days);
  char* o = out;
  o = detail::put_digits(o, ymd.year, 4);
  *o++ = '-';
  o = detail::put_digits(o, ymd.month, 2);
  *o++ = '-';
  o = detail::put_digits(o, ymd.day, 2);
  *o++ = 'T';
  o = detail::put_digits(o, us / 3600000000LL, 2);
  *o++ = ':';
  o = detail::put_digits(o, us / 60000000LL % 60, 2);
  *o++ = ':';
  o = detail::put_digits(o, us / 1000000LL % 60, 2);
  *o++ = '.';
  o = detail::put_digits(o, us % 1000000LL, 6);
  *o = 'Z';
}

/// Parses "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|+00:00]"; nullopt if malformed.
inline std::optional<utc_datetime> parse_iso8601(std::string_view s) noexcept {
  auto y = detail::parse_digits(s, 0, 4), mo = detail::parse_digits(s, 5, 2), d = detail::parse_digits(s, 8, 2);
  auto h = detail::parse_digits(s, 11, 2), mi = detail::parse_digits(s, 14, 2), se = detail::parse_digits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  if (!detail::valid_date(y, mo, d)) return std::nullopt;
  long long frac = 0;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    int digits = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits)
      if (digits < 6) frac = frac * 10 + (s[i] - '0');
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) frac *= 10;
  }
  std::string_view rest = s.substr(i);
  if (!(rest.empty() || rest == "Z" || rest == "+00:00")) return std::nullopt;
  const long long seconds = ((detail::days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + se;
  const utc_datetime t{std::chrono::microseconds{seconds * 1000000 + frac}};
  if (t > max_stored_datetime) return std::nullopt;  // a leap second at the end of 9999 is in year 10000
  return t;
}

namespace detail {
[[noreturn]] ASH_COLD ASH_NOINLINE inline void datetime_out_of_range(utc_datetime v) {
  std::string m = "value ";
  append_decimal(m, static_cast<long long>(v.time_since_epoch().count()));
  m.append(" (microseconds since 1970) is outside the years 0000 to 9999 that a timestamp is stored in");
  throw_invalid_attribute(std::move(m));
}
}  // namespace detail

template <>
struct type_traits<utc_datetime> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "utc_datetime_usec";
  static constexpr compare_kind compare = compare_kind::exact;
  static constexpr bool checked_bind = true;  ///< bind may refuse a value (`invalid_attribute`)
  /// Throws `ash::exception` (invalid_attribute) for an instant outside the years 0000 to 9999
  /// (`utc_datetime::max()` among them): its text would read back as another instant.
  static void bind(utc_datetime v, param& p) {
    if (v < min_stored_datetime || v > max_stored_datetime) [[unlikely]]
      detail::datetime_out_of_range(v);
    char buf[27];
    write_iso8601(v, buf);
    p.set_text_copy({buf, 27});
  }
  static utc_datetime read_text(std::string_view v) {
    if (auto t = parse_iso8601(v)) return *t;
    detail::bad_stored_value("utc_datetime", v);
  }
};

// --- bytes -------------------------------------------------------------------------------------

/// Raw bytes, stored as a BLOB.
using bytes = std::vector<std::byte>;

template <>
struct type_traits<bytes> {
  static constexpr storage_class storage = storage_class::blob;
  static constexpr std::string_view migration_type = "binary";
  static constexpr compare_kind compare = compare_kind::exact;
  static void bind(const bytes& v, param& p) noexcept { p.set_blob_ref(v.data(), v.size()); }
  static bytes read_blob(const std::byte* p, std::size_t n) { return bytes(p, p + n); }
};

// --- enums -------------------------------------------------------------------------------------

/// The enumerators of an enum and their names; specialised by `ASH_ENUM`.
template <class E>
struct enum_names;

template <class E>
concept named_enum = std::is_enum_v<E> && requires { enum_names<E>::names; };

/// The stored name of an enumerator.
template <named_enum E>
constexpr std::string_view enum_name(E v) {
  const auto& values = enum_names<E>::values;
  for (std::size_t i = 0; i < std::size(values); ++i)
    if (values[i] == v) return enum_names<E>::names[i];
  return {};
}

/// The enumerator with a stored name, if any.
template <named_enum E>
constexpr std::optional<E> enum_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(enum_names<E>::names); ++i)
    if (enum_names<E>::names[i] == name) return enum_names<E>::values[i];
  return std::nullopt;
}

namespace detail {
[[noreturn]] ASH_COLD ASH_NOINLINE inline void unlisted_enum_value(std::string_view type, long long v) {
  std::string m = "value ";
  append_decimal(m, v);
  m.append(" is not one of the values ASH_ENUM lists for ").append(type);
  throw_invalid_attribute(std::move(m));
}
}  // namespace detail

template <named_enum E>
struct type_traits<E> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "text";
  static constexpr compare_kind compare = compare_kind::exact;
  static constexpr bool checked_bind = true;  ///< bind may refuse a value (`invalid_attribute`)
  /// Throws `ash::exception` (invalid_attribute) for a value `ASH_ENUM` does not list: it has no
  /// stored name (binding it as NULL would lose it silently).
  static void bind(E v, param& p) {
    const std::string_view name = enum_name(v);
    if (name.data() == nullptr) [[unlikely]]
      detail::unlisted_enum_value(enum_names<E>::type_name, static_cast<long long>(v));
    p.set_text_ref(name);
  }
  static E read_text(std::string_view v) {
    if (auto e = enum_from_name<E>(v)) return *e;
    detail::bad_stored_value(enum_names<E>::type_name, v);
  }
  static std::string sql_default(E v) {
    return detail::write_string([&](auto& w) { write_sql_string(w, enum_name(v)); });
  }
  template <class W>
  static constexpr void write_sql_default(W& w, E v) { write_sql_string(w, enum_name(v)); }
};

/// Whether values of `A` and `B` may be compared in a filter (after removing `optional`).
template <class A, class B>
inline constexpr bool compatible_types = [] {
  using a = unwrap_optional_t<std::remove_cvref_t<A>>;
  using b = unwrap_optional_t<std::remove_cvref_t<B>>;
  if constexpr (std::is_same_v<a, b>) return true;
  else if constexpr (!storable<a> || !storable<b>) return false;
  else if constexpr (type_traits<a>::compare != type_traits<b>::compare) return false;
  else return type_traits<a>::compare != compare_kind::exact;
}();

}  // namespace ash

#define ASH_DETAIL_ENUM_VALUE(E, i, x) E::x,
#define ASH_DETAIL_ENUM_NAME(E, i, x) #x,

/// Declares the enumerators of an enum stored by name: `ASH_ENUM(helpdesk::Status, open, closed);`
/// Use at global scope.
#define ASH_ENUM(E, ...)                                                                \
  template <>                                                                          \
  struct ash::enum_names<E> {                                                          \
    static constexpr std::string_view type_name = #E;                                  \
    static constexpr E values[] = {ASH_PP_FOR_EACH(ASH_DETAIL_ENUM_VALUE, E, __VA_ARGS__)}; \
    static constexpr std::string_view names[] = {ASH_PP_FOR_EACH(ASH_DETAIL_ENUM_NAME, E, __VA_ARGS__)}; \
  }

#include "ash/detail/pp.hpp"
