// Golden tests: the exact SQL of every generator operation.
#include <doctest/doctest.h>

#include <chrono>

#include "ash/migrate/generator.hpp"
#include "support.hpp"

using namespace ash::migrate;
using test_support::column;
using test_support::temp_dir;
using strings = std::vector<std::string>;

namespace {

std::map<std::string, ash::schema::table> snapshots_of(std::vector<ash::schema::table> tables) {
  std::map<std::string, ash::schema::table> out;
  for (auto& t : tables) out.emplace(t.name, normalize(t));
  return out;
}

/// Diff of one table against its previous version.
plan change(const ash::schema::table& before, const ash::schema::table& after, diff_options opts = {}) {
  return diff(snapshots_of({before}), {after}, opts);
}

rename_resolver always(bool answer) {
  return [answer](const std::string&, const std::string&, const std::string&) { return answer; };
}

const std::string tickets_ddl =
    R"(CREATE TABLE "tickets" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "subject" TEXT NOT NULL, "status" TEXT NOT NULL DEFAULT ('open'), "representative_id" INTEGER CONSTRAINT "tickets_representative_id_fkey" REFERENCES "representatives"("id") ON DELETE SET NULL))";

}  // namespace

TEST_CASE("a new table: CREATE TABLE with its indexes, dropped on the way down") {
  auto t = test_support::tickets();
  t.identities.push_back({"subject", {"subject"}, {}, "", true});
  t.custom_indexes.push_back({{"status", "representative_id"}, "", false, std::string("status <> 'closed'"), {}});
  const auto p = diff({}, {t});
  REQUIRE(p.operations.size() == 1);
  const auto& op = p.operations[0];
  CHECK(op.kind == operation_kind::create_table);
  CHECK(op.description == "create table tickets");
  CHECK(op.up == strings{tickets_ddl, R"(CREATE UNIQUE INDEX "tickets_subject_index" ON "tickets" ("subject"))",
                         R"(CREATE INDEX "tickets_status_representative_id_index" ON "tickets" ("status", "representative_id") WHERE status <> 'closed')"});
  CHECK(op.down == strings{R"(DROP TABLE "tickets")"});
  CHECK_FALSE(p.needs_foreign_keys_off());
  REQUIRE(p.changed.size() == 1);
  CHECK(p.changed[0].identities[0].index_name == "tickets_subject_index");
}

TEST_CASE("strict tables, composite keys, reference options and partial identities") {
  ash::schema::table t;
  t.name = "memberships";
  t.repo = "repo";
  t.strict = true;
  t.base_filter = "archived = 0";
  auto org = test_support::reference_column("org_id", "orgs", "delete");
  org.primary_key = true;
  org.allow_nil = false;
  org.references->on_update = "update";
  org.references->deferrable = "initially";
  auto user = test_support::reference_column("user_id", "users", "restrict");
  user.primary_key = true;
  user.allow_nil = false;
  user.references->name = "memberships_to_users";
  user.references->deferrable = "true";
  auto ignored = test_support::reference_column("inviter_id", "users");
  ignored.references->ignore = true;
  auto archived = column("archived", "boolean", false);
  archived.default_sql = "0";
  t.attributes = {org, user, ignored, column("email", "citext"), archived};
  t.identities.push_back({"email", {"org_id", "email"}, {}, "", true});
  t.custom_indexes.push_back({{"user_id"}, "by_user", true, std::string("email IS NOT NULL"), {}});
  const auto p = diff({}, {t});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up ==
        strings{R"(CREATE TABLE "memberships" ("org_id" INTEGER NOT NULL CONSTRAINT "memberships_org_id_fkey" REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED, "user_id" INTEGER NOT NULL CONSTRAINT "memberships_to_users" REFERENCES "users"("id") ON DELETE RESTRICT DEFERRABLE, "inviter_id" INTEGER, "email" TEXT COLLATE NOCASE, "archived" INTEGER NOT NULL DEFAULT (0), PRIMARY KEY ("org_id", "user_id")) STRICT)",
                R"(CREATE UNIQUE INDEX "memberships_email_index" ON "memberships" ("org_id", "email") WHERE archived = 0)",
                R"(CREATE UNIQUE INDEX "by_user" ON "memberships" ("user_id") WHERE (email IS NOT NULL) AND (archived = 0))"});
}

