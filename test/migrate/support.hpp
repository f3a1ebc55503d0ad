#pragma once
// Helpers shared by the migration tests: temporary directories, example tables, and a dump
// of a database's schema for before/after comparisons.

#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ash/core/error.hpp"

#include "ash/core/schema.hpp"
#include "ash/sqlite/connection.hpp"

namespace test_support {

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("ash_migrate_test_" + std::to_string(rd()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

inline ash::schema::attribute column(std::string source, std::string type, bool allow_nil = true) {
  ash::schema::attribute a;
  a.source = std::move(source);
  a.type = std::move(type);
  a.allow_nil = allow_nil;
  return a;
}

inline ash::schema::attribute id_column() {
  auto a = column("id", "bigint", false);
  a.primary_key = true;
  a.generated = true;
  return a;
}

inline ash::schema::attribute reference_column(std::string source, std::string table,
                                               std::optional<std::string> on_delete = std::nullopt) {
  auto a = column(std::move(source), "bigint");
  ash::schema::reference r;
  r.table = std::move(table);
  r.on_delete = std::move(on_delete);
  a.references = r;
  return a;
}

/// representatives(id, name NOT NULL)
inline ash::schema::table representatives() {
  ash::schema::table t;
  t.name = "representatives";
  t.repo = "repo";
  t.attributes = {id_column(), column("name", "text", false)};
  return t;
}

/// tickets(id, subject NOT NULL, status DEFAULT 'open', representative_id -> representatives)
inline ash::schema::table tickets() {
  ash::schema::table t;
  t.name = "tickets";
  t.repo = "repo";
  auto status = column("status", "text", false);
  status.default_sql = "'open'";
  t.attributes = {id_column(), column("subject", "text", false), status,
                  reference_column("representative_id", "representatives", "nilify")};
  return t;
}

/// One line per schema object ("type name: sql"), sorted, without SQLite's own tables and
/// schema_migrations: equal dumps mean equal schemas.
inline std::vector<std::string> schema_dump(ash::sqlite::connection& c) {
  std::vector<std::string> out;
  sqlite3_stmt* s = c.prepare(
      "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' "
      "ORDER BY type, name");
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto text = [&](int i) {
      auto* v = sqlite3_column_text(s, i);
      return v ? std::string(reinterpret_cast<const char*>(v)) : std::string("NULL");
    };
    out.push_back(text(0) + " " + text(1) + ": " + text(2));
  }
  sqlite3_finalize(s);
  return out;
}

/// The rows of a query, each as its columns joined by "|".
inline std::vector<std::string> rows(ash::sqlite::connection& c, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* s = c.prepare(sql);
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      if (i) row += '|';
      auto* v = sqlite3_column_text(s, i);
      row += v ? reinterpret_cast<const char*>(v) : "NULL";
    }
    out.push_back(row);
  }
  sqlite3_finalize(s);
  return out;
}

/// The bytes of a file, or "" when it does not exist.
inline std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// How `in_child` ended: in time or not, and the `what()` of the `ash::exception` it threw.
struct child_outcome {
  bool finished = false;  ///< false: still running at the deadline, so it was killed
  bool threw = false;     ///< it threw an `ash::exception`
  std::string message;    ///< that exception's `what()`
};

/// Runs `body` in a forked child process and waits for it at most `timeout`, so that a test of
/// a code path that used to loop forever fails instead of hanging the suite. The child reports
/// the `ash::exception` it throws through a pipe; anything else it throws ends it unfinished.
inline child_outcome in_child(const std::function<void()>& body, std::chrono::seconds timeout = std::chrono::seconds(10)) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    std::string message;
    try {
      body();
    } catch (const ash::exception& e) {
      message = e.what();
      code = 1;
    } catch (...) {
      ::_exit(3);
    }
    std::size_t done = 0;
    while (done < message.size()) {
      const auto n = ::write(fds[1], message.data() + done, message.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(code);
  }
  ::close(fds[1]);
  child_outcome out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool eof = false;
  while (!eof) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    char buf[4096];
    const auto n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) out.message.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) eof = true;
  }
  ::close(fds[0]);
  if (!eof) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.finished = eof && WIFEXITED(status) && WEXITSTATUS(status) <= 1;
  out.threw = out.finished && WEXITSTATUS(status) == 1;
  return out;
}

}  // namespace test_support
