// Round trips on databases that hold rows: generate -> migrate -> rollback -> migrate, checking
// that the schema is what the repo would create, that down really reverses up, and that rows
// and foreign keys (including rows of other tables referencing a rebuilt table) survive.
#include <doctest/doctest.h>

#include "ash/migrate/generator.hpp"
#include "ash/migrate/migrator.hpp"
#include "ash/sql/ddl.hpp"
#include "support.hpp"

using namespace ash::migrate;
using test_support::column;
using test_support::rows;
using test_support::schema_dump;
using test_support::temp_dir;
using strings = std::vector<std::string>;
using tables = std::vector<ash::schema::table>;

namespace {

ash::schema::table comments() {
  ash::schema::table t;
  t.name = "comments";
  t.repo = "repo";
  t.attributes = {test_support::id_column(), column("body", "text", false),
                  test_support::reference_column("ticket_id", "tickets", "delete")};
  return t;
}

/// The schema a fresh database gets from `create_table_statements`, i.e. from the repo.
strings direct_schema(const tables& ts) {
  ash::sqlite::connection c(":memory:");
  for (const auto& t : ts)
    for (const auto& s : ash::sql::create_table_statements(normalize(t))) c.exec(s);
  return schema_dump(c);
}

struct project {
  temp_dir dir;
  generate_options gen;
  ash::sqlite::connection db{(dir / "app.db").string()};
  int generation = 0;

  project() {
    gen.snapshot_path = dir / "snapshots";
    gen.migration_path = dir / "migrations";
    gen.now = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};
  }

  generate_result generate_and_migrate(const tables& ts, bool drop_columns = false, rename_resolver renames = {}) {
    gen.name = "generation_" + std::to_string(++generation);
    gen.drop_columns = drop_columns;
    gen.renames = std::move(renames);
    auto r = generate(ts, gen);
    migrate_options o;
    o.paths = {gen.migration_path};
    migrate(db, o);
    return r;
  }
  void rollback_one() {
    rollback_options o;
    o.paths = {gen.migration_path};
    rollback(db, o);
  }
  void migrate_all() {
    migrate_options o;
    o.paths = {gen.migration_path};
    migrate(db, o);
  }
  void seed() {
    db.exec(
        "INSERT INTO representatives (id, name) VALUES (1, 'Ann'), (2, 'Bob');"
        "INSERT INTO tickets (id, subject, status, representative_id) VALUES (1, 'Printer', 'open', 1), (2, 'Mouse', 'closed', 2), (3, 'Desk', 'open', NULL);"
        "INSERT INTO comments (id, body, ticket_id) VALUES (1, 'on it', 1), (2, 'fixed', 2), (3, 'also', 1);");
  }
  strings ticket_ids() { return rows(db, "SELECT id FROM tickets ORDER BY id"); }
  strings comment_rows() { return rows(db, "SELECT id, body, ticket_id FROM comments ORDER BY id"); }
};

const tables v1 = {test_support::representatives(), test_support::tickets(), comments()};

/// Checks that foreign keys into and out of tickets are enforced.
void check_foreign_keys_work(project& p) {
  CHECK(rows(p.db, "PRAGMA foreign_keys") == strings{"1"});
  CHECK(rows(p.db, "PRAGMA foreign_key_check").empty());
  CHECK_THROWS_AS(p.db.exec("INSERT INTO comments (body, ticket_id) VALUES ('x', 999)"), ash::exception);
  p.db.exec("SAVEPOINT probe");
  p.db.exec("DELETE FROM tickets WHERE id = 1");  // ON DELETE CASCADE into comments
  CHECK(rows(p.db, "SELECT count(*) FROM comments WHERE ticket_id = 1") == strings{"0"});
  p.db.exec("ROLLBACK TO probe; RELEASE probe");
}

