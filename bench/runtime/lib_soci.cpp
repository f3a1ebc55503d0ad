// SOCI with the sqlite3 backend: prepared soci::statement objects with into()/use() bound once
// to variables, re-executed per iteration.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>

#include "driver.hpp"

namespace bench {
namespace {

// SOCI spells placeholders `:name`; otherwise the texts are the shared ones.
constexpr const char* soci_insert =
    R"(INSERT INTO "items" ("name", "status", "priority", "score") VALUES (:name, :status, :priority, :score))";
constexpr const char* soci_get = R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE "id" = :id)";
constexpr const char* soci_filter =
    R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE ("status" = :status AND "priority" > :priority))";
constexpr const char* soci_contains =
    R"(SELECT "id", "name", "status", "priority", "score" FROM "items" WHERE instr(CAST("name" AS BLOB), CAST(:needle AS BLOB)) > 0)";
constexpr const char* soci_update = R"(UPDATE "items" SET "score" = :score WHERE "id" = :id)";

class soci_lib {
 public:
  explicit soci_lib(const job& j) : sql_(soci::sqlite3, "db=" + (j.memory ? std::string(":memory:") : j.path)) {
    if (!j.memory) {
      std::string mode;
      sql_ << "PRAGMA journal_mode=WAL", soci::into(mode);
      sql_ << "PRAGMA synchronous=NORMAL";
    }
    sql_ << "PRAGMA foreign_keys=ON";
    sql_ << "PRAGMA case_sensitive_like=ON";
  }

  void* handle() { return static_cast<soci::sqlite3_session_backend*>(sql_.get_backend())->conn_; }
  void exec(std::string_view sql) { sql_ << std::string(sql); }

  std::int64_t insert_all(const std::vector<Item>& items) {
    std::string name, status;
    long long priority = 0;
    double score = 0;
    soci::statement st = (sql_.prepare << soci_insert, soci::use(name), soci::use(status), soci::use(priority),
                          soci::use(score));
    std::int64_t ids = 0;
    soci::transaction tx(sql_);
    for (const Item& r : items) {
      name = r.name;
      status = r.status;
      priority = r.priority;
      score = r.score;
      st.execute(true);
      long long id = 0;
      sql_.get_last_insert_id("items", id);
      ids += id;
    }
    tx.commit();
    return ids;
  }

  void get(std::int64_t id, Item& out) {
    if (!get_) {
      get_ = std::make_unique<soci::statement>((sql_.prepare << soci_get, soci::into(row_id_), soci::into(row_.name),
                                                soci::into(row_.status), soci::into(row_priority_),
                                                soci::into(row_.score), soci::use(key_)));
    }
    key_ = id;
    if (get_->execute(true)) out = take_row();
  }

  std::vector<Item> filter(std::string_view status, std::int64_t priority) {
    if (!filter_) {
      filter_ = std::make_unique<soci::statement>((sql_.prepare << soci_filter, soci::into(row_id_),
                                                   soci::into(row_.name), soci::into(row_.status),
                                                   soci::into(row_priority_), soci::into(row_.score),
                                                   soci::use(text_arg_), soci::use(int_arg_)));
    }
    text_arg_ = status;
    int_arg_ = priority;
    return collect(*filter_);
  }

  std::vector<Item> contains(std::string_view needle) {
    if (!contains_) {
      contains_ = std::make_unique<soci::statement>((sql_.prepare << soci_contains, soci::into(row_id_),
                                                     soci::into(row_.name), soci::into(row_.status),
                                                     soci::into(row_priority_), soci::into(row_.score),
                                                     soci::use(text_arg_)));
    }
    text_arg_ = std::string(needle);
    return collect(*contains_);
  }

  void update_all(const std::vector<Item>& records, const std::vector<double>& scores) {
    double score = 0;
    long long id = 0;
    soci::statement st = (sql_.prepare << soci_update, soci::use(score), soci::use(id));
    soci::transaction tx(sql_);
    for (std::size_t k = 0; k < records.size(); ++k) {
      score = scores[k];
      id = records[k].id;
      st.execute(true);
    }
    tx.commit();
  }

 private:
  Item take_row() {
    Item r;
    r.id = row_id_;
    r.name = std::move(row_.name);
    r.status = std::move(row_.status);
    r.score = row_.score;
    r.priority = row_priority_;
    return r;
  }

  std::vector<Item> collect(soci::statement& st) {
    std::vector<Item> out;
    if (st.execute(true)) {
      do {
        out.push_back(take_row());
      } while (st.fetch());
    }
    return out;
  }

  soci::session sql_;
  // The variables the prepared statements are bound to.
  Item row_;
  long long row_id_ = 0, row_priority_ = 0, key_ = 0, int_arg_ = 0;
  std::string text_arg_;
  std::unique_ptr<soci::statement> get_, filter_, contains_;
};

}  // namespace

timing run_soci(const job& j) { return drive<soci_lib>(j); }

}  // namespace bench