TEST_CASE("referenced tables are created first, whatever the declaration order") {
  ash::schema::table comments;
  comments.name = "comments";
  comments.repo = "repo";
  comments.attributes = {test_support::id_column(), test_support::reference_column("ticket_id", "tickets")};
  const auto p = diff({}, {comments, test_support::tickets(), test_support::representatives()});
  strings order;
  for (const auto& op : p.operations) order.push_back(op.table);
  CHECK(order == strings{"representatives", "tickets", "comments"});
  // Down drops them in the reverse order: comments first.
  const auto text = render_migration(p, "x");
  const auto down = text.substr(text.find("-- +down"));
  CHECK(down.find(R"(DROP TABLE "comments")") < down.find(R"(DROP TABLE "tickets")"));
  CHECK(down.find(R"(DROP TABLE "tickets")") < down.find(R"(DROP TABLE "representatives")"));
}

TEST_CASE("an unchanged table produces nothing") {
  auto t = test_support::tickets();
  const auto p = change(t, t);
  CHECK(p.empty());
  CHECK(p.changed.empty());
}

TEST_CASE("an added column: ADD COLUMN, dropped on the way down") {
  auto before = test_support::tickets();
  auto after = before;
  auto priority = column("priority", "bigint", false);
  priority.default_sql = "1";
  after.attributes.push_back(priority);
  after.attributes.push_back(column("notes", "text"));
  const auto p = change(before, after);
  REQUIRE(p.operations.size() == 2);
  CHECK(p.operations[0].kind == operation_kind::add_column);
  CHECK(p.operations[0].up == strings{R"(ALTER TABLE "tickets" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT (1))"});
  CHECK(p.operations[0].down == strings{R"(ALTER TABLE "tickets" DROP COLUMN "priority")"});
  CHECK(p.operations[1].up == strings{R"(ALTER TABLE "tickets" ADD COLUMN "notes" TEXT)"});
  CHECK_FALSE(p.needs_foreign_keys_off());
}

TEST_CASE("an added reference column without a default: ADD COLUMN with its REFERENCES clause") {
  auto before = test_support::representatives();
  auto after = before;
  after.attributes.push_back(test_support::reference_column("manager_id", "representatives", "nilify"));
  const auto p = change(before, after);
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up ==
        strings{R"(ALTER TABLE "representatives" ADD COLUMN "manager_id" INTEGER CONSTRAINT "representatives_manager_id_fkey" REFERENCES "representatives"("id") ON DELETE SET NULL)"});
}

TEST_CASE("a removed column is commented out unless drop_columns") {
  auto after = test_support::tickets();
  auto before = after;
  auto status = column("state", "text", false);
  status.default_sql = "'open'";
  before.attributes.push_back(status);
  const auto kept = change(before, after);
  REQUIRE(kept.operations.size() == 1);
  CHECK(kept.operations[0].kind == operation_kind::remove_column);
  CHECK(kept.operations[0].commented);
  const auto text = render_migration(kept, "remove_status");
  CHECK(text.find("-- The column tickets.state is no longer declared. It is kept; generate with --drop-columns to drop it.\n"
                  "-- ALTER TABLE \"tickets\" DROP COLUMN \"state\";\n") != std::string::npos);
  CHECK(text.find("\nALTER TABLE") == std::string::npos);

  const auto dropped = change(before, after, {true, {}});
  REQUIRE(dropped.operations.size() == 1);
  CHECK_FALSE(dropped.operations[0].commented);
  CHECK(dropped.operations[0].up == strings{R"(ALTER TABLE "tickets" DROP COLUMN "state")"});
  CHECK(dropped.operations[0].down == strings{R"(ALTER TABLE "tickets" ADD COLUMN "state" TEXT NOT NULL DEFAULT ('open'))"});

  // A column from the middle of the table is dropped by a rebuild, so that the way back
  // restores the column order.
  auto middle = before;
  middle.attributes.erase(middle.attributes.begin() + 1);
  const auto rebuilt = change(before, middle, {true, {}});
  REQUIRE(rebuilt.operations.size() == 1);
  CHECK(rebuilt.operations[0].description == "rebuild table tickets: column subject is dropped from the middle of the table");
}

