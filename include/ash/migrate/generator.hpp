#pragma once
/// \file
/// The migration generator: loads the newest snapshots, diffs them against the current tables,
/// and writes one migration file plus one new snapshot per changed table.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ash/core/schema.hpp"
#include "ash/core/schema_of.hpp"
#include "ash/migrate/diff.hpp"
#include "ash/migrate/migration_file.hpp"
#include "ash/migrate/snapshot.hpp"

namespace ash::migrate {

/// The message printed when there is nothing to generate.
inline constexpr std::string_view no_changes_message =
    "No changes detected, so no migrations or snapshots have been created.";

/// How to generate.
struct generate_options {
  std::filesystem::path snapshot_path = "priv/resource_snapshots";
  std::filesystem::path migration_path;  ///< where the migration file goes
  std::string name;                      ///< migration name; may be empty only with dry_run or check
  bool drop_columns = false;
  bool dry_run = false;  ///< compute everything, write nothing
  bool check = false;    ///< like dry_run; the caller reports whether anything would change
  rename_resolver renames;
  /// The generation time (tests pin it); the current UTC time when unset.
  std::optional<std::chrono::system_clock::time_point> now;
};

/// One file the generator writes (or would write, for a dry run).
struct generated_file {
  std::filesystem::path path;
  std::string text;
};

/// What a generation produced.
struct generate_result {
  plan diff;                               ///< the operations
  std::optional<generated_file> migration;  ///< absent when nothing changed
  std::vector<generated_file> snapshots;
  bool written = false;  ///< the files are on disk

  bool changed() const noexcept { return !diff.empty(); }
};

/// Loads, for each table, its newest snapshot under `snapshot_path`.
inline std::map<std::string, schema::table> load_snapshots(const std::filesystem::path& snapshot_path,
                                                           const std::vector<schema::table>& tables) {
  std::map<std::string, schema::table> out;
  for (const auto& t : tables)
    if (auto s = load_latest_snapshot(snapshot_path, t.repo, t.name)) out.emplace(t.name, std::move(*s));
  return out;
}

namespace detail {

/// A timestamp after every existing migration version and unused by the snapshots to write, so
/// that two generations within one second still get increasing versions.
inline std::string next_timestamp(std::chrono::system_clock::time_point now, const std::filesystem::path& migration_path,
                                  const std::filesystem::path& snapshot_path, const std::vector<schema::table>& tables) {
  std::int64_t newest = 0;
  for (const auto& m : list_migrations({migration_path})) newest = std::max(newest, m.version);
  for (;; now += std::chrono::seconds(1)) {
    const std::string ts = utc_timestamp(now);
    if (std::stoll(ts) <= newest) continue;
    bool free = true;
    for (const auto& t : tables)
      free = free && !std::filesystem::exists(snapshot_dir(snapshot_path, t.repo, t.name) / (ts + ".json"));
    if (free) return ts;
  }
}

}  // namespace detail

/// Diffs `tables` against their snapshots and writes the migration and snapshots (unless
/// `dry_run` or `check`). Throws `ash::exception` (kind migration) when the name is missing or
/// invalid, a snapshot cannot be read, or an index name is invalid.
inline generate_result generate(const std::vector<schema::table>& tables, const generate_options& opts) {
  const bool writes = !opts.dry_run && !opts.check;
  if (writes && opts.name.empty())
    detail::fail("Name must be provided when generating migrations, unless --dry-run or --check is also provided.");
  for (char c : opts.name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      detail::fail("Migration name \"" + opts.name + "\" is not valid: use letters, digits and underscores only.");

  generate_result r;
  r.diff = diff(load_snapshots(opts.snapshot_path, tables), tables, {opts.drop_columns, opts.renames});
  if (r.diff.empty()) return r;

  const std::string name = opts.name.empty() ? "migrate_resources" : opts.name;
  const std::string ts = detail::next_timestamp(opts.now.value_or(std::chrono::system_clock::now()),
                                                opts.migration_path, opts.snapshot_path, r.diff.changed);
  r.migration = generated_file{opts.migration_path / (ts + "_" + name + ".sql"), render_migration(r.diff, name)};
  for (const auto& t : r.diff.changed)
    r.snapshots.push_back({snapshot_dir(opts.snapshot_path, t.repo, t.name) / (ts + ".json"), snapshot_text(t)});
  if (writes) {
    write_text_file(r.migration->path, r.migration->text);
    for (const auto& f : r.snapshots) write_text_file(f.path, f.text);
    r.written = true;
  }
  return r;
}

}  // namespace ash::migrate
