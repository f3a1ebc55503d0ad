// Every field type round-trips through a real SQLite table, is stored as DESIGN.md says, and a
// stored value that is not valid for its type is reported, not silently misread.
#include <doctest/doctest.h>

#include <ash/ash.hpp>
#include <ash/types/date.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"

namespace types_test {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

enum class Color { red, green, blue };

struct Sample {
  std::int64_t id = 0;
  std::int32_t small = 0;
  std::int64_t big = 0;
  bool flag = false;
  double real = 0;
  std::string text;
  ash::ci_string name;
  Color color = Color::red;
  ash::uuid ref;
  ash::utc_datetime at;
  ash::date day{std::chrono::year{2000}, std::chrono::month{1}, std::chrono::day{1}};
  ash::bytes data;
};

struct Maybe {
  std::int64_t id = 0;
  std::optional<std::int32_t> small;
  std::optional<std::int64_t> big;
  std::optional<bool> flag;
  std::optional<double> real;
  std::optional<std::string> text;
  std::optional<ash::ci_string> name;
  std::optional<Color> color;
  std::optional<ash::uuid> ref;
  std::optional<ash::utc_datetime> at;
  std::optional<ash::date> day;
  std::optional<ash::bytes> data;
};

/// A user type: a point stored as the text "x;y", through the type_traits extension point.
struct point {
  double x = 0;
  double y = 0;
  friend bool operator==(const point&, const point&) = default;
};

struct Place {
  std::int64_t id = 0;
  point at;
  std::optional<point> also;
};

struct Strict {
  std::int64_t id = 0;
  std::int64_t n = 0;
};

}  // namespace types_test

template <>
struct ash::type_traits<types_test::point> {
  static constexpr ash::storage_class storage = ash::storage_class::text;
  static constexpr std::string_view migration_type = "point";
  static constexpr ash::compare_kind compare = ash::compare_kind::exact;
  static void bind(const types_test::point& p, ash::param& out) {
    out.set_text_copy(ash::detail::format_double(p.x) + ";" + ash::detail::format_double(p.y));
  }
  static types_test::point read_text(std::string_view v) {
    auto semi = v.find(';');
    if (semi == std::string_view::npos) ash::detail::bad_stored_value("point", v);
    return {std::stod(std::string(v.substr(0, semi))), std::stod(std::string(v.substr(semi + 1)))};
  }
};

ASH_FIELDS(types_test::Place, id, at, also);
ASH_FIELDS(types_test::Strict, id, n);

template <>
struct ash::resource<types_test::Place> {
  static constexpr auto sqlite = ash::sqlite::table("places");
  static constexpr auto primary_key = ash::integer_primary_key(&types_test::Place::id);
};
template <>
struct ash::resource<types_test::Strict> {
  static constexpr auto sqlite = ash::sqlite::table("stricts").strict();
  static constexpr auto primary_key = ash::integer_primary_key(&types_test::Strict::id);
};

ASH_ENUM(types_test::Color, red, green, blue);
ASH_FIELDS(types_test::Sample, id, small, big, flag, real, text, name, color, ref, at, day, data);
ASH_FIELDS(types_test::Maybe, id, small, big, flag, real, text, name, color, ref, at, day, data);

template <>
struct ash::resource<types_test::Sample> {
  static constexpr auto sqlite = ash::sqlite::table("samples");
  static constexpr auto primary_key = ash::integer_primary_key(&types_test::Sample::id);
};
template <>
struct ash::resource<types_test::Maybe> {
  static constexpr auto sqlite = ash::sqlite::table("maybes");
  static constexpr auto primary_key = ash::integer_primary_key(&types_test::Maybe::id);
};

using namespace types_test;
using namespace std::chrono_literals;

namespace {

ash::utc_datetime at(int y, unsigned mo, unsigned d, std::chrono::microseconds since_midnight) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{mo} / std::chrono::day{d}} + since_midnight;
}

