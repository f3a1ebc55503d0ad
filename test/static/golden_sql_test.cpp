// Golden SQL: the text of every expression and statement form is a compile-time constant, and
// this is what it says. Each check first proves the text is a constant expression (it initialises
// a `constexpr std::string_view`), then compares it at run time so a failure prints both texts.
#include <doctest/doctest.h>

#include <ash/ash.hpp>
#include <ash/core/schema_of.hpp>
#include <ash/sql/ddl.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace golden {

enum class Status { open, closed };

struct Item {
  std::int64_t id = 0;
  std::string title;
  std::string note;
  ash::ci_string name;
  std::int64_t count = 0;
  double price = 0;
  Status status = Status::open;
  std::optional<std::int64_t> owner_id;
};

struct Doc {
  ash::uuid id;
  std::string body;
};

struct Pair {
  std::int64_t left = 0;
  std::int64_t right = 0;
  std::string label;
};

struct Reaction {
  std::int64_t id = 0;
  std::int64_t subject_id = 0;
  std::string emoji;
};

struct Odd {
  std::int64_t id = 0;
};

}  // namespace golden

ASH_ENUM(golden::Status, open, closed);
ASH_FIELDS(golden::Item, id, title, note, name, count, price, status, owner_id);
ASH_FIELDS(golden::Doc, id, body);
ASH_FIELDS(golden::Pair, left, right, label);
ASH_FIELDS(golden::Reaction, id, subject_id, emoji);
ASH_FIELDS(golden::Odd, id);

template <>
struct ash::resource<golden::Item> {
  static constexpr auto sqlite = ash::sqlite::table("items");
  static constexpr auto primary_key = ash::integer_primary_key(&golden::Item::id);
};
template <>
struct ash::resource<golden::Doc> {
  static constexpr auto sqlite = ash::sqlite::table("docs");
  static constexpr auto primary_key = ash::uuid_primary_key(&golden::Doc::id);
};
template <>
struct ash::resource<golden::Pair> {
  static constexpr auto sqlite = ash::sqlite::table("pairs");
  static constexpr auto primary_key = ash::primary_key(&golden::Pair::left, &golden::Pair::right);
};
template <>
struct ash::resource<golden::Reaction> {
  static constexpr auto sqlite = ash::sqlite::polymorphic();
  static constexpr auto primary_key = ash::integer_primary_key(&golden::Reaction::id);
};
template <>
struct ash::resource<golden::Odd> {
  static constexpr auto sqlite = ash::sqlite::table("odd \"quoted\" table");
  static constexpr auto primary_key = ash::integer_primary_key(&golden::Odd::id);
};

using namespace golden;

/// The SQL text `text` (a compile-time constant) is `expected`.
#define CHECK_SQL(text, expected)                                    \
  do {                                                               \
    constexpr std::string_view sql_constant = (text);                \
    static_assert(!sql_constant.empty(), "SQL text is a constant");  \
    CHECK(sql_constant == std::string_view(expected));               \
  } while (0)

namespace {
constexpr auto t = ash::fields<Item>;

template <class E>
constexpr std::string_view expr_text = ash::sql::expr_sql<E>;

/// The SQL text of `SELECT * FROM items WHERE <E>`, as rendered for a query filtered by E.
template <class E>
constexpr std::string_view where_text = ash::sql::select_sql<decltype(ash::query<Item>().filter(std::declval<E>()))>;
}  // namespace

