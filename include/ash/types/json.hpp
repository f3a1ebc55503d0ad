#pragma once
/// \file
/// Fields stored as JSON TEXT: arrays (`std::vector<T>` of any storable element type except
/// bytes) and maps (`ash::json_map`, a Boost.JSON object), as ecto_sqlite3 stores them.
///
/// Include this header to use them; it needs Boost.JSON at link time (meson: `ash_json_dep`).

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ash/core/types.hpp"

namespace ash {

/// A JSON object field, stored as its JSON text.
using json_map = boost::json::object;

namespace detail {

/// The number tokens of JSON text, in document order (text inside strings skipped).
inline std::vector<std::string_view> json_number_tokens(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < text.size() && (text[i] == '-' || text[i] == '+' || text[i] == '.' || text[i] == 'e' || text[i] == 'E' ||
                                 (text[i] >= '0' && text[i] <= '9')))
        ++i;
      out.push_back(text.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return out;
}
/// Replaces each double of `v` by `std::from_chars`'s reading of its token (`tokens[next]`...):
/// false if the tokens and the numbers do not pair up (then the rest is left as it was).
inline bool reread_doubles(boost::json::value& v, const std::vector<std::string_view>& tokens, std::size_t& next) {
  if (v.is_array()) {
    for (auto& e : v.get_array())
      if (!reread_doubles(e, tokens, next)) return false;
  } else if (v.is_object()) {
    for (auto& kv : v.get_object())
      if (!reread_doubles(kv.value(), tokens, next)) return false;
  } else if (v.is_number()) {
    if (next >= tokens.size()) return false;
    const std::string_view t = tokens[next++];
    if (v.is_double()) {
      double d = 0;
      const auto r = std::from_chars(t.data(), t.data() + t.size(), d);
      if (r.ec == std::errc() && r.ptr == t.data() + t.size()) v = d;  // out of range (9e999): Boost's infinity stays
    }
  }
  return true;
}

/// Parses stored JSON text; throws `ash::exception` (invalid_attribute) if it is not JSON.
///
/// Doubles are read again from their text with `std::from_chars`: Boost.JSON 1.81 rounds some
/// (long mantissas, large exponents) to a neighbouring double and reads `0e999` as NaN, so a
/// stored double would not read back as it was written. (A duplicate key, which Boost keeps
/// once, leaves the numbers after it as Boost read them.)
inline boost::json::value parse_stored_json(std::string_view text, std::string_view type) {
  std::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) bad_stored_value(type, text);
  std::size_t next = 0;
  reread_doubles(v, json_number_tokens(text), next);
  return v;
}

/// One element of a stored JSON array, read through the element type's own traits.
template <class T>
T element_from_json(const boost::json::value& v, std::string_view whole) {
  using tt = type_traits<T>;
  if constexpr (tt::storage == storage_class::integer) {
    if (v.is_int64()) return tt::read_int(v.get_int64());
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
      return tt::read_int(static_cast<std::int64_t>(v.get_uint64()));
    if (v.is_bool()) return tt::read_int(v.get_bool() ? 1 : 0);
  } else if constexpr (tt::storage == storage_class::real) {
    if (v.is_double()) return tt::read_real(v.get_double());  // never NaN: see parse_stored_json
    if (v.is_int64()) return tt::read_real(static_cast<double>(v.get_int64()));
    // A whole double past INT64_MAX is written as its digits, which Boost.JSON reads as uint64.
    if (v.is_uint64()) return tt::read_real(static_cast<double>(v.get_uint64()));
  } else if constexpr (tt::storage == storage_class::text) {
    if (v.is_string()) return tt::read_text(std::string_view(v.get_string().data(), v.get_string().size()));
  }
  bad_stored_value("JSON array element", whole);
}

/// "array:" followed by the element's migration type, as a constant.
template <class T>
struct array_type_name {
  static constexpr auto chars = [] {
    constexpr std::string_view inner = type_traits<T>::migration_type;
    std::array<char, 6 + inner.size()> out{};
    constexpr std::string_view head = "array:";
    for (std::size_t i = 0; i < head.size(); ++i) out[i] = head[i];
    for (std::size_t i = 0; i < inner.size(); ++i) out[head.size() + i] = inner[i];
    return out;
  }();
  static constexpr std::string_view value{chars.data(), chars.size()};
};

}  // namespace detail

