// Runs the real fixture tasks binary (path in ASH_FIXTURE_TASKS) in temporary directories.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ash/sqlite/connection.hpp"

namespace fs = std::filesystem;

namespace {

struct result {
  int code;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A temporary project directory in which the fixture binary runs.
struct sandbox {
  fs::path dir;
  sandbox() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("ash_tasks_test_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir);
  }
  ~sandbox() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  sandbox(const sandbox&) = delete;
  sandbox& operator=(const sandbox&) = delete;

  /// Runs `fixture_tasks <args>` with schema `version`, stdin from `input` (not a terminal).
  result run(const std::string& args, int version = 1, const std::string& input = "", const std::string& env = "") {
    const char* binary = std::getenv("ASH_FIXTURE_TASKS");
    REQUIRE_MESSAGE(binary, "set ASH_FIXTURE_TASKS to the fixture_tasks binary");
    std::ofstream(dir / "stdin.txt") << input;
    const std::string cmd = "cd '" + dir.string() + "' && ASH_FIXTURE_SCHEMA=" + std::to_string(version) + " " + env + " '" +
                            binary + "' " + args + " < stdin.txt > stdout.txt 2> stderr.txt";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"), slurp(dir / "stderr.txt")};
  }
  std::vector<std::string> files(const std::string& rel) {
    std::vector<std::string> out;
    if (!fs::exists(dir / rel)) return out;
    for (const auto& e : fs::directory_iterator(dir / rel)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> query(const std::string& sql, const std::string& db = "db/fixture.db") {
    ash::sqlite::connection c((dir / db).string());
    std::vector<std::string> out;
    sqlite3_stmt* s = c.prepare(sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
      auto* v = sqlite3_column_text(s, 0);
      out.push_back(v ? reinterpret_cast<const char*>(v) : "NULL");
    }
    sqlite3_finalize(s);
    return out;
  }
};

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("the reference workflow: create, generate_migrations --name, migrate, status") {
  sandbox s;
  auto r = s.run("create");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "The database for repo has been created at db/fixture.db"));
  CHECK(fs::exists(s.dir / "db/fixture.db"));

  r = s.run("generate_migrations --name add_tickets_and_representatives");
  CHECK(r.code == 0);
  const auto migrations = s.files("priv/repo/migrations");
  REQUIRE(migrations.size() == 1);
  CHECK(contains(migrations[0], "_add_tickets_and_representatives.sql"));
  CHECK(s.files("priv/resource_snapshots/repo/tickets").size() == 1);
  CHECK(s.files("priv/resource_snapshots/repo/representatives").size() == 1);
  const auto sql = slurp(s.dir / "priv/repo/migrations" / migrations[0]);
  CHECK(sql.find("CREATE TABLE \"representatives\"") < sql.find("CREATE TABLE \"tickets\""));

  r = s.run("migrate");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "add_tickets_and_representatives: migrating"));
  CHECK(s.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") ==
        strings{"representatives", "schema_migrations", "sqlite_sequence", "tickets"});

  r = s.run("status");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "  up  "));
  CHECK(contains(r.out, "add_tickets_and_representatives"));

  r = s.run("generate_migrations again");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "No changes detected, so no migrations or snapshots have been created."));
  CHECK(s.files("priv/repo/migrations").size() == 1);
  r = s.run("migrate");
  CHECK(contains(r.out, "Migrations already up"));
}

TEST_CASE("renames: a non-terminal without answers fails; --rename and --no-renames answer") {
  sandbox s;
  REQUIRE(s.run("setup").code == 0);
  REQUIRE(s.run("codegen init").code == 0);
  REQUIRE(s.run("migrate").code == 0);
  s.query("SELECT 1");
  {
    ash::sqlite::connection c((s.dir / "db/fixture.db").string());
    c.exec("INSERT INTO tickets (subject) VALUES ('Printer')");
  }
  auto r = s.run("codegen rename", 2);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "Cannot ask \"Are you renaming tickets.subject to tickets.title?\": stdin is not a terminal"));
  CHECK(s.files("priv/repo/migrations").size() == 1);

  r = s.run("codegen rename --rename tickets.subject=headline", 2);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "--rename tickets.subject=headline does not match"));
  CHECK(s.files("priv/repo/migrations").size() == 1);

  r = s.run("codegen rename --no-renames --dry-run", 2);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "add column tickets.title"));
  CHECK(contains(r.out, "-- ALTER TABLE \"tickets\" DROP COLUMN \"subject\";"));

  r = s.run("codegen --name rename --rename tickets.subject=title", 2);
  CHECK(r.code == 0);
  r = s.run("migrate", 2);
  CHECK(r.code == 0);
  CHECK(s.query("SELECT title FROM tickets") == strings{"Printer"});
}