ash::bytes to_bytes(std::initializer_list<int> v) {
  ash::bytes out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}

Sample full_sample() {
  Sample s;
  s.small = -2147483647 - 1;
  s.big = 9223372036854775807LL;
  s.flag = true;
  s.real = 0.1 + 0.2;
  s.text = "plain text";
  s.name = "Alice";
  s.color = Color::green;
  s.ref = *ash::uuid::parse("0f1e2d3c-4b5a-4697-8877-665544332211");
  s.at = at(2026, 1, 1, 10h + 123456us);
  s.day = std::chrono::year{2026} / std::chrono::month{2} / std::chrono::day{28};
  s.data = to_bytes({0, 1, 0, 255, 0});
  return s;
}

/// Checks an `ash::exception` of kind invalid_attribute whose message names `value`.
template <class F>
void check_invalid_stored_value(F&& read, const std::string& value) {
  try {
    read();
    FAIL("reading an invalid stored value did not throw");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::invalid_attribute);
    CHECK(e.error().message.find("'" + value + "'") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("every type round-trips unchanged through a real table") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto written = repo.insert(full_sample());
  CHECK(written.id == 1);

  auto read = repo.get<Sample>(written.id);
  REQUIRE(read);
  CHECK(read->id == written.id);
  CHECK(read->small == -2147483647 - 1);
  CHECK(read->big == 9223372036854775807LL);
  CHECK(read->flag == true);
  CHECK(read->real == 0.1 + 0.2);  // bit-for-bit, not approximately
  CHECK(read->text == "plain text");
  CHECK(read->name.value == "Alice");
  CHECK(read->color == Color::green);
  CHECK(read->ref == written.ref);
  CHECK(read->at == written.at);
  CHECK(read->day == written.day);
  CHECK(read->data == written.data);
}

TEST_CASE("values are stored in the forms DESIGN.md gives, as raw SQL sees them") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  repo.insert(full_sample());
  auto stored = test::rows(repo,
                           "SELECT typeof(small), typeof(big), flag, typeof(real), name, color, ref, at, day, "
                           "hex(data), typeof(data) FROM samples");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0] == std::vector<std::string>{"'integer'", "'integer'", "1", "'real'", "'Alice'", "'green'",
                                               "'0f1e2d3c-4b5a-4697-8877-665544332211'",
                                               "'2026-01-01T10:00:00.123456Z'", "'2026-02-28'", "'000100FF00'",
                                               "'blob'"});
}

TEST_CASE("a timestamp is stored as ISO-8601 text with exactly six fractional digits") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  Sample s = full_sample();
  s.at = at(2026, 1, 1, 10h);
  auto id = repo.insert(s).id;
  CHECK(test::scalar_text(repo, "SELECT at FROM samples WHERE id = " + std::to_string(id)) ==
        "2026-01-01T10:00:00.000000Z");
  s.at = at(1999, 12, 31, 23h + 59min + 59s + 999999us);
  id = repo.insert(s).id;
  CHECK(test::scalar_text(repo, "SELECT at FROM samples WHERE id = " + std::to_string(id)) ==
        "1999-12-31T23:59:59.999999Z");
  CHECK(repo.get<Sample>(id)->at == s.at);
  // A timestamp written by another program in a looser form still reads.
  repo.exec("UPDATE samples SET at = '2026-03-04 05:06:07.5+00:00' WHERE id = " + std::to_string(id));
  CHECK(repo.get<Sample>(id)->at == at(2026, 3, 4, 5h + 6min + 7s + 500000us));
}