TEST_CASE("a renamed column: the resolver is asked, and yes gives RENAME COLUMN") {
  auto before = test_support::tickets();
  auto after = before;
  after.attributes[1].source = "title";
  strings asked;
  rename_resolver yes = [&](const std::string& t, const std::string& from, const std::string& to) {
    asked.push_back(t + "." + from + "->" + to);
    return true;
  };
  const auto p = change(before, after, {false, yes});
  CHECK(asked == strings{"tickets.subject->title"});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].kind == operation_kind::rename_column);
  CHECK(p.operations[0].up == strings{R"(ALTER TABLE "tickets" RENAME COLUMN "subject" TO "title")"});
  CHECK(p.operations[0].down == strings{R"(ALTER TABLE "tickets" RENAME COLUMN "title" TO "subject")"});

  SUBCASE("no gives an added column and a commented removal") {
    const auto q = change(before, after, {false, always(false)});
    REQUIRE(q.operations.size() == 2);
    CHECK(q.operations[0].kind == operation_kind::add_column);
    CHECK(q.operations[1].kind == operation_kind::remove_column);
    CHECK(q.operations[1].commented);
  }
  SUBCASE("with several candidates each pair is asked until one is confirmed") {
    auto two = before;
    two.attributes[1].source = "headline";
    two.attributes.push_back(column("title", "text", false));
    asked.clear();
    rename_resolver to_title = [&](const std::string&, const std::string& from, const std::string& to) {
      asked.push_back(from + "->" + to);
      return to == "title";
    };
    const auto q = change(before, two, {false, to_title});
    CHECK(asked == strings{"subject->headline", "subject->title"});
    REQUIRE(q.operations.size() == 2);
    // headline is declared NOT NULL with no default: SQLite can add it only to an empty table.
    CHECK(q.operations[0].up == strings{R"(ALTER TABLE "tickets" RENAME COLUMN "subject" TO "title")"});
    CHECK(q.operations[1].up == strings{R"(ALTER TABLE "tickets" ADD COLUMN "headline" TEXT NOT NULL)"});
  }
}

TEST_CASE("changing a column's type rebuilds the table, copying rows, and rebuilds it back on the way down") {
  auto before = test_support::tickets();
  auto after = before;
  after.attributes[1].type = "bigint";
  const auto p = change(before, after);
  REQUIRE(p.operations.size() == 1);
  const auto& op = p.operations[0];
  CHECK(op.kind == operation_kind::rebuild_table);
  CHECK(op.needs_foreign_keys_off);
  CHECK(op.description == "rebuild table tickets: the type of subject changes");
  CHECK(op.up ==
        strings{R"(CREATE TABLE "tickets__ash_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "subject" INTEGER NOT NULL, "status" TEXT NOT NULL DEFAULT ('open'), "representative_id" INTEGER CONSTRAINT "tickets_representative_id_fkey" REFERENCES "representatives"("id") ON DELETE SET NULL))",
                R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status", "representative_id") SELECT "id", "subject", "status", "representative_id" FROM "tickets")",
                R"(DROP TABLE "tickets")", R"(ALTER TABLE "tickets__ash_new" RENAME TO "tickets")", "PRAGMA foreign_key_check"});
  CHECK(op.down[0] == R"(CREATE TABLE "tickets__ash_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "subject" TEXT NOT NULL, "status" TEXT NOT NULL DEFAULT ('open'), "representative_id" INTEGER CONSTRAINT "tickets_representative_id_fkey" REFERENCES "representatives"("id") ON DELETE SET NULL))");
  CHECK(p.needs_foreign_keys_off());
  const auto text = render_migration(p, "retype");
  CHECK(text.find("\n-- ash: foreign_keys=off\n") != std::string::npos);
}

TEST_CASE("a column becoming NOT NULL with a default: existing NULLs take the default") {
  auto before = test_support::tickets();
  before.attributes[2].allow_nil = true;
  before.attributes[2].default_sql.reset();
  auto after = test_support::tickets();
  const auto p = change(before, after);
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].description == "rebuild table tickets: the nullability of status changes, the default of status changes");
  CHECK(p.operations[0].up[1] ==
        R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status", "representative_id") SELECT "id", "subject", COALESCE("status", ('open')), "representative_id" FROM "tickets")");
  // The way back needs no COALESCE: the column allows NULL again.
  CHECK(p.operations[0].down[1] ==
        R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status", "representative_id") SELECT "id", "subject", "status", "representative_id" FROM "tickets")");
}

