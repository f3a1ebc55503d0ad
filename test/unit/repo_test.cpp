// The repo against real SQLite: connection settings, configuration from code and environment,
// the SQL log, transactions and savepoints, many threads, and prepared-statement slots.
#include <doctest/doctest.h>

#include <ash/ash.hpp>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

namespace repo_test {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

/// A repo configured in code, as an application would.
struct ConfiguredRepo : ash::sqlite::repo<ConfiguredRepo> {
  using repo::repo;
  static inline std::string path;
  static ash::sqlite::config default_config() { return {.database = path, .pool_size = 3}; }
};

struct Note {
  std::int64_t id = 0;
  std::string text;
  std::int64_t n = 0;
};

}  // namespace repo_test

ASH_FIELDS(repo_test::Note, id, text, n);

template <>
struct ash::resource<repo_test::Note> {
  static constexpr auto sqlite = ash::sqlite::table("notes");
  static constexpr auto primary_key = ash::integer_primary_key(&repo_test::Note::id);
};

using namespace repo_test;
using namespace std::chrono_literals;

namespace {

constexpr auto f = ash::fields<Note>;

/// Sets (or unsets) an environment variable for one scope, restoring it after.
struct env_var {
  std::string name;
  std::optional<std::string> saved;
  env_var(std::string n, const char* value) : name(std::move(n)) {
    if (const char* old = std::getenv(name.c_str())) saved = old;
    if (value) setenv(name.c_str(), value, 1);
    else unsetenv(name.c_str());
  }
  ~env_var() {
    if (saved) setenv(name.c_str(), saved->c_str(), 1);
    else unsetenv(name.c_str());
  }
  env_var(const env_var&) = delete;
  env_var& operator=(const env_var&) = delete;
};

/// No environment overrides in this scope, whatever the shell running the tests has set.
struct clean_env {
  env_var database{"DATABASE_PATH", nullptr};
  env_var pool{"POOL_SIZE", nullptr};
  env_var log{"ASH_LOG_SQL", nullptr};
};

/// A pragma's value as text, on the connection `with` hands out.
template <class With>
std::string pragma(With&& with, const std::string& name) {
  std::string out;
  with([&](ash::sqlite::connection& c) {
    sqlite3_stmt* s = c.prepare("PRAGMA " + name);
    if (sqlite3_step(s) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  });
  return out;
}

/// The number of prepared statements alive on a connection.
int statements_on(ash::sqlite::connection& c) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(c.handle(), nullptr); s; s = sqlite3_next_stmt(c.handle(), s)) ++n;
  return n;
}

/// One log entry, copied out of the callback (the entry's views die with it).
struct logged {
  std::string sql;
  std::vector<std::string> params;
  std::chrono::nanoseconds duration;
  std::int64_t rows;
  bool ok;
};

Note note(std::string text, std::int64_t n) {
  Note x;
  x.text = std::move(text);
  x.n = n;
  return x;
}

}  // namespace

TEST_CASE("connections open with WAL, foreign keys, busy_timeout and case-sensitive LIKE") {
  clean_env env;
  test::temp_dir dir;
  Repo repo{{.database = dir.file("pragmas.db"), .pool_size = 2, .busy_timeout = 1234ms}};
  repo.create_table<Note>();
  auto writer = [&](auto&& fn) { repo.with_writer(fn); };
  auto reader = [&](auto&& fn) { repo.with_reader(fn); };
  CHECK(pragma(writer, "journal_mode") == "wal");
  CHECK(pragma(writer, "foreign_keys") == "1");
  CHECK(pragma(writer, "busy_timeout") == "1234");
  CHECK(pragma(writer, "synchronous") == "1");  // NORMAL, safe under WAL
  CHECK(test::scalar_int(repo, "SELECT 'a' LIKE 'A'") == 0);
  CHECK(test::scalar_int(repo, "SELECT 'a' LIKE 'a'") == 1);
  // The pooled readers get the same settings, and really are read-only.
  CHECK(pragma(reader, "journal_mode") == "wal");
  CHECK(pragma(reader, "foreign_keys") == "1");
  CHECK(pragma(reader, "busy_timeout") == "1234");
  bool reader_is_read_only = false;
  bool case_sensitive = false;
  repo.with_reader([&](ash::sqlite::connection& c) {
    reader_is_read_only = sqlite3_db_readonly(c.handle(), "main") == 1;
    sqlite3_stmt* s = c.prepare("SELECT 'a' LIKE 'A'");
    case_sensitive = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0;
    sqlite3_finalize(s);
  });
  CHECK(reader_is_read_only);
  CHECK(case_sensitive);
  // An in-memory database cannot use WAL and keeps its own journal mode.
  Repo memory{{.database = ":memory:"}};
  CHECK(pragma([&](auto&& fn) { memory.with_writer(fn); }, "journal_mode") == "memory");
  CHECK(pragma([&](auto&& fn) { memory.with_writer(fn); }, "foreign_keys") == "1");
}

