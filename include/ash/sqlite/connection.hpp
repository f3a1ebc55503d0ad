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
#include "ash/detail/sync.hpp"

namespace ash::sqlite {

/// How to open a connection.
struct open_options {
  bool read_only = false;
  std::chrono::milliseconds busy_timeout{5000};
  bool wal = true;  ///< journal_mode=WAL (ignored for in-memory databases)
  /// Under WAL, for a connection that writes: a PASSIVE checkpoint runs after a commit once the
  /// WAL holds this many pages (SQLite's `wal_autocheckpoint`; 0 turns checkpoints off).
  int wal_autocheckpoint = 1000;
  /// Under WAL, for a connection that writes: once the WAL passes this many bytes after a commit,
  /// a RESTART checkpoint runs (waiting up to 50 ms for readers to move on, then backing off), so the next
  /// write starts the WAL from its beginning; `journal_size_limit` then cuts the file back to
  /// this size. Without it, readers that never all stop at once keep the WAL growing. 0: no bound.
  std::int64_t wal_size_limit = 64 << 20;
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

/// Whether `path` names an in-memory database: ":memory:", "", a `file::memory:` URI, or a
/// `file:` URI with `mode=memory`.
ASH_ONCE inline bool is_memory_path(std::string_view path) {
  if (path.empty() || path == ":memory:") return true;
  if (path.substr(0, 5) != "file:") return false;
  return path.substr(5, 8) == ":memory:" || path.find("mode=memory") != std::string_view::npos;
}

/// The path a read-only connection opens for `path`: a `file:` URI's `mode=` parameter is made
/// `mode=ro` (SQLite refuses a URI whose mode asks for more than the open flags allow, so a
/// `mode=rwc` URI would make every reader fail); anything else is returned as it is.
ASH_ONCE inline std::string read_only_path(std::string_view path) {
  std::string out(path);
  if (path.substr(0, 5) != "file:") return out;
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  for (std::size_t i = query; i < out.size();) {
    const std::size_t start = i + 1;
    std::size_t end = out.find('&', start);
    if (end == std::string::npos) end = out.size();
    if (end - start >= 5 && std::string_view(out.data() + start, 5) == std::string_view("mode=")) {
      out.replace(start + 5, end - start - 5, "ro");
      end = start + 7;
    }
    i = end;
  }
  return out;
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
    default:
      e.kind = error_kind::database;
      if (db && std::string_view(e.message) == std::string_view("LIKE or GLOB pattern too complex")) {
        e.kind = error_kind::invalid_attribute;
        e.message.assign("the LIKE pattern is longer than SQLite's limit of ");
        ash::detail::append_decimal(e.message, sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, -1));
        e.message.append(" bytes (SQLITE_LIMIT_LIKE_PATTERN_LENGTH)");
      }
      break;
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
  /// synchronous=NORMAL under WAL, and the WAL bound of `opts`. Throws `ash::exception` if the
  /// file cannot be opened or is not a database; nothing is left open then.
  ASH_ONCE connection(const std::string& path, const open_options& opts = {}) : path_(path) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    flags |= opts.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.empty() ? ":memory:" : path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) open_failed(rc);
    try {
      sqlite3_extended_result_codes(db_, 1);
      sqlite3_busy_timeout(db_, static_cast<int>(opts.busy_timeout.count()));
      if (opts.wal && !opts.read_only && !is_memory_path(path)) {
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
        bound_wal(opts);
      }
      exec("PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON");
    } catch (...) {
      close();  // a corrupt or locked file fails here, after the open: close its handle too
      throw;
    }
  }

  connection(connection&& o) noexcept
      : db_(std::exchange(o.db_, nullptr)), slots_(std::exchange(o.slots_, nullptr)),
        slot_limit_(std::exchange(o.slot_limit_, 0)), slot_count_(std::exchange(o.slot_count_, 0)),
        log_on_(o.log_on_.load(ash::detail::order::relaxed)), in_transaction_(std::exchange(o.in_transaction_, false)),
        aborted_(std::exchange(o.aborted_, nullptr)), wal_(std::exchange(o.wal_, nullptr)), path_(std::move(o.path_)),
        logger_(std::move(o.logger_)) {}
  connection& operator=(connection&& o) noexcept {
    if (this != &o) {
      close();
      db_ = std::exchange(o.db_, nullptr);
      slots_ = std::exchange(o.slots_, nullptr);
      slot_limit_ = std::exchange(o.slot_limit_, 0);
      slot_count_ = std::exchange(o.slot_count_, 0);
      log_on_.store(o.log_on_.load(ash::detail::order::relaxed), ash::detail::order::relaxed);
      in_transaction_ = std::exchange(o.in_transaction_, false);
      aborted_ = std::exchange(o.aborted_, nullptr);
      wal_ = std::exchange(o.wal_, nullptr);
      path_ = std::move(o.path_);
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
    if (aborted_) throw_aborted();
    if (const std::size_t nul = sql.find('\0'); nul != std::string_view::npos) {  // sqlite3_exec would stop there
      ash::error e;
      e.kind = error_kind::usage;
      e.message.assign("SQL text contains a NUL byte at offset ");
      ash::detail::append_decimal(e.message, static_cast<long long>(nul));
      e.sql.assign(sql.substr(0, nul));
      throw ash::exception(std::move(e));
    }
    std::string text(sql);
    char* msg = nullptr;
    auto start = std::chrono::steady_clock::now();
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
    sqlite3_free(msg);
    if (logging()) log(sql, {}, start, sqlite3_changes64(db_), rc == SQLITE_OK);
    if (rc != SQLITE_OK) throw_error(rc, sql);
  }

  /// Takes the prepared statement of `text` out of its slot on this connection (preparing it on
  /// first use), reset and ready to bind; `give_back` returns it. While it is out, the same text
  /// run again on this connection (a nested query in a row callback) gets a statement of its
  /// own, so the running one is never reset under its caller. Throws (and logs the failure) if
  /// its SQL does not compile, or if this connection's transaction was rolled back by SQLite.
  sqlite3_stmt* take_slot(std::uint32_t id, std::string_view sql) {
    if (id < slot_limit_) [[likely]] {
      if (sqlite3_stmt* s = slots_[id]) [[likely]] {
        slots_[id] = nullptr;
        return s;
      }
    }
    return prepare_slot(id, sql);
  }
  /// Puts a statement taken with `take_slot(id, ...)` back, or finalises it if the slot was
  /// filled meanwhile (by a nested run of the same text).
  void give_back(std::uint32_t id, sqlite3_stmt* s) noexcept {
    if (!slots_[id]) [[likely]]
      slots_[id] = s;
    else
      sqlite3_finalize(s);
  }

  /// Prepares a statement the caller owns (finalise with `sqlite3_finalize`).
  sqlite3_stmt* prepare(std::string_view sql, unsigned flags = 0) {
    if (aborted_) throw_aborted();
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

  /// Sets where this connection's statements are logged, and turns the log on if `l` is not
  /// empty. Call before other threads use the connection; to switch the log while they do, use
  /// `enable_log`, which is safe at any time.
  void set_logger(logger l) {
    logger_ = std::move(l);
    log_on_.store(static_cast<bool>(logger_), ash::detail::order::relaxed);
  }
  /// Turns the log on or off (on only if a logger is set); safe while other threads run
  /// statements on this connection: the logger itself is never replaced under them.
  void enable_log(bool on) noexcept { log_on_.store(on && logger_, ash::detail::order::relaxed); }
  bool logging() const noexcept { return log_on_.load(ash::detail::order::relaxed); }
  void log(std::string_view sql, std::span<const param> params, std::chrono::steady_clock::time_point start,
           std::int64_t rows, bool ok) const {
    if (!logger_) return;
    logger_(log_entry{sql, params, std::chrono::steady_clock::now() - start, rows, ok});
  }

  /// Throws the error of a failed call on this connection. Out of line: a failure check is then
  /// only a call. Inside a transaction (`begin_transaction`), a failure after which SQLite has
  /// rolled the whole transaction back (disk full, I/O error, out of memory, an interrupt, a
  /// trigger's `RAISE(ROLLBACK)`) marks it aborted: see `transaction_aborted`.
  [[noreturn]] ASH_COLD ASH_NOINLINE void throw_error(int rc, std::string_view sql) {
    ash::error e = error_from_sqlite(db_, rc, sql);
    if (in_transaction_ && !aborted_ && sqlite3_get_autocommit(db_) != 0) {
      e.message.append(" (SQLite rolled back the whole transaction: nothing in it will be committed)");
      aborted_ = new ash::error(ash::detail::copy_of(e));
      slot_limit_ = 0;  // every statement now goes through prepare_slot, which throws
    }
    throw ash::exception(std::move(e));
  }

  std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }
  std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

  /// Tells the connection that a transaction has begun on it (the caller ran `BEGIN`), so that
  /// a rollback by SQLite itself is noticed (see `throw_error`).
  void begin_transaction() noexcept { in_transaction_ = true; }
  /// Tells the connection that its transaction is over (committed or rolled back); clears the
  /// aborted state.
  void end_transaction() noexcept {
    in_transaction_ = false;
    delete std::exchange(aborted_, nullptr);
    slot_limit_ = slot_count_;
  }
  /// The error that made SQLite roll back the current transaction, or null. While it is set,
  /// every statement on this connection, and the commit, throws it again: nothing after it can
  /// run in autocommit by mistake, and the caller learns why the transaction is gone.
  const ash::error* transaction_aborted() const noexcept { return aborted_; }
  /// Throws the error of `transaction_aborted()`.
  [[noreturn]] ASH_COLD ASH_NOINLINE void throw_aborted() const { throw ash::exception(ash::detail::copy_of(*aborted_)); }

 private:
  /// The first use of slot `id` on this connection, a nested use while its statement runs, or
  /// any use after the transaction was aborted.
  ASH_COLD sqlite3_stmt* prepare_slot(std::uint32_t id, std::string_view sql) {
    if (aborted_) throw_aborted();
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) {
      if (logging()) log(sql, {}, std::chrono::steady_clock::now(), 0, false);  // the log sees failures to prepare too
      throw_error(rc, sql);
    }
    if (id >= slot_count_) {
      try {
        grow_slots(id + 16);
      } catch (...) {
        sqlite3_finalize(s);
        throw;
      }
    }
    return s;
  }

  /// The WAL checkpoint policy of a connection that writes (the WAL hook's context; on the heap,
  /// so that it stays where it is when the connection moves).
  struct wal_policy {
    int passive = 0;      ///< pages after which a commit runs a PASSIVE checkpoint (0: never)
    int restart = 0;      ///< pages past which a commit runs a RESTART checkpoint (0: never)
    int next_restart = 0; ///< pages at which the next RESTART is tried (later after one that timed out)
    int busy_ms = 0;      ///< the connection's busy timeout, restored after a RESTART
  };
  /// How long a RESTART checkpoint waits for readers: their current statements, not a long
  /// `each` (the committing thread's own, perhaps), which would stall every commit.
  static constexpr int restart_wait_ms = 50;

  /// Sets the WAL checkpoint policy of `opts` on a connection that writes.
  ASH_ONCE void bound_wal(const open_options& opts) {
    if (opts.wal_size_limit > 0) {
      std::string pragma = "PRAGMA journal_size_limit=";
      ash::detail::append_decimal(pragma, opts.wal_size_limit);
      exec(pragma);
    }
    sqlite3_stmt* s = prepare("PRAGMA page_size");
    std::int64_t page = 4096;
    if (sqlite3_step(s) == SQLITE_ROW) page = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (page <= 0) page = 4096;
    wal_ = new wal_policy;
    wal_->passive = opts.wal_autocheckpoint > 0 ? opts.wal_autocheckpoint : 0;
    const std::int64_t restart = opts.wal_size_limit > 0 ? opts.wal_size_limit / page + 1 : 0;
    wal_->restart = wal_->next_restart = static_cast<int>(restart < INT32_MAX ? restart : INT32_MAX);
    wal_->busy_ms = static_cast<int>(opts.busy_timeout.count());
    sqlite3_wal_hook(db_, &wal_hook, wal_);
  }
  /// After each commit: SQLite's automatic checkpoint, and the RESTART one past the size bound.
  /// A RESTART that finds readers still busy after `restart_wait_ms` is tried again once the WAL
  /// has grown by another quarter of the bound.
  ASH_COLD static int wal_hook(void* context, sqlite3* db, const char* schema, int pages) {
    auto& w = *static_cast<wal_policy*>(context);
    if (w.restart != 0 && pages >= w.next_restart) {
      sqlite3_busy_timeout(db, restart_wait_ms);
      const int rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_timeout(db, w.busy_ms);
      w.next_restart = rc == SQLITE_OK ? w.restart : pages + (w.restart / 4 > 0 ? w.restart / 4 : 1);
    } else if (w.passive != 0 && pages >= w.passive) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    return SQLITE_OK;  // a checkpoint that could not finish is tried again after a later commit
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
    slot_limit_ = slot_count_ = 0;
    delete std::exchange(aborted_, nullptr);
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
    delete std::exchange(wal_, nullptr);  // after the close: the hook's context
  }

  /// Makes room for `n` slots (new ones empty). A plain array rather than a `std::vector`: this
  /// header is in every translation unit, and the vector's growth code cost each its instantiation.
  ASH_ONCE void grow_slots(std::size_t n) {
    auto** grown = new sqlite3_stmt*[n]();
    for (std::size_t i = 0; i < slot_count_; ++i) grown[i] = slots_[i];
    delete[] slots_;
    slots_ = grown;
    slot_count_ = n;
    if (!aborted_) slot_limit_ = n;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt** slots_ = nullptr;  ///< prepared statements by slot id (null: not prepared yet, or taken)
  std::size_t slot_limit_ = 0;      ///< slots the fast path may use: `slot_count_`, or 0 while aborted
  std::size_t slot_count_ = 0;      ///< the size of `slots_`
  ash::detail::atomic<bool> log_on_{false};
  bool in_transaction_ = false;        ///< a transaction begun with `begin_transaction` is open
  ash::error* aborted_ = nullptr;      ///< see `transaction_aborted`
  wal_policy* wal_ = nullptr;          ///< the WAL hook's policy (writers under WAL only)
  std::string path_;
  logger logger_;
};

