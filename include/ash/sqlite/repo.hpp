#pragma once
/// \file
/// The repo: the connections of one database and every data operation on resources.
///
/// One writer connection plus a pool of read-only connections (WAL lets them read while the
/// writer writes); safe to use from many threads. Reads inside a transaction see its writes.
///
/// ```
/// struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
/// Repo repo{{.database = "helpdesk.db"}};
/// auto ticket = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
/// ```

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ash/core/actions.hpp"
#include "ash/core/query.hpp"
#include "ash/core/result.hpp"
#include "ash/core/table_desc.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/clock.hpp"
#include "ash/detail/sync.hpp"
#include "ash/sql/render.hpp"
#include "ash/sqlite/connection.hpp"
#include "ash/sqlite/row.hpp"
#include "ash/sqlite/statement_registry.hpp"

namespace ash::sqlite {

/// Where a repo's database is and how it is used. Environment variables override it:
/// `DATABASE_PATH`, `POOL_SIZE`, `ASH_LOG_SQL` (1/true to log every statement).
struct config {
  std::string database = ":memory:";  ///< a file path, ":memory:", or a `file:` URI
  int pool_size = 4;                  ///< read-only connections (0: reads use the writer)
  std::chrono::milliseconds busy_timeout{5000};
  bool log_sql = false;  ///< log every statement with its values and time
  logger log = {};       ///< where the log goes (default: standard error)
  /// Under WAL, a PASSIVE checkpoint after a commit once the WAL holds this many pages
  /// (SQLite's `wal_autocheckpoint`).
  int wal_autocheckpoint = 1000;
  /// Under WAL, the size past which a commit is followed by a RESTART checkpoint, which waits
  /// (up to 50 ms, then backing off) for readers to move on so that the WAL starts over, and to which
  /// `journal_size_limit` cuts the file back. Bounds the WAL under reads that never all stop at
  /// once; 0 leaves it unbounded. See docs/reliability.md.
  std::int64_t wal_size_limit = 64 << 20;

  /// This config with the environment's overrides applied.
  ASH_ONCE config with_environment() const {
    config c = *this;
    if (const char* p = std::getenv("DATABASE_PATH"); p && *p) c.database = p;
    if (const char* p = std::getenv("POOL_SIZE"); p && *p) {
      char* end = nullptr;
      long v = std::strtol(p, &end, 10);
      if (*end != '\0' || v < 0 || v > 1024) {
        ash::error e;
        e.kind = error_kind::usage;
        e.field = "POOL_SIZE";
        e.message.assign("must be a whole number from 0 to 1024, got '").append(p).append("'");
        throw ash::exception(std::move(e));
      }
      c.pool_size = static_cast<int>(v);
    }
    if (const char* p = std::getenv("ASH_LOG_SQL"); p && *p) {
      std::string_view v = p;
      c.log_sql = v == "1" || v == "true" || v == "on" || v == "yes";
    }
    return c;
  }
};

namespace detail {
/// Appends `p` as the log shows it (see `describe_param`).
ASH_COLD inline void append_param(std::string& out, const param& p) {
  char n[24];
  switch (p.kind()) {
    case storage_class::integer:
      out.append(n, static_cast<std::size_t>(std::snprintf(n, sizeof n, "%lld", static_cast<long long>(p.as_int()))));
      break;
    case storage_class::real: out.append(ash::detail::format_double(p.as_real())); break;
    case storage_class::text: {
      std::string_view t = p.text();
      out.append("\"");
      if (t.size() > 200) {
        out.append(t.data(), 200).append("...\" (");
        out.append(n, static_cast<std::size_t>(std::snprintf(n, sizeof n, "%zu", t.size()))).append(" bytes)");
      } else {
        out.append(t).append("\"");
      }
      break;
    }
    case storage_class::blob:
      out.append("<").append(n, static_cast<std::size_t>(std::snprintf(n, sizeof n, "%zu", p.size()))).append(" bytes>");
      break;
    default: out.append("NULL"); break;
  }
}
}  // namespace detail

/// Formats a parameter for the log: numbers as is, text quoted (cut after 200 bytes), blobs by size.
ASH_COLD inline std::string describe_param(const param& p) {
  std::string out;
  detail::append_param(out, p);
  return out;
}

/// The default log line: `[ash] 0.042ms 3 rows: SELECT ... ["closed", "barbaz"]`.
ASH_COLD inline void log_to_stderr(const log_entry& e) {
  char head[96];
  std::snprintf(head, sizeof head, "[ash] %s %.3fms %lld row%s: ", e.ok ? "OK" : "ERROR",
                static_cast<double>(e.duration.count()) / 1e6, static_cast<long long>(e.rows), e.rows == 1 ? "" : "s");
  std::string line = head;
  line.append(e.sql).append(" [");
  for (std::size_t i = 0; i < e.params.size(); ++i) {
    if (i) line.append(", ");
    detail::append_param(line, e.params[i]);
  }
  line.append("]\n");
  std::fwrite(line.data(), 1, line.size(), stderr);  // one call: lines from several threads do not interleave
}

namespace detail {
/// An address that identifies the calling thread while it runs (each thread has its own
/// `token`): how the repo knows which thread holds its writer, without `<thread>`.
inline const void* this_thread_token() noexcept {
  thread_local char token;
  return &token;
}

/// A pooled reader that a thread holds, in the stack of the thread's holds.
struct held_reader {
  const void* owner = nullptr;    ///< the repo the reader is of
  connection* reader = nullptr;
  held_reader* below = nullptr;   ///< the thread's hold before this one
};
/// The top of the calling thread's stack of held readers.
inline constinit thread_local held_reader* reader_holds = nullptr;
/// The reader of `repo` that the calling thread holds, or null.
inline connection* reader_held_for(const void* repo) noexcept {
  for (held_reader* h = reader_holds; h; h = h->below)
    if (h->owner == repo) return h->reader;
  return nullptr;
}

/// The statement of an SQL text constant (a `static_text` with static storage).
template <const auto& Text>
struct text_slot {
  static constinit inline statement_text text{Text.view()};
};

}  // namespace detail

// Named in the errors of actions. Names are `diag::name<'o', 'p', 'e', 'n'>` and fields are
// member pointers (`&Ticket::status`), which every compiler prints readably.
namespace diag {
template <class Resource, action_type Kind, class Action>
struct resource_has_no_action_of_this_kind_named;
template <class Resource, class Action, auto Field>
struct action_does_not_accept_field;
template <class Resource, class Action, class Argument>
struct action_has_no_argument_named;
template <class Resource>
struct update_and_destroy_need_a_primary_key;
template <class Resource>
struct update_in_place_needs_a_record_that_is_not_const;
}  // namespace diag

namespace detail {
/// `ash::create`, ... spelled in terms of `R`, which it does not use: the default actions below
/// are then built where a resource without actions is used, not in every translation unit.
template <class R, action_type K>
inline constexpr std::enable_if_t<sizeof(R*) != 0, default_tag<K>> default_tag_of{};
}  // namespace detail

/// The actions of resource R (the four defaults when it declares none).
template <class R>
constexpr auto actions_of() {
  if constexpr (ash::detail::has_actions<resource<R>>) return resource<R>::actions;
  else
    return ash::actions(ash::defaults(detail::default_tag_of<R, action_type::create>, detail::default_tag_of<R, action_type::read>,
                                      detail::default_tag_of<R, action_type::update>, detail::default_tag_of<R, action_type::destroy>));
}

/// The index of R's action of kind K named N in its actions tuple, or npos.
template <class R, action_type K, ash::detail::fixed_string N>
constexpr std::size_t action_index() {
  constexpr auto acts = actions_of<R>();
  std::size_t found = npos;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((std::tuple_element_t<I, decltype(acts)>::type == K && std::tuple_element_t<I, decltype(acts)>::name == N.view() && found == npos
          ? found = I
          : 0),
     ...);
  }(std::make_index_sequence<std::tuple_size_v<decltype(acts)>>{});
  return found;
}

