// The migrator on real SQLite databases: ordering, transactions, failures, rollbacks, status.
#include <doctest/doctest.h>

#include "ash/migrate/migrator.hpp"
#include "support.hpp"

using namespace ash::migrate;
using test_support::rows;
using test_support::schema_dump;
using test_support::temp_dir;
using strings = std::vector<std::string>;

namespace {

void write_migration(const std::filesystem::path& dir, const std::string& file, const std::string& up,
                     const std::string& down, bool fk_off = false) {
  write_text_file(dir / file, std::string("-- hand-written\n") + (fk_off ? "-- ash: foreign_keys=off\n" : "") +
                                  "-- +up\n" + up + "\n-- +down\n" + down + "\n");
}

struct fixture {
  temp_dir dir;
  std::filesystem::path migrations = dir / "migrations";
  ash::sqlite::connection db{(dir / "app.db").string()};

  fixture() {
    write_migration(migrations, "1_one.sql", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;");
    write_migration(migrations, "2_two.sql", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;");
    write_migration(migrations, "3_three.sql", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;");
  }
  strings versions() { return rows(db, "SELECT version FROM schema_migrations ORDER BY version"); }
};

migrate_options up_from(std::vector<std::filesystem::path> paths) {
  migrate_options o;
  o.paths = std::move(paths);
  return o;
}

rollback_options down_from(std::vector<std::filesystem::path> paths) {
  rollback_options o;
  o.paths = std::move(paths);
  return o;
}

/// The `what()` of a `migrate` that must fail, after checking that its kind is migration.
std::string migrate_failure(ash::sqlite::connection& db, const migrate_options& o) {
  try {
    migrate(db, o);
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::migration);
    return e.what();
  }
  FAIL("the migration should have failed");
  return {};
}

}  // namespace

TEST_CASE("migrate applies pending migrations in order; step and to limit them") {
  fixture f;
  SUBCASE("all") {
    CHECK(migrate(f.db, up_from({f.migrations})) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(f.versions() == strings{"1", "2", "3"});
    CHECK(migrate(f.db, up_from({f.migrations})).empty());
    CHECK(rows(f.db, "SELECT count(*) FROM schema_migrations WHERE inserted_at LIKE '____-__-__T__:__:__Z'") == strings{"3"});
  }
  SUBCASE("step") {
    migrate_options o = up_from({f.migrations});
    o.step = 2;
    CHECK(migrate(f.db, o) == std::vector<std::int64_t>{1, 2});
    CHECK(f.versions() == strings{"1", "2"});
  }
  SUBCASE("to") {
    migrate_options o = up_from({f.migrations});
    o.to = 1;
    CHECK(migrate(f.db, o) == std::vector<std::int64_t>{1});
  }
}

TEST_CASE("several migration directories are merged by version") {
  fixture f;
  write_migration(f.dir / "more", "0_zero.sql", "CREATE TABLE z (x);", "DROP TABLE z;");
  write_migration(f.dir / "more", "4_four.sql", "CREATE TABLE d (x);", "DROP TABLE d;");
  CHECK(migrate(f.db, up_from({f.migrations, f.dir / "more"})) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
  write_migration(f.dir / "dup", "2_again.sql", "SELECT 1;", "SELECT 1;");
  CHECK_THROWS_WITH_AS(status(f.db, {f.migrations, f.dir / "dup"}), doctest::Contains("two migrations have version 2"),
                       ash::exception);
}

TEST_CASE("rollback reverts the newest by default, or step, to or all") {
  fixture f;
  migrate(f.db, up_from({f.migrations}));
  SUBCASE("default: one") {
    CHECK(rollback(f.db, down_from({f.migrations})) == std::vector<std::int64_t>{3});
    CHECK(f.versions() == strings{"1", "2"});
    CHECK(rows(f.db, "SELECT name FROM sqlite_schema WHERE name = 'c'").empty());
  }
  SUBCASE("step") {
    rollback_options o = down_from({f.migrations});
    o.step = 2;
    CHECK(rollback(f.db, o) == std::vector<std::int64_t>{3, 2});
  }
  SUBCASE("to, inclusive") {
    rollback_options o = down_from({f.migrations});
    o.to = 2;
    CHECK(rollback(f.db, o) == std::vector<std::int64_t>{3, 2});
    CHECK(f.versions() == strings{"1"});
  }
  SUBCASE("all") {
    rollback_options o = down_from({f.migrations});
    o.all = true;
    CHECK(rollback(f.db, o) == std::vector<std::int64_t>{3, 2, 1});
    CHECK(schema_dump(f.db).empty());
  }
  SUBCASE("an applied version without its file fails before anything runs") {
    std::filesystem::remove(f.migrations / "3_three.sql");
    CHECK_THROWS_WITH_AS(rollback(f.db, down_from({f.migrations})),
                         "cannot roll back version 3: no migration file has that version", ash::exception);
    CHECK(f.versions() == strings{"1", "2", "3"});
  }
}

TEST_CASE("status lists every migration, applied or not, and applied ones whose file is gone") {
  fixture f;
  CHECK(status(f.db, {f.migrations}).size() == 3);
  migrate_options o = up_from({f.migrations});
  o.step = 1;
  migrate(f.db, o);
  std::filesystem::rename(f.migrations / "1_one.sql", f.dir / "1_one.sql");
  const auto s = status(f.db, {f.migrations});
  REQUIRE(s.size() == 3);
  CHECK((s[0].version == 1 && s[0].applied && s[0].name == "** NO FILE **"));
  CHECK((s[1].version == 2 && !s[1].applied && s[1].name == "two"));
}

TEST_CASE("strict version order refuses a pending migration older than the newest applied") {
  fixture f;
  std::filesystem::rename(f.migrations / "2_two.sql", f.dir / "2_two.sql");
  migrate(f.db, up_from({f.migrations}));
  std::filesystem::rename(f.dir / "2_two.sql", f.migrations / "2_two.sql");
  migrate_options strict = up_from({f.migrations});
  strict.strict_version_order = true;
  CHECK_THROWS_WITH_AS(migrate(f.db, strict), doctest::Contains("is older than the newest applied migration (3)"),
                       ash::exception);
  CHECK(f.versions() == strings{"1", "3"});
  CHECK(migrate(f.db, up_from({f.migrations})) == std::vector<std::int64_t>{2});  // without the flag it is applied
}

TEST_CASE("a failing migration leaves the database exactly as before and names file, statement and message") {
  fixture f;
  migrate(f.db, up_from({f.migrations}));
  f.db.exec("INSERT INTO a VALUES (1)");
  const auto before = schema_dump(f.db);
  write_migration(f.migrations, "4_bad.sql",
                  "CREATE TABLE d (x INTEGER);\nINSERT INTO a VALUES (2);\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE e (x);",
                  "DROP TABLE d;");
  const std::string what = migrate_failure(f.db, up_from({f.migrations}));
  CHECK(what.find("4_bad.sql (up) failed: no such table: nowhere") != std::string::npos);
  CHECK(what.find("[in: INSERT INTO nowhere VALUES (1);]") != std::string::npos);
  CHECK(schema_dump(f.db) == before);
  CHECK(rows(f.db, "SELECT x FROM a") == strings{"1"});
  CHECK(f.versions() == strings{"1", "2", "3"});
  CHECK_FALSE(f.db.in_transaction());
}

TEST_CASE("a runtime failure while stepping is reported and rolled back too") {
  fixture f;
  write_migration(f.migrations, "4_bad.sql",
                  "CREATE TABLE u (x INTEGER UNIQUE);\nINSERT INTO u VALUES (1);\nINSERT INTO u VALUES (1);", "DROP TABLE u;");
  CHECK_THROWS_WITH_AS(migrate(f.db, up_from({f.migrations})), doctest::Contains("UNIQUE constraint failed: u.x"), ash::exception);
  CHECK(f.versions() == strings{"1", "2", "3"});
  CHECK(rows(f.db, "SELECT name FROM sqlite_schema WHERE name = 'u'").empty());
}

TEST_CASE("statements are split by SQLite: semicolons in literals, comments and trigger bodies") {
  fixture f;
  write_migration(f.migrations, "4_tricky.sql",
                  "CREATE TABLE log (msg TEXT); -- a comment; with a semicolon\n"
                  "INSERT INTO log VALUES ('a;b');\n"
                  "/* block; comment */ INSERT INTO log VALUES ('c''d;');\n"
                  "CREATE TRIGGER a_log AFTER INSERT ON a BEGIN INSERT INTO log VALUES ('x;'); INSERT INTO log VALUES ('y'); END;",
                  "DROP TRIGGER a_log; DROP TABLE log;");
  migrate(f.db, up_from({f.migrations}));
  f.db.exec("INSERT INTO a VALUES (5)");
  CHECK(rows(f.db, "SELECT msg FROM log ORDER BY rowid") == strings{"a;b", "c'd;", "x;", "y"});
  CHECK(split_statements("SELECT 'a;b'; -- c;\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; -- end") ==
        strings{"SELECT 'a;b';", " -- c;\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;"});
}

TEST_CASE("foreign_keys=off migrations: off around the transaction, back on after, even on failure") {
  fixture f;
  f.db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (pid INTEGER REFERENCES parent(id))");
  write_migration(f.migrations, "4_fk.sql",
                  "INSERT INTO child VALUES (99);\n-- the check\nPRAGMA foreign_key_check;", "DELETE FROM child;", true);
  CHECK_THROWS_WITH_AS(migrate(f.db, up_from({f.migrations})),
                       doctest::Contains("foreign key check failed: row 1 of table child references a missing row of parent"),
                       ash::exception);
  CHECK(rows(f.db, "SELECT count(*) FROM child") == strings{"0"});
  CHECK(rows(f.db, "PRAGMA foreign_keys") == strings{"1"});
  CHECK(rows(f.db, "PRAGMA legacy_alter_table") == strings{"0"});
  CHECK(f.versions() == strings{"1", "2", "3"});

  // Without the check the same insert succeeds: enforcement really was off inside.
  write_migration(f.migrations, "4_fk.sql", "INSERT INTO child VALUES (99);", "DELETE FROM child;", true);
  migrate(f.db, up_from({f.migrations}));
  CHECK(rows(f.db, "SELECT pid FROM child") == strings{"99"});
  CHECK(rows(f.db, "PRAGMA foreign_keys") == strings{"1"});
}

TEST_CASE("malformed migration files are reported with their path") {
  fixture f;
  write_text_file(f.migrations / "4_nodown.sql", "-- +up\nSELECT 1;\n");
  CHECK_THROWS_WITH_AS(migrate(f.db, up_from({f.migrations})), doctest::Contains("4_nodown.sql: no \"-- +down\" line"),
                       ash::exception);
  write_text_file(f.migrations / "4_nodown.sql", "-- ash: foreign_keys=maybe\n-- +up\n-- +down\n");
  CHECK_THROWS_WITH_AS(migrate(f.db, up_from({f.migrations})), doctest::Contains("unknown directive"), ash::exception);
}

TEST_CASE("migrate, rollback and status work from a database path (a release binary)") {
  temp_dir dir;
  write_migration(dir / "m", "1_one.sql", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;");
  const std::string path = (dir / "app.db").string();
  CHECK(migrate(path, up_from({dir / "m"})) == std::vector<std::int64_t>{1});
  CHECK(status(path, {dir / "m"}).at(0).applied);
  CHECK(rollback(path, down_from({dir / "m"})) == std::vector<std::int64_t>{1});
  CHECK_FALSE(status(path, {dir / "m"}).at(0).applied);
}

TEST_CASE("a NUL byte in a migration file is rejected with its offset; nothing runs and no lock is left") {
  fixture f;
  migrate(f.db, up_from({f.migrations}));
  const std::string text = std::string("-- +up\nCREATE TABLE d (x);\n", 27) + '\0' + "INSERT INTO a VALUES (1);\n-- +down\nDROP TABLE d;\n";
  write_text_file(f.migrations / "4_nul.sql", text);
  const auto db_path = f.dir / "app.db", wal_path = f.dir / "app.db-wal";
  const auto db_before = test_support::file_bytes(db_path), wal_before = test_support::file_bytes(wal_path);

  // In a child process: before the fix the migrator looped forever inside BEGIN IMMEDIATE.
  const auto outcome = test_support::in_child([&] { migrate(db_path.string(), up_from({f.migrations})); });
  REQUIRE_MESSAGE(outcome.finished, "migrate did not finish within 10 s (the statement loop spins on the NUL byte)");
  CHECK(outcome.threw);
  CHECK(outcome.message.find((f.migrations / "4_nul.sql").string() + ": a NUL byte at byte offset " +
                             std::to_string(text.find('\0')) + " (line 3)") != std::string::npos);
  CHECK(test_support::file_bytes(db_path) == db_before);
  CHECK(test_support::file_bytes(wal_path) == wal_before);
  CHECK(f.versions() == strings{"1", "2", "3"});
  CHECK_NOTHROW(f.db.exec("BEGIN IMMEDIATE; ROLLBACK"));  // nobody holds the write lock

  // In-process too, now that it cannot hang: the kind is migration.
  CHECK(migrate_failure(f.db, up_from({f.migrations})).find("a NUL byte") != std::string::npos);
  CHECK_FALSE(f.db.in_transaction());
}

TEST_CASE("the statement loop stops with an error where SQLite's parser consumes nothing") {
  fixture f;
  const migration_file m{9, "direct", f.migrations / "9_direct.sql"};
  const std::string sql("CREATE TABLE d (x);\n\0CREATE TABLE e (x);\n", 41);
  // run_script is given SQL that did not come through parse_migration, so it must guard itself.
  const auto outcome = test_support::in_child([&] {
    ash::sqlite::connection c((f.dir / "app.db").string());
    detail::run_script(c, m, "up", sql, {});
  });
  REQUIRE_MESSAGE(outcome.finished, "run_script did not finish within 10 s");
  CHECK(outcome.threw);
  CHECK(outcome.message.find("9_direct.sql (up) failed: SQLite stopped reading at a NUL byte at byte offset 20 of the "
                             "up section") != std::string::npos);
}

TEST_CASE("a deferred foreign key that fails at COMMIT is reported as the migration's, and rolled back") {
  fixture f;
  migrate(f.db, up_from({f.migrations}));
  SUBCASE("DEFERRABLE INITIALLY DEFERRED") {
    f.db.exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    write_migration(f.migrations, "4_defer.sql", "CREATE TABLE d (x);\nINSERT INTO child VALUES (7);\nINSERT INTO child VALUES (8);",
                    "DROP TABLE d;");
  }
  SUBCASE("PRAGMA defer_foreign_keys=ON") {
    f.db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (pid INTEGER REFERENCES parent(id))");
    write_migration(f.migrations, "4_defer.sql",
                    "PRAGMA defer_foreign_keys=ON;\nCREATE TABLE d (x);\nINSERT INTO child VALUES (7);\nINSERT INTO child VALUES (8);",
                    "DROP TABLE d;");
  }
  const auto before = schema_dump(f.db);
  const std::string what = migrate_failure(f.db, up_from({f.migrations}));
  CHECK(what.find("4_defer.sql (up) failed: its foreign key check failed at COMMIT") != std::string::npos);
  CHECK(what.find("table child has 2 rows that reference missing rows of parent") != std::string::npos);
  CHECK(what.find("schema_migrations") == std::string::npos);  // not blamed on the bookkeeping
  CHECK(what.find("[in: COMMIT]") != std::string::npos);
  CHECK(schema_dump(f.db) == before);
  CHECK(rows(f.db, "SELECT count(*) FROM child") == strings{"0"});
  CHECK(f.versions() == strings{"1", "2", "3"});
  CHECK_FALSE(f.db.in_transaction());
  CHECK(rows(f.db, "PRAGMA defer_foreign_keys") == strings{"0"});
}
