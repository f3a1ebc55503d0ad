#pragma once
// Shared test helpers: temporary database files that clean up after themselves, and raw SQL
// reads that look at what is really stored, without going through the library's decoding.

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <ash/sqlite/connection.hpp>

namespace test {

/// A fresh directory under the system temp dir, removed with its contents at scope exit.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("ash_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

/// One stored value as text, for comparing whole tables: NULL, integers, reals, 'text', x'blob'.
inline std::string describe_column(sqlite3_stmt* s, int c) {
  switch (sqlite3_column_type(s, c)) {
    case SQLITE_NULL: return "NULL";
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(s, c));
    case SQLITE_FLOAT: return std::to_string(sqlite3_column_double(s, c));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
      return "'" + std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, c))) + "'";
    }
    default: {
      const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, c));
      auto n = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
      std::string out = "x'";
      for (std::size_t i = 0; i < n; ++i) {
        out += "0123456789abcdef"[p[i] >> 4];
        out += "0123456789abcdef"[p[i] & 0xf];
      }
      return out + "'";
    }
  }
}

/// Every row of a raw SQL query (no parameters), each row its columns described as above.
template <class Repo>
std::vector<std::vector<std::string>> rows(Repo& repo, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  repo.with_writer([&](ash::sqlite::connection& c) {
    sqlite3_stmt* s = c.prepare(sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) row.push_back(describe_column(s, i));
      out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
  });
  return out;
}

/// The whole content of a table in rowid order: what "the database is unchanged" compares.
template <class Repo>
std::vector<std::vector<std::string>> table_contents(Repo& repo, const std::string& table) {
  return rows(repo, "SELECT * FROM \"" + table + "\" ORDER BY rowid");
}

/// The first column of the first row of a raw query, as stored bytes (nullopt for NULL or no row).
template <class Repo>
std::optional<std::string> scalar_text(Repo& repo, const std::string& sql) {
  std::optional<std::string> out;
  repo.with_writer([&](ash::sqlite::connection& c) {
    sqlite3_stmt* s = c.prepare(sql);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(s, 0));
      out = std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
    }
    sqlite3_finalize(s);
  });
  return out;
}

/// The first column of the first row of a raw query as an integer (0 when there is no row).
template <class Repo>
std::int64_t scalar_int(Repo& repo, const std::string& sql) {
  std::int64_t out = 0;
  repo.with_writer([&](ash::sqlite::connection& c) {
    sqlite3_stmt* s = c.prepare(sql);
    if (sqlite3_step(s) == SQLITE_ROW) out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  });
  return out;
}

/// Whether a table exists in the database.
template <class Repo>
bool table_exists(Repo& repo, const std::string& table) {
  return scalar_int(repo, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'") == 1;
}

}  // namespace test