TEST_CASE("default, primary key and reference changes rebuild; indexes are recreated after the rename") {
  auto before = test_support::tickets();
  before.identities.push_back({"subject", {"subject"}, {}, "", true});
  SUBCASE("default") {
    auto after = before;
    after.attributes[2].default_sql = "'new'";
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: the default of status changes");
    CHECK(p.operations[0].up[4] == R"(CREATE UNIQUE INDEX "tickets_subject_index" ON "tickets" ("subject"))");
    CHECK(p.operations[0].up[5] == "PRAGMA foreign_key_check");
  }
  SUBCASE("primary key") {
    auto after = before;
    after.attributes[0].primary_key = false;
    after.attributes[0].generated = false;
    after.attributes[1].primary_key = true;
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: the primary key changes at id, the primary key changes at subject");
    CHECK(p.operations[0].up[0].find(R"("id" INTEGER NOT NULL, "subject" TEXT PRIMARY KEY NOT NULL)") != std::string::npos);
  }
  SUBCASE("reference action") {
    auto after = before;
    after.attributes[3].references->on_delete = "delete";
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: the reference of representative_id changes");
    CHECK(p.operations[0].up[0].find("ON DELETE CASCADE") != std::string::npos);
  }
  SUBCASE("a reference added to an existing column") {
    auto plain = before;
    plain.attributes[3].references.reset();
    const auto p = change(plain, before);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].kind == operation_kind::rebuild_table);
    CHECK(p.operations[0].down[0].find("REFERENCES") == std::string::npos);
  }
}

TEST_CASE("columns ALTER TABLE cannot add or drop rebuild the table") {
  auto before = test_support::tickets();
  SUBCASE("a non-constant default") {
    auto after = before;
    auto created = column("created_at", "utc_datetime_usec", false);
    created.default_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    after.attributes.push_back(created);
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: column created_at cannot be added by ALTER TABLE");
    // The new column is left out of the copy: it takes its default.
    CHECK(p.operations[0].up[1] ==
          R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status", "representative_id") SELECT "id", "subject", "status", "representative_id" FROM "tickets")");
  }
  SUBCASE("a referencing column, dropped") {
    auto after = before;
    after.attributes.pop_back();
    const auto p = change(before, after, {true, {}});
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: column representative_id cannot be dropped by ALTER TABLE");
    CHECK(p.operations[0].up[1] ==
          R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status") SELECT "id", "subject", "status" FROM "tickets")");
    CHECK(p.operations[0].down[1] ==
          R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status") SELECT "id", "subject", "status" FROM "tickets")");
  }
  SUBCASE("a removed column survives a rebuild without drop_columns") {
    auto after = before;
    after.attributes.erase(after.attributes.begin() + 1);  // subject, removed
    after.attributes[1].type = "citext";                   // status, retyped: rebuild
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].notes ==
          strings{"The column tickets.subject is no longer declared. It is kept; generate with --drop-columns to drop it."});
    CHECK(p.operations[0].up[0].find(R"("subject" TEXT NOT NULL))") != std::string::npos);
  }
  SUBCASE("STRICT on or off") {
    auto after = before;
    after.strict = true;
    const auto p = change(before, after);
    REQUIRE(p.operations.size() == 1);
    CHECK(p.operations[0].description == "rebuild table tickets: the table becomes STRICT");
    CHECK(p.operations[0].up[0].substr(p.operations[0].up[0].size() - 8) == ") STRICT");
  }
}

TEST_CASE("a rename inside a rebuild maps the copied column") {
  auto before = test_support::tickets();
  auto after = before;
  after.attributes[1].source = "title";
  after.attributes[1].allow_nil = true;
  const auto p = change(before, after, {false, always(true)});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up[1] ==
        R"(INSERT INTO "tickets__ash_new" ("id", "title", "status", "representative_id") SELECT "id", "subject", "status", "representative_id" FROM "tickets")");
  CHECK(p.operations[0].down[1] ==
        R"(INSERT INTO "tickets__ash_new" ("id", "subject", "status", "representative_id") SELECT "id", "title", "status", "representative_id" FROM "tickets")");
}

