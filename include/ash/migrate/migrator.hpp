#pragma once
/// \file
/// The migrator: applies and rolls back migration files, recording versions in
/// `schema_migrations(version INTEGER PRIMARY KEY, inserted_at TEXT)`.
///
/// Each migration runs in its own `BEGIN IMMEDIATE` transaction; a failure rolls it back, so
/// the database is exactly as before, and throws an `ash::exception` (kind migration) naming
/// the file, the statement and SQLite's message. A migration marked `-- ash: foreign_keys=off`
/// (a table rebuild) runs with foreign key enforcement off — set before BEGIN, because the
/// pragma is a no-op inside a transaction — and `legacy_alter_table=ON`, so that renaming the
/// rebuilt table neither rewrites nor re-validates other tables, views and triggers; any
/// `PRAGMA foreign_key_check` row fails the migration before commit. A deferred foreign key
/// that fails at COMMIT fails the migration too, naming the tables `PRAGMA foreign_key_check`
/// finds. A file holding a NUL byte is refused before its transaction begins.

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ash/core/error.hpp"
#include "ash/migrate/migration_file.hpp"
#include "ash/sqlite/connection.hpp"

namespace ash::migrate {

/// Receives one line of progress ("== 20240101120000 create_tickets: up") or one SQL statement.
using line_sink = std::function<void(std::string_view)>;

/// Options of `migrate`.
struct migrate_options {
  std::vector<std::filesystem::path> paths;  ///< migration directories, merged by version
  std::optional<int> step;                   ///< apply at most this many pending migrations
  std::optional<std::int64_t> to;            ///< apply pending migrations up to this version
  bool strict_version_order = false;         ///< refuse a pending migration older than the newest applied
  line_sink log_sql;                         ///< each statement, as it runs
  line_sink progress;                        ///< one line per migration
};

/// Options of `rollback`.
struct rollback_options {
  std::vector<std::filesystem::path> paths;
  std::optional<int> step;         ///< roll back this many (default 1)
  std::optional<std::int64_t> to;  ///< roll back every applied migration newer than or equal to this version
  bool all = false;                ///< roll back everything
  line_sink log_sql;
  line_sink progress;
};

/// One migration as `status` sees it.
struct migration_status {
  std::int64_t version = 0;
  std::string name;  ///< from the file, or "** NO FILE **" when the file is gone
  bool applied = false;
};

namespace detail {

inline void ensure_migrations_table(sqlite::connection& c) {
  c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, inserted_at TEXT)");
}

inline std::set<std::int64_t> applied_versions(sqlite::connection& c) {
  std::set<std::int64_t> out;
  sqlite3_stmt* s = c.prepare("SELECT version FROM schema_migrations");
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.insert(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) c.throw_error(rc, "SELECT version FROM schema_migrations");
  return out;
}

inline bool applied_table_exists(sqlite::connection& c) {
  sqlite3_stmt* s = c.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) c.throw_error(rc, "SELECT FROM sqlite_schema");
  return rc == SQLITE_ROW;
}

inline int pragma_value(sqlite::connection& c, const char* pragma) {
  sqlite3_stmt* s = c.prepare(std::string("PRAGMA ") + pragma);
  int value = 0;
  if (sqlite3_step(s) == SQLITE_ROW) value = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  return value;
}

inline bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

/// `sql` without the whitespace and comments before its first token.
inline std::string_view skip_leading_comments(std::string_view sql) {
  for (;;) {
    const auto start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    sql.remove_prefix(start);
    if (sql.substr(0, 2) == "--") {
      const auto nl = sql.find('\n');
      sql.remove_prefix(nl == std::string_view::npos ? sql.size() : nl);
    } else if (sql.substr(0, 2) == "/*") {
      const auto close = sql.find("*/");
      sql.remove_prefix(close == std::string_view::npos ? sql.size() : close + 2);
    } else {
      return sql;
    }
  }
}

/// A migration failure: what, where, and SQLite's words.
[[noreturn]] inline void migration_failed(const migration_file& m, std::string_view direction,
                                          std::string_view statement, const std::string& message, int code = 0) {
  ash::error e;
  e.kind = error_kind::migration;
  e.message = "migration " + m.path.string() + " (" + std::string(direction) + ") failed: " + message;
  e.sqlite_code = code;
  e.sql = std::string(skip_leading_comments(statement));  // describe() prints it as "[in: ...]"
  throw ash::exception(std::move(e));
}

