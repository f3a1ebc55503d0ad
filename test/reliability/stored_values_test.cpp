// Values: what another program stores in every field type is read exactly or refused with an
// error naming the resource, field, value and row; values the storage cannot hold are refused
// when written; hostile strings go through every filter and come back exactly.
#include <doctest/doctest.h>

#include <limits>

#include "support.hpp"

using namespace rel;

namespace {

/// A samples table with no constraints, as another program might have made it.
void loose_table(Repo& repo) {
  repo.exec(
      "CREATE TABLE samples (id INTEGER PRIMARY KEY, i64, i32, u16, flag, real, text, kind, uid, at, blob, maybe)");
}

const char* const valid_row =
    "INSERT INTO samples VALUES (1, 5, 6, 7, 1, 1.5, 'x', 'plain', '00000000-0000-4000-8000-000000000001', "
    "'2026-01-02T03:04:05.000006Z', x'00ff', NULL)";

ash::error read_error(Repo& repo) {
  auto r = repo.try_read(ash::query<Sample>());
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("a valid row written by another program reads back exactly") {
  Repo repo({.database = ":memory:"});
  loose_table(repo);
  repo.exec(valid_row);
  auto rows = repo.read(ash::query<Sample>());
  REQUIRE(rows.size() == 1);
  const Sample& r = rows[0];
  CHECK(r.i64 == 5);
  CHECK(r.i32 == 6);
  CHECK(r.u16 == 7);
  CHECK(r.flag);
  CHECK(r.real == 1.5);
  CHECK(r.text == "x");
  CHECK(r.kind == Kind::plain);
  CHECK(r.uid.to_string() == "00000000-0000-4000-8000-000000000001");
  CHECK(ash::utc_datetime{std::chrono::microseconds{0}} < r.at);
  CHECK(r.blob == ash::bytes{std::byte{0}, std::byte{0xff}});
  CHECK_FALSE(r.maybe.has_value());
}

TEST_CASE("every storage class in every field type: read exactly, or an error naming resource, field, value and row") {
  // Each field, the stored values it must refuse, and those it reads (a whole REAL in an integer).
  struct column_case {
    const char* column;
    std::vector<const char*> refused;
    std::vector<const char*> accepted;
  };
  const std::vector<column_case> cases = {
      {"i64", {"NULL", "'5'", "x'05'", "1.5", "9223372036854775808.0", "-9223372036854777856.0"}, {"5", "5.0", "-9223372036854775808.0"}},
      {"i32", {"NULL", "'5'", "x'05'", "2.5", "4294967296", "-2147483649"}, {"2147483647", "-2147483648", "7.0"}},
      {"u16", {"NULL", "-1", "65536", "'1'"}, {"65535", "0"}},
      {"flag", {"NULL", "'true'", "x'01'", "0.5"}, {"0", "1", "2"}},
      {"real", {"NULL", "'1.5'", "x'00'"}, {"1", "1.25"}},
      {"text", {"NULL"}, {"''", "'x'", "5"}},
      {"kind", {"NULL", "'Plain'", "''", "5"}, {"'special'"}},
      {"uid", {"NULL", "'not a uuid'", "5", "'00000000-0000-4000-8000-00000000000'"}, {"'00000000-0000-4000-8000-00000000000A'"}},
      {"at", {"NULL", "'2026-13-01T00:00:00Z'", "'yesterday'", "5", "'2026-01-01T00:00:00+01:00'"},
       {"'2026-01-01 00:00:00'", "'2026-01-01T00:00:00.5Z'"}},
      {"blob", {"NULL"}, {"x''", "x'01'"}},
      {"maybe", {}, {"NULL", "'y'", "''"}},
  };
  // A fresh valid row with `column` set to the stored value `v`, read back.
  auto read_with = [](const char* column, const char* v) {
    Repo repo({.database = ":memory:"});
    loose_table(repo);
    repo.exec(valid_row);
    repo.exec(std::string("UPDATE samples SET ") + column + " = " + v);
    return repo.try_read(ash::query<Sample>());
  };
  for (const auto& c : cases) {
    CAPTURE(c.column);
    for (const char* v : c.refused) {
      CAPTURE(v);
      auto r = read_with(c.column, v);
      REQUIRE_FALSE(r.ok());
      const ash::error& err = r.error();
      CHECK(err.kind == ash::error_kind::invalid_attribute);
      CHECK(err.resource == "Sample");
      CHECK(err.field == c.column);
      CHECK(err.message.find("in the row with id = 1") != std::string::npos);
      CHECK(err.message.find("stored value") != std::string::npos);
    }
    for (const char* v : c.accepted) {
      CAPTURE(v);
      CHECK(read_with(c.column, v).ok());
    }
  }
}

TEST_CASE("an error the caller's each callback throws is not taken for a bad stored value") {
  Repo repo({.database = ":memory:"});
  loose_table(repo);
  repo.exec(valid_row);
  ash::error thrown;
  thrown.kind = ash::error_kind::invalid_attribute;
  thrown.message = "stored value of the caller's own";
  try {
    repo.each(ash::query<Sample>(), [&](Sample&&) { throw ash::exception(thrown); });
    FAIL("each did not rethrow");
  } catch (const ash::exception& ex) {
    CHECK(ex.error().resource == "");
    CHECK(ex.error().field == "");
    CHECK(ex.error().message == thrown.message);
  }
  // A bad row read by each is named as by read.
  repo.exec("UPDATE samples SET kind = 'unknown'");
  try {
    repo.each(ash::query<Sample>(), [&](Sample&&) {});
    FAIL("each read a bad row");
  } catch (const ash::exception& ex) {
    CHECK(ex.error().resource == "Sample");
    CHECK(ex.error().field == "kind");
    CHECK(ex.error().message.find("in the row with id = 1") != std::string::npos);
  }
}

TEST_CASE("an integer that does not fit its field names the value") {
  Repo repo({.database = ":memory:"});
  loose_table(repo);
  repo.exec(valid_row);
  repo.exec("UPDATE samples SET i32 = 4294967296");
  const ash::error err = read_error(repo);
  CHECK(err.message.find("4294967296") != std::string::npos);
  CHECK(err.message.find("32-bit") != std::string::npos);
  // get names the row as well.
  auto g = [&] { (void)repo.get<Sample>(std::int64_t{1}); };
  CHECK_THROWS_WITH_AS(g(), doctest::Contains("Sample.i32"), ash::exception);
}

TEST_CASE("values the storage cannot hold are refused when written, naming the field") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("values.db")});
  repo.create_table<Sample>();
  auto attempt = [&](Sample v) {
    auto r = repo.try_create<Sample>(ash::set(s.at, v.at), ash::set(s.kind, v.kind));
    return r.ok() ? ash::error{} : r.error();
  };
  auto at = [](long long y, long long m, long long d) {
    return ash::utc_datetime{std::chrono::microseconds{ash::detail::days_from_civil(y, m, d) * 86400000000LL}};
  };
  Sample ok;
  ok.at = at(2026, 1, 1);

  SUBCASE("timestamps outside the years 0000 to 9999") {
    for (ash::utc_datetime t : {at(10000, 1, 1), at(-1, 12, 31), ash::utc_datetime::max(), ash::utc_datetime::min()}) {
      Sample v = ok;
      v.at = t;
      const ash::error err = attempt(v);
      CHECK(err.kind == ash::error_kind::invalid_attribute);
      CHECK(err.resource == "Sample");
      CHECK(err.field == "at");
      CHECK(err.message.find("years 0000 to 9999") != std::string::npos);
    }
    // A filter with such a value is refused too, rather than comparing against garbage.
    CHECK_THROWS_AS((void)repo.read(ash::query<Sample>().filter(s.at < ash::utc_datetime::max())), ash::exception);
    CHECK(test::scalar_int(repo, "SELECT count(*) FROM samples") == 0);
  }
  SUBCASE("the first and last instants the storage holds round-trip") {
    for (ash::utc_datetime t : {ash::min_stored_datetime, ash::max_stored_datetime, at(1969, 12, 31)}) {
      Sample v = ok;
      v.at = t;
      auto created = repo.create<Sample>(ash::set(s.at, t));
      auto back = repo.get<Sample>(created.id);
      REQUIRE(back);
      CHECK(back->at == t);
    }
    CHECK(test::scalar_text(repo, "SELECT max(at) FROM samples") == "9999-12-31T23:59:59.999999Z");
    CHECK(test::scalar_text(repo, "SELECT min(at) FROM samples") == "0000-01-01T00:00:00.000000Z");
  }
  SUBCASE("an enum value that ASH_ENUM does not list") {
    Sample v = ok;
    v.kind = static_cast<Kind>(7);
    const ash::error err = attempt(v);
    CHECK(err.kind == ash::error_kind::invalid_attribute);
    CHECK(err.field == "kind");
    CHECK(err.message.find("value 7 is not one of the values ASH_ENUM lists for rel::Kind") != std::string::npos);
    // The same through insert (no action), and in a filter.
    Sample raw = ok;
    raw.kind = static_cast<Kind>(7);
    CHECK_THROWS_WITH_AS((void)repo.insert(raw), doctest::Contains("Sample.kind"), ash::exception);
    CHECK_THROWS_AS((void)repo.read(ash::query<Sample>().filter(s.kind == static_cast<Kind>(9))), ash::exception);
    CHECK(test::scalar_int(repo, "SELECT count(*) FROM samples") == 0);
  }
}