TEST_CASE("dry-run prints and writes nothing; check exits 1 when anything would change") {
  sandbox s;
  auto r = s.run("generate_migrations --dry-run");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "_migrate_resources.sql"));
  CHECK(contains(r.out, "-- +up"));
  CHECK(contains(r.out, "would write snapshot"));
  CHECK_FALSE(fs::exists(s.dir / "priv"));

  r = s.run("generate_migrations --check");
  CHECK(r.code == 1);
  CHECK(contains(r.out, "create table tickets"));
  CHECK_FALSE(fs::exists(s.dir / "priv"));

  REQUIRE(s.run("generate_migrations first").code == 0);
  CHECK(s.run("generate_migrations --check").code == 0);
  CHECK(s.run("generate_migrations --check", 2, "", "").code == 1);

  r = s.run("generate_migrations");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "Name must be provided"));
}

TEST_CASE("--snapshot-path, --migration-path, --quiet, --drop-columns and --domains") {
  sandbox s;
  auto r = s.run("codegen first --snapshot-path snaps --migration-path migs --quiet");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(s.files("migs").size() == 1);
  CHECK(s.files("snaps/repo/tickets").size() == 1);

  r = s.run("codegen third --snapshot-path snaps --migration-path migs --drop-columns --rename tickets.subject=title", 3);
  CHECK(r.code == 0);
  auto files = s.files("migs");
  REQUIRE(files.size() == 2);
  const auto sql = slurp(s.dir / "migs" / files[1]);
  CHECK(contains(sql, "\nALTER TABLE \"representatives\" DROP COLUMN \"name\";"));
  CHECK(contains(sql, "-- ash: foreign_keys=off"));

  REQUIRE(s.run("create").code == 0);
  r = s.run("migrate --migrations-path migs");
  CHECK(r.code == 0);
  CHECK(s.query("SELECT count(*) FROM schema_migrations") == strings{"2"});

  r = s.run("codegen x --domains other_repo");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "no tables belong to --domains other_repo"));
  r = s.run("codegen --domains repo,other --dry-run");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "create table tickets"));
}

TEST_CASE("migrate and rollback: --step/-n, --to, --all, --log-sql, --quiet, --strict-version-order, repeated paths") {
  sandbox s;
  REQUIRE(s.run("create").code == 0);
  REQUIRE(s.run("codegen one --migration-path m1").code == 0);
  REQUIRE(s.run("codegen two --migration-path m2 --rename tickets.subject=title", 2).code == 0);
  REQUIRE(s.run("codegen three --migration-path m2", 3).code == 0);
  const auto m1 = s.files("m1"), m2 = s.files("m2");
  const std::string v1 = m1[0].substr(0, 14), v2 = m2[0].substr(0, 14), v3 = m2[1].substr(0, 14);
  const std::string paths = "--migrations-path m1 --migrations-path m2";

  auto r = s.run("migrate -n 1 " + paths);
  CHECK(r.code == 0);
  CHECK(s.query("SELECT version FROM schema_migrations") == strings{v1});
  r = s.run("migrate --to " + v2 + " --log-sql " + paths);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "ALTER TABLE \"tickets\" RENAME COLUMN \"subject\" TO \"title\";"));
  r = s.run("migrate --quiet " + paths);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(s.query("SELECT count(*) FROM schema_migrations") == strings{"3"});

  r = s.run("rollback " + paths);
  CHECK(s.query("SELECT max(version) FROM schema_migrations") == strings{v2});
  r = s.run("rollback --log-sql --step 1 " + paths);
  CHECK(contains(r.out, "ALTER TABLE \"tickets\" RENAME COLUMN \"title\" TO \"subject\";"));
  CHECK(s.query("SELECT version FROM schema_migrations") == strings{v1});

  REQUIRE(s.run("migrate " + paths).code == 0);
  r = s.run("rollback --to " + v2 + " " + paths);
  CHECK(s.query("SELECT version FROM schema_migrations") == strings{v1});
  r = s.run("rollback --all --quiet " + paths);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(s.query("SELECT count(*) FROM schema_migrations") == strings{"0"});
  CHECK(s.query("SELECT count(*) FROM sqlite_schema WHERE name = 'tickets'") == strings{"0"});

  // Apply one and three only, then two is older than the newest applied.
  fs::rename(s.dir / "m2" / m2[0], s.dir / m2[0]);
  REQUIRE(s.run("migrate " + paths).code == 0);
  fs::rename(s.dir / m2[0], s.dir / "m2" / m2[0]);
  r = s.run("migrate --strict-version-order " + paths);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "is older than the newest applied migration"));

  r = s.run("rollback --all --step 2 " + paths);
  CHECK(r.code == 2);
  CHECK(contains(r.err, "use one of --all, --step and --to"));
}