TEST_CASE("identities become unique indexes; changed ones are dropped and created") {
  auto before = test_support::tickets();
  auto after = before;
  after.identities.push_back({"subject", {"subject"}, {}, "", true});
  const auto added = change(before, after);
  REQUIRE(added.operations.size() == 1);
  CHECK(added.operations[0].kind == operation_kind::create_index);
  CHECK(added.operations[0].up == strings{R"(CREATE UNIQUE INDEX "tickets_subject_index" ON "tickets" ("subject"))"});
  CHECK(added.operations[0].down == strings{R"(DROP INDEX "tickets_subject_index")"});

  const auto removed = change(after, before);
  REQUIRE(removed.operations.size() == 1);
  CHECK(removed.operations[0].kind == operation_kind::drop_index);
  CHECK(removed.operations[0].up == strings{R"(DROP INDEX "tickets_subject_index")"});
  CHECK(removed.operations[0].down == strings{R"(CREATE UNIQUE INDEX "tickets_subject_index" ON "tickets" ("subject"))"});

  // A new index name (identity_index_names) is a drop and a create: SQLite has no ALTER INDEX.
  auto renamed = after;
  renamed.identities[0].index_name = "unique_subjects";
  const auto r = change(after, renamed);
  REQUIRE(r.operations.size() == 2);
  CHECK(r.operations[0].up == strings{R"(DROP INDEX "tickets_subject_index")"});
  CHECK(r.operations[1].up == strings{R"(CREATE UNIQUE INDEX "unique_subjects" ON "tickets" ("subject"))"});

  // A base filter on the table makes identity indexes partial, so they are recreated.
  auto filtered = after;
  filtered.base_filter = "status <> 'deleted'";
  const auto f = change(after, filtered);
  REQUIRE(f.operations.size() == 2);
  CHECK(f.operations[1].up ==
        strings{R"(CREATE UNIQUE INDEX "tickets_subject_index" ON "tickets" ("subject") WHERE status <> 'deleted')"});
}

TEST_CASE("custom indexes: default names, expressions, validation") {
  auto before = test_support::tickets();
  auto after = before;
  after.custom_indexes.push_back({{"lower(subject)"}, "tickets_lower_subject_index", false, {}, {}});
  after.custom_indexes.push_back({{"status", "subject"}, "", true, {}, {}});
  const auto p = change(before, after);
  REQUIRE(p.operations.size() == 2);
  CHECK(p.operations[0].up == strings{R"(CREATE INDEX "tickets_lower_subject_index" ON "tickets" (lower(subject)))"});
  CHECK(p.operations[1].up == strings{R"(CREATE UNIQUE INDEX "tickets_status_subject_index" ON "tickets" ("status", "subject"))"});

  auto bad_name = before;
  bad_name.custom_indexes.push_back({{"status"}, "bad-name", false, {}, {}});
  CHECK_THROWS_WITH_AS(change(before, bad_name),
                       "Custom index name bad-name is not valid. Must have letters, numbers and underscores only",
                       ash::exception);
  auto expression_without_name = before;
  expression_without_name.custom_indexes.push_back({{"lower(subject)"}, "", false, {}, {}});
  CHECK_THROWS_WITH_AS(change(before, expression_without_name),
                       doctest::Contains("Custom index field lower(subject) of table tickets contains invalid index name "
                                         "characters. A name must be set manually"),
                       ash::exception);
}

