// Data, templates and digests shared by every adapter (plain sqlite3 C API).
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "bench.hpp"

namespace bench {

namespace {
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

void remove_database(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}
}  // namespace

Item make_item(std::int64_t i) {
  static constexpr const char* statuses[] = {"open", "closed", "pending", "on_hold"};
  std::uint64_t h = mix(static_cast<std::uint64_t>(i));
  Item r;
  r.id = i;
  r.name = "item " + std::to_string(i);
  r.status = statuses[h % 4];
  r.priority = static_cast<std::int64_t>((h >> 8) % 10);
  r.score = static_cast<double>(i % 997) * 0.5;
  return r;
}

std::vector<Item> make_items(std::int64_t n) {
  std::vector<Item> v;
  v.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 1; i <= n; ++i) {
    v.push_back(make_item(i));
    v.back().id = 0;
  }
  return v;
}

std::vector<std::int64_t> scrambled_ids(std::int64_t count, std::int64_t rows) {
  std::vector<std::int64_t> v;
  v.reserve(static_cast<std::size_t>(count));
  // Stepping by a prime that does not divide `rows` visits every row once per `rows` steps.
  std::int64_t step = 7919;
  while (rows % step == 0) step += 2;
  for (std::int64_t k = 0; k < count; ++k) v.push_back((k * step) % rows + 1);
  return v;
}

void write_template(const std::string& path, std::int64_t n) {
  remove_database(path);
  sqlite3* db = nullptr;
  check(db, sqlite3_open(path.c_str(), &db), "open template");
  auto exec = [&](std::string_view sql) { check(db, sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, nullptr), "exec"); };
  exec("PRAGMA journal_mode=WAL");
  exec(create_table_sql);
  exec("BEGIN");
  sqlite3_stmt* s = nullptr;
  check(db, sqlite3_prepare_v2(db, insert_sql.data(), static_cast<int>(insert_sql.size()), &s, nullptr), "prepare");
  for (const Item& r : make_items(n)) {
    sqlite3_bind_text(s, 1, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r.status.data(), static_cast<int>(r.status.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, r.priority);
    sqlite3_bind_double(s, 4, r.score);
    check(db, sqlite3_step(s), "insert");
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  exec("COMMIT");
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
}

void prepare_file(const job& j) {
  if (j.memory) return;
  remove_database(j.path);
  if (j.w != workload::insert) std::filesystem::copy_file(j.template_path, j.path);
}

void load_memory(void* handle, const job& j) {
  if (!j.memory || j.w == workload::insert) return;
  auto* dest = static_cast<sqlite3*>(handle);
  sqlite3* src = nullptr;
  check(src, sqlite3_open_v2(j.template_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr), "open template");
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", src, "main");
  if (!b) throw std::runtime_error(std::string("backup: ") + sqlite3_errmsg(dest));
  sqlite3_backup_step(b, -1);
  check(dest, sqlite3_backup_finish(b), "backup");
  sqlite3_close(src);
}

std::uint64_t table_digest(void* handle) {
  auto* db = static_cast<sqlite3*>(handle);
  sqlite3_stmt* s = nullptr;
  check(db, sqlite3_prepare_v2(db, "SELECT id, name, status, priority, score FROM items", -1, &s, nullptr), "prepare");
  std::uint64_t d = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    Item r;
    r.id = sqlite3_column_int64(s, 0);
    r.name.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)), static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
    r.status.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)), static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
    r.priority = sqlite3_column_int64(s, 3);
    r.score = sqlite3_column_double(s, 4);
    d += digest_of(r);
  }
  sqlite3_finalize(s);
  return d;
}

}  // namespace bench