TEST_CASE("hostile strings go through every filter and come back exactly") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("hostile.db")});
  repo.create_table<Sample>();
  const std::vector<std::string> hostile = {
      std::string("nul\0inside", 10), std::string("\0", 1), std::string("\x01\x02\x03", 3), "\xff\xfe invalid utf-8 \xc3",
      "'); DROP TABLE samples; --", "50%_off\\", "\"quoted\"", "line\nbreak\ttab", std::string(70000, 'L'), "",
      "\xe2\x80\xae right-to-left", "\\u0000 not a nul",
  };
  for (const auto& h : hostile) (void)repo.create<Sample>(ash::set(s.text, h));
  (void)repo.create<Sample>(ash::set(s.text, std::string("nul")));  // a prefix of the first: must not match it
  (void)repo.create<Sample>(ash::set(s.text, std::string("nul\0other", 9)));

  for (const auto& h : hostile) {
    CAPTURE(h.size());
    auto eq = repo.read(ash::query<Sample>().filter(s.text == h));
    REQUIRE(eq.size() == 1);
    CHECK(eq[0].text == h);
    auto listed = repo.read(ash::query<Sample>().filter(ash::in(s.text, {h})));
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].text == h);
    // contains finds the value itself, and every row containing it byte for byte.
    auto found = repo.read(ash::query<Sample>().filter(ash::contains(s.text, h)));
    std::size_t expected = 0;
    for (const auto& row : repo.read(ash::query<Sample>()))
      expected += row.text.find(h) != std::string::npos;
    CHECK(found.size() == expected);
    for (const auto& row : found) CHECK(row.text.find(h) != std::string::npos);
  }
  // A NUL in an `in` list or `contains` matches only itself, never the text before it.
  CHECK(repo.read(ash::query<Sample>().filter(ash::in(s.text, {std::string("nul\0inside", 10), std::string("x")}))).size() == 1);
  CHECK(repo.read(ash::query<Sample>().filter(ash::contains(s.text, std::string("l\0i", 3)))).size() == 1);
  CHECK(repo.read(ash::query<Sample>().filter(ash::contains(s.text, std::string("\xff", 1)))).size() == 1);
  // LIKE patterns longer than SQLite's limit fail with an error that names the limit.
  auto long_like = repo.try_read(ash::query<Sample>().filter(ash::like(s.text, std::string(60000, '%'))));
  REQUIRE_FALSE(long_like.ok());
  CHECK(long_like.error().kind == ash::error_kind::invalid_attribute);
  CHECK(long_like.error().message.find("SQLITE_LIMIT_LIKE_PATTERN_LENGTH") != std::string::npos);
  CHECK(long_like.error().message.find("50000") != std::string::npos);
}