TEST_CASE("the ISO-8601 parser accepts the stored forms and rejects malformed text") {
  CHECK(ash::parse_iso8601("2026-01-01T10:00:00.000000Z") == at(2026, 1, 1, 10h));
  CHECK(ash::parse_iso8601("2026-01-01T10:00:00Z") == at(2026, 1, 1, 10h));
  CHECK(ash::parse_iso8601("2026-01-01 10:00:00.25") == at(2026, 1, 1, 10h + 250000us));
  CHECK(ash::parse_iso8601("2026-01-01T10:00:00.1234567Z") == at(2026, 1, 1, 10h + 123456us));
  CHECK_FALSE(ash::parse_iso8601(""));
  CHECK_FALSE(ash::parse_iso8601("2026-01-01"));
  CHECK_FALSE(ash::parse_iso8601("2026-13-01T10:00:00Z"));
  CHECK_FALSE(ash::parse_iso8601("2026-02-30T10:00:00Z"));
  // A leap second at the very end of 9999 would be an instant in year 10000 (found by the fuzzer).
  CHECK(ash::parse_iso8601("9999-12-31T23:59:59.999999Z") == ash::max_stored_datetime);
  CHECK_FALSE(ash::parse_iso8601("9999-12-31T23:59:60Z"));
  CHECK_FALSE(ash::parse_iso8601("2026-01-01T24:00:00Z"));
  CHECK_FALSE(ash::parse_iso8601("2026-01-01T10:00:00.Z"));
  CHECK_FALSE(ash::parse_iso8601("2026-01-01T10:00:00+02:00"));
  CHECK_FALSE(ash::parse_iso8601("yesterday at noon, roughly"));
}

TEST_CASE("a UUID is stored as 36 lowercase characters and its text form is parsed strictly") {
  auto u = ash::uuid::parse("0F1E2D3C-4B5A-4697-8877-665544332211");
  REQUIRE(u);
  CHECK(u->to_string() == "0f1e2d3c-4b5a-4697-8877-665544332211");
  CHECK_FALSE(ash::uuid::parse(""));
  CHECK_FALSE(ash::uuid::parse("0f1e2d3c4b5a46978877665544332211"));      // no dashes
  CHECK_FALSE(ash::uuid::parse("0f1e2d3c-4b5a-4697-8877-66554433221"));   // 35 characters
  CHECK_FALSE(ash::uuid::parse("0f1e2d3c-4b5a-4697-8877-6655443322111")); // 37 characters
  CHECK_FALSE(ash::uuid::parse("0f1e2d3c-4b5a-4697-8877-66554433221g"));  // not hex
  CHECK_FALSE(ash::uuid::parse("0f1e2d3c4-b5a-4697-8877-665544332211"));  // dash misplaced

  auto g = ash::uuid::generate();
  CHECK_FALSE(g.is_nil());
  CHECK(g != ash::uuid::generate());
  CHECK(g.to_string()[14] == '4');  // version 4
  CHECK(ash::uuid::parse(g.to_string()) == g);

  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  Sample s = full_sample();
  s.ref = g;
  auto id = repo.insert(s).id;
  CHECK(test::scalar_text(repo, "SELECT ref FROM samples WHERE id = " + std::to_string(id)) == g.to_string());
  CHECK(repo.get<Sample>(id)->ref == g);
}

TEST_CASE("bytes are stored as a BLOB, zero bytes and all 256 values included, and may be empty") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  Sample s = full_sample();
  for (int i = 0; i < 256; ++i) s.data.push_back(static_cast<std::byte>(i));
  auto id = repo.insert(s).id;
  CHECK(test::scalar_int(repo, "SELECT length(data) FROM samples WHERE id = " + std::to_string(id)) == 5 + 256);
  CHECK(repo.get<Sample>(id)->data == s.data);

  s.data.clear();
  id = repo.insert(s).id;
  CHECK(test::scalar_text(repo, "SELECT typeof(data) FROM samples WHERE id = " + std::to_string(id)) == "blob");
  CHECK(repo.get<Sample>(id)->data.empty());
}

