// Transactions that SQLite rolls back by itself (a trigger's RAISE(ROLLBACK), an interrupt, a
// full disk): nothing after the failure runs in autocommit, the commit fails with the original
// error, and nothing of the transaction is committed.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace rel;

namespace {

/// A trigger that rolls back the whole transaction when an entry with amount -1 is inserted.
void add_rollback_trigger(Repo& repo) {
  repo.exec(
      "CREATE TRIGGER entries_refuse BEFORE INSERT ON entries WHEN NEW.amount = -1 "
      "BEGIN SELECT RAISE(ROLLBACK, 'refused by trigger'); END");
}

std::int64_t entries(Repo& repo) { return test::scalar_int(repo, "SELECT count(*) FROM entries"); }

/// The messages of a transaction that inserts a row, has the trigger refuse the next (caught,
/// as the try_ forms invite), and carries on with a third: of the refusal, of the write after
/// it, and of what `transaction` threw.
struct refused_run {
  std::string first, later, at_end;
};
refused_run run_refused_transaction(Repo& repo) {
  refused_run out;
  try {
    repo.transaction([&] {
      (void)repo.insert(Entry{0, 1, 1, 1, "a"});
      auto r = repo.try_create<Entry>(ash::set(e.writer, 1), ash::set(e.seq, 2), ash::set(e.amount, -1));
      REQUIRE_FALSE(r.ok());
      out.first = r.error().message;
      // The caller carries on: this must not commit on its own.
      try {
        (void)repo.insert(Entry{0, 1, 3, 3, "c"});
      } catch (const ash::exception& ex) {
        out.later = ex.error().message;
      }
      (void)repo.get<Entry>(std::int64_t{1});  // reads fail the same way (they would see the rolled-back state)
    });
  } catch (const ash::exception& ex) {
    out.at_end = ex.error().message;
  }
  return out;
}

}  // namespace

TEST_CASE("a caught failure after which SQLite rolled back: later writes fail, the commit fails, nothing is committed") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("rollback.db")});
  repo.create_table<Entry>();
  add_rollback_trigger(repo);
  (void)repo.insert(Entry{0, 9, 1, 1, "before"});

  const auto [first, later, at_commit] = run_refused_transaction(repo);
  CHECK(first.find("refused by trigger") != std::string::npos);
  CHECK(first.find("rolled back the whole transaction") != std::string::npos);
  CHECK(later == first);
  CHECK(at_commit == first);
  CHECK(entries(repo) == 1);  // only the row from before the transaction
  // The repo is usable again afterwards.
  repo.transaction([&] { (void)repo.insert(Entry{0, 2, 1, 1, "after"}); });
  CHECK(entries(repo) == 2);
}

TEST_CASE("in a nested savepoint, the real error replaces \"no such savepoint\"") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("nested.db")});
  repo.create_table<Entry>();
  add_rollback_trigger(repo);
  std::string inner_error, outer_error;
  try {
    repo.transaction([&] {
      (void)repo.insert(Entry{0, 1, 1, 1, "a"});
      try {
        repo.transaction([&] {
          (void)repo.insert(Entry{0, 1, 2, 2, "b"});
          auto r = repo.try_create<Entry>(ash::set(e.writer, 1), ash::set(e.seq, 3), ash::set(e.amount, -1));
          CHECK_FALSE(r.ok());
        });
      } catch (const ash::exception& ex) {
        inner_error = ex.error().message;
      }
    });
  } catch (const ash::exception& ex) {
    outer_error = ex.error().message;
  }
  CHECK(inner_error.find("refused by trigger") != std::string::npos);
  CHECK(inner_error.find("no such savepoint") == std::string::npos);
  CHECK(outer_error == inner_error);
  CHECK(entries(repo) == 0);
}