TEST_CASE("drop: --force, -f, and refusing without a terminal") {
  sandbox s;
  REQUIRE(s.run("create").code == 0);
  auto r = s.run("drop", 1, "y\n");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "refusing to drop db/fixture.db without --force"));
  CHECK(fs::exists(s.dir / "db/fixture.db"));
  r = s.run("drop --force");
  CHECK(r.code == 0);
  CHECK_FALSE(fs::exists(s.dir / "db/fixture.db"));
  REQUIRE(s.run("create").code == 0);
  CHECK(s.run("drop -f -q").code == 0);
  CHECK_FALSE(fs::exists(s.dir / "db/fixture.db"));
  r = s.run("drop -f");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "already been dropped"));
}

TEST_CASE("DATABASE_PATH overrides the database path") {
  sandbox s;
  REQUIRE(s.run("setup", 1, "", "DATABASE_PATH=other/elsewhere.db").code == 0);
  CHECK(fs::exists(s.dir / "other/elsewhere.db"));
  CHECK_FALSE(fs::exists(s.dir / "db/fixture.db"));
}

TEST_CASE("usage errors exit 2 with a clear message; --help works for every command") {
  sandbox s;
  auto r = s.run("frobnicate");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "unknown command \"frobnicate\""));
  r = s.run("");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "Usage: fixture_tasks <command>"));
  r = s.run("migrate --bogus");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "unknown option --bogus for migrate"));
  r = s.run("migrate --step");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "option --step needs a value"));
  r = s.run("migrate -n two");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "option --step needs a whole number from 1 to 2147483647, not \"two\""));
  r = s.run("status extra");
  CHECK(r.code == 2);
  r = s.run("codegen a b");
  CHECK(r.code == 2);
  for (const char* command : {"create", "drop", "generate_migrations", "codegen", "migrate", "rollback", "status", "setup"}) {
    r = s.run(std::string(command) + " --help");
    CHECK(r.code == 0);
    CHECK(contains(r.out, "Usage: fixture_tasks"));
    CHECK(contains(r.out, "--help"));
  }
  CHECK(contains(s.run("codegen --help").out, "--drop-columns"));
  CHECK(contains(s.run("rollback --help").out, "--all"));
}

TEST_CASE("failures: missing database, corrupt database, locked database, invalid index names") {
  sandbox s;
  auto r = s.run("migrate");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "the database db/fixture.db does not exist"));

  fs::create_directories(s.dir / "db");
  std::ofstream(s.dir / "db/fixture.db") << std::string(4096, 'x') << "garbage bytes, not a database";
  for (const char* command : {"migrate", "status", "rollback", "create", "setup"}) {
    r = s.run(command);
    CHECK(r.code == 1);
    CHECK(contains(r.err, "file is not a database"));
  }
  fs::remove(s.dir / "db/fixture.db");

  REQUIRE(s.run("create").code == 0);
  REQUIRE(s.run("codegen one").code == 0);
  {
    ash::sqlite::connection holder((s.dir / "db/fixture.db").string());
    holder.exec("BEGIN IMMEDIATE");
    r = s.run("migrate");
    CHECK(r.code == 1);
    CHECK(contains(r.err, "database is locked"));
    holder.exec("ROLLBACK");
  }
  CHECK(s.run("migrate").code == 0);

  r = s.run("codegen bad", 4);
  CHECK(r.code == 1);
  CHECK(contains(r.err, "Custom index name no spaces allowed is not valid. Must have letters, numbers and underscores only"));
}

