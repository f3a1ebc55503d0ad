// Raw sqlite3: the C API by hand, prepared statements reused across iterations, default open
// flags. The physical limit a user could write.
#include <sqlite3.h>

#include <stdexcept>
#include <string>

#include "driver.hpp"

namespace bench {
namespace {

class raw {
 public:
  explicit raw(const job& j) {
    if (sqlite3_open_v2(j.memory ? ":memory:" : j.path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
      fail("open");
    if (!j.memory) exec(file_pragmas);
    exec(common_pragmas);
  }
  ~raw() {
    for (sqlite3_stmt* s : {insert_, get_, filter_, contains_, update_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  raw(const raw&) = delete;
  raw& operator=(const raw&) = delete;

  void* handle() const { return db_; }
  void exec(std::string_view sql) {
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("exec");
  }

  std::int64_t insert_all(const std::vector<Item>& items) {
    sqlite3_stmt* s = prepare(insert_, insert_sql);
    std::int64_t ids = 0;
    exec("BEGIN");
    for (const Item& r : items) {
      sqlite3_bind_text(s, 1, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 2, r.status.data(), static_cast<int>(r.status.size()), SQLITE_STATIC);
      sqlite3_bind_int64(s, 3, r.priority);
      sqlite3_bind_double(s, 4, r.score);
      if (sqlite3_step(s) != SQLITE_DONE) fail("insert");
      sqlite3_reset(s);
      ids += sqlite3_last_insert_rowid(db_);
    }
    exec("COMMIT");
    return ids;
  }

  void get(std::int64_t id, Item& out) {
    sqlite3_stmt* s = prepare(get_, get_sql);
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) read(s, out);
    sqlite3_reset(s);
  }

  std::vector<Item> filter(std::string_view status, std::int64_t priority) {
    sqlite3_stmt* s = prepare(filter_, filter_sql);
    sqlite3_bind_text(s, 1, status.data(), static_cast<int>(status.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, priority);
    return collect(s);
  }

  std::vector<Item> contains(std::string_view needle) {
    sqlite3_stmt* s = prepare(contains_, contains_sql);
    sqlite3_bind_text(s, 1, needle.data(), static_cast<int>(needle.size()), SQLITE_STATIC);
    return collect(s);
  }

  void update_all(const std::vector<Item>& records, const std::vector<double>& scores) {
    sqlite3_stmt* s = prepare(update_, update_sql);
    exec("BEGIN");
    for (std::size_t k = 0; k < records.size(); ++k) {
      sqlite3_bind_double(s, 1, scores[k]);
      sqlite3_bind_int64(s, 2, records[k].id);
      if (sqlite3_step(s) != SQLITE_DONE) fail("update");
      sqlite3_reset(s);
    }
    exec("COMMIT");
  }

 private:
  [[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db_)); }

  sqlite3_stmt* prepare(sqlite3_stmt*& slot, std::string_view sql) {
    if (!slot && sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &slot,
                                    nullptr) != SQLITE_OK)
      fail("prepare");
    return slot;
  }

  static void read(sqlite3_stmt* s, Item& r) {
    r.id = sqlite3_column_int64(s, 0);
    const char* p = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    r.name.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
    p = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
    r.status.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
    r.priority = sqlite3_column_int64(s, 3);
    r.score = sqlite3_column_double(s, 4);
  }

  std::vector<Item> collect(sqlite3_stmt* s) {
    std::vector<Item> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      Item r;
      read(s, r);
      out.push_back(std::move(r));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) fail("select");
    return out;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* filter_ = nullptr;
  sqlite3_stmt* contains_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
};

}  // namespace

timing run_raw(const job& j) { return drive<raw>(j); }

}  // namespace bench