/// The repo of a database. Derive your repo from it: `struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };`
/// and give it `static ash::sqlite::config default_config()` to configure it in code.
template <class Derived>
class repo {
 public:
  /// Opens the repo with `Derived::default_config()` (if declared) and the environment's overrides.
  repo() : repo(default_config_of()) {}
  /// Opens the repo with `c` and the environment's overrides.
  ASH_ONCE explicit repo(const config& c) : config_(c.with_environment()) {
    open_options w;
    w.busy_timeout = config_.busy_timeout;
    w.wal_autocheckpoint = config_.wal_autocheckpoint;
    w.wal_size_limit = config_.wal_size_limit;
    writer_.emplace(config_.database, w);
    memory_ = is_memory_path(config_.database);
    writer_->set_logger(logger_of());
    writer_->enable_log(config_.log_sql);
    // Readers are opened on demand, into room made for all of them now (so the addresses handed
    // out stay valid), with the list of free ones after it. Last: nothing after it can throw.
    if (const auto n = static_cast<std::size_t>(config_.pool_size))
      readers_ = static_cast<connection*>(::operator new(n * (sizeof(connection) + sizeof(connection*))));
    free_ = reinterpret_cast<connection**>(readers_ + config_.pool_size);
  }
  ASH_ONCE ~repo() {
    for (std::size_t i = reader_count_; i > 0; --i) readers_[i - 1].~connection();
    ::operator delete(readers_);
  }
  repo(const repo&) = delete;
  repo& operator=(const repo&) = delete;

  const config& settings() const noexcept { return config_; }

  /// Turns the SQL log on or off for every connection of this repo. Safe while other threads
  /// run statements: each connection's logger is set once, and this only flips their switches.
  void log_sql(bool on) {
    std::lock_guard lock(pool_mutex_);
    writer_->enable_log(on);
    for (std::size_t i = 0; i < reader_count_; ++i) readers_[i].enable_log(on);
  }
  /// Whether the SQL log is on.
  bool logging_sql() const noexcept { return writer_->logging(); }

  // --- reads -------------------------------------------------------------------------------------------------

  /// Every record the query selects. Throws `ash::exception` on failure.
  template <class Q>
    requires is_query<Q>
  std::vector<typename Q::resource> read(const Q& q) {
    using R = typename Q::resource;
    static_assert(!info<R>::polymorphic || Q::table.size() > 0,
                  "ash: a polymorphic resource is read from a table chosen with query<R>().from<\"table\">()");
    static constexpr auto& sql = ash::sql::select_sql<Q>;
    // The query's values are already bound (a list that is not a template), and everything else
    // depends only on the resource and the fields read: compiled once per resource, not per query.
    return read_rows<R>(detail::text_slot<sql>::text, q.params(), typename Q::select_type{});
  }
  template <class Q>
    requires is_query<Q>
  result<std::vector<typename Q::resource>> try_read(const Q& q) {
    return guard([&] { return read(q); });
  }

  /// Calls `fn(R&&)` for each record, without collecting them.
  template <class Q, class F>
    requires is_query<Q>
  void each(const Q& q, F&& fn) {
    using R = typename Q::resource;
    static_assert(!info<R>::polymorphic || Q::table.size() > 0,
                  "ash: a polymorphic resource is read from a table chosen with query<R>().from<\"table\">()");
    static constexpr auto& sql = ash::sql::select_sql<Q>;
    with_reader([&](connection& c) {
      run(
          c, detail::text_slot<sql>::text, q.params(),
          [&](sqlite3_stmt* s) {
            R r{};
            read_selected(s, r, typename Q::select_type{});
            fn(std::move(r));
          },
          namer_of_selection<R>(typename Q::select_type{}));
    });
  }

