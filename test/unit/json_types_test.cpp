// Fields stored as JSON TEXT: arrays of any storable type and maps; and dates that cannot exist.
#include <doctest/doctest.h>

#include <limits>

#include <ash/ash.hpp>
#include <ash/core/schema_of.hpp>
#include <ash/types/date.hpp>
#include <ash/types/json.hpp>

#include "support.hpp"

namespace jt {
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};
enum class Color { red, green };
struct Doc {
  std::int64_t id = 0;
  std::vector<std::string> tags;
  std::vector<std::int64_t> counts;
  std::vector<Color> colors;
  std::optional<std::vector<double>> weights;
  ash::json_map meta;
  std::vector<std::string> labels;
};
struct Day {
  std::int64_t id = 0;
  ash::date on;
};
}  // namespace jt

ASH_ENUM(jt::Color, red, green);
ASH_FIELDS(jt::Doc, id, tags, counts, colors, weights, meta, labels);
ASH_FIELDS(jt::Day, id, on);

template <>
struct ash::resource<jt::Doc> {
  static constexpr auto sqlite = ash::sqlite::table("docs").repo<jt::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&jt::Doc::id);
};
template <>
struct ash::resource<jt::Day> {
  static constexpr auto sqlite = ash::sqlite::table("days").repo<jt::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&jt::Day::id);
};

namespace {
std::string stored_text(jt::Repo& repo, const std::string& sql) {
  std::string out;
  repo.with_reader([&](ash::sqlite::connection& c) {
    sqlite3_stmt* s = c.prepare(sql);
    if (sqlite3_step(s) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  });
  return out;
}
}  // namespace

TEST_CASE("arrays and maps round-trip through JSON text, and are stored as ecto_sqlite3 stores them") {
  test::temp_dir dir;
  jt::Repo repo{{.database = dir.file("json.db")}};
  repo.create_table<jt::Doc>();
  jt::Doc d;
  d.tags = {"a", "quote\"d", "back\\slash", "new\nline", "ünï"};
  d.counts = {1, -2, INT64_MAX};
  d.colors = {jt::Color::green, jt::Color::red};
  d.weights = std::vector<double>{0.1, 1e-300};
  d.meta["owner"] = "joe";
  d.meta["level"] = 3;
  d = repo.insert(d);

  auto back = repo.get<jt::Doc>(d.id);
  REQUIRE(back);
  CHECK(back->tags == d.tags);
  CHECK(back->counts == d.counts);
  CHECK(back->colors == d.colors);
  REQUIRE(back->weights);
  CHECK(*back->weights == *d.weights);
  CHECK(back->meta == d.meta);
  CHECK(back->labels.empty());

  CHECK(stored_text(repo, "SELECT colors FROM docs") == R"(["green","red"])");
  CHECK(stored_text(repo, "SELECT counts FROM docs") == "[1,-2,9223372036854775807]");
  CHECK(stored_text(repo, "SELECT labels FROM docs") == "[]");
  // SQLite's JSON functions read what was stored.
  CHECK(stored_text(repo, "SELECT json_extract(meta, '$.owner') FROM docs") == "joe");
  CHECK(stored_text(repo, "SELECT json_array_length(tags) FROM docs") == "5");

  auto t = ash::fields<jt::Doc>;
  CHECK(repo.count(ash::query<jt::Doc>().filter(ash::fragment<"json_array_length(?) = ?">(t.tags, 5))) == 1);
}

TEST_CASE("a null optional array is NULL; the column types and migration types say JSON") {
  test::temp_dir dir;
  jt::Repo repo{{.database = dir.file("json.db")}};
  repo.create_table<jt::Doc>();
  auto d = repo.insert(jt::Doc{});
  CHECK_FALSE(repo.get<jt::Doc>(d.id)->weights);
  CHECK(stored_text(repo, "SELECT typeof(weights) FROM docs") == "null");
  auto schema = ash::table_schema_of<jt::Doc>();
  CHECK(schema.find("tags")->type == "array:text");
  CHECK(schema.find("counts")->type == "array:bigint");
  CHECK(schema.find("weights")->type == "array:float");
  CHECK(schema.find("meta")->type == "map");
}

TEST_CASE("stored text that is not the JSON a field expects is an invalid_attribute error") {
  test::temp_dir dir;
  jt::Repo repo{{.database = dir.file("json.db")}};
  repo.create_table<jt::Doc>();
  repo.exec(R"(INSERT INTO docs (tags, counts, colors, weights, meta, labels) VALUES ('not json', '[]', '[]', NULL, '{}', '[]'))");
  try {
    (void)repo.read(ash::query<jt::Doc>());
    FAIL("reading invalid JSON did not throw");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::invalid_attribute);
    CHECK(e.error().message.find("not json") != std::string::npos);
  }
  repo.exec("UPDATE docs SET tags = '[]', colors = '[\"blue\"]'");
  CHECK_THROWS_AS((void)repo.read(ash::query<jt::Doc>()), ash::exception);
  repo.exec("UPDATE docs SET colors = '[]', meta = '[1]'");
  CHECK_THROWS_AS((void)repo.read(ash::query<jt::Doc>()), ash::exception);
}