TEST_CASE("an optional of each type stores NULL when empty and its value when set") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Maybe>();
  auto empty = repo.insert(Maybe{});
  auto nulls = test::rows(repo, "SELECT * FROM maybes WHERE id = " + std::to_string(empty.id));
  REQUIRE(nulls.size() == 1);
  CHECK(nulls[0] == std::vector<std::string>{"1", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL",
                                              "NULL", "NULL", "NULL"});
  auto e = repo.get<Maybe>(empty.id);
  REQUIRE(e);
  CHECK_FALSE(e->small);
  CHECK_FALSE(e->big);
  CHECK_FALSE(e->flag);
  CHECK_FALSE(e->real);
  CHECK_FALSE(e->text);
  CHECK_FALSE(e->name);
  CHECK_FALSE(e->color);
  CHECK_FALSE(e->ref);
  CHECK_FALSE(e->at);
  CHECK_FALSE(e->day);
  CHECK_FALSE(e->data);

  Sample f = full_sample();
  Maybe m;
  m.small = f.small;
  m.big = f.big;
  m.flag = false;  // a set false is not NULL
  m.real = f.real;
  m.text = "";  // a set empty string is not NULL
  m.name = f.name;
  m.color = Color::blue;
  m.ref = f.ref;
  m.at = f.at;
  m.day = f.day;
  m.data = ash::bytes{};  // set but empty: a zero-length blob, not NULL
  auto set = repo.insert(m);
  auto stored = test::rows(repo, "SELECT flag, text, typeof(data) FROM maybes WHERE id = " + std::to_string(set.id));
  CHECK(stored[0] == std::vector<std::string>{"0", "''", "'blob'"});
  auto r = repo.get<Maybe>(set.id);
  REQUIRE(r);
  CHECK(r->small == f.small);
  CHECK(r->big == f.big);
  CHECK(r->flag == false);
  CHECK(r->real == f.real);
  CHECK(r->text == "");
  CHECK(r->name->value == "Alice");
  CHECK(r->color == Color::blue);
  CHECK(r->ref == f.ref);
  CHECK(r->at == f.at);
  CHECK(r->day == f.day);
  REQUIRE(r->data);
  CHECK(r->data->empty());

  auto t = ash::fields<Maybe>;
  CHECK(repo.count(ash::query<Maybe>().filter(ash::is_nil(t.text))) == 1);
  CHECK(repo.count(ash::query<Maybe>().filter(!ash::is_nil(t.data))) == 1);
}

TEST_CASE("odd strings round-trip unchanged and can be found by equality") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto t = ash::fields<Sample>;
  const std::vector<std::string> odd = {
      "it's",
      "say \"hi\"",
      "'\"'\"",
      "100%",
      "snake_case",
      "back\\slash",
      "%_\\%",
      std::string("nul\0inside", 10),
      std::string("\0", 1),
      std::string("ends with nul\0", 14),
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89 \xe6\x97\xa5\xe6\x9c\xac",  // café € 🎉 日本
      "line\nbreak\ttab\r",
      "x'); DROP TABLE samples; --",
      "",
      std::string(1 << 20, 'x') + "\xf0\x9f\x8e\x89",  // 1 MB and an emoji
  };
  std::vector<std::int64_t> ids;
  for (const auto& text : odd) {
    Sample s = full_sample();
    s.text = text;
    ids.push_back(repo.insert(s).id);
  }
  REQUIRE(test::table_exists(repo, "samples"));
  for (std::size_t i = 0; i < odd.size(); ++i) {
    CAPTURE(i);
    // The bytes really stored, as raw SQL sees them, are the bytes given.
    CHECK(test::scalar_text(repo, "SELECT text FROM samples WHERE id = " + std::to_string(ids[i])) == odd[i]);
    auto back = repo.get<Sample>(ids[i]);
    REQUIRE(back);
    CHECK(back->text.size() == odd[i].size());
    CHECK(back->text == odd[i]);
    auto found = repo.read(ash::query<Sample>().filter(t.text == odd[i]));
    REQUIRE(found.size() == 1);
    CHECK(found[0].id == ids[i]);
  }
}