TEST_CASE("a repo is configured in code and the environment overrides DATABASE_PATH, POOL_SIZE and ASH_LOG_SQL") {
  clean_env env;
  test::temp_dir dir;
  ConfiguredRepo::path = dir.file("from_code.db");
  {
    ConfiguredRepo repo;
    CHECK(repo.settings().database == ConfiguredRepo::path);
    CHECK(repo.settings().pool_size == 3);
    CHECK_FALSE(repo.settings().log_sql);
    repo.create_table<Note>();
  }
  CHECK(std::filesystem::exists(ConfiguredRepo::path));

  SUBCASE("DATABASE_PATH names the file used") {
    env_var path{"DATABASE_PATH", dir.file("from_env.db").c_str()};
    ConfiguredRepo repo;
    CHECK(repo.settings().database == dir.file("from_env.db"));
    repo.create_table<Note>();
    repo.insert(note("here", 1));
    CHECK(std::filesystem::exists(dir.file("from_env.db")));
    CHECK(test::table_exists(repo, "notes"));
    Repo direct{{.database = dir.file("from_env.db")}};
    CHECK(direct.count(ash::query<Note>()) == 1);
  }
  SUBCASE("POOL_SIZE sets the number of readers") {
    env_var pool{"POOL_SIZE", "7"};
    CHECK(ConfiguredRepo{}.settings().pool_size == 7);
    CHECK(Repo{{.database = ":memory:", .pool_size = 1}}.settings().pool_size == 7);
  }
  SUBCASE("POOL_SIZE 0 reads through the writer") {
    env_var pool{"POOL_SIZE", "0"};
    ConfiguredRepo repo;
    CHECK(repo.settings().pool_size == 0);
    repo.insert(note("x", 1));
    CHECK(repo.count(ash::query<Note>()) == 1);
  }
  SUBCASE("a POOL_SIZE that is not a whole number from 0 to 1024 is a clear usage error") {
    for (std::string bad : {"abc", "4x", "-1", "1025", "2.5", "99999999999999999999"}) {
      CAPTURE(bad);
      env_var pool{"POOL_SIZE", bad.c_str()};
      try {
        ConfiguredRepo repo;
        FAIL("a bad POOL_SIZE was accepted");
      } catch (const ash::exception& e) {
        CHECK(e.kind() == ash::error_kind::usage);
        CHECK(e.error().field == "POOL_SIZE");
        CHECK(e.error().message == std::string("must be a whole number from 0 to 1024, got '") + bad + "'");
      }
    }
  }
  SUBCASE("an empty variable is no override") {
    env_var path{"DATABASE_PATH", ""};
    env_var pool{"POOL_SIZE", ""};
    ConfiguredRepo repo;
    CHECK(repo.settings().database == ConfiguredRepo::path);
    CHECK(repo.settings().pool_size == 3);
  }
  SUBCASE("ASH_LOG_SQL switches the log on and off") {
    std::vector<std::string> lines;
    ash::sqlite::config c{.database = ":memory:", .log = [&](const ash::sqlite::log_entry& e) { lines.emplace_back(e.sql); }};
    {
      env_var log{"ASH_LOG_SQL", "1"};
      Repo repo{c};
      CHECK(repo.settings().log_sql);
      repo.create_table<Note>();
      (void)repo.count(ash::query<Note>());
      CHECK_FALSE(lines.empty());
    }
    for (const char* on : {"true", "on", "yes"}) {
      env_var log{"ASH_LOG_SQL", on};
      CHECK(Repo{c}.settings().log_sql);
    }
    lines.clear();
    c.log_sql = true;
    {
      env_var log{"ASH_LOG_SQL", "0"};
      Repo repo{c};
      CHECK_FALSE(repo.settings().log_sql);
      repo.create_table<Note>();
      (void)repo.count(ash::query<Note>());
      CHECK(lines.empty());
    }
  }
}