TEST_CASE("custom statements: downs of removed or changed ones first, ups of added or changed ones last") {
  auto before = test_support::tickets();
  before.custom_statements = {{"keep", "CREATE VIEW keep AS SELECT 1", "DROP VIEW keep"},
                              {"gone", "CREATE VIEW gone AS SELECT 1", "DROP VIEW gone"},
                              {"edit", "CREATE VIEW edit AS SELECT 1", "DROP VIEW edit"}};
  auto after = before;
  after.custom_statements = {{"keep", "CREATE VIEW keep AS SELECT 1", "DROP VIEW keep"},
                             {"edit", "CREATE VIEW edit AS SELECT 2", "DROP VIEW edit"},
                             {"new", "CREATE VIEW new AS SELECT 3", "DROP VIEW new"}};
  after.attributes.push_back(column("notes", "text"));
  const auto p = change(before, after);
  strings descriptions, ups;
  for (const auto& op : p.operations) {
    descriptions.push_back(op.description);
    ups.push_back(op.up.at(0));
  }
  CHECK(descriptions == strings{"custom statement gone of tickets: down", "custom statement edit of tickets (changed): down",
                                "add column tickets.notes", "custom statement edit of tickets (changed): up",
                                "custom statement new of tickets: up"});
  CHECK(ups == strings{"DROP VIEW gone", "DROP VIEW edit", R"(ALTER TABLE "tickets" ADD COLUMN "notes" TEXT)",
                       "CREATE VIEW edit AS SELECT 2", "CREATE VIEW new AS SELECT 3"});
  CHECK(p.operations[0].down == strings{"CREATE VIEW gone AS SELECT 1"});

  SUBCASE("a rebuilt table takes all its statements down before and up after") {
    auto retyped = after;
    retyped.attributes[1].type = "citext";
    const auto q = change(after, retyped);
    REQUIRE(q.operations.size() == 7);
    CHECK(q.operations[3].kind == operation_kind::rebuild_table);
    CHECK(q.operations[0].up == strings{"DROP VIEW keep"});
    CHECK(q.operations[6].up == strings{"CREATE VIEW new AS SELECT 3"});
  }
}

TEST_CASE("duplicate tables are refused") {
  CHECK_THROWS_WITH_AS(diff({}, {test_support::tickets(), test_support::tickets()}), "table tickets is declared twice",
                       ash::exception);
}

TEST_CASE("generate writes one migration and one snapshot per changed table; no changes writes nothing") {
  temp_dir dir;
  generate_options opts;
  opts.snapshot_path = dir / "snapshots";
  opts.migration_path = dir / "migrations";
  opts.name = "create_tables";
  opts.now = std::chrono::sys_days{std::chrono::year{2024} / 1 / 2} + std::chrono::hours{3};
  const auto r = generate({test_support::tickets(), test_support::representatives()}, opts);
  REQUIRE(r.written);
  CHECK(r.migration->path == dir / "migrations/20240102030000_create_tables.sql");
  CHECK(std::filesystem::exists(dir / "migrations/20240102030000_create_tables.sql"));
  CHECK(std::filesystem::exists(dir / "snapshots/repo/tickets/20240102030000.json"));
  CHECK(std::filesystem::exists(dir / "snapshots/repo/representatives/20240102030000.json"));

  // Same tables again: nothing.
  opts.name = "again";
  const auto none = generate({test_support::tickets(), test_support::representatives()}, opts);
  CHECK_FALSE(none.changed());
  CHECK_FALSE(none.migration);
  CHECK(list_migrations({opts.migration_path}).size() == 1);

  // A change in the same second still gets a newer version, and only the changed table a snapshot.
  auto t = test_support::tickets();
  t.attributes.push_back(column("notes", "text"));
  opts.name = "add_notes";
  const auto next = generate({t, test_support::representatives()}, opts);
  CHECK(next.migration->path == dir / "migrations/20240102030001_add_notes.sql");
  REQUIRE(next.snapshots.size() == 1);
  CHECK(next.snapshots[0].path == dir / "snapshots/repo/tickets/20240102030001.json");
  CHECK(load_latest_snapshot(opts.snapshot_path, "repo", "tickets")->find("notes"));
}

TEST_CASE("dry runs and checks write nothing and need no name; real runs need a valid name") {
  temp_dir dir;
  generate_options opts;
  opts.snapshot_path = dir / "snapshots";
  opts.migration_path = dir / "migrations";
  opts.dry_run = true;
  const auto r = generate({test_support::tickets()}, opts);
  CHECK(r.changed());
  CHECK_FALSE(r.written);
  REQUIRE(r.migration);
  CHECK(r.migration->path.filename().string().find("_migrate_resources.sql") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "migrations"));
  CHECK_FALSE(std::filesystem::exists(dir / "snapshots"));

  opts.dry_run = false;
  CHECK_THROWS_WITH_AS(generate({test_support::tickets()}, opts), doctest::Contains("Name must be provided"), ash::exception);
  opts.name = "bad name";
  CHECK_THROWS_WITH_AS(generate({test_support::tickets()}, opts), doctest::Contains("is not valid"), ash::exception);
}