/// A list of values stored as a JSON array: `std::vector<std::string> tags`.
template <class T>
  requires(storable<T> && !std::is_same_v<T, std::byte> && type_traits<T>::storage != storage_class::blob)
struct type_traits<std::vector<T>> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = detail::array_type_name<T>::value;
  static constexpr compare_kind compare = compare_kind::exact;
  static std::string to_json(const std::vector<T>& v) {
    std::string out{"["};
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      scoped_param e;
      type_traits<T>::bind(v[i], e);
      detail::append_json(out, e);
    }
    return out + "]";
  }
  static void bind(const std::vector<T>& v, param& p) { p.set_text_owned(to_json(v)); }
  static std::vector<T> read_text(std::string_view text) {
    boost::json::value v = detail::parse_stored_json(text, "JSON array");
    if (!v.is_array()) detail::bad_stored_value("JSON array", text);
    std::vector<T> out;
    out.reserve(v.get_array().size());
    for (const auto& e : v.get_array()) out.push_back(detail::element_from_json<T>(e, text));
    return out;
  }
  static std::string sql_default(const std::vector<T>& v) { return type_traits<std::string>::sql_default(to_json(v)); }
};

namespace detail {
inline void append_json_object(std::string& out, const boost::json::object& o);
/// Boost.JSON's string view as a standard one.
inline std::string_view standard_view(boost::json::string_view t) { return {t.data(), t.size()}; }
/// Appends `v` as JSON text. Not `boost::json::serialize`, which writes an infinite double as
/// `Infinity` (not JSON: the stored text would not read back) and NaN as `NaN`: a double is
/// written as `format_double` writes it (`9e999` for infinity, which reads back as infinity;
/// `null` for NaN, as SQLite stores NaN), in its shortest form that reads back exactly.
inline void append_json_value(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: append_decimal(out, v.get_int64()); break;
    case boost::json::kind::uint64: {
      char digits[24];
      const auto r = std::to_chars(digits, digits + sizeof digits, v.get_uint64());
      out.append(digits, static_cast<std::size_t>(r.ptr - digits));
      break;
    }
    case boost::json::kind::double_: {
      // A whole double keeps a fraction (`-0.0`, `9223372603854733312.0`): written as an
      // integer, it would read back as an integer, another kind of JSON value.
      const std::string d = format_double(v.get_double());
      out += d;
      if (d.find_first_of(".eEn") == std::string::npos) out += ".0";
      break;
    }
    case boost::json::kind::string: append_json_string(out, standard_view(v.get_string())); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json_value(out, e);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: append_json_object(out, v.get_object()); break;
  }
}
/// Appends `o` as JSON text (see `append_json_value`).
inline void append_json_object(std::string& out, const boost::json::object& o) {
  out += '{';
  bool first = true;
  for (const auto& kv : o) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, standard_view(kv.key()));
    out += ':';
    append_json_value(out, kv.value());
  }
  out += '}';
}
/// `v` as the JSON text it is stored as.
inline std::string json_text(const json_map& v) {
  std::string out;
  append_json_object(out, v);
  return out;
}
}  // namespace detail

/// A JSON object stored as its text.
template <>
struct type_traits<json_map> {
  static constexpr storage_class storage = storage_class::text;
  static constexpr std::string_view migration_type = "map";
  static constexpr compare_kind compare = compare_kind::exact;
  static void bind(const json_map& v, param& p) { p.set_text_owned(detail::json_text(v)); }
  static json_map read_text(std::string_view text) {
    boost::json::value v = detail::parse_stored_json(text, "JSON object");
    if (!v.is_object()) detail::bad_stored_value("JSON object", text);
    return std::move(v.get_object());
  }
  static std::string sql_default(const json_map& v) { return type_traits<std::string>::sql_default(detail::json_text(v)); }
};

}  // namespace ash