/// Receives each result row of `execute`, with the caller's context.
using row_callback = void (*)(void* context, sqlite3_stmt* row);

/// How `execute` names the resource, field and row of a stored value that a row callback could
/// not read (`row.hpp` makes one per resource and selection): `rethrow(e, row, context)`
/// rethrows `e` so named if a column of the current row does not read, and returns if the row
/// reads well (the error came from elsewhere: the caller's own code in `each`).
struct row_namer {
  void (*rethrow)(const ash::exception& e, sqlite3_stmt* row, const void* context);
  const void* context;
};

/// Runs one statement: takes its slot, binds, steps, hands each row to `on_row(context, stmt)`
/// (which is null for writes), and resets the statement and gives it back whatever happens.
/// With `single_row` it stops after the first row (a lookup by key needs no step to
/// SQLITE_DONE). Returns the rows seen (with `on_row`) or the rows the statement changed (without).
///
/// This is the one place statements run, and it is not a template: each query shape adds only
/// its small row reader to a program, not another copy of this loop.
/// On failure throws `ash::exception` naming the statement; the statement is reset, and a write
/// that failed has changed nothing (SQLite statements are atomic).
/// An exception from `on_row` is given to `namer`, if there is one (see `row_namer`): one handler
/// here, rather than one in every row reader.
inline std::int64_t execute(connection& c, statement_text& text, std::span<const param> params, row_callback on_row,
                            void* context, bool single_row = false, const row_namer* namer = nullptr) {
  const std::uint32_t id = text.id();
  const std::string_view sql = text.sql;
  sqlite3_stmt* s = c.take_slot(id, sql);
  struct reset_guard {
    connection& c;
    std::uint32_t id;
    sqlite3_stmt* s;
    ~reset_guard() {
      sqlite3_reset(s);
      c.give_back(id, s);
    }
  } g{c, id, s};
  const bool logging = c.logging();
  std::chrono::steady_clock::time_point start;
  if (logging) start = std::chrono::steady_clock::now();
  if (int rc = bind_params(s, params); rc != SQLITE_OK) c.throw_error(rc, sql);
  std::int64_t rows = 0;
  for (;;) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
      ++rows;
      if (on_row) {
        try {
          on_row(context, s);
        } catch (const ash::exception& e) {
          if (namer) namer->rethrow(e, s, namer->context);
          throw;
        }
      }
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
std::int64_t run(connection& c, statement_text& text, std::span<const param> params, OnRow&& on_row,
                 const row_namer* namer = nullptr) {
  return execute(c, text, params,
                 [](void* f, sqlite3_stmt* s) { (*static_cast<std::remove_reference_t<OnRow>*>(f))(s); }, &on_row, false,
                 namer);
}

/// `run` for a statement that yields at most one row (a lookup by primary key); returns whether
/// there was a row.
template <class OnRow>
bool run_single(connection& c, statement_text& text, std::span<const param> params, OnRow&& on_row,
                const row_namer* namer = nullptr) {
  return execute(c, text, params,
                 [](void* f, sqlite3_stmt* s) { (*static_cast<std::remove_reference_t<OnRow>*>(f))(s); }, &on_row,
                 true, namer) > 0;
}

}  // namespace ash::sqlite