TEST_CASE("the SQL log receives every statement with its SQL, bound values, rows and duration") {
  clean_env env;
  std::vector<logged> log;
  Repo repo{{.database = ":memory:", .log_sql = true, .log = [&](const ash::sqlite::log_entry& e) {
               logged l{std::string(e.sql), {}, e.duration, e.rows, e.ok};
               for (const auto& p : e.params) l.params.push_back(ash::sqlite::describe_param(p));
               log.push_back(std::move(l));
             }}};
  repo.create_table<Note>();
  // The table and its indexes are created all or nothing, in a transaction.
  REQUIRE(log.size() == 3);
  CHECK(log[0].sql == "BEGIN IMMEDIATE");
  CHECK(log[1].sql.rfind("CREATE TABLE IF NOT EXISTS \"notes\"", 0) == 0);
  CHECK(log[2].sql == "COMMIT");

  log.clear();
  repo.create<Note>(ash::set(f.text, "it's \"here\""), ash::set(f.n, 42));
  REQUIRE(log.size() == 1);
  CHECK(log[0].sql == R"(INSERT INTO "notes" ("text", "n") VALUES (?, ?))");
  CHECK(log[0].params == std::vector<std::string>{"\"it's \"here\"\"", "42"});
  CHECK(log[0].rows == 1);
  CHECK(log[0].ok);
  CHECK(log[0].duration > 0ns);
  CHECK(log[0].duration < 10s);

  log.clear();
  repo.create<Note>(ash::set(f.text, "second"), ash::set(f.n, 7));
  auto found = repo.read(ash::query<Note>().filter(f.n > 5 and f.text != "x").sort(f.n).limit(10));
  CHECK(found.size() == 2);
  REQUIRE(log.size() == 2);
  CHECK(log[1].sql == R"(SELECT "id", "text", "n" FROM "notes" WHERE ("n" > ? AND "text" <> ?) ORDER BY "n" ASC LIMIT ?)");
  CHECK(log[1].params == std::vector<std::string>{"5", "\"x\"", "10"});
  CHECK(log[1].rows == 2);

  SUBCASE("a failing statement is logged as failed") {
    log.clear();
    repo.exec("DROP TABLE notes");
    log.clear();
    CHECK_THROWS_AS(repo.count(ash::query<Note>()), ash::exception);
    REQUIRE(log.size() == 1);
    CHECK_FALSE(log[0].ok);
  }
  SUBCASE("long text is cut in the log, blobs show their size, NULL is NULL") {
    ash::scoped_param p;
    p.set_text_copy(std::string(300, 'x'));
    CHECK(ash::sqlite::describe_param(p) == "\"" + std::string(200, 'x') + "...\" (300 bytes)");
    p.set_blob_copy("abc", 3);
    CHECK(ash::sqlite::describe_param(p) == "<3 bytes>");
    p.set_null();
    CHECK(ash::sqlite::describe_param(p) == "NULL");
    p.set_real(2.5);
    CHECK(ash::sqlite::describe_param(p) == "2.5");
  }
  SUBCASE("log_sql(false) stops the log and log_sql(true) starts it again") {
    repo.log_sql(false);
    log.clear();
    (void)repo.count(ash::query<Note>());
    CHECK(log.empty());
    repo.log_sql(true);
    (void)repo.count(ash::query<Note>());
    CHECK(log.size() == 1);
  }
}

