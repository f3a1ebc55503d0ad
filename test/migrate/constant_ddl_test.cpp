// `repo.create_table<R>()` runs a CREATE TABLE rendered at compile time (`ash::create_table_sql<R>`).
// These tests hold it to the migration generator's DDL for the same resource, resource by
// resource, over every feature the DDL has: references and their actions, names and modes;
// identities (named, default, skipped); custom indexes (expressions, partial, unique, default
// names); constant defaults of each built-in kind; overrides; STRICT; base filters; composite
// keys. They also run it on SQLite, and check that a failing create leaves nothing behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "ash/ash.hpp"
#include "ash/migrate/generator.hpp"
#include "ash/sql/ddl.hpp"
#include "support.hpp"

namespace cddl {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

enum class Level { low, high };

struct Org {
  std::int64_t id = 0;
  ash::ci_string slug;
};

struct Member {
  std::int64_t id = 0;
  std::string email;
  std::string handle;
  std::optional<std::int64_t> org_id;
  std::optional<std::int64_t> mentor_id;
  std::optional<std::int64_t> backup_org_id;
  Level level = Level::low;
  std::int64_t balance = 0;
  std::int64_t floor = 0;
  bool active = true;
  std::string motto;
  ash::ci_string nick;
  std::string note;
  std::string cache;
};

/// A composite primary key, a base filter, custom indexes with expressions and default names.
struct Grant {
  std::int64_t member_id = 0;
  std::string scope;
  std::optional<std::string> revoked_at;
  std::string label;
};

/// A default whose SQL is only known at run time (the shortest form of a double).
struct Gauge {
  std::int64_t id = 0;
  double ratio = 0;
};

}  // namespace cddl

ASH_ENUM(cddl::Level, low, high);
ASH_FIELDS(cddl::Org, id, slug);
ASH_FIELDS(cddl::Member, id, email, handle, org_id, mentor_id, backup_org_id, level, balance, floor, active, motto, nick,
           note, cache);
ASH_FIELDS(cddl::Grant, member_id, scope, revoked_at, label);
ASH_FIELDS(cddl::Gauge, id, ratio);

template <>
struct ash::resource<cddl::Org> {
  using O = cddl::Org;
  static constexpr auto sqlite = ash::sqlite::table("orgs").strict();
  static constexpr auto primary_key = ash::integer_primary_key(&O::id);
  static constexpr auto identities = ash::identities(ash::identity<"unique_slug">(&O::slug));
};

template <>
struct ash::resource<cddl::Member> {
  using M = cddl::Member;
  static constexpr auto sqlite = ash::sqlite::table("members");
  static constexpr auto primary_key = ash::integer_primary_key(&M::id);
  static constexpr auto attributes = ash::attributes(
      ash::attribute(&M::level).default_value(cddl::Level::high),
      ash::attribute(&M::balance).default_value(std::numeric_limits<std::int64_t>::min()),
      ash::attribute(&M::floor).default_value(-42),
      ash::attribute(&M::active).default_value(true),
      ash::attribute(&M::motto).default_value("it's \"fine\""),
      ash::attribute(&M::nick).default_value("anon"),
      ash::attribute(&M::note).migration_default("'from ' || 'sql'").migration_type("citext"),
      ash::attribute(&M::cache).migration_ignore());
  static constexpr auto relationships = ash::relationships(
      ash::belongs_to<"org", cddl::Org>(&M::org_id),
      ash::belongs_to<"mentor", cddl::Member>(&M::mentor_id),
      ash::belongs_to<"backup_org", cddl::Org>(&M::backup_org_id));
  static constexpr auto references = ash::references(
      ash::reference<"org">().on_delete(ash::on_action::cascade).on_update(ash::on_action::cascade).deferrable("initially"),
      ash::reference<"mentor">().on_delete(ash::on_action::nilify).name("members_mentor \"fk\""),
      ash::reference<"backup_org">().ignore());
  static constexpr auto identities = ash::identities(
      ash::identity<"unique_email">(&M::email),
      ash::identity<"unique_handle">(&M::handle, &M::org_id).index_name("members by handle"),
      ash::identity<"unique_motto">(&M::motto).skip_unique_index());
};

