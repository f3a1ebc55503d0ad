// End to end with real resources: e2e_tasks_v1 and e2e_tasks_v2 are ash::tasks::main over two
// versions of the same resources (test/tasks/e2e_tasks.cpp), so the schema comes from
// table_schema_of, not from hand-made tables. v1 -> generate -> migrate -> rows -> v2 ->
// generate -> read the migration -> migrate -> rows survive -> rollback -> v1 again -> migrate.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace tasks_support;

namespace {

const std::string db = "db/blog.db";

/// Every schema object but SQLite's own and schema_migrations, as "type name: sql".
strings schema_of(const workdir& w) {
  return w.query(db,
                 "SELECT type || ' ' || name || ': ' || sql FROM sqlite_schema "
                 "WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY type, name");
}

/// The part of a migration file between `-- +up` and `-- +down`.
std::string up_section(const std::string& sql) {
  const auto up = sql.find("-- +up"), down = sql.find("-- +down");
  REQUIRE(up != std::string::npos);
  REQUIRE(down != std::string::npos);
  return sql.substr(up, down - up);
}

bool fails(const workdir& w, const std::string& sql, const std::string& message) {
  try {
    w.exec(db, sql);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    INFO("error: " << what);
    CHECK(contains(what, message));
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("real resources, changed: generate, migrate, rows survive, roll back to v1, migrate again") {
  const std::string v1 = binary_from("ASH_E2E_TASKS_V1"), v2 = binary_from("ASH_E2E_TASKS_V2");
  workdir w;

  // v1: the reference workflow.
  REQUIRE(w.run(v1, "create").code == 0);
  auto r = w.run(v1, "generate_migrations --name create_posts_and_authors");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  r = w.run(v1, "migrate");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(w.run(v1, "generate_migrations --check").code == 0);
  const strings v1_schema = schema_of(w);
  CHECK(v1_schema ==
        strings{R"(table authors: CREATE TABLE "authors" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL))",
                R"(table posts: CREATE TABLE "posts" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL, "body" TEXT))"});
  w.exec(db,
         "INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob');"
         "INSERT INTO posts (id, title, body) VALUES (1, 'Hello', 'first'), (2, 'World', NULL)");
  const strings v1_authors{"1|Ann", "2|Bob"}, v1_posts{"1|Hello|first", "2|World|NULL"};

  // v2: the resources changed; the generator notices and asks about the rename.
  r = w.run(v2, "generate_migrations --check --rename posts.title=headline");
  CHECK(r.code == 1);
  CHECK(contains(r.out, "rebuild table authors"));
  CHECK(contains(r.out, "rename column posts.title to headline"));
  r = w.run(v2, "generate_migrations --name blog_changes");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "Are you renaming posts.title to posts.headline?"));
  CHECK(w.files("priv/repo/migrations").size() == 1);
  r = w.run(v2, "generate_migrations --name blog_changes --rename posts.title=headline");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto migrations = w.files("priv/repo/migrations");
  REQUIRE(migrations.size() == 2);
  CHECK(contains(migrations[1], "_blog_changes.sql"));
  CHECK(w.files("priv/resource_snapshots/repo/posts").size() == 2);
  CHECK(w.files("priv/resource_snapshots/repo/authors").size() == 2);

  // The migration is minimal: posts only needs ALTER TABLE; authors.name's nullability needs a
  // rebuild, which comes first because posts now references authors.
  const std::string sql = slurp(w.dir / "priv/repo/migrations" / migrations[1]);
  const std::string up = up_section(sql);
  INFO("migration:\n" << sql);
  CHECK(contains(sql, "-- ash: foreign_keys=off"));
  CHECK(contains(up, "ALTER TABLE \"posts\" RENAME COLUMN \"title\" TO \"headline\";"));
  CHECK(contains(up, "ALTER TABLE \"posts\" ADD COLUMN \"score\" INTEGER NOT NULL DEFAULT (0);"));
  CHECK(contains(up, "ALTER TABLE \"posts\" ADD COLUMN \"author_id\" INTEGER CONSTRAINT \"posts_author_id_fkey\" "
                     "REFERENCES \"authors\"(\"id\");"));
  CHECK(contains(up, "CREATE UNIQUE INDEX \"posts_unique_headline_index\" ON \"posts\" (\"headline\");"));
  CHECK_FALSE(contains(sql, "unique_body"));  // skip_unique_index()
  CHECK_FALSE(contains(sql, "posts__ash_new"));
  CHECK(contains(up, "-- rebuild table authors: the nullability of name changes"));
  CHECK(contains(up, "CREATE TABLE \"authors__ash_new\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" TEXT);"));
  CHECK(up.find("authors__ash_new") < up.find("RENAME COLUMN"));
  CHECK(w.run(v2, "generate_migrations --check").code == 0);
  CHECK(w.run(v1, "generate_migrations --check --no-renames").code == 1);

  // Migrate: rows keep their values; the new schema is in force.
  r = w.run(v2, "migrate");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(w.query(db, "SELECT id, headline, body, score, author_id FROM posts ORDER BY id") ==
        strings{"1|Hello|first|0|NULL", "2|World|NULL|0|NULL"});
  CHECK(w.query(db, "SELECT id, name FROM authors ORDER BY id") == v1_authors);
  CHECK(w.query(db, "SELECT name FROM pragma_table_info('authors') WHERE \"notnull\" = 0 AND name = 'name'") ==
        strings{"name"});
  CHECK(w.query(db, "SELECT name FROM pragma_index_list('posts') ORDER BY name") ==
        strings{"posts_unique_headline_index"});
  w.exec(db, "UPDATE posts SET author_id = 1 WHERE id = 1; INSERT INTO authors (id, name) VALUES (3, NULL)");
  CHECK(fails(w, "INSERT INTO posts (headline, author_id) VALUES ('Orphan', 99)", "referenced something that does not exist"));
  CHECK(fails(w, "INSERT INTO posts (headline) VALUES ('Hello')", "posts.headline: has already been taken"));
  w.exec(db, "INSERT INTO posts (id, headline, body) VALUES (3, 'Again', 'first')");  // no unique_body index
  CHECK(w.query(db, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('posts')") ==
        strings{"authors|author_id|id"});

  // Roll back: a NULL author name cannot go back into v1's NOT NULL column, and nothing changes.
  r = w.run(v2, "rollback");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "NOT NULL constraint failed: authors__ash_new.name"));
  CHECK(w.query(db, "SELECT count(*) FROM schema_migrations") == strings{"2"});
  CHECK(w.query(db, "SELECT author_id FROM posts WHERE id = 1") == strings{"1"});
  w.exec(db, "DELETE FROM authors WHERE id = 3; DELETE FROM posts WHERE id = 3");

  r = w.run(v2, "rollback");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(schema_of(w) == v1_schema);
  CHECK(w.query(db, "SELECT id, title, body FROM posts ORDER BY id") == v1_posts);
  CHECK(w.query(db, "SELECT id, name FROM authors ORDER BY id") == v1_authors);
  r = w.run(v1, "status");
  CHECK(contains(r.out, "  up        "));
  CHECK(contains(r.out, "  down      "));

  // And forward again.
  r = w.run(v2, "migrate");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(w.query(db, "SELECT id, headline, body, score, author_id FROM posts ORDER BY id") ==
        strings{"1|Hello|first|0|NULL", "2|World|NULL|0|NULL"});
  CHECK(w.query(db, "SELECT id, name FROM authors ORDER BY id") == v1_authors);
  CHECK(w.query(db, "PRAGMA foreign_key_check").empty());
  CHECK(w.query(db, "SELECT count(*) FROM schema_migrations") == strings{"2"});
  CHECK(w.run(v2, "generate_migrations --check").code == 0);
}