TEST_CASE("comparison operators render as SQL comparisons with one bound parameter") {
  CHECK_SQL(expr_text<decltype(t.title == "x")>, R"("title" = ?)");
  CHECK_SQL(expr_text<decltype(t.title != "x")>, R"("title" <> ?)");
  CHECK_SQL(expr_text<decltype(t.count < 1)>, R"("count" < ?)");
  CHECK_SQL(expr_text<decltype(t.count <= 1)>, R"("count" <= ?)");
  CHECK_SQL(expr_text<decltype(t.count > 1)>, R"("count" > ?)");
  CHECK_SQL(expr_text<decltype(t.count >= 1)>, R"("count" >= ?)");
  CHECK_SQL(expr_text<decltype(1 < t.count)>, R"(? < "count")");
  CHECK_SQL(expr_text<decltype(t.title == t.note)>, R"("title" = "note")");
  CHECK_SQL(expr_text<decltype(t.status == Status::closed)>, R"("status" = ?)");
  CHECK_SQL(expr_text<decltype(t.name == "x")>, R"("name" COLLATE NOCASE = ?)");
  CHECK_SQL(expr_text<decltype(t.name != "x")>, R"("name" COLLATE NOCASE <> ?)");
  static_assert(decltype(t.title == "x")::param_count == 1);
  static_assert(decltype(t.title == t.note)::param_count == 0);
}

TEST_CASE("the guide's filters render with and, or and not") {
  using guide = decltype(t.status == Status::closed and not(t.title == "barbaz"));
  CHECK_SQL(expr_text<guide>, R"(("status" = ? AND NOT ("title" = ?)))");
  CHECK_SQL(expr_text<decltype(t.count < 1 or t.count > 5)>, R"(("count" < ? OR "count" > ?))");
  CHECK_SQL(expr_text<decltype((t.count < 1 or t.count > 5) and t.title == "x")>,
            R"((("count" < ? OR "count" > ?) AND "title" = ?))");
  CHECK_SQL(expr_text<decltype(t.count < 1 or (t.count > 5 and t.title == "x"))>,
            R"(("count" < ? OR ("count" > ? AND "title" = ?)))");
  CHECK_SQL(expr_text<decltype(!(t.count < 1 or t.count > 5))>, R"(NOT (("count" < ? OR "count" > ?)))");
  CHECK_SQL(where_text<guide>,
            R"(SELECT "id", "title", "note", "name", "count", "price", "status", "owner_id" FROM "items" )"
            R"(WHERE ("status" = ? AND NOT ("title" = ?)))");
  // Two filters are and-ed.
  using twice = decltype(ash::query<Item>().filter(t.count > 1).filter(t.count < 9));
  CHECK_SQL(ash::sql::count_sql<twice>, R"(SELECT count(*) FROM "items" WHERE ("count" > ? AND "count" < ?))");
}

TEST_CASE("the values of a filter are bound in order and never appear in the SQL text") {
  auto q = ash::query<Item>().filter(t.status == Status::closed and not(t.title == "x'); DROP TABLE items; --"));
  using Q = decltype(q);
  static_assert(Q::param_count == 2);
  auto params = q.params();
  REQUIRE(params.size() == 2);
  CHECK(params[0].kind() == ash::storage_class::text);
  CHECK(params[0].text() == "closed");
  CHECK(params[1].text() == "x'); DROP TABLE items; --");
  constexpr std::string_view sql = ash::sql::select_sql<Q>;
  CHECK(sql.find("DROP") == std::string_view::npos);
  CHECK(sql.find("closed") == std::string_view::npos);
}

