#pragma once
// The runtime benchmark's shared vocabulary: the row type, the workloads, one job (one library
// running one workload in a child process), and helpers every library adapter uses.
//
// This header does not include <sqlite3.h>: SOCI's backend header wraps sqlite3.h in its own
// namespace, so the SOCI adapter must not see the global declarations. Handles cross as void*.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// One row of `items(id INTEGER PRIMARY KEY, name TEXT, status TEXT, priority INTEGER, score REAL)`.
struct Item {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  std::int64_t priority = 0;
  double score = 0;
};

enum class workload { insert, point_select, filter, contains, update };
inline constexpr workload all_workloads[] = {workload::insert, workload::point_select, workload::filter,
                                             workload::contains, workload::update};

/// The sizes of one run (the issue's, or smaller ones for --quick).
struct sizes {
  std::int64_t rows = 100'000;
  std::int64_t selects = 100'000;
  int filter_reps = 50;
  int contains_reps = 20;
  std::int64_t updates = 10'000;
  /// Transactions of `updates` timed in each sample, reported per transaction: one takes only
  /// about 10 ms in memory, where a single run's timing jitter is a few percent.
  int update_runs = 5;
};

/// What one child process runs.
struct job {
  workload w = workload::insert;
  bool memory = false;
  std::string path;           ///< the database file (unused for :memory:)
  std::string template_path;  ///< a file holding the populated table
  sizes n;
};

/// What one child reports: the time of the workload alone, and a digest of what it read or wrote.
struct timing {
  double seconds = 0;      ///< wall-clock time
  double cpu_seconds = 0;  ///< CPU time of the process over the same span (immune to preemption)
  std::uint64_t digest = 0;
};

// The statements, byte for byte the texts ash renders at compile time (lib_ash.cpp checks it), so
// every library runs the same SQL. SOCI spells placeholders `:name` instead of `?`.
inline constexpr std::string_view create_table_sql =
    "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, status TEXT, priority INTEGER, score REAL)";
inline constexpr std::string_view insert_sql =
    R"(INSERT INTO "items" ("name", "status", "priority", "score") VALUES (?, ?, ?, ?))";
inline constexpr std::string_view get_sql =
    R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE "id" = ?)";
inline constexpr std::string_view filter_sql =
    R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE ("status" = ? AND "priority" > ?))";
inline constexpr std::string_view contains_sql =
    R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE instr(CAST("name" AS BLOB), CAST(? AS BLOB)) > 0)";
inline constexpr std::string_view update_sql = R"(UPDATE "items" SET "score" = ? WHERE "id" = ?)";

/// Pragmas every library's connection gets, so all run under ash's defaults (WAL and
/// synchronous=NORMAL on files; case-sensitive LIKE; foreign keys on).
inline constexpr std::string_view file_pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL";
inline constexpr std::string_view common_pragmas = "PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON";

// The filter of workload 3 (about 10% of rows) and the needle of workload 4.
inline constexpr std::string_view filter_status = "open";
inline constexpr std::int64_t filter_priority = 5;
inline constexpr std::string_view contains_needle = "42";

/// Row `i` (1-based) of the table, deterministic.
Item make_item(std::int64_t i);
/// The rows to insert (ids left 0).
std::vector<Item> make_items(std::int64_t n);
/// The primary keys of workload 2 / the rows of workload 5, in a scrambled order.
std::vector<std::int64_t> scrambled_ids(std::int64_t count, std::int64_t rows);

/// Adds a row to a digest (order-independent, so libraries may return rows in any order).
inline std::uint64_t digest_of(const Item& r) {
  return static_cast<std::uint64_t>(r.id) * 3 + static_cast<std::uint64_t>(r.priority) * 5 + r.name.size() * 7 +
         r.status.size() * 11 + static_cast<std::uint64_t>(r.score * 4);
}
inline std::uint64_t digest_of(const std::vector<Item>& v) {
  std::uint64_t d = v.size();
  for (const auto& r : v) d += digest_of(r);
  return d;
}

/// Writes the populated template database (rows 1..n) at `path`, checkpointed, in WAL mode.
void write_template(const std::string& path, std::int64_t n);
/// Before opening: for a file job, puts the database in place (the template's copy, or nothing
/// for the insert workload).
void prepare_file(const job& j);
/// After opening: for an in-memory job, copies the template into the connection (not for insert).
void load_memory(void* sqlite3_handle, const job& j);
/// A digest of the whole table (for write workloads, checked after the timed part).
std::uint64_t table_digest(void* sqlite3_handle);

// The adapters, one per library (each in its own translation unit).
timing run_raw(const job& j);
timing run_ash(const job& j);
timing run_sqlitecpp(const job& j);
timing run_soci(const job& j);

}  // namespace bench
