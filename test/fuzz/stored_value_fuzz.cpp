// libFuzzer target: arbitrary bytes as the stored TEXT of a column, through every text decoder
// of a stored value: parse_iso8601 (utc_datetime), uuid::parse, the date and ASH_ENUM readers,
// and the JSON readers of json.hpp (arrays of several element types, json_map). An
// `ash::exception` is a refused value; a crash, a hang, a sanitizer report or a failed round
// trip below is a bug: what a decoder accepts must write back as text that reads back equal.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ash/core/types.hpp"
#include "ash/types/date.hpp"
#include "ash/types/json.hpp"

enum class fuzz_status { open, closed, pending_review };
ASH_ENUM(fuzz_status, open, closed, pending_review);

namespace {

[[noreturn]] void round_trip_failed(const char* type, std::string_view input, const char* why) {
  std::fprintf(stderr, "stored_value_fuzz: %s read from these %zu bytes does not read back from its stored text: %s\n",
               type, input.size(), why);
  std::abort();
}

/// The stored text of `v`, as `bind` makes it.
template <class T>
std::string stored_text(const T& v) {
  ash::scoped_param p;
  ash::type_traits<T>::bind(v, p);
  return std::string(p.text());
}

/// Reads `text` as a `T`; a value it accepts must bind, and its stored text read back equal.
template <class T>
void read_and_round_trip(std::string_view text, const char* type) {
  std::optional<T> v;
  try {
    v = ash::type_traits<T>::read_text(text);
  } catch (const ash::exception&) {
    return;  // refused: fine
  }
  try {
    if (!(ash::type_traits<T>::read_text(stored_text(*v)) == *v)) round_trip_failed(type, text, "another value");
  } catch (const ash::exception& e) {
    round_trip_failed(type, text, e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto t = ash::parse_iso8601(text)) {
    char buf[27];
    ash::write_iso8601(*t, buf);
    if (ash::parse_iso8601(std::string_view(buf, 27)) != t) round_trip_failed("parse_iso8601", text, "another instant");
  }
  if (auto u = ash::uuid::parse(text); u && ash::uuid::parse(u->to_string()) != u) round_trip_failed("uuid::parse", text, "another uuid");

  read_and_round_trip<ash::utc_datetime>(text, "utc_datetime");
  read_and_round_trip<ash::uuid>(text, "uuid");
  read_and_round_trip<ash::date>(text, "date");
  read_and_round_trip<fuzz_status>(text, "ASH_ENUM enum");
  read_and_round_trip<std::vector<std::int64_t>>(text, "JSON array of int64");
  read_and_round_trip<std::vector<double>>(text, "JSON array of double");
  read_and_round_trip<std::vector<std::string>>(text, "JSON array of string");
  read_and_round_trip<std::vector<ash::uuid>>(text, "JSON array of uuid");
  read_and_round_trip<std::vector<ash::utc_datetime>>(text, "JSON array of utc_datetime");
  read_and_round_trip<std::vector<fuzz_status>>(text, "JSON array of enum");
  read_and_round_trip<ash::json_map>(text, "json_map");
  return 0;
}
