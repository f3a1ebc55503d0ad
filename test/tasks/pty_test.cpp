// The interactive questions, asked on a real terminal: the fixture tasks binary runs under a
// pseudo-terminal (forkpty), so isatty(0) is true in it; the test reads until the question
// appears and types the answer.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace tasks_support;

namespace {

const std::string fixture_db = "db/fixture.db";

std::string fixture() { return binary_from("ASH_FIXTURE_TASKS"); }

/// A database migrated to fixture schema 2 (tickets.title), one ticket in it, ready for a
/// generation at schema 1, where the column is called subject again.
void migrated_at_schema_2(const workdir& w) {
  REQUIRE(w.run(fixture(), "create", "ASH_FIXTURE_SCHEMA=2").code == 0);
  REQUIRE(w.run(fixture(), "codegen init", "ASH_FIXTURE_SCHEMA=2").code == 0);
  REQUIRE(w.run(fixture(), "migrate", "ASH_FIXTURE_SCHEMA=2").code == 0);
  w.exec(fixture_db, "INSERT INTO tickets (title) VALUES ('Printer')");
}

std::string newest_migration(const workdir& w) {
  const auto files = w.files("priv/repo/migrations");
  REQUIRE(!files.empty());
  return slurp(w.dir / "priv/repo/migrations" / files.back());
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

const std::string rename_question = "Are you renaming tickets.title to tickets.subject? [y/N] ";

}  // namespace

TEST_CASE("on a terminal, generate_migrations asks about a rename; y gives RENAME COLUMN and keeps the rows") {
  workdir w;
  migrated_at_schema_2(w);

  pty_session s(fixture(), {"generate_migrations", "--name", "back_to_subject"}, w.dir, {"ASH_FIXTURE_SCHEMA=1"});
  REQUIRE_MESSAGE(s.read_until(rename_question), "no question; the terminal showed:\n" << s.output());
  s.type("y\n");
  const int code = s.wait();
  INFO("terminal output:\n" << s.output());
  CHECK(code == 0);
  CHECK_FALSE(contains(s.output(), "stdin is not a terminal"));
  CHECK(count(s.output(), "Are you renaming") == 1);
  CHECK(contains(s.output(), "_back_to_subject.sql"));

  REQUIRE(w.files("priv/repo/migrations").size() == 2);
  const auto sql = newest_migration(w);
  CHECK(contains(sql, "ALTER TABLE \"tickets\" RENAME COLUMN \"title\" TO \"subject\";"));
  CHECK(contains(sql, "ALTER TABLE \"tickets\" RENAME COLUMN \"subject\" TO \"title\";"));  // the down
  CHECK_FALSE(contains(sql, "ADD COLUMN"));
  CHECK_FALSE(contains(sql, "rebuild"));

  REQUIRE(w.run(fixture(), "migrate", "ASH_FIXTURE_SCHEMA=1").code == 0);
  CHECK(w.query(fixture_db, "SELECT subject FROM tickets") == strings{"Printer"});
  CHECK(w.run(fixture(), "generate_migrations --check", "ASH_FIXTURE_SCHEMA=1").code == 0);
}

TEST_CASE("on a terminal, answering n to the rename question adds the new column and comments out the drop") {
  workdir w;
  migrated_at_schema_2(w);

  pty_session s(fixture(), {"codegen", "subject_column"}, w.dir, {"ASH_FIXTURE_SCHEMA=1"});
  REQUIRE_MESSAGE(s.read_until(rename_question), "no question; the terminal showed:\n" << s.output());
  s.type("n\n");
  const int code = s.wait();
  INFO("terminal output:\n" << s.output());
  CHECK(code == 0);
  CHECK(count(s.output(), "Are you renaming") == 1);

  REQUIRE(w.files("priv/repo/migrations").size() == 2);
  const auto sql = newest_migration(w);
  CHECK_FALSE(contains(sql, "RENAME COLUMN"));
  CHECK(contains(sql, "-- add column tickets.subject"));
  CHECK(contains(sql, "ALTER TABLE \"tickets\" ADD COLUMN \"subject\""));
  CHECK(contains(sql, "-- ALTER TABLE \"tickets\" DROP COLUMN \"title\";"));
}

TEST_CASE("on a terminal, drop asks [y/N]: y deletes the database") {
  workdir w;
  REQUIRE(w.run(fixture(), "create").code == 0);
  REQUIRE(fs::exists(w.dir / fixture_db));

  pty_session s(fixture(), {"drop"}, w.dir);
  REQUIRE_MESSAGE(s.read_until("Are you sure you want to drop the database db/fixture.db? [y/N] "),
                  "no question; the terminal showed:\n" << s.output());
  s.type("y\n");
  const int code = s.wait();
  INFO("terminal output:\n" << s.output());
  CHECK(code == 0);
  CHECK(contains(s.output(), "The database for repo has been dropped (db/fixture.db)"));
  CHECK_FALSE(contains(s.output(), "refusing"));
  CHECK_FALSE(fs::exists(w.dir / fixture_db));
}

TEST_CASE("on a terminal, drop keeps the database on n, on an empty answer and on end of input") {
  workdir w;
  REQUIRE(w.run(fixture(), "create").code == 0);
  // "\x04" is the terminal's end-of-file character (Ctrl-D) at the start of a line.
  for (const std::string answer : {"n\n", "\n", "no\n", "\x04"}) {
    CAPTURE(answer);
    pty_session s(fixture(), {"drop"}, w.dir);
    REQUIRE_MESSAGE(s.read_until("Are you sure you want to drop the database db/fixture.db? [y/N] "),
                    "no question; the terminal showed:\n" << s.output());
    s.type(answer);
    const int code = s.wait();
    INFO("terminal output:\n" << s.output());
    CHECK(code == 1);
    CHECK(contains(s.output(), "Not dropped."));
    CHECK(fs::exists(w.dir / fixture_db));
  }
  // --force still does not ask on a terminal.
  pty_session s(fixture(), {"drop", "--force"}, w.dir);
  CHECK(s.wait() == 0);
  CHECK_FALSE(contains(s.output(), "Are you sure"));
  CHECK_FALSE(fs::exists(w.dir / fixture_db));
}