template <>
struct ash::resource<cddl::Grant> {
  using G = cddl::Grant;
  static constexpr auto sqlite = ash::sqlite::table("grants").base_filter_sql("revoked_at IS NULL");
  static constexpr auto primary_key = ash::primary_key(&G::member_id, &G::scope);
  static constexpr auto identities = ash::identities(ash::identity<"unique_label">(&G::label));
  static constexpr auto custom_indexes = ash::custom_indexes(
      ash::index("lower(label)", "scope"),
      ash::index("scope").unique().where("label <> ''").name("grants_scope_live"),
      ash::index("label").where("label >= 'x'"));
};

template <>
struct ash::resource<cddl::Gauge> {
  using G = cddl::Gauge;
  static constexpr auto sqlite = ash::sqlite::table("gauges");
  static constexpr auto primary_key = ash::integer_primary_key(&G::id);
  static constexpr auto attributes = ash::attributes(ash::attribute(&G::ratio).default_value(0.1));
};

namespace {

/// The generator's statements for `R`, as `create_table<R>()` runs them.
template <class R>
std::string generator_sql() {
  std::string out;
  for (const auto& s : ash::sql::create_table_statements(ash::table_schema_of<R>(), true)) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

/// Every table and index of a database, as SQLite stores their SQL.
std::vector<std::string> schema_of(cddl::Repo& repo) {
  std::vector<std::string> out;
  repo.with_writer([&](ash::sqlite::connection& c) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(c.handle(), "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name",
                               -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  });
  return out;
}

}  // namespace

static_assert(ash::constant_ddl<cddl::Org> && ash::constant_ddl<cddl::Member> && ash::constant_ddl<cddl::Grant>);
static_assert(!ash::constant_ddl<cddl::Gauge>, "a double default is written at run time");
static_assert(ash::create_table_sql<cddl::Org>.view() ==
              R"(CREATE TABLE IF NOT EXISTS "orgs" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "slug" TEXT NOT NULL COLLATE NOCASE) STRICT; )"
              R"(CREATE UNIQUE INDEX IF NOT EXISTS "orgs_unique_slug_index" ON "orgs" ("slug"))");

TEST_CASE("the compile-time CREATE TABLE is the migration generator's, for every feature of the DDL") {
  CHECK(std::string(ash::create_table_sql<cddl::Org>.view()) == generator_sql<cddl::Org>());
  CHECK(std::string(ash::create_table_sql<cddl::Member>.view()) == generator_sql<cddl::Member>());
  CHECK(std::string(ash::create_table_sql<cddl::Grant>.view()) == generator_sql<cddl::Grant>());

  // What it says, spelled out once (the generator tests hold the rest of its spelling).
  CHECK(std::string(ash::create_table_sql<cddl::Member>.view()) ==
        R"(CREATE TABLE IF NOT EXISTS "members" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, )"
        R"("handle" TEXT NOT NULL, )"
        R"("org_id" INTEGER CONSTRAINT "members_org_id_fkey" REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED, )"
        R"("mentor_id" INTEGER CONSTRAINT "members_mentor ""fk""" REFERENCES "members"("id") ON DELETE SET NULL, )"
        R"("backup_org_id" INTEGER, )"
        R"("level" TEXT NOT NULL DEFAULT ('high'), "balance" INTEGER NOT NULL DEFAULT (-9223372036854775808), )"
        R"("floor" INTEGER NOT NULL DEFAULT (-42), "active" INTEGER NOT NULL DEFAULT (1), )"
        R"("motto" TEXT NOT NULL DEFAULT ('it''s "fine"'), "nick" TEXT NOT NULL COLLATE NOCASE DEFAULT ('anon'), )"
        R"("note" TEXT NOT NULL COLLATE NOCASE DEFAULT ('from ' || 'sql')); )"
        R"(CREATE UNIQUE INDEX IF NOT EXISTS "members_unique_email_index" ON "members" ("email"); )"
        R"(CREATE UNIQUE INDEX IF NOT EXISTS "members by handle" ON "members" ("handle", "org_id"))");
  CHECK(std::string(ash::create_table_sql<cddl::Grant>.view()) ==
        R"(CREATE TABLE IF NOT EXISTS "grants" ("member_id" INTEGER NOT NULL, "scope" TEXT NOT NULL, "revoked_at" TEXT, )"
        R"("label" TEXT NOT NULL, PRIMARY KEY ("member_id", "scope")); )"
        R"(CREATE UNIQUE INDEX IF NOT EXISTS "grants_unique_label_index" ON "grants" ("label") WHERE revoked_at IS NULL; )"
        R"(CREATE INDEX IF NOT EXISTS "grants_lower_label__scope_index" ON "grants" (lower(label), "scope"); )"
        R"(CREATE UNIQUE INDEX IF NOT EXISTS "grants_scope_live" ON "grants" ("scope") WHERE (label <> '') AND (revoked_at IS NULL); )"
        R"(CREATE INDEX IF NOT EXISTS "grants_label_index" ON "grants" ("label") WHERE (label >= 'x') AND (revoked_at IS NULL))");
}

TEST_CASE("create_table<R>() makes the tables and indexes the generated migration makes") {
  test_support::temp_dir dir;
  cddl::Repo made{{.database = (dir / "made.db").string()}};
  made.create_table<cddl::Org>();
  made.create_table<cddl::Member>();
  made.create_table<cddl::Grant>();
  made.create_table<cddl::Gauge>();  // rendered at run time
  made.create_table<cddl::Member>();  // IF NOT EXISTS: a second call changes nothing

  cddl::Repo migrated{{.database = (dir / "migrated.db").string()}};
  const auto plan = ash::migrate::diff({}, {ash::table_schema_of<cddl::Org>(), ash::table_schema_of<cddl::Member>(),
                                            ash::table_schema_of<cddl::Grant>(), ash::table_schema_of<cddl::Gauge>()});
  for (const auto& op : plan.operations)
    for (const auto& sql : op.up) migrated.exec(sql);

  // Same objects, same SQL but for IF NOT EXISTS (which SQLite keeps as written).
  auto made_schema = schema_of(made);
  for (auto& s : made_schema)
    for (auto pos = s.find(" IF NOT EXISTS"); pos != std::string::npos; pos = s.find(" IF NOT EXISTS"))
      s.erase(pos, 14);
  CHECK(made_schema == schema_of(migrated));
  CHECK(made_schema.size() >= 10);

  const auto gauges = std::find_if(made_schema.begin(), made_schema.end(),
                                   [](const std::string& s) { return s.rfind("table gauges:", 0) == 0; });
  REQUIRE(gauges != made_schema.end());
  CHECK(gauges->find(R"("ratio" REAL NOT NULL DEFAULT (0.1))") != std::string::npos);
}

TEST_CASE("a polymorphic table's name is given at run time, and its DDL is the generator's") {
  struct stmt_log {
    std::vector<std::string> sql;
  } log;
  cddl::Repo repo{{.database = ":memory:", .log_sql = true,
                   .log = [&](const ash::sqlite::log_entry& e) { log.sql.emplace_back(e.sql); }}};
  repo.create_table<cddl::Org>("orgs_archive");
  REQUIRE(log.sql.size() == 3);
  std::string expected;
  for (const auto& s : ash::sql::create_table_statements(ash::table_schema_of<cddl::Org>("orgs_archive"), true)) {
    if (!expected.empty()) expected += "; ";
    expected += s;
  }
  CHECK(log.sql[1] == expected);
  CHECK(expected.find(R"(CREATE UNIQUE INDEX IF NOT EXISTS "orgs_archive_unique_slug_index" ON "orgs_archive")") !=
        std::string::npos);
}

namespace cddl {
/// Its partial index names a column that does not exist, so its second statement fails.
struct Broken {
  std::int64_t id = 0;
  std::string name;
};
}  // namespace cddl
ASH_FIELDS(cddl::Broken, id, name);
template <>
struct ash::resource<cddl::Broken> {
  using B = cddl::Broken;
  static constexpr auto sqlite = ash::sqlite::table("broken");
  static constexpr auto primary_key = ash::integer_primary_key(&B::id);
  static constexpr auto custom_indexes = ash::custom_indexes(ash::index("name").where("no_such_column = 1"));
};

TEST_CASE("a create_table that fails leaves the database as it was, in or out of a transaction") {
  cddl::Repo repo{{.database = ":memory:"}};
  CHECK_THROWS_WITH_AS(repo.create_table<cddl::Broken>(), doctest::Contains("no_such_column"), ash::exception);
  CHECK(schema_of(repo).empty());

  repo.create_table<cddl::Org>();
  CHECK_THROWS_AS(repo.transaction([&] {
    repo.create_table<cddl::Gauge>();
    repo.create_table<cddl::Broken>();
  }),
                  ash::exception);
  const auto left = schema_of(repo);
  CHECK(left.size() == 3);  // orgs, its index and sqlite_sequence: the transaction undid gauges
  for (const auto& s : left) CHECK(s.find("broken") == std::string::npos);
}