/// Runs every statement of `sql` in order, preparing each only after the previous one ran (a
/// statement may use a table the previous one created), and splitting where SQLite's parser
/// ends each statement.
inline void run_script(sqlite::connection& c, const migration_file& m, std::string_view direction,
                       const std::string& sql, const line_sink& log_sql) {
  const char* tail = sql.c_str();
  const char* end = sql.c_str() + sql.size();
  while (tail < end) {
    const char* start = tail;
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(c.handle(), start, static_cast<int>(end - start), &s, &tail);
    if (rc != SQLITE_OK) {
      std::string text(start, static_cast<std::size_t>(end - start));
      text.erase(0, text.find_first_not_of(" \t\r\n"));
      auto cut = text.find(';');
      migration_failed(m, direction, cut == std::string::npos ? text : text.substr(0, cut + 1),
                       sqlite3_errmsg(c.handle()), sqlite3_extended_errcode(c.handle()));
    }
    if (tail == start) {
      // SQLite consumed nothing, as at a NUL byte, where it stops reading: preparing again from
      // the same place would loop forever inside the migration's write transaction.
      sqlite3_finalize(s);
      const std::string at = "byte offset " + std::to_string(start - sql.c_str()) + " of the " + std::string(direction) +
                             " section";
      migration_failed(m, direction, "",
                       *start == '\0' ? "SQLite stopped reading at a NUL byte at " + at
                                       : "SQLite's parser consumed nothing at " + at + "; stopping instead of looping");
    }
    if (!s) continue;  // whitespace or comments only
    std::string text(start, static_cast<std::size_t>(tail - start));
    text.erase(0, std::min(text.size(), text.find_first_not_of(" \t\r\n")));
    if (log_sql) log_sql(skip_leading_comments(text));
    const bool fk_check = starts_with_ci(skip_leading_comments(text), "PRAGMA foreign_key_check");
    std::string violation;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (fk_check && violation.empty()) {
        auto col = [&](int i) {
          const unsigned char* v = sqlite3_column_text(s, i);
          return v ? std::string(reinterpret_cast<const char*>(v)) : std::string("NULL");
        };
        violation = "foreign key check failed: row " + col(1) + " of table " + col(0) + " references a missing row of " +
                    col(2);
      }
    }
    if (rc != SQLITE_DONE) {
      const std::string message = sqlite3_errmsg(c.handle());
      const int code = sqlite3_extended_errcode(c.handle());
      sqlite3_finalize(s);
      migration_failed(m, direction, text, message, code);
    }
    sqlite3_finalize(s);
    if (!violation.empty()) migration_failed(m, direction, text, violation);
  }
}

/// What `PRAGMA foreign_key_check` finds, one clause per table and parent it names:
/// "table child has 2 rows that reference missing rows of parent".
inline std::string foreign_key_violations(sqlite::connection& c) {
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  sqlite3_stmt* s = c.prepare("PRAGMA foreign_key_check");
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto col = [&](int i) {
      const unsigned char* v = sqlite3_column_text(s, i);
      return v ? std::string(reinterpret_cast<const char*>(v)) : std::string("NULL");
    };
    ++counts[{col(0), col(2)}];
  }
  sqlite3_finalize(s);
  if (counts.empty()) return "PRAGMA foreign_key_check names no table";
  std::string out;
  for (const auto& [tables, n] : counts) {
    if (!out.empty()) out += "; ";
    out += "table " + tables.first + " has " + std::to_string(n) + (n == 1 ? " row that references" : " rows that reference") +
           " missing rows of " + tables.second;
  }
  return out;
}

/// Commits a migration's transaction. A deferred foreign key (`DEFERRABLE INITIALLY DEFERRED`,
/// `PRAGMA defer_foreign_keys=ON`) is checked by the COMMIT itself, which then fails and leaves
/// the transaction open: the failure is the migration's, reported with the tables that
/// `PRAGMA foreign_key_check` finds, and the caller rolls the transaction back.
inline void commit_migration(sqlite::connection& c, const migration_file& m, std::string_view direction) {
  try {
    c.exec("COMMIT");
  } catch (const ash::exception& e) {
    if (e.error().sqlite_code != SQLITE_CONSTRAINT_FOREIGNKEY || !c.in_transaction())
      migration_failed(m, direction, "COMMIT", e.error().message, e.error().sqlite_code);
    migration_failed(m, direction, "COMMIT",
                     "its foreign key check failed at COMMIT (a deferred foreign key): " + foreign_key_violations(c),
                     e.error().sqlite_code);
  }
}

/// Applies (`up`) or reverts one migration in its own transaction; see the file comment.
inline void run_migration(sqlite::connection& c, const migration_file& m, bool up, const line_sink& log_sql) {
  const std::string direction = up ? "up" : "down";
  const migration_sql parsed = parse_migration(read_text_file(m.path), m.path.string());
  const bool fk_off = parsed.foreign_keys_off;
  const int foreign_keys_before = pragma_value(c, "foreign_keys");
  const int legacy_before = pragma_value(c, "legacy_alter_table");
  auto restore = [&] {
    if (!fk_off) return;
    sqlite3_exec(c.handle(), foreign_keys_before ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF", nullptr, nullptr,
                 nullptr);
    sqlite3_exec(c.handle(), legacy_before ? "PRAGMA legacy_alter_table=ON" : "PRAGMA legacy_alter_table=OFF", nullptr,
                 nullptr, nullptr);
  };
  if (fk_off) c.exec("PRAGMA foreign_keys=OFF; PRAGMA legacy_alter_table=ON");
  try {
    c.exec("BEGIN IMMEDIATE");
  } catch (const ash::exception& e) {
    restore();
    migration_failed(m, direction, "BEGIN IMMEDIATE", e.error().message, e.error().sqlite_code);
  }
  try {
    run_script(c, m, direction, up ? parsed.up : parsed.down, log_sql);
    const std::string record =
        up ? "INSERT INTO schema_migrations (version, inserted_at) VALUES (" + std::to_string(m.version) +
                 ", strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
           : "DELETE FROM schema_migrations WHERE version = " + std::to_string(m.version);
    try {
      c.exec(record);
    } catch (const ash::exception& e) {
      migration_failed(m, direction, record, e.error().message, e.error().sqlite_code);
    }
    commit_migration(c, m, direction);
  } catch (...) {
    if (c.in_transaction()) sqlite3_exec(c.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    restore();
    throw;
  }
  restore();
}

inline std::string label(const migration_file& m) { return std::to_string(m.version) + " " + m.name; }

}  // namespace detail