/// Generates `v2` over v1 with rows, and checks migrate, rollback and migrate again.
void round_trip(const tables& v2, const strings& expected_tickets_after, bool drop_columns = false,
                rename_resolver renames = {}) {
  project p;
  p.generate_and_migrate(v1);
  p.seed();
  p.db.exec("CREATE VIEW ticket_ids AS SELECT id FROM tickets");
  const auto schema_v1 = schema_dump(p.db);
  const auto tickets_v1 = rows(p.db, "SELECT * FROM tickets ORDER BY id");
  const auto comments_v1 = p.comment_rows();

  const auto r = p.generate_and_migrate(v2, drop_columns, renames);
  REQUIRE(r.changed());
  const auto schema_v2 = schema_dump(p.db);
  // What the generated migrations built is what the repo would create directly (plus the view).
  auto expected = direct_schema(v2);
  expected.push_back("view ticket_ids: CREATE VIEW ticket_ids AS SELECT id FROM tickets");
  std::sort(expected.begin(), expected.end());
  CHECK(schema_v2 == expected);
  CHECK(rows(p.db, "SELECT * FROM tickets ORDER BY id") == expected_tickets_after);
  CHECK(p.comment_rows() == comments_v1);
  check_foreign_keys_work(p);

  p.rollback_one();
  CHECK(schema_dump(p.db) == schema_v1);
  CHECK(p.comment_rows() == comments_v1);
  CHECK(p.ticket_ids() == strings{"1", "2", "3"});
  check_foreign_keys_work(p);

  p.migrate_all();
  CHECK(schema_dump(p.db) == schema_v2);
  CHECK(p.comment_rows() == comments_v1);
  check_foreign_keys_work(p);
  (void)tickets_v1;
}

tables with_tickets(const ash::schema::table& t) { return {test_support::representatives(), t, comments()}; }

}  // namespace

TEST_CASE("round trip: add a column (ALTER TABLE)") {
  auto t = test_support::tickets();
  auto priority = column("priority", "bigint", false);
  priority.default_sql = "3";
  t.attributes.push_back(priority);
  round_trip(with_tickets(t), {"1|Printer|open|1|3", "2|Mouse|closed|2|3", "3|Desk|open|NULL|3"});
}

TEST_CASE("round trip: rename a column (ALTER TABLE)") {
  auto t = test_support::tickets();
  t.attributes[1].source = "title";
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"}, false,
             [](auto&, auto&, auto&) { return true; });
}

TEST_CASE("round trip: drop a column from the middle (rebuild, --drop-columns)") {
  // Rolling back re-adds status with its default: the dropped values are gone, the schema is back.
  auto t = test_support::tickets();
  t.attributes.erase(t.attributes.begin() + 2);
  round_trip(with_tickets(t), {"1|Printer|1", "2|Mouse|2", "3|Desk|NULL"}, true);
}

TEST_CASE("round trip: drop the last column (ALTER TABLE, --drop-columns)") {
  project p;
  auto with_notes = test_support::tickets();
  with_notes.attributes.push_back(column("notes", "text"));
  p.generate_and_migrate(with_tickets(with_notes));
  p.seed();
  const auto before = schema_dump(p.db);
  const auto r = p.generate_and_migrate(v1, true);
  CHECK(r.migration->text.find("ALTER TABLE \"tickets\" DROP COLUMN \"notes\";") != std::string::npos);
  CHECK(schema_dump(p.db) == direct_schema(v1));
  p.rollback_one();
  CHECK(schema_dump(p.db) == before);
  CHECK(p.ticket_ids() == strings{"1", "2", "3"});
}

TEST_CASE("rolling back the drop of a NOT NULL column without default fails clearly while rows exist") {
  project p;
  p.generate_and_migrate(v1);
  p.seed();
  auto t = test_support::representatives();
  t.attributes.pop_back();
  const auto r = p.generate_and_migrate({t, test_support::tickets(), comments()}, true);
  CHECK(r.migration->text.find("-- Rolling back re-adds representatives.name as NOT NULL without a default") != std::string::npos);
  const auto after = schema_dump(p.db);
  CHECK_THROWS_WITH_AS(p.rollback_one(), doctest::Contains("(down) failed: Cannot add a NOT NULL column with default value NULL"),
                       ash::exception);
  CHECK(schema_dump(p.db) == after);
}

TEST_CASE("round trip: add an identity and a custom index") {
  auto t = test_support::tickets();
  t.identities.push_back({"subject", {"subject"}, {}, "", true});
  t.custom_indexes.push_back({{"status"}, "", false, std::string("status = 'open'"), {}});
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"});
}

TEST_CASE("round trip: type change rebuilds the referenced table; comments keep their tickets") {
  auto t = test_support::tickets();
  t.attributes[1].type = "citext";
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"});
}

TEST_CASE("round trip: nullability change") {
  auto t = test_support::tickets();
  t.attributes[1].allow_nil = true;
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"});
}

TEST_CASE("round trip: default change") {
  auto t = test_support::tickets();
  t.attributes[2].default_sql = "'new'";
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"});
}

TEST_CASE("round trip: reference change (on_delete nilify -> restrict)") {
  auto t = test_support::tickets();
  t.attributes[3].references->on_delete = "restrict";
  round_trip(with_tickets(t), {"1|Printer|open|1", "2|Mouse|closed|2", "3|Desk|open|NULL"});
}

