#pragma once
/// \file
/// `string_writer`: the run-time counterpart of `text_writer` (fixed_string.hpp). Code written
/// once against either (SQL literals, DDL) runs at compile time into a character array, or at
/// run time into a `std::string`.

#include <string>
#include <string_view>

namespace ash::detail {

/// Appends text to a `std::string`; same interface as `text_writer`.
struct string_writer {
  static constexpr bool run_time = true;
  std::string& out;
  void put(std::string_view s) { out += s; }
  void put(char c) { out += c; }
  /// Characters inside a quoted identifier, quotes doubled.
  void ident_part(std::string_view s) {
    for (char c : s) ident_part(c);
  }
  void ident_part(char c) {
    if (c == '"') out += '"';
    out += c;
  }
  /// `"name"`, embedded quotes doubled.
  void ident(std::string_view s) {
    out += '"';
    ident_part(s);
    out += '"';
  }
};

/// Runs `write(string_writer&)` and returns the text.
template <class F>
std::string write_string(F&& write) {
  std::string out;
  string_writer w{out};
  write(w);
  return out;
}

}  // namespace ash::detail