TEST_CASE("in renders one json_each parameter, the same text and type for lists of any length") {
  using two = decltype(ash::in(t.count, {1, 2}));
  using five = decltype(ash::in(t.count, {1, 2, 3, 4, 5}));
  using from_vector = decltype(ash::in(t.count, std::vector<int>{}));
  static_assert(std::is_same_v<two, five>);
  static_assert(std::is_same_v<two, from_vector>);
  static_assert(two::param_count == 1);
  CHECK_SQL(expr_text<two>, R"("count" IN (SELECT value FROM json_each(?)))");
  // Text lists carry NUL and 0x01 through JSON as two-byte sequences, undone in the SQL.
  CHECK_SQL(expr_text<decltype(ash::in(t.name, {"a", "b"}))>,
            R"("name" COLLATE NOCASE IN (SELECT replace(replace(value, char(1, 3), char(0)), char(1, 2), char(1)) FROM json_each(?)))");
  CHECK_SQL(expr_text<decltype(ash::in(t.status, {Status::open}))>,
            R"("status" IN (SELECT replace(replace(value, char(1, 3), char(0)), char(1, 2), char(1)) FROM json_each(?)))");

  // The list is bound as one JSON array; text is JSON-escaped, numbers keep full precision.
  auto e = ash::in(t.title, {std::string("a\"b"), std::string("c\\d"), std::string("e\nf"), std::string("\x01", 1)});
  REQUIRE(e.values.size() == 1);
  CHECK(e.values[0].text() == R"(["a\"b","c\\d","e\nf","\u0001\u0002"])");
  auto nul = ash::in(t.title, {std::string("a\0b", 3)});
  CHECK(nul.values[0].text() == R"(["a\u0001\u0003b"])");
  auto d = ash::in(t.price, {0.1, 1e-300, 2.0});
  CHECK(d.values[0].text() == "[0.1,1e-300,2]");
  auto none = ash::in(t.count, std::vector<int>{});
  CHECK(none.values[0].text() == "[]");
}

TEST_CASE("is_nil, like, ilike and contains render as SQL, contains as instr over bytes") {
  CHECK_SQL(expr_text<decltype(ash::is_nil(t.owner_id))>, R"("owner_id" IS NULL)");
  CHECK_SQL(expr_text<decltype(!ash::is_nil(t.owner_id))>, R"(NOT ("owner_id" IS NULL))");
  CHECK_SQL(expr_text<decltype(ash::like(t.title, "a%"))>, R"("title" LIKE ?)");
  CHECK_SQL(expr_text<decltype(ash::ilike(t.title, "a%"))>, R"(LOWER("title") LIKE LOWER(?))");
  CHECK_SQL(expr_text<decltype(ash::contains(t.title, "50%"))>, R"(instr(CAST("title" AS BLOB), CAST(? AS BLOB)) > 0)");
  CHECK_SQL(expr_text<decltype(ash::contains(t.name, "x"))>, R"(instr(CAST(LOWER("name") AS BLOB), CAST(LOWER(?) AS BLOB)) > 0)");
  CHECK_SQL(expr_text<decltype(ash::contains(t.title, t.note))>, R"(instr(CAST("title" AS BLOB), CAST("note" AS BLOB)) > 0)");
  CHECK_SQL(expr_text<decltype(ash::contains(t.name, t.title))>,
            R"(instr(CAST(LOWER("name") AS BLOB), CAST(LOWER("title") AS BLOB)) > 0)");

  // contains binds its text as it is: wildcards mean nothing to instr.
  auto c = ash::contains(t.title, "50%_a\\b");
  REQUIRE(c.values.size() == 1);
  CHECK(c.values[0].text() == "50%_a\\b");
}

TEST_CASE("a fragment puts its arguments in place of ? and skips ? inside quotes") {
  static_assert(ash::count_placeholders("? + ?") == 2);
  static_assert(ash::count_placeholders("'?' || \"?\" || ?") == 1);
  static_assert(ash::count_placeholders("'it''s ?' || ?") == 1);
  static_assert(ash::count_placeholders("no placeholders") == 0);

  using f = decltype(ash::fragment<"lower(?) = ?">(t.title, "x"));
  static_assert(f::param_count == 1);
  CHECK_SQL(expr_text<f>, R"(lower("title") = ?)");
  CHECK_SQL(where_text<f>, R"(SELECT "id", "title", "note", "name", "count", "price", "status", "owner_id" FROM "items" )"
                           R"(WHERE lower("title") = ?)");
  CHECK_SQL(expr_text<decltype(ash::fragment<"? || '?' || \"?\"">(t.title) == "x")>, R"(("title" || '?' || "?") = ?)");
  CHECK_SQL(expr_text<decltype(ash::fragment<"? + ?">(t.count, 1) > 2)>, R"(("count" + ?) > ?)");
  CHECK_SQL(expr_text<decltype(t.title == "x" and ash::fragment<"length(?) > ?">(t.title, 3))>,
            R"(("title" = ? AND (length("title") > ?)))");
  CHECK_SQL(expr_text<decltype(ash::fragment<"random() > 0">())>, R"(random() > 0)");
}