/// Applies pending migrations (all by default; `step` or `to` limit them) in version order, and
/// returns the versions applied. Throws `ash::exception` (kind migration) on the first failure;
/// migrations applied before it stay applied.
inline std::vector<std::int64_t> migrate(sqlite::connection& c, const migrate_options& opts) {
  const auto files = list_migrations(opts.paths);
  detail::ensure_migrations_table(c);
  const auto applied = detail::applied_versions(c);
  const std::int64_t newest_applied = applied.empty() ? 0 : *applied.rbegin();
  std::vector<const migration_file*> pending;
  for (const auto& m : files)
    if (!applied.count(m.version) && (!opts.to || m.version <= *opts.to)) pending.push_back(&m);
  if (opts.strict_version_order)
    for (const auto* m : pending)
      if (m->version < newest_applied)
        detail::fail("migration " + m->path.string() + " is older than the newest applied migration (" +
                     std::to_string(newest_applied) + "); refusing to apply it with --strict-version-order");
  if (opts.step) pending.resize(std::min(pending.size(), static_cast<std::size_t>(std::max(*opts.step, 0))));
  std::vector<std::int64_t> done;
  for (const auto* m : pending) {
    if (opts.progress) opts.progress("== " + detail::label(*m) + ": migrating");
    detail::run_migration(c, *m, true, opts.log_sql);
    done.push_back(m->version);
  }
  return done;
}

/// Reverts applied migrations, newest first: one by default, `step` of them, those down to
/// version `to` (inclusive), or `all`. Returns the versions reverted. An applied version with
/// no file throws `ash::exception` (kind migration) before anything runs.
inline std::vector<std::int64_t> rollback(sqlite::connection& c, const rollback_options& opts) {
  const auto files = list_migrations(opts.paths);
  std::set<std::int64_t> applied;
  if (detail::applied_table_exists(c)) applied = detail::applied_versions(c);
  std::vector<std::int64_t> targets(applied.rbegin(), applied.rend());
  if (opts.to) targets.erase(std::remove_if(targets.begin(), targets.end(), [&](auto v) { return v < *opts.to; }), targets.end());
  else if (!opts.all) targets.resize(std::min(targets.size(), static_cast<std::size_t>(std::max(opts.step.value_or(1), 0))));
  std::vector<const migration_file*> run;
  for (auto v : targets) {
    auto it = std::find_if(files.begin(), files.end(), [&](const auto& m) { return m.version == v; });
    if (it == files.end())
      detail::fail("cannot roll back version " + std::to_string(v) + ": no migration file has that version");
    run.push_back(&*it);
  }
  std::vector<std::int64_t> done;
  for (const auto* m : run) {
    if (opts.progress) opts.progress("== " + detail::label(*m) + ": rolling back");
    detail::run_migration(c, *m, false, opts.log_sql);
    done.push_back(m->version);
  }
  return done;
}

/// Every migration, applied or not, in version order (applied versions without a file too).
inline std::vector<migration_status> status(sqlite::connection& c, const std::vector<std::filesystem::path>& paths) {
  const auto files = list_migrations(paths);
  std::set<std::int64_t> applied;
  if (detail::applied_table_exists(c)) applied = detail::applied_versions(c);
  std::vector<migration_status> out;
  for (const auto& m : files) out.push_back({m.version, m.name, applied.count(m.version) > 0});
  for (auto v : applied)
    if (std::none_of(files.begin(), files.end(), [&](const auto& m) { return m.version == v; }))
      out.push_back({v, "** NO FILE **", true});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

/// `migrate` on the database file at `path` (opened with the connection's safe defaults).
inline std::vector<std::int64_t> migrate(const std::string& path, const migrate_options& opts) {
  sqlite::connection c(path);
  return migrate(c, opts);
}

/// `rollback` on the database file at `path`.
inline std::vector<std::int64_t> rollback(const std::string& path, const rollback_options& opts) {
  sqlite::connection c(path);
  return rollback(c, opts);
}

/// `status` of the database file at `path`.
inline std::vector<migration_status> status(const std::string& path, const std::vector<std::filesystem::path>& paths) {
  sqlite::connection c(path);
  return status(c, paths);
}

}  // namespace ash::migrate
