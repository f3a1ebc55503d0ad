#pragma once
/// \file
/// One SQLite connection with safe defaults, prepared-statement slots, binding and error mapping.
///
/// A connection is used by one thread at a time (the repo guarantees it), so it is opened with
/// `SQLITE_OPEN_NOMUTEX`: SQLite's per-call mutex would only add cost.

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ash/core/error.hpp"
#include "ash/core/param.hpp"
#include "ash/sqlite/statement_registry.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/clock.hpp"

namespace ash::sqlite {

/// How to open a connection.
struct open_options {
  bool read_only = false;
  std::chrono::milliseconds busy_timeout{5000};
  bool wal = true;  ///< journal_mode=WAL (ignored for in-memory databases)
};

/// One statement as the debug log sees it.
struct log_entry {
  std::string_view sql;
  std::span<const param> params;
  std::chrono::nanoseconds duration{};
  std::int64_t rows = 0;  ///< rows returned, or rows changed for writes
  bool ok = true;
};

/// Receives every statement when logging is on: holds any copyable callable taking a
/// `const log_entry&` (a lambda, a function pointer, a `std::function`). Empty by default.
///
/// A small `std::function` of its own: `<functional>` would cost every translation unit that
/// includes the repo the parsing of its searchers and hash tables.
class logger {
 public:
  logger() noexcept = default;
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, logger> && std::is_invocable_v<std::decay_t<F>&, const log_entry&>)
  logger(F&& f) : fn_(new std::decay_t<F>(std::forward<F>(f))), ops_(&ops_for<std::decay_t<F>>) {}
  logger(const logger& o) : fn_(o.fn_ ? o.ops_->clone(o.fn_) : nullptr), ops_(o.ops_) {}
  logger(logger&& o) noexcept : fn_(std::exchange(o.fn_, nullptr)), ops_(std::exchange(o.ops_, nullptr)) {}
  logger& operator=(logger o) noexcept {
    std::swap(fn_, o.fn_);
    std::swap(ops_, o.ops_);
    return *this;
  }
  ~logger() {
    if (fn_) ops_->destroy(fn_);
  }

  explicit operator bool() const noexcept { return fn_ != nullptr; }
  /// Calls the held callable; the logger must not be empty.
  void operator()(const log_entry& e) const { ops_->call(fn_, e); }

 private:
  struct ops {
    void (*call)(void*, const log_entry&);
    void* (*clone)(const void*);
    void (*destroy)(void*) noexcept;
  };
  template <class F>
  static constexpr ops ops_for{
      [](void* f, const log_entry& e) { (*static_cast<F*>(f))(e); },
      [](const void* f) -> void* { return new F(*static_cast<const F*>(f)); },
      [](void* f) noexcept { delete static_cast<F*>(f); },
  };

  void* fn_ = nullptr;
  const ops* ops_ = nullptr;
};

/// Whether `path` names an in-memory database (":memory:", "", or a `mode=memory` URI).
ASH_ONCE inline bool is_memory_path(std::string_view path) {
  return path.empty() || path == ":memory:" || path.find("mode=memory") != std::string_view::npos;
}

/// Turns an SQLite failure into an `ash::error`, naming the column where SQLite's message does.
///
/// SQLite reports "UNIQUE constraint failed: t.c1, t.c2" and "NOT NULL constraint failed: t.c";
/// the first column becomes the error's field.
namespace detail {
/// Sets the resource and field of `e` from SQLite's "<prefix>t.c1, t.c2" message, if it is one.
ASH_COLD inline void name_column(ash::error& e, std::string_view prefix) {
  std::string_view m = e.message;
  if (m.substr(0, prefix.size()) != prefix) return;
  m.remove_prefix(prefix.size());
  m = m.substr(0, m.find(','));
  const std::size_t dot = m.find('.');
  if (dot == std::string_view::npos) return;
  e.resource.assign(m.data(), dot);
  e.field.assign(m.data() + dot + 1, m.size() - dot - 1);
}
}  // namespace detail