TEST_CASE("arithmetic renders bracketed, and + on text becomes ||") {
  CHECK_SQL(expr_text<decltype(t.count + 1 > 5)>, R"(("count" + ?) > ?)");
  CHECK_SQL(expr_text<decltype(t.count - 1 == 5)>, R"(("count" - ?) = ?)");
  CHECK_SQL(expr_text<decltype(t.count * 2 - 1 >= 5)>, R"((("count" * ?) - ?) >= ?)");
  CHECK_SQL(expr_text<decltype(t.price / t.count < 1.5)>, R"(("price" / "count") < ?)");
  CHECK_SQL(expr_text<decltype(t.count * (t.price + 1))>, R"(("count" * ("price" + ?)))");
  CHECK_SQL(expr_text<decltype(t.title + "!" == "x!")>, R"(("title" || ?) = ?)");
  CHECK_SQL(expr_text<decltype(t.title + t.note)>, R"(("title" || "note"))");
  CHECK_SQL(expr_text<decltype(ash::concat(t.title, " ", t.note) == "a b")>, R"((("title" || ?) || "note") = ?)");
  static_assert(std::is_same_v<decltype(t.title + "!")::value_type, std::string>);
  static_assert(std::is_same_v<decltype(t.count + 1.5)::value_type, double>);
}

TEST_CASE("sort, limit, offset and select render their clauses") {
  using sorted = decltype(ash::query<Item>().sort(t.title, ash::desc(t.count), ash::asc(t.price)));
  CHECK_SQL(ash::sql::select_sql<decltype(std::declval<sorted>().select(t.title))>,
            R"(SELECT "title" FROM "items" ORDER BY "title" ASC, "count" DESC, "price" ASC)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).sort(t.name))>,
            R"(SELECT "id" FROM "items" ORDER BY "name" COLLATE NOCASE ASC)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).sort(ash::desc(t.count + t.price)))>,
            R"(SELECT "id" FROM "items" ORDER BY ("count" + "price") DESC)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).limit(3))>, R"(SELECT "id" FROM "items" LIMIT ?)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).limit(3).offset(6))>,
            R"(SELECT "id" FROM "items" LIMIT ? OFFSET ?)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).offset(6).limit(3))>,
            R"(SELECT "id" FROM "items" LIMIT ? OFFSET ?)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.id).offset(6))>,
            R"(SELECT "id" FROM "items" LIMIT -1 OFFSET ?)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Item>().select(t.count, t.title))>,
            R"(SELECT "count", "title" FROM "items")");
  using full = decltype(ash::query<Item>()
                            .filter(t.count > 1)
                            .sort(ash::desc(t.count))
                            .limit(10)
                            .offset(20)
                            .select(t.id, t.title));
  CHECK_SQL(ash::sql::select_sql<full>,
            R"(SELECT "id", "title" FROM "items" WHERE "count" > ? ORDER BY "count" DESC LIMIT ? OFFSET ?)");
  static_assert(full::param_count == 3);
  // Count and delete keep only the filter.
  CHECK_SQL(ash::sql::count_sql<full>, R"(SELECT count(*) FROM "items" WHERE "count" > ?)");
  CHECK_SQL(ash::sql::delete_where_sql<full>, R"(DELETE FROM "items" WHERE "count" > ?)");
  CHECK_SQL(ash::sql::count_sql<decltype(ash::query<Item>())>, R"(SELECT count(*) FROM "items")");

  // Limit and offset are bound after the filter and sort values.
  auto q = ash::query<Item>().filter(t.count > 7).limit(10).offset(20);
  auto p = q.params();
  REQUIRE(p.size() == 3);
  CHECK(p[0].as_int() == 7);
  CHECK(p[1].as_int() == 10);
  CHECK(p[2].as_int() == 20);

  // Built in any order, the values still follow the SQL text: filter, sort keys, limit, offset;
  // a second limit replaces the first.
  auto mixed = ash::query<Item>()
                   .offset(5)
                   .limit(1)
                   .sort(ash::desc(ash::fragment<"abs(? - ?)">(t.count, 3)))
                   .filter(t.count > 1)
                   .limit(2)
                   .filter(t.title == "x");
  CHECK_SQL(ash::sql::select_sql<decltype(mixed)>,
            R"(SELECT "id", "title", "note", "name", "count", "price", "status", "owner_id" FROM "items" )"
            R"(WHERE ("count" > ? AND "title" = ?) ORDER BY (abs("count" - ?)) DESC LIMIT ? OFFSET ?)");
  auto m = mixed.params();
  REQUIRE(m.size() == 5);
  CHECK(m[0].as_int() == 1);
  CHECK(m[1].text() == "x");
  CHECK(m[2].as_int() == 3);
  CHECK(m[3].as_int() == 2);
  CHECK(m[4].as_int() == 5);

  // A query built from an lvalue is copied: the original keeps its values.
  auto base = ash::query<Item>().filter(t.count > 7);
  auto narrower = base.filter(t.count < 9);
  CHECK(base.params().size() == 1);
  CHECK(narrower.params().size() == 2);
  CHECK(narrower.params()[1].as_int() == 9);
}