TEST_CASE("round trip: a reference added to an existing table") {
  auto t = test_support::tickets();
  t.attributes.push_back(test_support::reference_column("watcher_id", "representatives"));
  auto reviewer = test_support::reference_column("reviewer_id", "representatives");
  reviewer.default_sql = "1";  // a referencing column with a default: only a rebuild can add it
  t.attributes.push_back(reviewer);
  round_trip(with_tickets(t), {"1|Printer|open|1|NULL|1", "2|Mouse|closed|2|NULL|1", "3|Desk|open|NULL|NULL|1"});
}

TEST_CASE("round trip: drop a referencing column (rebuild)") {
  auto t = test_support::tickets();
  t.attributes.pop_back();
  round_trip(with_tickets(t), {"1|Printer|open", "2|Mouse|closed", "3|Desk|open"}, true);
}

TEST_CASE("round trip: primary key change on a table with rows") {
  project p;
  ash::schema::table tags;
  tags.name = "tags";
  tags.repo = "repo";
  auto name = column("name", "text", false);
  name.primary_key = true;
  tags.attributes = {name};
  p.generate_and_migrate({tags});
  p.db.exec("INSERT INTO tags VALUES ('b'), ('a')");
  const auto before = schema_dump(p.db);

  auto v2 = tags;
  v2.attributes[0].primary_key = false;
  v2.attributes.insert(v2.attributes.begin(), test_support::id_column());
  p.generate_and_migrate({v2});
  CHECK(schema_dump(p.db) == direct_schema({v2}));
  CHECK(rows(p.db, "SELECT count(*), count(DISTINCT id) FROM tags WHERE id IS NOT NULL") == strings{"2|2"});
  p.db.exec("INSERT INTO tags (name) VALUES ('c')");

  p.rollback_one();
  CHECK(schema_dump(p.db) == before);
  CHECK(rows(p.db, "SELECT name FROM tags ORDER BY name") == strings{"a", "b", "c"});
}

TEST_CASE("a newly NOT NULL column without a default fails clearly when NULLs exist, changing nothing") {
  project p;
  p.generate_and_migrate(v1);
  p.seed();
  auto t = test_support::tickets();
  t.attributes[3].allow_nil = false;
  const auto before = schema_dump(p.db);
  CHECK_THROWS_WITH_AS(p.generate_and_migrate(with_tickets(t)),
                       doctest::Contains("NOT NULL constraint failed: tickets__ash_new.representative_id"), ash::exception);
  CHECK(schema_dump(p.db) == before);
  CHECK(p.ticket_ids() == strings{"1", "2", "3"});
  CHECK(rows(p.db, "PRAGMA foreign_keys") == strings{"1"});
}

TEST_CASE("a rebuild that would leave dangling references fails at foreign_key_check and rolls back") {
  project p;
  p.generate_and_migrate(v1);
  p.seed();
  // Point representatives' primary key elsewhere: tickets' references no longer match a key.
  ash::schema::table reps = test_support::representatives();
  reps.attributes[0].primary_key = false;
  reps.attributes[0].generated = false;
  const auto before = schema_dump(p.db);
  CHECK_THROWS_WITH_AS(p.generate_and_migrate({reps, test_support::tickets(), comments()}),
                       doctest::Contains("foreign key mismatch"), ash::exception);
  CHECK(schema_dump(p.db) == before);
  CHECK(rows(p.db, "SELECT count(*) FROM representatives") == strings{"2"});
}

TEST_CASE("custom statements creating triggers survive a rebuild of their table") {
  project p;
  auto t = test_support::tickets();
  t.custom_statements.push_back(
      {"touch", "CREATE TRIGGER tickets_touch AFTER INSERT ON tickets BEGIN UPDATE tickets SET status = 'new' WHERE id = NEW.id; END",
       "DROP TRIGGER tickets_touch"});
  p.generate_and_migrate(with_tickets(t));
  auto t2 = t;
  t2.attributes[1].type = "citext";
  p.generate_and_migrate(with_tickets(t2));
  p.db.exec("INSERT INTO tickets (subject) VALUES ('x')");
  CHECK(rows(p.db, "SELECT status FROM tickets") == strings{"new"});
  p.rollback_one();
  p.db.exec("INSERT INTO tickets (subject) VALUES ('y')");
  CHECK(rows(p.db, "SELECT status FROM tickets") == strings{"new", "new"});
}

TEST_CASE("down of the first migration returns an empty database") {
  project p;
  p.generate_and_migrate(v1);
  p.rollback_one();
  CHECK(schema_dump(p.db).empty());
}