ASH_COLD inline ash::error error_from_sqlite(sqlite3* db, int rc, std::string_view sql) {
  ash::error e;
  e.sqlite_code = db ? sqlite3_extended_errcode(db) : rc;
  e.message.assign(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  e.sql.assign(sql.data(), sql.size());
  switch (e.sqlite_code & 0xff) {
    case SQLITE_CONSTRAINT:
      if (e.sqlite_code == SQLITE_CONSTRAINT_UNIQUE || e.sqlite_code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        e.kind = error_kind::unique_violation;
        detail::name_column(e, "UNIQUE constraint failed: ");
        e.message.assign("has already been taken");
      } else if (e.sqlite_code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        e.kind = error_kind::foreign_key_violation;
        e.message.assign("referenced something that does not exist, or would leave records behind");
      } else {
        e.kind = error_kind::constraint;
        if (e.sqlite_code == SQLITE_CONSTRAINT_NOTNULL) {
          detail::name_column(e, "NOT NULL constraint failed: ");
          e.message.assign("must not be null");
        }
      }
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: e.kind = error_kind::busy; break;
    default: e.kind = error_kind::database; break;
  }
  return e;
}

/// Binds `params` to `stmt` as parameters 1..n. Text and blobs marked borrowed are not copied.
///
/// Returns SQLITE_OK or the first failing result code; the statement is left for reset.
inline int bind_params(sqlite3_stmt* stmt, std::span<const param> params) noexcept {
  int i = 1;
  for (const param& p : params) {
    int rc;
    switch (p.kind()) {
      case storage_class::integer: rc = sqlite3_bind_int64(stmt, i, p.as_int()); break;
      case storage_class::real: rc = sqlite3_bind_double(stmt, i, p.as_real()); break;
      case storage_class::text:
        rc = sqlite3_bind_text64(stmt, i, p.data(), p.size(), SQLITE_STATIC, SQLITE_UTF8);
        break;
      case storage_class::blob:
        rc = sqlite3_bind_blob64(stmt, i, p.size() ? p.data() : "", p.size(), SQLITE_STATIC);
        break;
      default: rc = sqlite3_bind_null(stmt, i); break;
    }
    if (rc != SQLITE_OK) return rc;
    ++i;
  }
  return SQLITE_OK;
}

/// An open SQLite connection. Move-only; closes on destruction.
class connection {
 public:
  /// Opens `path` (a file, ":memory:", or a `file:` URI) and applies the safe defaults:
  /// WAL (files only), foreign_keys=ON, busy_timeout, case_sensitive_like=ON,
  /// synchronous=NORMAL under WAL. Throws `ash::exception` if the file cannot be opened.
  ASH_ONCE connection(const std::string& path, const open_options& opts = {}) : path_(path) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    flags |= opts.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.empty() ? ":memory:" : path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) open_failed(rc);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(opts.busy_timeout.count()));
    if (opts.wal && !opts.read_only && !is_memory_path(path)) exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON");
  }

  connection(connection&& o) noexcept
      : db_(std::exchange(o.db_, nullptr)), path_(std::move(o.path_)), slots_(std::exchange(o.slots_, nullptr)),
        slot_count_(std::exchange(o.slot_count_, 0)), logger_(std::move(o.logger_)) {}
  connection& operator=(connection&& o) noexcept {
    if (this != &o) {
      close();
      db_ = std::exchange(o.db_, nullptr);
      path_ = std::move(o.path_);
      slots_ = std::exchange(o.slots_, nullptr);
      slot_count_ = std::exchange(o.slot_count_, 0);
      logger_ = std::move(o.logger_);
    }
    return *this;
  }
  ~connection() { close(); }

  sqlite3* handle() const noexcept { return db_; }
  const std::string& path() const noexcept { return path_; }

  /// Runs one or more statements with no parameters and no result rows.
  /// Throws `ash::exception` with SQLite's message and the text on failure.
  ASH_COLD void exec(std::string_view sql) {
    std::string text(sql);
    char* msg = nullptr;
    auto start = std::chrono::steady_clock::now();
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
    sqlite3_free(msg);
    if (logger_) log(sql, {}, start, sqlite3_changes64(db_), rc == SQLITE_OK);
    if (rc != SQLITE_OK) throw_error(rc, sql);
  }

  /// The prepared statement of `text`, prepared on first use on this connection, reset and
  /// ready to bind. Throws (and logs the failure) if its SQL does not compile.
  sqlite3_stmt* slot(statement_text& text) {
    const std::uint32_t id = text.id();
    if (id < slot_count_ && slots_[id]) [[likely]]
      return slots_[id];
    return prepare_slot(id, text.sql);
  }

  /// Prepares a statement the caller owns (finalise with `sqlite3_finalize`).
  sqlite3_stmt* prepare(std::string_view sql, unsigned flags = 0) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &s, nullptr);
    if (rc != SQLITE_OK) throw_error(rc, sql);
    return s;
  }

  /// Finalises every cached statement (needed before the schema changes under them is not:
  /// SQLite re-prepares; this is for closing and for tests).
  void clear_slots() noexcept {
    for (std::size_t i = 0; i < slot_count_; ++i) {
      if (slots_[i]) sqlite3_finalize(slots_[i]);
      slots_[i] = nullptr;
    }
  }

  void set_logger(logger l) { logger_ = std::move(l); }
  bool logging() const noexcept { return static_cast<bool>(logger_); }
  void log(std::string_view sql, std::span<const param> params, std::chrono::steady_clock::time_point start,
           std::int64_t rows, bool ok) const {
    if (!logger_) return;
    logger_(log_entry{sql, params, std::chrono::steady_clock::now() - start, rows, ok});
  }

  /// Throws the error of a failed call on this connection. Out of line: a failure check is then
  /// only a call.
  [[noreturn]] ASH_COLD ASH_NOINLINE void throw_error(int rc, std::string_view sql) const {
    throw ash::exception(error_from_sqlite(db_, rc, sql));
  }

  std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }
  std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

 private:
  /// The first use of slot `id` on this connection.
  ASH_COLD sqlite3_stmt* prepare_slot(std::uint32_t id, std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) {
      log(sql, {}, std::chrono::steady_clock::now(), 0, false);  // the log sees failures to prepare too
      throw_error(rc, sql);
    }
    if (id >= slot_count_) grow_slots(id + 16);
    slots_[id] = s;
    return s;
  }

  /// Throws the error of a failed open, after closing the handle SQLite gives even then.
  [[noreturn]] ASH_COLD void open_failed(int rc) {
    ash::error e = error_from_sqlite(db_, rc, {});
    std::string m = "cannot open database '";
    m.append(path_).append("': ").append(e.message);
    e.message = std::move(m);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw ash::exception(std::move(e));
  }

  ASH_ONCE void close() noexcept {
    clear_slots();
    delete[] slots_;
    slots_ = nullptr;
    slot_count_ = 0;
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  /// Makes room for `n` slots (new ones empty). A plain array rather than a `std::vector`: this
  /// header is in every translation unit, and the vector's growth code cost each its instantiation.
  ASH_ONCE void grow_slots(std::size_t n) {
    auto** grown = new sqlite3_stmt*[n]();
    for (std::size_t i = 0; i < slot_count_; ++i) grown[i] = slots_[i];
    delete[] slots_;
    slots_ = grown;
    slot_count_ = n;
  }

  sqlite3* db_ = nullptr;
  std::string path_;
  sqlite3_stmt** slots_ = nullptr;  ///< prepared statements by slot id (null: not prepared yet)
  std::size_t slot_count_ = 0;
  logger logger_;
};