TEST_CASE("a case-insensitive string compares ignoring ASCII case and is declared COLLATE NOCASE") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto t = ash::fields<Sample>;
  for (const char* n : {"Alice", "bob", "CAROL"}) {
    Sample s = full_sample();
    s.name = n;
    repo.insert(s);
  }
  auto ddl = test::scalar_text(repo, "SELECT sql FROM sqlite_master WHERE name = 'samples'");
  REQUIRE(ddl);
  CHECK(ddl->find("\"name\" TEXT NOT NULL COLLATE NOCASE") != std::string::npos);

  auto alice = repo.read(ash::query<Sample>().filter(t.name == "ALICE"));
  REQUIRE(alice.size() == 1);
  CHECK(alice[0].name.value == "Alice");  // stored as given
  CHECK(repo.count(ash::query<Sample>().filter(t.name != "BOB")) == 2);
  CHECK(repo.count(ash::query<Sample>().filter(ash::in(t.name, {"alice", "carol"}))) == 2);
  CHECK(repo.count(ash::query<Sample>().filter(ash::contains(t.name, "LIC"))) == 1);
  // A plain string column stays case-sensitive.
  CHECK(repo.count(ash::query<Sample>().filter(t.text == "PLAIN TEXT")) == 0);

  auto sorted = repo.read(ash::query<Sample>().sort(t.name));
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].name.value == "Alice");
  CHECK(sorted[1].name.value == "bob");
  CHECK(sorted[2].name.value == "CAROL");

  CHECK(ash::ci_string("Hello") == ash::ci_string("hELLO"));
  CHECK_FALSE(ash::ci_string("Hello") == ash::ci_string("Hello!"));
}

TEST_CASE("an enum is stored by name and filtered by name") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto t = ash::fields<Sample>;
  for (Color c : {Color::red, Color::green, Color::blue, Color::green}) {
    Sample s = full_sample();
    s.color = c;
    repo.insert(s);
  }
  CHECK(test::rows(repo, "SELECT color FROM samples ORDER BY id") ==
        std::vector<std::vector<std::string>>{{"'red'"}, {"'green'"}, {"'blue'"}, {"'green'"}});
  CHECK(repo.count(ash::query<Sample>().filter(t.color == Color::green)) == 2);
  CHECK(repo.count(ash::query<Sample>().filter(ash::in(t.color, {Color::red, Color::blue}))) == 2);
  CHECK(ash::enum_name(Color::blue) == "blue");
  CHECK(ash::enum_from_name<Color>("blue") == Color::blue);
  CHECK_FALSE(ash::enum_from_name<Color>("Blue"));
}

TEST_CASE("a stored value that is not valid for its type is an invalid_attribute error naming the value") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto id = std::to_string(repo.insert(full_sample()).id);
  auto get = [&] { (void)repo.get<Sample>(std::stoll(id)); };
  auto all = [&] { (void)repo.read(ash::query<Sample>()); };

  SUBCASE("an unknown enum name") {
    repo.exec("UPDATE samples SET color = 'purple' WHERE id = " + id);
    check_invalid_stored_value(get, "purple");
    check_invalid_stored_value(all, "purple");
  }
  SUBCASE("an enum name in the wrong case") {
    repo.exec("UPDATE samples SET color = 'GREEN' WHERE id = " + id);
    check_invalid_stored_value(get, "GREEN");
  }
  SUBCASE("a malformed UUID") {
    repo.exec("UPDATE samples SET ref = 'not-a-uuid' WHERE id = " + id);
    check_invalid_stored_value(get, "not-a-uuid");
  }
  SUBCASE("a malformed timestamp") {
    repo.exec("UPDATE samples SET at = 'last tuesday' WHERE id = " + id);
    check_invalid_stored_value(get, "last tuesday");
  }
  SUBCASE("an impossible date") {
    repo.exec("UPDATE samples SET day = '2026-02-30' WHERE id = " + id);
    check_invalid_stored_value(get, "2026-02-30");
  }
  SUBCASE("text in an integer column") {
    repo.exec("UPDATE samples SET big = 'many' WHERE id = " + id);
    check_invalid_stored_value(get, "many");
  }
  SUBCASE("a fraction in an integer column") {
    repo.exec("UPDATE samples SET small = 1.5 WHERE id = " + id);
    check_invalid_stored_value(get, "1.5");
  }
  SUBCASE("text in a real column") {
    repo.exec("UPDATE samples SET real = 'pi' WHERE id = " + id);
    check_invalid_stored_value(get, "pi");
  }
}