TEST_CASE("an expression owns its text values: they outlive the strings they came from") {
  auto make = [] {
    std::string local = "a value longer than any inline buffer, so that it must live on the heap";
    std::string short_one = "short";
    return ash::query<Item>().filter(t.title == local or t.note == short_one or ash::contains(t.title, local));
  };
  auto q = make();
  auto p = q.params();
  REQUIRE(p.size() == 3);
  CHECK(p[0].text() == "a value longer than any inline buffer, so that it must live on the heap");
  CHECK(p[1].text() == "short");
  CHECK(p[2].text() == "a value longer than any inline buffer, so that it must live on the heap");
}

TEST_CASE("insert, update, delete and get statements render for each kind of primary key") {
  CHECK_SQL(ash::sql::insert_sql<Item>,
            R"(INSERT INTO "items" ("title", "note", "name", "count", "price", "status", "owner_id") )"
            R"(VALUES (?, ?, ?, ?, ?, ?, ?))");
  CHECK_SQL(ash::sql::insert_sql<Doc>, R"(INSERT INTO "docs" ("id", "body") VALUES (?, ?))");
  CHECK_SQL((ash::sql::update_sql<Item, "", 1, 4>), R"(UPDATE "items" SET "title" = ?, "count" = ? WHERE "id" = ?)");
  CHECK_SQL((ash::sql::update_sql<Pair, "", 2>), R"(UPDATE "pairs" SET "label" = ? WHERE "left" = ? AND "right" = ?)");
  CHECK_SQL(ash::sql::delete_sql<Item>, R"(DELETE FROM "items" WHERE "id" = ?)");
  CHECK_SQL(ash::sql::delete_sql<Pair>, R"(DELETE FROM "pairs" WHERE "left" = ? AND "right" = ?)");
  CHECK_SQL(ash::sql::get_sql<Doc>, R"(SELECT "id", "body" FROM "docs" WHERE "id" = ?)");
  CHECK_SQL(ash::sql::get_sql<Pair>, R"(SELECT "left", "right", "label" FROM "pairs" WHERE "left" = ? AND "right" = ?)");
  // Identifiers are quoted with embedded quotes doubled.
  CHECK_SQL(ash::sql::get_sql<Odd>, R"(SELECT "id" FROM "odd ""quoted"" table" WHERE "id" = ?)");
}