TEST_CASE("stored JSON doubles read back exactly as written, though Boost.JSON 1.81 rounds some (found by the fuzzer)") {
  using doubles = ash::type_traits<std::vector<double>>;
  // Boost.JSON reads 0e999 as NaN and rounds long mantissas to a neighbouring double.
  CHECK(doubles::read_text("[0e999]") == std::vector<double>{0.0});
  CHECK(doubles::read_text("[2222222222222222222222221.5, -0, 1]") ==
        std::vector<double>{2222222222222222222222221.5, -0.0, 1.0});
  CHECK(doubles::read_text("[0.5, 1e300]") == std::vector<double>{0.5, 1e300});
  for (double d : {2.2222222222222224e24, 0.1, 5e-324, 1.7976931348623157e308, 123456789.123456789, 9223372603854733312.0}) {
    CAPTURE(d);
    ash::scoped_param p;
    doubles::bind({d}, p);
    CHECK(doubles::read_text(p.text()) == std::vector<double>{d});
  }
  // Inside maps too, after strings that hold numbers and escaped quotes.
  auto m = ash::type_traits<ash::json_map>::read_text(R"({"s": "1.5 \" 7", "a": [2222222222222222222222221.5], "n": 3})");
  CHECK(m.at("a").as_array().at(0).as_double() == 2222222222222222222222221.5);
  CHECK(m.at("n").as_int64() == 3);
  CHECK(m.at("s").as_string() == "1.5 \" 7");
  // Infinity (written 9e999) stays infinity, in arrays and in maps (Boost.JSON's own serializer
  // would write `Infinity`, which is not JSON; found by the fuzzer).
  CHECK(doubles::read_text("[9e999]") == std::vector<double>{std::numeric_limits<double>::infinity()});
  using maps = ash::type_traits<ash::json_map>;
  auto inf = maps::read_text(
      R"({"a": [9e999, -9e999, 1e5, true, null, "x\"y", -0.0, 9223372603854733920.0, 7], "b": {"c": 18446744073709551615}})");
  ash::scoped_param p;
  maps::bind(inf, p);
  CHECK(p.text() ==
        R"({"a":[9e999,-9e999,1e+05,true,null,"x\"y",-0.0,9223372603854733312.0,7],"b":{"c":18446744073709551615}})");
  CHECK(maps::read_text(p.text()) == inf);
}

TEST_CASE("a date that does not exist is refused when written, and nothing is written") {
  test::temp_dir dir;
  jt::Repo repo{{.database = dir.file("days.db")}};
  repo.create_table<jt::Day>();
  try {
    repo.insert(jt::Day{});  // a default-constructed date is year 0, month 0, day 0
    FAIL("an impossible date was written");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::invalid_attribute);
    CHECK(e.error().message.find("is not a valid date") != std::string::npos);
  }
  using namespace std::chrono;
  CHECK_THROWS_AS(repo.insert(jt::Day{0, year{2026} / February / 30}), ash::exception);
  CHECK(repo.count(ash::query<jt::Day>()) == 0);
  auto ok = repo.insert(jt::Day{0, year{2024} / February / 29});
  CHECK(repo.get<jt::Day>(ok.id)->on == year{2024} / February / 29);
}