TEST_CASE("an interrupted write inside a transaction: nothing of it is committed") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("interrupt.db")});
  repo.create_table<Entry>();
  std::string error;
  int armed = 1;
  try {
    repo.transaction([&] {
      (void)repo.insert(Entry{0, 1, 1, 1, "a"});
      repo.with_writer([&](ash::sqlite::connection& c) {
        // Interrupt the next statement at its first progress callback, once.
        sqlite3_progress_handler(
            c.handle(), 1, [](void* a) { return *static_cast<int*>(a) ? (*static_cast<int*>(a) = 0, 1) : 0; }, &armed);
      });
      auto r = repo.try_create<Entry>(ash::set(e.writer, 1), ash::set(e.seq, 2));
      CHECK_FALSE(r.ok());
      repo.with_writer([](ash::sqlite::connection& c) { sqlite3_progress_handler(c.handle(), 0, nullptr, nullptr); });
      (void)repo.insert(Entry{0, 1, 3, 3, "c"});
    });
  } catch (const ash::exception& ex) {
    error = ex.error().message;
  }
  CHECK(error.find("interrupt") != std::string::npos);
  CHECK(entries(repo) == 0);
}

TEST_CASE("a full disk inside a transaction: all of it or none of it, never the writes after the failure alone") {
  test::temp_dir dir;
  Repo repo({.database = dir.file("full.db")});
  repo.create_table<Entry>();
  const auto pages = test::scalar_int(repo, "PRAGMA page_count");
  repo.exec("PRAGMA max_page_count=" + std::to_string(pages + 8));
  const std::string big(3000, 'x');
  std::int64_t seq = 0, failed_at = 0;
  bool committed = false;
  try {
    repo.transaction([&] {
      for (int k = 0; k < 100; ++k) {
        auto r = repo.try_create<Entry>(ash::set(e.writer, 1), ash::set(e.seq, ++seq), ash::set(e.note, big));
        if (!r.ok() && failed_at == 0) failed_at = seq;
      }
    });
    committed = true;
  } catch (const ash::exception&) {
  }
  REQUIRE(failed_at > 0);  // the disk did fill
  const auto stored = entries(repo);
  CAPTURE(failed_at);
  CAPTURE(committed);
  // SQLite may undo only the failed statement (then the transaction commits what fit) or the
  // whole transaction (then nothing is committed); it must never commit the writes after it alone.
  if (committed) {
    CHECK(stored == failed_at - 1);
  } else {
    CHECK(stored == 0);
  }
  CHECK(test::scalar_int(repo, "SELECT count(*) FROM entries WHERE seq > " + std::to_string(failed_at)) == 0);
}

TEST_CASE("a transaction that begins as a savepoint (inside with_writer, or reading :memory:) is watched too") {
  test::temp_dir dir;
  auto check = [](Repo& repo, auto&& around) {
    repo.create_table<Entry>();
    add_rollback_trigger(repo);
    refused_run run;
    around([&] { run = run_refused_transaction(repo); });
    const auto& [first, later, at_end] = run;
    CHECK(first.find("refused by trigger") != std::string::npos);
    CHECK(later == first);
    CHECK(at_end == first);
    const std::string ours = "SELECT count(*) FROM entries WHERE writer < 9";
    CHECK(test::scalar_int(repo, ours) == 0);
    // And a transaction after it works as usual.
    around([&] { repo.transaction([&] { (void)repo.insert(Entry{0, 2, 1, 1, "after"}); }); });
    CHECK(test::scalar_int(repo, ours) == 1);
  };
  SUBCASE("inside with_writer") {
    Repo repo({.database = dir.file("with_writer.db")});
    check(repo, [&](auto&& fn) { repo.with_writer([&](ash::sqlite::connection&) { fn(); }); });
  }
  SUBCASE("inside each on :memory:") {
    Repo repo({.database = ":memory:"});
    repo.create_table<Entry>();
    (void)repo.insert(Entry{0, 9, 1, 1, "outer"});
    check(repo, [&](auto&& fn) {
      // SQLite's rollback also aborts the outer read (SQLITE_ABORT_ROLLBACK): each then throws.
      try {
        repo.each(ash::query<Entry>().filter(e.writer == 9), [&](Entry&&) { fn(); });
      } catch (const ash::exception& ex) {
        CHECK(std::string(ex.what()).find("abort") != std::string::npos);
      }
    });
  }
}