TEST_CASE("a polymorphic resource reads and writes the table chosen with from<\"table\">") {
  auto r = ash::fields<Reaction>;
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Reaction>().from<"post_reactions">().filter(r.subject_id == 1))>,
            R"(SELECT "id", "subject_id", "emoji" FROM "post_reactions" WHERE "subject_id" = ?)");
  CHECK_SQL(ash::sql::select_sql<decltype(ash::query<Reaction>().filter(r.emoji == "x").from<"comment_reactions">())>,
            R"(SELECT "id", "subject_id", "emoji" FROM "comment_reactions" WHERE "emoji" = ?)");
  CHECK_SQL((ash::sql::insert_sql<Reaction, "post_reactions">),
            R"(INSERT INTO "post_reactions" ("subject_id", "emoji") VALUES (?, ?))");
  CHECK_SQL((ash::sql::delete_sql<Reaction, "comment_reactions">), R"(DELETE FROM "comment_reactions" WHERE "id" = ?)");
  CHECK_SQL((ash::sql::get_sql<Reaction, "post_reactions">),
            R"(SELECT "id", "subject_id", "emoji" FROM "post_reactions" WHERE "id" = ?)");
  // The same query shape over two tables is two types with two texts.
  using post = decltype(ash::query<Reaction>().from<"post_reactions">());
  using comment = decltype(ash::query<Reaction>().from<"comment_reactions">());
  static_assert(!std::is_same_v<post, comment>);
}

TEST_CASE("CREATE TABLE is rendered from the resource") {
  auto statements = ash::sql::create_table_statements(ash::table_schema_of<Item>());
  REQUIRE(statements.size() == 1);
  CHECK(statements[0] ==
        R"(CREATE TABLE "items" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL, "note" TEXT NOT NULL, )"
        R"("name" TEXT NOT NULL COLLATE NOCASE, "count" INTEGER NOT NULL, "price" REAL NOT NULL, "status" TEXT NOT NULL, )"
        R"("owner_id" INTEGER))");
  CHECK(ash::sql::create_table(ash::table_schema_of<Pair>()) ==
        R"(CREATE TABLE "pairs" ("left" INTEGER NOT NULL, "right" INTEGER NOT NULL, "label" TEXT NOT NULL, )"
        R"(PRIMARY KEY ("left", "right")))");
  CHECK(ash::sql::create_table(ash::table_schema_of<Doc>()) ==
        R"(CREATE TABLE "docs" ("id" TEXT PRIMARY KEY NOT NULL, "body" TEXT NOT NULL))");
}

namespace golden {
template <ash::detail::fixed_string Name>
struct ident_writer {
  constexpr void operator()(ash::detail::text_writer& w) const { w.ident(Name.view()); }
};
template <ash::detail::fixed_string Name>
inline constexpr auto ident_text = ash::detail::render_text<ident_writer<Name>>();
std::string run_time_ident(std::string_view name) {
  std::string out;
  ash::detail::string_writer w{out};
  w.ident(name);
  return out;
}
}  // namespace golden

TEST_CASE("identifiers are quoted with every embedded quote doubled, at compile time as at run time") {
  CHECK_SQL(golden::ident_text<"plain">, R"("plain")");
  CHECK_SQL(golden::ident_text<"">, R"("")");
  CHECK_SQL(golden::ident_text<"\"">, R"("""")");
  CHECK_SQL(golden::ident_text<"\"a\"\"b\"">, R"("""a""""b""")");
  CHECK_SQL(golden::ident_text<"end\"">, R"("end""")");
  CHECK(golden::run_time_ident("\"a\"\"b\"") == golden::ident_text<"\"a\"\"b\"">.view());
  CHECK(golden::run_time_ident("end\"") == golden::ident_text<"end\"">.view());
}
