// Processes: two processes writing one file, and a crash loop that kills a writing child with
// SIGKILL at random moments; the file stays intact and keeps every acknowledged commit.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "support.hpp"

using namespace rel;
using namespace std::chrono_literals;

namespace {

/// Commits entries `1..count` (count < 0: until killed) of `writer` into `path`, each in a
/// transaction with a row of `marks` that refers to it; writes each committed seq to `ack`.
[[noreturn]] void child_writer(const std::string& path, std::int64_t writer, std::int64_t count, int ack) {
  int status = 0;
  try {
    Repo repo({.database = path, .pool_size = 1});
    for (std::int64_t seq = 1; count < 0 || seq <= count;) {
      try {
        repo.transaction([&] {
          auto entry = repo.insert(Entry{0, writer, seq, seq, "from a child process"});
          repo.exec("INSERT INTO marks (entry_id) VALUES (" + std::to_string(entry.id) + ")");
        });
      } catch (const ash::exception& ex) {
        if (ex.kind() == ash::error_kind::busy) continue;  // the other process held the lock too long
        throw;
      }
      if (ack >= 0 && write(ack, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) _exit(4);
      if (seq % 7 == 0) (void)repo.read(ash::query<Entry>().filter(e.writer == writer).sort(ash::desc(e.seq)).limit(3));
      ++seq;
    }
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "child %lld: %s\n", static_cast<long long>(writer), ex.what());
    status = 2;
  }
  _exit(status);
}

void make_schema(const std::string& path) {
  Repo repo({.database = path});
  repo.create_table<Entry>();
  repo.exec("CREATE TABLE marks (entry_id INTEGER NOT NULL REFERENCES entries (id))");
}

void check_intact(Repo& repo) {
  CHECK(test::scalar_text(repo, "PRAGMA integrity_check") == "ok");
  CHECK(test::rows(repo, "PRAGMA foreign_key_check").empty());
  CHECK(test::scalar_int(repo, "SELECT count(*) FROM marks") == test::scalar_int(repo, "SELECT count(*) FROM entries"));
}

}  // namespace

TEST_CASE("two processes writing one file lose and duplicate nothing") {
  test::temp_dir dir;
  const std::string path = dir.file("two.db");
  make_schema(path);
  const std::int64_t count = 150 * soak_factor();
  pid_t children[2];
  for (int w = 0; w < 2; ++w) {
    children[w] = fork();
    REQUIRE(children[w] >= 0);
    if (children[w] == 0) child_writer(path, w + 1, count, -1);
  }
  for (pid_t child : children) {
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  Repo repo({.database = path});
  std::string problem;
  CHECK(check_ledger(repo, 2, &problem) == 2 * count);
  CHECK(problem == "");
  check_intact(repo);
}

TEST_CASE("a writer killed with SIGKILL at random moments: the file is intact and keeps every acknowledged commit") {
  test::temp_dir dir;
  const std::string path = dir.file("crash.db");
  make_schema(path);
  std::mt19937 random(20261202);
  const int rounds = 20 * soak_factor();
  std::int64_t acknowledged_total = 0, stored_total = 0;
  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      child_writer(path, round, -1, fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + random() % 60));
    kill(child, SIGKILL);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    std::int64_t last = 0, seq = 0;
    while (read(fds[0], &seq, sizeof seq) == static_cast<ssize_t>(sizeof seq)) last = seq;
    close(fds[0]);

    Repo repo({.database = path});
    check_intact(repo);
    const auto stored = test::scalar_int(repo, "SELECT count(*) FROM entries WHERE writer = " + std::to_string(round));
    // Every acknowledged commit is there; at most the one in flight when the kill came as well.
    CHECK(stored >= last);
    CHECK(stored <= last + 1);
    std::string problem;
    CHECK(check_ledger(repo, round, &problem) >= 0);
    CHECK(problem == "");
    acknowledged_total += last;
    stored_total += stored;
  }
  MESSAGE("crash loop: ", rounds, " kills, ", acknowledged_total, " acknowledged commits, ", stored_total, " stored");
  CHECK(acknowledged_total > 0);
}