TEST_CASE("a failing migration reports file, statement and message, and changes nothing") {
  sandbox s;
  REQUIRE(s.run("setup").code == 0);
  fs::create_directories(s.dir / "priv/repo/migrations");
  std::ofstream(s.dir / "priv/repo/migrations/1_bad.sql") << "-- +up\nCREATE TABLE t (x);\nINSERT INTO missing VALUES (1);\n-- +down\nDROP TABLE t;\n";
  auto r = s.run("migrate");
  CHECK(r.code == 1);
  CHECK(contains(r.err, "1_bad.sql (up) failed: no such table: missing [in: INSERT INTO missing VALUES (1);]"));
  CHECK(s.query("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == strings{"0"});
}

TEST_CASE("--step must be a whole number from 1 to 2147483647 and --to a version: usage errors name flag and value") {
  sandbox s;
  REQUIRE(s.run("create").code == 0);
  REQUIRE(s.run("codegen one").code == 0);
  REQUIRE(s.run("migrate").code == 0);
  // 4294967296 used to wrap to 0 in a cast to int, and the rollback did nothing with exit 0.
  for (const std::string flag : {"--step ", "--step=", "-n"}) {
    for (const std::string value : {"4294967296", "2147483648", "0", "-1", "+1", "99999999999999999999"}) {
      for (const std::string command : {"rollback ", "migrate "}) {
        CAPTURE(command + flag + value);
        auto r = s.run(command + flag + value);
        CHECK(r.code == 2);
        CHECK(contains(r.err, "option --step needs a whole number from 1 to 2147483647, not \"" + value + "\""));
      }
    }
  }
  for (const std::string value : {"-1", "+5", " 5", "99999999999999999999", "1e3"}) {
    CAPTURE(value);
    auto r = s.run("rollback '--to=" + value + "'");
    CHECK(r.code == 2);
    CHECK(contains(r.err, "option --to needs a non-negative whole number, not \"" + value + "\""));
  }
  CHECK(s.query("SELECT count(*) FROM schema_migrations") == strings{"1"});
  CHECK(s.run("rollback --step 2147483647").code == 0);
  CHECK(s.query("SELECT count(*) FROM schema_migrations") == strings{"0"});
}

TEST_CASE("drop refuses a database path that is not a regular file, and then removes nothing") {
  sandbox s;
  auto refused = [&](const std::string& args, const std::string& input, const std::string& message) {
    const auto r = s.run(args, 1, input);
    CHECK(r.code == 1);
    CHECK(contains(r.err, "refusing to drop db/fixture.db: " + message + "; nothing removed"));
  };
  SUBCASE("an empty directory at the database path") {
    fs::create_directories(s.dir / "db/fixture.db");
    refused("drop --force", "", "it is a directory, not a database file");
    refused("drop", "y\n", "it is a directory, not a database file");  // before the question, too
    CHECK(fs::is_directory(s.dir / "db/fixture.db"));
  }
  SUBCASE("a symbolic link at the database path") {
    REQUIRE(s.run("create", 1, "", "DATABASE_PATH=db/real.db").code == 0);
    fs::create_symlink("real.db", s.dir / "db/fixture.db");
    refused("drop -f", "", "it is a symbolic link, not a database file");
    CHECK(fs::is_symlink(s.dir / "db/fixture.db"));
    CHECK(fs::is_regular_file(s.dir / "db/real.db"));
  }
  SUBCASE("a companion that is a directory") {
    REQUIRE(s.run("create").code == 0);
    fs::create_directories(s.dir / "db/fixture.db-wal");
    refused("drop -f", "", "db/fixture.db-wal is a directory, not a file");
    CHECK(fs::is_regular_file(s.dir / "db/fixture.db"));
    CHECK(fs::is_directory(s.dir / "db/fixture.db-wal"));
  }
  SUBCASE("regular companions go with the database") {
    REQUIRE(s.run("create").code == 0);
    std::ofstream(s.dir / "db/fixture.db-journal") << "x";
    CHECK(s.run("drop -f").code == 0);
    CHECK(s.files("db").empty());
  }
}