TEST_CASE("a transaction commits when its function returns and rolls back when it throws") {
  clean_env env;
  test::temp_dir dir;
  Repo repo{{.database = dir.file("tx.db")}};
  repo.create_table<Note>();

  auto id = repo.transaction([&] {
    auto a = repo.insert(note("a", 1));
    repo.insert(note("b", 2));
    return a.id;
  });
  CHECK(id == 1);
  CHECK(repo.count(ash::query<Note>()) == 2);

  CHECK_THROWS_WITH_AS(repo.transaction([&] {
    repo.insert(note("c", 3));
    repo.insert(note("d", 4));
    CHECK(repo.count(ash::query<Note>()) == 4);  // reads inside see the transaction's writes
    throw std::runtime_error("changed my mind");
  }),
                       "changed my mind", std::runtime_error);
  CHECK(repo.count(ash::query<Note>()) == 2);
  CHECK(repo.count(ash::query<Note>().filter(f.text == "c")) == 0);

  // A failed statement inside rolls back the work before it too.
  try {
    repo.transaction([&] {
      repo.insert(note("e", 5));
      repo.exec("INSERT INTO notes (id, text, n) VALUES (1, 'duplicate key', 0)");
    });
    FAIL("a duplicate key was accepted");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::unique_violation);
  }
  CHECK(repo.count(ash::query<Note>()) == 2);
  // The connection is usable afterwards, outside any transaction.
  repo.insert(note("f", 6));
  CHECK(repo.count(ash::query<Note>()) == 3);
  bool in_tx = true;
  repo.with_writer([&](ash::sqlite::connection& c) { in_tx = c.in_transaction(); });
  CHECK_FALSE(in_tx);
}

TEST_CASE("nested transactions are savepoints: an inner rollback keeps the outer work") {
  clean_env env;
  test::temp_dir dir;
  std::vector<std::string> statements;
  Repo repo{{.database = dir.file("nested.db"), .log_sql = true,
             .log = [&](const ash::sqlite::log_entry& e) { statements.emplace_back(e.sql); }}};
  repo.create_table<Note>();
  statements.clear();

  repo.transaction([&] {
    repo.insert(note("outer", 1));
    try {
      repo.transaction([&] {
        repo.insert(note("inner", 2));
        CHECK(repo.count(ash::query<Note>()) == 2);
        throw std::runtime_error("inner fails");
      });
    } catch (const std::runtime_error&) {
    }
    CHECK(repo.count(ash::query<Note>()) == 1);
    repo.transaction([&] {
      repo.insert(note("kept", 3));
      repo.transaction([&] { repo.insert(note("deep", 4)); });
    });
  });
  auto texts = repo.read(ash::query<Note>().sort(f.id));
  REQUIRE(texts.size() == 3);
  CHECK(texts[0].text == "outer");
  CHECK(texts[1].text == "kept");
  CHECK(texts[2].text == "deep");

  std::vector<std::string> control;
  for (const auto& s : statements)
    if (s.rfind("INSERT", 0) != 0 && s.rfind("SELECT", 0) != 0) control.push_back(s);
  CHECK(control == std::vector<std::string>{"BEGIN IMMEDIATE", "SAVEPOINT ash_sp_1", "ROLLBACK TO ash_sp_1; RELEASE ash_sp_1",
                                            "SAVEPOINT ash_sp_1", "SAVEPOINT ash_sp_2", "RELEASE ash_sp_2",
                                            "RELEASE ash_sp_1", "COMMIT"});
}

TEST_CASE("other threads do not see a transaction's writes until it commits") {
  clean_env env;
  test::temp_dir dir;
  Repo repo{{.database = dir.file("isolation.db"), .pool_size = 2}};
  repo.create_table<Note>();
  repo.insert(note("before", 0));
  std::int64_t seen_inside = -1, seen_outside = -1;
  repo.transaction([&] {
    repo.insert(note("during", 1));
    seen_inside = repo.count(ash::query<Note>());
    std::thread other([&] { seen_outside = repo.count(ash::query<Note>()); });
    other.join();
  });
  CHECK(seen_inside == 2);
  CHECK(seen_outside == 1);
  CHECK(repo.count(ash::query<Note>()) == 2);
}