TEST_CASE("integers at the limits of their types round-trip, and a whole double stays a double") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Sample>();
  auto t = ash::fields<Sample>;
  Sample s = full_sample();
  s.small = 2147483647;
  s.big = -9223372036854775807LL - 1;
  s.real = 3.0;
  auto id = repo.insert(s).id;
  auto r = repo.get<Sample>(id);
  CHECK(r->small == 2147483647);
  CHECK(r->big == -9223372036854775807LL - 1);
  CHECK(r->real == 3.0);
  s.real = 1e-300;
  id = repo.insert(s).id;
  CHECK(repo.get<Sample>(id)->real == 1e-300);
  CHECK(repo.count(ash::query<Sample>().filter(t.real == 1e-300)) == 1);
  CHECK(repo.count(ash::query<Sample>().filter(ash::in(t.real, {1e-300}))) == 1);
  CHECK(repo.count(ash::query<Sample>().filter(ash::in(t.real, {0.1 + 0.2, 3.0}))) == 1);
}

TEST_CASE("a user type with its own type_traits is stored, read and compared like a built-in one") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Place>();
  auto p = ash::fields<Place>;
  static_assert(ash::comparable<decltype(p.at), point>);
  static_assert(!ash::comparable<decltype(p.at), std::string>);
  static_assert(!ash::textual<decltype(p.at)>);
  auto id = repo.insert(Place{0, {1.5, -2.25}, std::nullopt}).id;
  repo.insert(Place{0, {0.1, 0.2}, point{3, 4}});
  CHECK(test::scalar_text(repo, "SELECT at FROM places WHERE id = " + std::to_string(id)) == "1.5;-2.25");
  CHECK(repo.get<Place>(id)->at == point{1.5, -2.25});
  CHECK_FALSE(repo.get<Place>(id)->also);
  auto found = repo.read(ash::query<Place>().filter(p.at == point{0.1, 0.2}));
  REQUIRE(found.size() == 1);
  CHECK(found[0].also == point{3, 4});
  CHECK(repo.count(ash::query<Place>().filter(ash::in(p.at, {point{1.5, -2.25}, point{9, 9}}))) == 1);
  repo.exec("UPDATE places SET at = 'nowhere' WHERE id = " + std::to_string(id));
  check_invalid_stored_value([&] { (void)repo.get<Place>(id); }, "nowhere");
}

TEST_CASE("a STRICT table makes SQLite itself refuse a value of the wrong kind") {
  Repo repo{{.database = ":memory:"}};
  repo.create_table<Strict>();
  CHECK(test::scalar_text(repo, "SELECT sql FROM sqlite_master WHERE name = 'stricts'") ==
        R"(CREATE TABLE "stricts" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "n" INTEGER NOT NULL) STRICT)");
  repo.insert(Strict{0, 5});
  try {
    repo.exec("INSERT INTO stricts (n) VALUES ('five')");
    FAIL("a STRICT table accepted text in an INTEGER column");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::constraint);
    CHECK(e.error().message.find("cannot store TEXT value in INTEGER column") != std::string::npos);
  }
  CHECK(test::table_contents(repo, "stricts") == std::vector<std::vector<std::string>>{{"1", "5"}});
}