/// Receives each result row of `execute`, with the caller's context.
using row_callback = void (*)(void* context, sqlite3_stmt* row);

/// Runs one statement: takes its slot, binds, steps, hands each row to `on_row(context, stmt)`
/// (which is null for writes), and resets the statement whatever happens. With `single_row`
/// it stops after the first row (a lookup by key needs no step to SQLITE_DONE). Returns the rows
/// seen (with `on_row`) or the rows the statement changed (without).
///
/// This is the one place statements run, and it is not a template: each query shape adds only
/// its small row reader to a program, not another copy of this loop.
/// On failure throws `ash::exception` naming the statement; the statement is reset, and a write
/// that failed has changed nothing (SQLite statements are atomic).
inline std::int64_t execute(connection& c, statement_text& text, std::span<const param> params, row_callback on_row,
                            void* context, bool single_row = false) {
  sqlite3_stmt* s = c.slot(text);
  const std::string_view sql = text.sql;
  struct reset_guard {
    sqlite3_stmt* s;
    ~reset_guard() { sqlite3_reset(s); }
  } g{s};
  const bool logging = c.logging();
  std::chrono::steady_clock::time_point start;
  if (logging) start = std::chrono::steady_clock::now();
  if (int rc = bind_params(s, params); rc != SQLITE_OK) c.throw_error(rc, sql);
  std::int64_t rows = 0;
  for (;;) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      ++rows;
      if (on_row) on_row(context, s);
      if (single_row) break;
      continue;
    }
    if (rc == SQLITE_DONE) break;
    if (logging) c.log(sql, params, start, rows, false);
    c.throw_error(rc, sql);
  }
  if (!on_row) rows = c.changes();
  if (logging) c.log(sql, params, start, rows, true);
  return rows;
}

/// `execute` with a callable for the rows: `run(c, text, params, [&](sqlite3_stmt* s) {...})`.
template <class OnRow>
std::int64_t run(connection& c, statement_text& text, std::span<const param> params, OnRow&& on_row) {
  return execute(c, text, params,
                 [](void* f, sqlite3_stmt* s) { (*static_cast<std::remove_reference_t<OnRow>*>(f))(s); }, &on_row);
}

/// `run` for a statement that yields at most one row (a lookup by primary key); returns whether
/// there was a row.
template <class OnRow>
bool run_single(connection& c, statement_text& text, std::span<const param> params, OnRow&& on_row) {
  return execute(c, text, params,
                 [](void* f, sqlite3_stmt* s) { (*static_cast<std::remove_reference_t<OnRow>*>(f))(s); }, &on_row,
                 true) > 0;
}

}  // namespace ash::sqlite