TEST_CASE("many threads read and write one WAL database through the pool without errors") {
  clean_env env;
  test::temp_dir dir;
  Repo repo{{.database = dir.file("threads.db"), .pool_size = 4}};
  repo.create_table<Note>();
  constexpr int threads = 8, per_thread = 60;
  std::atomic<int> errors{0};
  std::mutex failure_mutex;
  std::string failure;
  std::atomic<std::int64_t> reads{0};
  std::vector<std::thread> pool;
  for (int th = 0; th < threads; ++th) {
    pool.emplace_back([&, th] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          if (i % 3 == 0) {
            repo.transaction([&] {
              repo.create<Note>(ash::set(f.text, "tx"), ash::set(f.n, th * 1000 + i));
            });
          } else {
            repo.create<Note>(ash::set(f.text, "plain"), ash::set(f.n, th * 1000 + i));
          }
          auto mine = repo.count(ash::query<Note>().filter(f.n >= th * 1000 and f.n < th * 1000 + 1000));
          if (mine != i + 1) ++errors;
          reads += static_cast<std::int64_t>(repo.read(ash::query<Note>().filter(f.n == th * 1000 + i)).size());
        }
      } catch (const std::exception& e) {
        ++errors;
        std::lock_guard lock(failure_mutex);
        failure = e.what();
      }
    });
  }
  for (auto& t : pool) t.join();
  CAPTURE(failure);
  CHECK(errors == 0);
  CHECK(reads == threads * per_thread);
  CHECK(repo.count(ash::query<Note>()) == threads * per_thread);
  CHECK(test::scalar_int(repo, "SELECT count(DISTINCT n) FROM notes") == threads * per_thread);
  CHECK(test::scalar_int(repo, "SELECT max(id) FROM notes") == threads * per_thread);
}

TEST_CASE("the same query shape reuses one prepared statement, and its SQL is registered once") {
  clean_env env;
  Repo repo{{.database = ":memory:"}};  // in memory: every statement runs on the writer
  repo.create_table<Note>();
  repo.insert(note("a", 1));
  int before = 0, after_first = 0, after_second = 0, after_other = 0;
  repo.with_writer([&](ash::sqlite::connection& c) { before = statements_on(c); });

  auto registered = [] {
    auto& r = ash::sqlite::detail::statement_registry::instance();
    std::lock_guard lock(r.mutex);
    return r.next - 1;
  };
  auto ids_before = registered();

  CHECK(repo.read(ash::query<Note>().filter(f.text == "a" and f.n > 0)).size() == 1);
  repo.with_writer([&](ash::sqlite::connection& c) { after_first = statements_on(c); });
  CHECK(after_first == before + 1);

  // Other values, same shape: the same statement, re-bound.
  for (int i = 0; i < 10; ++i)
    CHECK(repo.read(ash::query<Note>().filter(f.text == std::to_string(i) and f.n > i)).empty());
  repo.with_writer([&](ash::sqlite::connection& c) { after_second = statements_on(c); });
  CHECK(after_second == after_first);

  // Another shape: one more statement.
  CHECK(repo.read(ash::query<Note>().filter(f.text == "a" or f.n > 0)).size() == 1);
  repo.with_writer([&](ash::sqlite::connection& c) { after_other = statements_on(c); });
  CHECK(after_other == after_second + 1);

  // A text is registered once, on its first run: running it again, or registering the same
  // text again, adds no id.
  const auto ids_after = registered();
  CHECK(ids_after <= ids_before + 2);  // at most the two shapes run above were new
  using Q = decltype(ash::query<Note>().filter(f.text == "a" and f.n > 0));
  auto& text = ash::sqlite::detail::text_slot<ash::sql::select_sql<Q>>::text;
  CHECK(text.id() != 0);
  CHECK(ash::sqlite::detail::register_statement(ash::sql::select_sql<Q>.view()) == text.id());
  CHECK(repo.read(ash::query<Note>().filter(f.text == "b" and f.n > 3)).empty());
  CHECK(registered() == ids_after);

  // A shape no other test runs gets its id when it first runs, not before (nothing is registered
  // at static initialisation), and only once.
  auto unique_shape = [&] { return repo.read(ash::query<Note>().filter(f.n >= 7 and f.n <= 9 and f.text != "x")); };
  CHECK(unique_shape().empty());
  CHECK(registered() == ids_after + 1);
  CHECK(unique_shape().empty());
  CHECK(registered() == ids_after + 1);

  // Writes too: creating twice prepares the INSERT once.
  repo.create<Note>(ash::set(f.text, "b"), ash::set(f.n, 2));
  int after_insert = 0, after_insert_again = 0;
  repo.with_writer([&](ash::sqlite::connection& c) { after_insert = statements_on(c); });
  repo.create<Note>(ash::set(f.text, "c"), ash::set(f.n, 3));
  repo.with_writer([&](ash::sqlite::connection& c) { after_insert_again = statements_on(c); });
  CHECK(after_insert_again == after_insert);
}