  /// The selected fields of every row, each read into a `P` by position: any aggregate with one
  /// field per selected field, of the same types (`read_into<Summary>(q.select(t.id, t.subject))`).
  template <class P, class Q>
    requires is_query<Q>
  std::vector<P> read_into(const Q& q) {
    using R = typename Q::resource;
    using Sel = typename Q::select_type;
    static_assert(!Sel::all, "ash: read_into reads the fields chosen with .select(...): select them first");
    static_assert(std::is_aggregate_v<P>, "ash: read_into needs an aggregate (a plain struct) to read into");
    if constexpr (!Sel::all && std::is_aggregate_v<P>) {
      static_assert(ash::detail::field_count<P> == Sel::count,
                    "ash: the struct given to read_into needs exactly one field per selected field");
      if constexpr (ash::detail::field_count<P> == Sel::count) {
        static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
          return (std::is_same_v<ash::detail::field_type<I, P>, field_type_t<R, Sel::indexes[I]>> && ...);
        }(std::make_index_sequence<Sel::count>{}),
                      "ash: each field of the struct given to read_into must have the type of the selected field in its position");
        static constexpr auto& sql = ash::sql::select_sql<Q>;
        std::vector<P> out;
        with_reader([&](connection& c) {
          run(c, detail::text_slot<sql>::text, q.params(),
              [&](sqlite3_stmt* s) {
                P p{};
                read_positional(s, p);
                out.push_back(std::move(p));
              });
        });
        return out;
      }
    }
    return {};
  }

  /// The one record the query selects, or nothing; an error if it selects more than one.
  template <class Q>
    requires is_query<Q>
  std::optional<typename Q::resource> read_one(const Q& q) {
    std::optional<typename Q::resource> out;
    std::size_t n = 0;
    each(q, [&](typename Q::resource&& r) {
      if (++n == 1) out = std::move(r);
    });
    if (n > 1) {
      ash::error e;
      e.kind = error_kind::usage;
      e.resource = std::string(resource_name<typename Q::resource>);
      e.message = "read_one found " + std::to_string(n) + " records, expected at most one";
      throw ash::exception(std::move(e));
    }
    return out;
  }

  /// The number of records the query's filter selects.
  template <class Q>
    requires is_query<Q>
  std::int64_t count(const Q& q) {
    static constexpr auto& sql = ash::sql::count_sql<Q>;
    std::int64_t n = 0;
    with_reader([&](connection& c) {
      // The filter's values come first: the sort keys' and the limit's are not in this SQL.
      run(c, detail::text_slot<sql>::text, q.params().first(Q::filter_type::param_count),
          [&](sqlite3_stmt* s) { n = sqlite3_column_int64(s, 0); });
    });
    return n;
  }

  /// The record with this primary key, or nothing.
  template <class R, class... K>
  std::optional<R> get(const K&... key) {
    static_assert(check_resource<R>());
    static_assert(info<R>::has_primary_key, "ash: get needs a resource with a primary key");
    static_assert(sizeof...(K) == info<R>::primary_key.size(), "ash: get needs one value per primary key field");
    check_table<R, "">();
    static constexpr auto& sql = ash::sql::get_sql<R>;
    param_array<sizeof...(K)> params;
    bind_key_values<R>(params.items, key...);
    std::optional<R> out;
    with_reader([&](connection& c) {
      // A key matches at most one row: no need to step on to SQLITE_DONE.
      run_single(
          c, detail::text_slot<sql>::text, std::span<const param>(params.items, sizeof...(K)),
          [&](sqlite3_stmt* s) { read_record(s, out.emplace(), std::make_index_sequence<field_count<R>>{}); },
          all_fields_namer<R>());
    });
    return out;
  }

  // --- writes through actions ----------------------------------------------------------------------------------

  /// Runs create action `Action` of `R` with the given field and argument inputs; returns the record.
  /// Throws `ash::exception` (nothing is written) on a failed validation or constraint.
  template <class R, ash::detail::fixed_string Action = "create", class... In>
  R create(In&&... inputs) {
    return run_create<R, Action, "">(std::forward<In>(inputs)...);
  }
  template <class R, ash::detail::fixed_string Action = "create", class... In>
  result<R> try_create(In&&... inputs) {
    return guard([&] { return create<R, Action>(std::forward<In>(inputs)...); });
  }
  /// `create` into a chosen table of a polymorphic resource.
  template <class R, ash::detail::fixed_string Table, ash::detail::fixed_string Action = "create", class... In>
  R create_in(In&&... inputs) {
    return run_create<R, Action, Table>(std::forward<In>(inputs)...);
  }

  /// Runs update action `Action` on `record`; returns the updated record.
  /// A record that no longer exists is a `stale_record` error.
  template <ash::detail::fixed_string Action = "update", class R, class... In>
  R update(const R& record, In&&... inputs) {
    return run_update<Action, "">(record, std::forward<In>(inputs)...);
  }
  template <ash::detail::fixed_string Action = "update", class R, class... In>
  result<R> try_update(const R& record, In&&... inputs) {
    return guard([&] { return update<Action>(record, std::forward<In>(inputs)...); });
  }

  /// Runs update action `Action` on `record` itself instead of on a copy: afterwards `record` is
  /// what `update` would have returned. On any failure (a validation, a constraint, a stale
  /// record) `record` is left as it was. For loops over records the caller owns, where copying
  /// each one only to replace it would be wasted work.
  template <ash::detail::fixed_string Action = "update", class R, class... In>
  void update_in_place(R& record, In&&... inputs) {
    static_assert(!std::is_const_v<R>, "ash: update_in_place changes the record; pass one that is not const, or use update");
    if constexpr (std::is_const_v<R>) (void)sizeof(diag::update_in_place_needs_a_record_that_is_not_const<std::remove_const_t<R>>);
    else run_update_in_place<Action, "">(record, std::forward<In>(inputs)...);
  }
  template <ash::detail::fixed_string Action = "update", class R, class... In>
  result<void> try_update_in_place(R& record, In&&... inputs) {
    return guard([&] { update_in_place<Action>(record, std::forward<In>(inputs)...); });
  }

  /// `update` in a chosen table of a polymorphic resource.
  template <ash::detail::fixed_string Table, ash::detail::fixed_string Action = "update", class R, class... In>
  R update_in(const R& record, In&&... inputs) {
    return run_update<Action, Table>(record, std::forward<In>(inputs)...);
  }

  /// Runs destroy action `Action` on `record`. A record that no longer exists is `stale_record`.
  template <ash::detail::fixed_string Action = "destroy", class R, class... In>
  void destroy(const R& record, In&&... inputs) {
    run_destroy<Action, "">(record, std::forward<In>(inputs)...);
  }
  template <ash::detail::fixed_string Action = "destroy", class R, class... In>
  result<void> try_destroy(const R& record, In&&... inputs) {
    return guard([&] { destroy<Action>(record, std::forward<In>(inputs)...); });
  }

  /// `destroy` in a chosen table of a polymorphic resource.
  template <ash::detail::fixed_string Table, ash::detail::fixed_string Action = "destroy", class R, class... In>
  void destroy_in(const R& record, In&&... inputs) {
    run_destroy<Action, Table>(record, std::forward<In>(inputs)...);
  }

  /// Deletes every record the query's filter selects, in one statement; returns how many.
  template <class Q>
    requires is_query<Q>
  std::int64_t destroy_all(const Q& q) {
    static_assert(info<typename Q::resource>::has_primary_key,
                  "ash: update and destroy need a resource with a primary key");
    if constexpr (!info<typename Q::resource>::has_primary_key)
      (void)sizeof(diag::update_and_destroy_need_a_primary_key<typename Q::resource>);
    static constexpr auto& sql = ash::sql::delete_where_sql<Q>;
    return write(detail::text_slot<sql>::text, q.params().first(Q::filter_type::param_count));
  }

  /// Inserts a record as it is, with no action logic (defaults, validations): the data layer's
  /// own insert, for imports and bulk loads. Returns the record with its generated key.
  template <class R>
  R insert(R record) {
    static_assert(check_resource<R>());
    check_table<R, "">();
    insert_record<"">(record);
    return record;
  }

  /// Inserts every record of a range as it is, like `insert`, in one transaction (or in the
  /// caller's): all of them, or none if one fails. Each record is bound from where it lies, never
  /// copied; generated keys are written back into the records unless they are const. Returns how
  /// many were inserted. (AshSqlite's bulk create, without resource logic.)
  template <class Range>
  std::size_t insert_all(Range&& records) {
    using E = std::remove_reference_t<decltype(*std::begin(records))>;
    using R = std::remove_cv_t<E>;
    static_assert(check_resource<R>());
    check_table<R, "">();
    std::size_t n = 0;
    transaction([&] {
      for (E& record : records) {
        insert_record<"">(record);
        ++n;
      }
    });
    return n;
  }

  // --- transactions -------------------------------------------------------------------------------------------

  /// Runs `fn()` in a transaction (`BEGIN IMMEDIATE`), or in a savepoint when already in one.
  /// Commits when `fn` returns, rolls back (and rethrows) when it throws.
  template <class F>
  decltype(auto) transaction(F&& fn) {
    if (owns_writer()) {
      savepoint(savepoint_step::open);
      try {
        if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
          fn();
          savepoint(savepoint_step::release);
        } else {
          decltype(auto) r = fn();
          savepoint(savepoint_step::release);
          return r;
        }
      } catch (...) {
        savepoint(savepoint_step::roll_back);
        throw;
      }
    } else {
      writer_hold hold(*this);
      begin();
      // Ends the transaction on every path: after the commit, or with a rollback if `fn` or the
      // commit threw (unless SQLite already rolled it back).
      struct end_guard {
        repo& r;
        ~end_guard() { r.end(); }
      } guard{*this};
      if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
        fn();
        commit();
      } else {
        decltype(auto) out = fn();
        commit();
        return out;
      }
    }
  }

  // --- schema -------------------------------------------------------------------------------------------------

  /// Creates the table of `R` and its indexes if they do not exist (the same DDL the migration
  /// generator writes), all or nothing. The SQL is rendered at compile time
  /// (`ash::create_table_sql<R>`) unless a default of `R` is only known at run time.
  template <class R>
  void create_table() {
    static_assert(check_resource<R>());
    if constexpr (info<R>::polymorphic) {
      static_assert(!info<R>::polymorphic,
                    "ash: create_table<R>() of a polymorphic resource needs the table's name: create_table<R>(\"table\")");
      (void)sizeof(ash::diag::create_table_of_a_polymorphic_resource_needs_the_table_name<R>);
    } else if constexpr (constant_ddl<R>) {
      run_ddl(create_table_sql<R>.view());
    } else {
      create_table_of(table_desc_of<R>, {});
    }
  }
  /// Creates the table named `table` of `R`, a polymorphic resource, and its indexes.
  template <class R>
  void create_table(std::string_view table) {
    static_assert(check_resource<R>());
    create_table_of(table_desc_of<R>, table);
  }

  /// Runs SQL with no parameters and no results on the writer (schema changes, pragmas).
  void exec(std::string_view sql) {
    with_writer([&](connection& c) { c.exec(sql); });
  }

  /// Runs `fn(connection&)` on the writer connection, holding it for the call.
  template <class F>
  decltype(auto) with_writer(F&& fn) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, connection&>>) {
      on_writer([](void* f, connection& c) { (*static_cast<std::remove_reference_t<F>*>(f))(c); }, &fn);
    } else {
      writer_hold hold(*this);
      return fn(*writer_);
    }
  }

  /// Runs `fn(connection&)` on a reader (the writer inside a transaction, or for in-memory databases).
  template <class F>
  decltype(auto) with_reader(F&& fn) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, connection&>>) {
      on_reader([](void* f, connection& c) { (*static_cast<std::remove_reference_t<F>*>(f))(c); }, &fn);
    } else {
      reader_hold hold(*this);
      return fn(hold.get());
    }
  }

 private:
  void lock_writer() {
    writer_mutex_.lock();
    owner_.store(detail::this_thread_token(), ash::detail::order::relaxed);
  }
  void unlock_writer() {
    owner_.store(nullptr, ash::detail::order::relaxed);
    writer_mutex_.unlock();
  }

  /// Holds the writer for a scope (unless this thread already does, in a transaction).
  class writer_hold {
   public:
    explicit writer_hold(repo& r) : repo_(r), locked_(!r.owns_writer()) {
      if (locked_) r.lock_writer();
    }
    ~writer_hold() {
      if (locked_) repo_.unlock_writer();
    }
    writer_hold(const writer_hold&) = delete;
    writer_hold& operator=(const writer_hold&) = delete;

   private:
    repo& repo_;
    bool locked_;
  };

  /// Borrows a reader for a scope: a pooled read-only connection, or the writer (held) inside a
  /// transaction, for in-memory databases, and with no pool.
  ///
  /// A thread that already holds a pooled reader of this repo (a query run from the row callback
  /// of `each`) uses that one again: waiting for a second could wait for ever, for a reader held
  /// by a thread that waits too, or by itself with a pool of one. The holds of a thread form a
  /// stack (`detail::reader_holds`), searched from the top.
  class reader_hold : detail::held_reader {
   public:
    explicit reader_hold(repo& r) : repo_(r) {
      if (r.owns_writer()) {
        conn_ = &*r.writer_;
      } else if (r.memory_ || r.config_.pool_size == 0) {
        r.lock_writer();
        locked_ = true;
        conn_ = &*r.writer_;
      } else if (connection* held = detail::reader_held_for(&r)) [[unlikely]] {
        conn_ = held;
      } else {
        conn_ = r.acquire_reader();
        pooled_ = true;
        owner = &r;
        reader = conn_;
        below = detail::reader_holds;
        detail::reader_holds = this;
      }
    }
    ~reader_hold() {
      if (pooled_) {
        detail::reader_holds = below;
        repo_.release_reader(conn_);
      } else if (locked_) {
        repo_.unlock_writer();
      }
    }
    reader_hold(const reader_hold&) = delete;
    reader_hold& operator=(const reader_hold&) = delete;
    connection& get() const { return *conn_; }

   private:
    repo& repo_;
    connection* conn_ = nullptr;
    bool pooled_ = false;
    bool locked_ = false;
  };

  /// `BEGIN IMMEDIATE` on the writer, which then watches for SQLite rolling the transaction
  /// back by itself (connection::begin_transaction).
  ASH_ONCE void begin() {
    writer_->exec("BEGIN IMMEDIATE");
    writer_->begin_transaction();
    depth_ = 0;
  }
  /// `COMMIT`; throws the error that aborted the transaction, if SQLite rolled it back.
  ASH_ONCE void commit() { writer_->exec("COMMIT"); }
  /// Rolls back what is still open (after a failure) and ends the transaction.
  ASH_ONCE void end() noexcept {
    if (writer_->in_transaction()) {
      try {
        writer_->exec("ROLLBACK");  // logged, as every statement is
      } catch (...) {
      }
      // A ROLLBACK that failed (an I/O error) is tried once more: the next user of the writer
      // must not find this transaction still open.
      if (writer_->in_transaction()) sqlite3_exec(writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    writer_->end_transaction();
    depth_ = 0;
    savepoint_began_ = 0;
  }

  enum class savepoint_step { open, release, roll_back };
  /// Opens a savepoint one level deeper, or releases (or rolls back and releases) the innermost
  /// one: `ash_sp_<depth>`. Not a template, so a transaction's callable adds none of this code.
  ASH_ONCE void savepoint(savepoint_step step) {
    if (writer_->transaction_aborted() && step != savepoint_step::open) {
      // SQLite rolled the transaction back, savepoints and all: nothing to release or roll back.
      // A release fails with the error that aborted it, never "no such savepoint" (and the
      // caller then rolls the savepoint back, which only forgets it).
      if (step == savepoint_step::release) writer_->throw_aborted();
      --depth_;
      savepoint_closed();
      return;
    }
    // A savepoint opened outside a transaction (on the writer a callback already holds: in
    // with_writer, or reading :memory:) begins one, watched as BEGIN's are, until it closes.
    const bool begins = step == savepoint_step::open && !writer_->in_transaction();
    const int level = step == savepoint_step::open ? depth_ + 1 : depth_;
    std::string sql;
    ash::detail::string_writer w{sql};
    auto name = [&] {
      w.put(std::string_view("ash_sp_"));
      write_sql_integer(w, level);
    };
    if (step == savepoint_step::open) {
      w.put(std::string_view("SAVEPOINT "));
      name();
    } else {
      if (step == savepoint_step::roll_back) {
        w.put(std::string_view("ROLLBACK TO "));
        name();
        w.put(std::string_view("; "));
      }
      w.put(std::string_view("RELEASE "));
      name();
    }
    writer_->exec(sql);  // if it throws, the depth stays as it was
    depth_ = step == savepoint_step::open ? level : level - 1;
    if (begins) {
      writer_->begin_transaction();
      savepoint_began_ = level;
    } else if (step != savepoint_step::open) {
      savepoint_closed();
    }
  }
  /// Ends the watch of a transaction that a savepoint began, once that savepoint is closed.
  void savepoint_closed() noexcept {
    if (savepoint_began_ != 0 && depth_ < savepoint_began_) {
      writer_->end_transaction();
      savepoint_began_ = 0;
    }
  }

  /// `create_table<R>()` rendered at run time: one function for every resource, whose table it
  /// is given as constant data (`ash::table_desc_of<R>`).
  ASH_ONCE void create_table_of(const table_desc& d, std::string_view table) {
    run_ddl(ash::detail::write_string([&](auto& w) { write_create_statements(w, d, table, true); }));
  }
  /// Runs DDL statements (separated by `;`) on the writer, all or nothing: in a transaction (a
  /// savepoint inside one), so a failing statement undoes the ones before it.
  ASH_ONCE void run_ddl(std::string_view sql) {
    transaction([&] { writer_->exec(sql); });
  }

  using connection_callback = void (*)(void* context, connection& c);

  // The cores of with_writer / with_reader are not templates, so each query shape adds only a
  // small thunk to a program, not another copy of the locking.
  void on_writer(connection_callback fn, void* context) {
    writer_hold hold(*this);
    fn(context, *writer_);
  }
  void on_reader(connection_callback fn, void* context) {
    reader_hold hold(*this);
    fn(context, hold.get());
  }

  static config default_config_of() {
    if constexpr (requires { Derived::default_config(); }) return Derived::default_config();
    else return config{};
  }
  logger logger_of() const { return config_.log ? config_.log : logger(&log_to_stderr); }

  // Relaxed is enough: `owner_` is written under the writer mutex, and a thread only asks whether
  // it holds its own token there. Other threads only ever store their own tokens or none, and a
  // thread always sees its own latest store (coherence), so it cannot mistake itself for the owner.
  // (Sequentially consistent stores would cost a full barrier, two per statement.)
  bool owns_writer() const noexcept { return owner_.load(ash::detail::order::relaxed) == detail::this_thread_token(); }

  // The last reader given back waits in `idle_`, so a single-threaded reader takes and returns
  // it with one atomic exchange each, without the pool's mutex. A thread that finds no reader
  // announces itself in `waiters_`, reads the `released_` count, looks at `idle_` once more and
  // sleeps until the count moves (`detail::wake_counter`). A release that sees a waiter moves the
  // count and wakes one. The atomics are sequentially consistent and the count is read and moved
  // under its own mutex, so either the waiter's last look finds the reader, or the release sees
  // the waiter and moves the count after the waiter read it: no waiter sleeps while a reader is
  // idle. (Readers given back to `free_` are pushed under the mutex, where waiters read the
  // count before sleeping.)
  connection* acquire_reader() {
    if (connection* c = idle_.exchange(nullptr)) return c;
    std::unique_lock lock(pool_mutex_);
    for (;;) {
      if (free_count_ != 0) return free_[--free_count_];
      if (reader_count_ < static_cast<std::size_t>(config_.pool_size)) {
        open_options o;
        o.read_only = true;
        o.busy_timeout = config_.busy_timeout;
        connection* c = ::new (static_cast<void*>(readers_ + reader_count_)) connection(read_only_path(config_.database), o);
        ++reader_count_;
        c->set_logger(logger_of());
        c->enable_log(writer_->logging());  // under pool_mutex_, as log_sql switches them
        return c;
      }
      waiters_.fetch_add(1);
      const std::uint32_t seen = released_.load();
      if (connection* c = idle_.exchange(nullptr)) {
        waiters_.fetch_sub(1);
        return c;
      }
      lock.unlock();
      released_.wait(seen);
      waiters_.fetch_sub(1);
      lock.lock();
    }
  }
  void release_reader(connection* c) {
    connection* none = nullptr;
    if (!idle_.compare_exchange_strong(none, c)) {
      std::lock_guard lock(pool_mutex_);
      free_[free_count_++] = c;  // room for every reader: at most all of them are free
    }
    if (waiters_.load() == 0) return;
    released_.bump_and_wake_one();
  }

  /// Runs a select and collects its rows: shared by every query of resource `R` reading the
  /// same fields.
  template <class R, class Sel>
  std::vector<R> read_rows(statement_text& text, std::span<const param> params, Sel) {
    std::vector<R> out;
    reader_hold hold(*this);
    execute(hold.get(), text, params, &collect_row<R, Sel>, &out, false, namer_of_selection<R>(Sel{}));
    return out;
  }
  /// Reads the current row into a new element of `*rows` (a `std::vector<R>`). A function, not
  /// a lambda: one function per resource for the compiler, not three.
  template <class R, class Sel>
  static void collect_row(void* rows, sqlite3_stmt* s) {
    read_selected(s, static_cast<std::vector<R>*>(rows)->emplace_back(), Sel{});
  }

  /// The `row_namer` of reading selection `I...` (all fields when empty) of `R`.
  template <class R, std::size_t... I>
  static constexpr const row_namer* namer_of_selection(selection<I...>) {
    if constexpr (sizeof...(I) == 0) return all_fields_namer<R>();
    else return detail::namer_of<R>(std::index_sequence<I...>{});
  }
  template <class R, std::size_t... I>
  static void read_selected(sqlite3_stmt* s, R& r, selection<I...>) {
    if constexpr (sizeof...(I) == 0) read_record(s, r, std::make_index_sequence<field_count<R>>{});
    else read_record(s, r, std::index_sequence<I...>{});
  }

  template <class R, class... K>
  static void bind_key_values(param* p, const K&... key) {
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      (bind_key_value<field_type_t<R, info<R>::primary_key[J]>>(key, p[J]), ...);
    }(std::index_sequence_for<K...>{});
  }
  /// Binds a key given as the field's type where it lies; any other type (a literal or a
  /// string_view for a text key) is converted, and the param keeps its own copy of the converted
  /// value's text, which would otherwise be gone before the statement runs.
  template <class F, class K>
  static void bind_key_value(const K& key, param& p) {
    decltype(auto) value = ash::detail::held_value<F>(key);
    bind_value(value, p);
    if constexpr (!std::is_same_v<K, F> && ash::detail::may_borrow<F>) p.own();
  }
  template <class R>
  static void bind_key(param* p, const R& record) {
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      ((bind_field<R, info<R>::primary_key[J]>(record, p[J])), ...);
    }(std::make_index_sequence<info<R>::primary_key.size()>{});
  }

  template <class F>
  static auto guard(F&& fn) -> result<decltype(fn())> {
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        return {};
      } else {
        return fn();
      }
    } catch (const ash::exception& e) {
      return e.error();
    }
  }

  // --- action machinery -----------------------------------------------------------------------------------------

  /// Which fields an action has set: a fixed array on the stack (no allocation per action).
  template <class R>
  using field_mask = std::array<bool, field_count<R>>;

  template <class R, action_type K, ash::detail::fixed_string Action>
  static constexpr auto find_action() {
    constexpr std::size_t i = action_index<R, K, Action>();
    if constexpr (i == npos) {
      static_assert(i != npos, "ash: the resource has no action of this kind with this name (see the next error)");
      (void)sizeof(diag::resource_has_no_action_of_this_kind_named<R, K, ash::detail::spelled<Action>>);
      return 0;
    } else {
      return std::get<i>(actions_of<R>());
    }
  }

  /// Whether field I may be set by callers of action A.
  template <class R, class A, std::size_t I>
  static constexpr bool accepts() {
    if constexpr (std::is_same_v<typename A::accept_type, accept_all>) {
      // A key the caller gives (not generated) is set on create, and changed only by an update
      // that names it.
      return info<R>::writable[I] && (A::type == action_type::create || !info<R>::is_primary_key(I));
    } else {
      constexpr auto acts = actions_of<R>();
      constexpr auto a = std::get<action_index<R, A::type, ash::detail::to_fixed<A::name.size() + 1>(A::name)>()>(acts);
      bool found = false;
      std::apply([&](auto... m) { ((found = found || ash::detail::member_index<R>(m) == I), ...); }, a.accepted);
      return found;
    }
  }

  template <class R, class A, ash::detail::fixed_string Action, class In>
  static constexpr void check_input() {
    using I = std::remove_cvref_t<In>;
    if constexpr (is_field_input<I>) {
      using C = typename I::column;
      static_assert(std::is_same_v<typename C::resource, R>, "ash: an input sets a field of another resource");
      if constexpr (std::is_same_v<typename C::resource, R>) {
        constexpr bool ok = accepts<R, A, C::index>();
        static_assert(ok, "ash: the action does not accept this field (see the next error for which)");
        if constexpr (!ok) (void)sizeof(diag::action_does_not_accept_field<R, ash::detail::spelled<Action>, field_member<R, C::index>>);
      }
    } else if constexpr (is_argument_input<I>) {
      constexpr bool ok = std::apply([](auto... a) { return ((decltype(a)::name == I::name) || ... || false); }, typename A::args_type{});
      static_assert(ok, "ash: the action has no argument of this name (see the next error)");
      if constexpr (!ok)
        (void)sizeof(diag::action_has_no_argument_named<R, ash::detail::spelled<Action>,
                                                        ash::detail::spelled<ash::detail::to_fixed<I::name.size() + 1>(I::name)>>);
    } else {
      static_assert(is_field_input<I> || is_argument_input<I>,
                    "ash: actions take ash::set(field, value) and ash::arg<\"name\">(value) inputs");
    }
  }

  /// Applies inputs to the record and collects arguments; returns the mask of fields set.
  template <class R, class... In>
  static void apply_inputs(R& record, arguments& args, field_mask<R>& set, In&&... inputs) {
    (
        [&](auto&& in) {
          using I = std::remove_cvref_t<decltype(in)>;
          if constexpr (is_field_input<I>) {
            get_field<I::column::index>(record) = std::move(in.value);
            set[I::column::index] = true;
          } else if constexpr (is_argument_input<I>) {
            args.put(I::name, std::move(in.value));
          }
        }(std::forward<In>(inputs)),
        ...);
  }

  template <class R, class A>
  static void apply_changes(const A& action, R& record, const arguments& args, field_mask<R>& set) {
    std::apply(
        [&](const auto&... ch) {
          (
              [&] {
                std::size_t idx = field_index(ch.member);
                if constexpr (requires { ch.value; }) record.*(ch.member) = ch.value;
                else record.*(ch.member) = ch.fn(record, args);
                set[idx] = true;
              }(),
              ...);
        },
        action.changes);
  }

  /// An error of action A of resource R about `field`.
  template <class R, class A>
  static ash::error action_error(std::string_view field, std::string message, error_kind kind) {
    ash::error e;
    e.kind = kind;
    e.resource = std::string(resource_name<R>);
    e.action = std::string(A::name);
    e.field = std::string(field);
    e.message = std::move(message);
    return e;
  }

  /// The error for the first required argument of action A that was not given, if any. Checked
  /// before changes run, so a change may rely on its required arguments being there.
  template <class R, class A>
  static std::optional<ash::error> missing_argument(const arguments& args) {
    std::optional<ash::error> err;
    std::apply(
        [&](auto... a) {
          ((!err && decltype(a)::is_required && !args.has(decltype(a)::name)
                ? void(err = action_error<R, A>(decltype(a)::name, "is required", error_kind::required))
                : void()),
           ...);
        },
        typename A::args_type{});
    return err;
  }

  /// The first failure of the action's checks, in this order: required arguments, required
  /// fields (so an empty required field "is required" rather than too short), attribute
  /// constraints, then the other validations as declared. Nothing is checked after a failure: a
  /// predicate may rely on what an earlier check guarantees.
  template <class R, class A>
  static std::optional<ash::error> validate(const A& action, const R& record, const arguments& args,
                                            const field_mask<R>& set, bool creating) {
    std::optional<ash::error> err = missing_argument<R, A>(args);
    auto fail = [&](std::string_view field, std::string msg, error_kind k) {
      if (!err) err = action_error<R, A>(field, std::move(msg), k);
    };
    // Required fields.
    std::apply(
        [&](const auto&... v) {
          (
              [&] {
                if constexpr (!requires { v.pred; }) {
                  if (err) return;
                  std::size_t i = field_index(v.member);
                  const auto& value = record.*(v.member);
                  bool present = true;
                  if constexpr (is_optional_v<std::remove_cvref_t<decltype(value)>>) present = value.has_value();
                  if constexpr (requires { value.empty(); }) present = !value.empty();
                  if (creating && !set[i]) present = false;
                  if (!present) fail(field_list<R>::names[i], "is required", error_kind::required);
                }
              }(),
              ...);
        },
        action.validations);
    // Attribute constraints on the fields being written.
    if constexpr (ash::detail::has_attributes<resource<R>>)
      ash::detail::for_each(resource<R>::attributes, [&](const auto& decl) {
        std::size_t i = ash::detail::member_index<R>(decl.member);
        if (err || !set[i]) return;
        const auto& v = record.*(decl.member);
        using V = std::remove_cvref_t<decltype(v)>;
        if constexpr (std::is_same_v<unwrap_optional_t<V>, std::string>) {
          const std::string* s = nullptr;
          if constexpr (is_optional_v<V>) s = v ? &*v : nullptr;
          else s = &v;
          if (s && s->size() > decl.max_len)
            fail(field_list<R>::names[i], "must be at most " + std::to_string(decl.max_len) + " characters", error_kind::invalid_attribute);
          if (s && s->size() < decl.min_len)
            fail(field_list<R>::names[i], "must be at least " + std::to_string(decl.min_len) + " characters", error_kind::invalid_attribute);
        }
      });
    // The action's other validations, in order.
    std::apply(
        [&](const auto&... v) {
          (
              [&] {
                if (err) return;
                if constexpr (requires { v.pred(record, args); }) {
                  if (!v.pred(record, args)) fail(v.field, std::string(v.message), error_kind::validation);
                } else if constexpr (requires { v.pred; }) {
                  if (!v.pred(record.*(v.member))) fail(field_list<R>::names[field_index(v.member)], std::string(v.message), error_kind::validation);
                }
              }(),
              ...);
        },
        action.validations);
    return err;
  }


  template <class R>
  static void apply_defaults(R& record) {
    if constexpr (ash::detail::has_attributes<resource<R>>)
      ash::detail::for_each(resource<R>::attributes, [&](const auto& decl) {
        using D = typename std::remove_cvref_t<decltype(decl)>::default_type;
        if constexpr (!std::is_void_v<D>) {
          using F = std::remove_cvref_t<decltype(record.*(decl.member))>;
          record.*(decl.member) = F(unwrap_optional_t<F>(decl.default_val));
        }
      });
  }

  /// Whether `R` declares a create or update timestamp (so a write reads the clock).
  template <class R>
  static constexpr bool has_timestamps() {
    bool any = false;
    if constexpr (ash::detail::has_attributes<resource<R>>)
      ash::detail::for_each(resource<R>::attributes, [&](const auto& decl) {
        any = any || decl.role == attribute_role::update_timestamp || decl.role == attribute_role::create_timestamp;
      });
    return any;
  }

  template <class R>
  static void stamp(R& record, bool creating, field_mask<R>* set) {
    if constexpr (has_timestamps<R>()) {
      auto now = utc_now();
      ash::detail::for_each(resource<R>::attributes, [&](const auto& decl) {
        if (decl.role == attribute_role::update_timestamp || (creating && decl.role == attribute_role::create_timestamp)) {
          if constexpr (std::is_same_v<std::remove_cvref_t<decltype(record.*(decl.member))>, utc_datetime>) {
            record.*(decl.member) = now;
            if (set) (*set)[ash::detail::member_index<R>(decl.member)] = true;
          }
        }
      });
    }
  }

  /// Inserts `record`; writes a generated key back unless the record is const.
  template <ash::detail::fixed_string Table, class Rec>
  void insert_record(Rec& record) {
    using R = std::remove_const_t<Rec>;
    static constexpr auto& sql = ash::sql::insert_sql<R, Table>;
    constexpr std::size_t n = field_count<R>;
    param_array<n> params;
    std::size_t k = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((info<R>::generated(I) ? void() : bind_field<R, I>(record, params[k++])), ...);
    }(std::make_index_sequence<n>{});
    std::int64_t rowid = 0;
    write(detail::text_slot<sql>::text, std::span<const param>(params.items, k), &rowid);
    if constexpr (info<R>::generation == key_generation::autoincrement && !std::is_const_v<Rec>) {
      using K = std::remove_cvref_t<decltype(get_field<info<R>::primary_key[0]>(record))>;
      get_field<info<R>::primary_key[0]>(record) = static_cast<K>(rowid);
    }
  }

  template <class R, ash::detail::fixed_string Action, ash::detail::fixed_string Table, class... In>
  R run_create(In&&... inputs) {
    static_assert(check_resource<R>());
    check_table<R, Table>();
    if constexpr (action_index<R, action_type::create, Action>() == npos) {
      (void)find_action<R, action_type::create, Action>();  // the error naming the action, and nothing more
      return R{};
    } else {
      return run_create_action<R, Action, Table>(std::forward<In>(inputs)...);
    }
  }

  template <class R, ash::detail::fixed_string Action, ash::detail::fixed_string Table, class... In>
  R run_create_action(In&&... inputs) {
    constexpr auto action = find_action<R, action_type::create, Action>();
    using A = decltype(action);
    (check_input<R, A, Action, In>(), ...);
    R record{};
    apply_defaults(record);
    arguments args;
    field_mask<R> set{};
    apply_inputs(record, args, set, std::forward<In>(inputs)...);
    if (auto err = missing_argument<R, A>(args)) throw ash::exception(std::move(*err));
    apply_changes(action, record, args, set);
    stamp(record, true, &set);
    if constexpr (info<R>::generation == key_generation::uuid_v4) {
      auto& key = get_field<info<R>::primary_key[0]>(record);
      if (key.is_nil()) key = uuid::generate();
    }
    if (auto err = validate(action, record, args, set, true)) throw ash::exception(std::move(*err));
    try {
      insert_record<Table>(record);
    } catch (ash::exception& e) {
      throw ash::exception(with_context<R, A>(e.error()));
    }
    return record;
  }

  /// Polymorphic resources have no table of their own: each write names one.
  template <class R, ash::detail::fixed_string Table>
  static constexpr void check_table() {
    static_assert(!info<R>::polymorphic || Table.size() > 0,
                  "ash: a polymorphic resource is written to a table chosen with create_in / update_in / destroy_in<\"table\">");
  }

  template <class R, class A>
  static ash::error with_context(ash::error e) {
    e.resource = std::string(resource_name<R>);
    e.action = std::string(A::name);
    if (e.kind == error_kind::unique_violation) e.message = identity_message<R>(e.field, std::move(e.message));
    return e;
  }

  /// The message for a unique violation on `field`: that of the identity whose first field it is,
  /// if the identity declares one (`.message(...)`), else `fallback`.
  template <class R>
  static std::string identity_message(std::string_view field, std::string fallback) {
    if constexpr (ash::detail::has_identities<resource<R>>)
      ash::detail::for_each(resource<R>::identities, [&](const auto& id) {
        if (!id.message_text.empty() && field_list<R>::names[ash::detail::member_index<R>(ash::detail::at<0>(id.members))] == field)
          fallback = std::string(id.message_text);
      });
    return fallback;
  }

  /// Fields written by an update with inputs `In...`: the inputs, the action's changes, and
  /// update timestamps; sorted, without repeats.
  template <class R, class A, class... In>
  static constexpr auto update_fields() {
    std::array<bool, field_count<R>> mask{};
    (
        [&] {
          using I = std::remove_cvref_t<In>;
          if constexpr (is_field_input<I>) mask[I::column::index] = true;
        }(),
        ...);
    constexpr auto acts = actions_of<R>();
    constexpr auto a = std::get<action_index<R, A::type, ash::detail::to_fixed<A::name.size() + 1>(A::name)>()>(acts);
    std::apply([&](auto... ch) { ((mask[field_index(ch.member)] = true), ...); }, a.changes);
    if constexpr (ash::detail::has_attributes<resource<R>>)
      ash::detail::for_each(resource<R>::attributes, [&](const auto& decl) {
        if (decl.role == attribute_role::update_timestamp) mask[ash::detail::member_index<R>(decl.member)] = true;
      });
    return mask;
  }

  /// The checks update and destroy share; each names only the first mistake (nothing after it is
  /// instantiated). True when the action can run.
  template <class R, action_type K, ash::detail::fixed_string Action, ash::detail::fixed_string Table>
  static constexpr bool check_keyed_action() {
    static_assert(check_resource<R>());
    check_table<R, Table>();
    static_assert(info<R>::has_primary_key, "ash: update and destroy need a resource with a primary key");
    if constexpr (!info<R>::has_primary_key) {
      (void)sizeof(diag::update_and_destroy_need_a_primary_key<R>);
      return false;
    } else if constexpr (action_index<R, K, Action>() == npos) {
      (void)find_action<R, K, Action>();
      return false;
    } else {
      return true;
    }
  }

  template <ash::detail::fixed_string Action, ash::detail::fixed_string Table, class R, class... In>
  R run_update(const R& original, In&&... inputs) {
    if constexpr (check_keyed_action<R, action_type::update, Action, Table>()) {
      R record = original;
      update_record<Action, Table>(record, original, std::forward<In>(inputs)...);
      return record;
    } else {
      return original;
    }
  }

  /// `run_update` on the caller's record. Only the fields the update writes can change, so only
  /// they are saved, and put back if anything fails. An update that writes the primary key needs
  /// the old key for its WHERE clause after the record has changed: it takes the copying path.
  template <ash::detail::fixed_string Action, ash::detail::fixed_string Table, class R, class... In>
  void run_update_in_place(R& record, In&&... inputs) {
    if constexpr (check_keyed_action<R, action_type::update, Action, Table>()) {
      using A = decltype(find_action<R, action_type::update, Action>());
      (check_input<R, A, Action, In>(), ...);
      static constexpr auto& fields = update_field_list<R, A, In...>;
      constexpr bool writes_key = [] {
        for (std::size_t f : fields)
          for (std::size_t k : info<R>::primary_key)
            if (f == k) return true;
        return false;
      }();
      if constexpr (writes_key) {
        record = run_update<Action, Table>(std::as_const(record), std::forward<In>(inputs)...);
      } else {
        [&]<std::size_t... J>(std::index_sequence<J...>) {
          std::tuple<std::remove_cvref_t<decltype(get_field<fields[J]>(record))>...> saved{get_field<fields[J]>(record)...};
          try {
            update_record<Action, Table>(record, record, std::forward<In>(inputs)...);
          } catch (...) {
            ((get_field<fields[J]>(record) = std::move(std::get<J>(saved))), ...);
            throw;
          }
        }(std::make_index_sequence<fields.size()>{});
      }
    }
  }

  /// The update action on `record` (a copy of `original`, or `original` itself when the update
  /// leaves the key alone): inputs, changes, timestamps, validations, then the statement, keyed
  /// by `original`'s primary key.
  template <ash::detail::fixed_string Action, ash::detail::fixed_string Table, class R, class... In>
  void update_record(R& record, const R& original, In&&... inputs) {
    constexpr auto action = find_action<R, action_type::update, Action>();
    using A = decltype(action);
    (check_input<R, A, Action, In>(), ...);
    arguments args;
    field_mask<R> set{};
    apply_inputs(record, args, set, std::forward<In>(inputs)...);
    if (auto err = missing_argument<R, A>(args)) throw ash::exception(std::move(*err));
    apply_changes(action, record, args, set);
    stamp(record, false, &set);
    if (auto err = validate(action, record, args, set, false)) throw ash::exception(std::move(*err));
    constexpr std::size_t count = update_field_list<R, A, In...>.size();
    // With nothing to write, as in Ash, no statement runs.
    if constexpr (count != 0)
      run_update_statement<Table, R, A, In...>(record, original, std::make_index_sequence<count>{});
  }

  /// The field indexes an update writes, as a constant array.
  template <class R, class A, class... In>
  static constexpr auto update_field_list = [] {
    constexpr auto mask = update_fields<R, A, In...>();
    constexpr std::size_t n = [&] {
      std::size_t k = 0;
      for (bool b : mask) k += b;
      return k;
    }();
    std::array<std::size_t, n> out{};
    std::size_t k = 0;
    for (std::size_t i = 0; i < mask.size(); ++i)
      if (mask[i]) out[k++] = i;
    return out;
  }();

  template <ash::detail::fixed_string Table, class R, class A, class... In, std::size_t... J>
  void run_update_statement(const R& record, const R& original, std::index_sequence<J...>) {
    static constexpr auto& fields = update_field_list<R, A, In...>;
    static constexpr auto& sql = ash::sql::update_sql<R, Table, fields[J]...>;
    constexpr std::size_t nk = info<R>::primary_key.size();
    param_array<sizeof...(J) + nk> params;
    ((bind_field<R, fields[J]>(record, params[J])), ...);
    bind_key(params.items + sizeof...(J), original);
    write_keyed<R, A>(detail::text_slot<sql>::text, std::span<const param>(params.items, sizeof...(J) + nk));
  }

  /// Runs a write on the writer and returns the rows it changed (and, if asked, the rowid of
  /// the row it inserted, read under the same hold of the writer).
  std::int64_t write(statement_text& text, std::span<const param> params,
                     std::int64_t* rowid = nullptr) {
    writer_hold hold(*this);
    std::int64_t changed = execute(*writer_, text, params, nullptr, nullptr);
    if (rowid) *rowid = writer_->last_insert_rowid();
    return changed;
  }

  /// The write of one record, by its key, for action `A` of `R`: its errors name the resource and
  /// the action, and a write that changes no row is a stale record.
  template <class R, class A>
  void write_keyed(statement_text& text, std::span<const param> params) {
    std::int64_t changed = 0;
    try {
      changed = write(text, params);
    } catch (ash::exception& e) {
      throw ash::exception(with_context<R, A>(e.error()));
    }
    if (changed == 0) throw ash::exception(stale<R, A>());
  }

  template <class R, class A>
  static ash::error stale() {
    ash::error e;
    e.kind = error_kind::stale_record;
    e.resource = std::string(resource_name<R>);
    e.action = std::string(A::name);
    e.message = "the record was not found: it was changed or deleted since it was read";
    return e;
  }

  template <ash::detail::fixed_string Action, ash::detail::fixed_string Table, class R, class... In>
  void run_destroy(const R& record, In&&... inputs) {
    if constexpr (check_keyed_action<R, action_type::destroy, Action, Table>()) {
      constexpr auto action = find_action<R, action_type::destroy, Action>();
      using A = decltype(action);
      (check_input<R, A, Action, In>(), ...);
      arguments args;
      field_mask<R> set{};
      R copy = record;
      apply_inputs(copy, args, set, std::forward<In>(inputs)...);
      if (auto err = validate(action, copy, args, set, false)) throw ash::exception(std::move(*err));
      static constexpr auto& sql = ash::sql::delete_sql<R, Table>;
      constexpr std::size_t nk = info<R>::primary_key.size();
      param_array<nk> params;
      bind_key(params.items, record);
      write_keyed<R, A>(detail::text_slot<sql>::text, std::span<const param>(params.items, nk));
    }
  }

  config config_;
  std::optional<connection> writer_;
  bool memory_ = false;
  std::mutex writer_mutex_;
  ash::detail::atomic<const void*> owner_{nullptr};  ///< `detail::this_thread_token()` of the thread holding the writer
  int depth_ = 0;
  int savepoint_began_ = 0;  ///< the savepoint level that began the current transaction (0: BEGIN did, or none)
  std::mutex pool_mutex_;
  // Plain arrays rather than `std::vector`s: this header is in every translation unit, and the
  // vectors' growth code, never needed here, cost each its instantiation.
  connection* readers_ = nullptr;  ///< room for `pool_size` readers; the first `reader_count_` are open
  std::size_t reader_count_ = 0;
  connection** free_ = nullptr;  ///< room for `pool_size` readers given back; `free_count_` are there
  std::size_t free_count_ = 0;
  ash::detail::atomic<connection*> idle_{nullptr};
  ash::detail::atomic<int> waiters_{0};
  ash::detail::wake_counter released_;  ///< moves on each release that a waiter may need
};

}  // namespace ash::sqlite
