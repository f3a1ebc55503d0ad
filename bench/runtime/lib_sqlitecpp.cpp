// SQLiteCpp: SQLite::Statement reused across iterations (bind, executeStep, getColumn, reset).
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>

#include "driver.hpp"

namespace bench {
namespace {

class sqlitecpp {
 public:
  explicit sqlitecpp(const job& j)
      : db_(j.memory ? ":memory:" : j.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    if (!j.memory) db_.exec(std::string(file_pragmas));
    db_.exec(std::string(common_pragmas));
  }

  void* handle() const { return db_.getHandle(); }
  void exec(std::string_view sql) { db_.exec(std::string(sql)); }

  std::int64_t insert_all(const std::vector<Item>& items) {
    SQLite::Statement& q = prepare(insert_, insert_sql);
    std::int64_t ids = 0;
    SQLite::Transaction tx(db_);
    for (const Item& r : items) {
      q.bindNoCopy(1, r.name);
      q.bindNoCopy(2, r.status);
      q.bind(3, static_cast<int64_t>(r.priority));
      q.bind(4, r.score);
      q.exec();
      q.reset();
      ids += db_.getLastInsertRowid();
    }
    tx.commit();
    return ids;
  }

  void get(std::int64_t id, Item& out) {
    SQLite::Statement& q = prepare(get_, get_sql);
    q.bind(1, static_cast<int64_t>(id));
    if (q.executeStep()) read(q, out);
    q.reset();
  }

  std::vector<Item> filter(std::string_view status, std::int64_t priority) {
    SQLite::Statement& q = prepare(filter_, filter_sql);
    std::string text(status);  // (the pointer-and-size overload binds a blob)
    q.bindNoCopy(1, text);
    q.bind(2, static_cast<int64_t>(priority));
    return collect(q);
  }

  std::vector<Item> contains(std::string_view needle) {
    SQLite::Statement& q = prepare(contains_, contains_sql);
    const std::string text(needle);
    q.bindNoCopy(1, text);
    return collect(q);
  }

  void update_all(const std::vector<Item>& records, const std::vector<double>& scores) {
    SQLite::Statement& q = prepare(update_, update_sql);
    SQLite::Transaction tx(db_);
    for (std::size_t k = 0; k < records.size(); ++k) {
      q.bind(1, scores[k]);
      q.bind(2, static_cast<int64_t>(records[k].id));
      q.exec();
      q.reset();
    }
    tx.commit();
  }

 private:
  SQLite::Statement& prepare(std::optional<SQLite::Statement>& slot, std::string_view sql) {
    if (!slot) slot.emplace(db_, std::string(sql));
    return *slot;
  }

  static void read(SQLite::Statement& q, Item& r) {
    r.id = q.getColumn(0).getInt64();
    r.name = q.getColumn(1).getString();
    r.status = q.getColumn(2).getString();
    r.priority = q.getColumn(3).getInt64();
    r.score = q.getColumn(4).getDouble();
  }

  std::vector<Item> collect(SQLite::Statement& q) {
    std::vector<Item> out;
    while (q.executeStep()) {
      Item r;
      read(q, r);
      out.push_back(std::move(r));
    }
    q.reset();
    return out;
  }

  SQLite::Database db_;
  // Declared after db_: destroyed (finalised) before the database closes.
  std::optional<SQLite::Statement> insert_, get_, filter_, contains_, update_;
};

}  // namespace

timing run_sqlitecpp(const job& j) { return drive<sqlitecpp>(j); }

}  // namespace bench
