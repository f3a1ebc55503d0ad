// ash: the idiomatic API (insert_all for the bulk load, get, read with filters, the update action
// run in place on the caller's records).
#include <ash/ash.hpp>

#include "driver.hpp"

namespace bench {
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};
}  // namespace bench

ASH_FIELDS(bench::Item, id, name, status, priority, score);

template <>
struct ash::resource<bench::Item> {
  static constexpr auto sqlite = ash::sqlite::table("items").repo<bench::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&bench::Item::id);
};

namespace bench {
namespace {

constexpr auto f = ash::fields<Item>;
using filter_query = decltype(ash::query<Item>().filter(f.status == std::string_view{} and f.priority > std::int64_t{}));
using contains_query = decltype(ash::query<Item>().filter(ash::contains(f.name, std::string_view{})));

// Every library runs the very statements ash renders.
static_assert(ash::sql::insert_sql<Item, "">.view() == insert_sql);
static_assert(ash::sql::get_sql<Item>.view() == get_sql);
static_assert(ash::sql::select_sql<filter_query>.view() == filter_sql);
static_assert(ash::sql::select_sql<contains_query>.view() == contains_sql);
static_assert(ash::sql::update_sql<Item, "", ash::detail::member_index<Item>(&Item::score)>.view() == update_sql);

class ash_lib {
 public:
  // The default configuration (a pool of 4 readers on files); the pragmas are ash's own defaults.
  explicit ash_lib(const job& j) : repo_({.database = j.memory ? ":memory:" : j.path}) {}

  void* handle() {
    return repo_.with_writer([](ash::sqlite::connection& c) { return static_cast<void*>(c.handle()); });
  }
  void exec(std::string_view sql) { repo_.exec(sql); }

  // insert_all binds each record where it lies and writes the generated ids back into them.
  std::int64_t insert_all(std::vector<Item>& items) {
    repo_.insert_all(items);
    std::int64_t ids = 0;
    for (const Item& r : items) ids += r.id;
    return ids;
  }

  void get(std::int64_t id, Item& out) {
    if (auto r = repo_.get<Item>(id)) out = std::move(*r);
  }

  std::vector<Item> filter(std::string_view status, std::int64_t priority) {
    return repo_.read(ash::query<Item>().filter(f.status == status and f.priority > priority));
  }

  std::vector<Item> contains(std::string_view needle) {
    return repo_.read(ash::query<Item>().filter(ash::contains(f.name, needle)));
  }

  // The records are the caller's own, so each is updated in place rather than copied (`update`
  // would return a new record and leave the old one as it was).
  void update_all(std::vector<Item>& records, const std::vector<double>& scores) {
    repo_.transaction([&] {
      for (std::size_t k = 0; k < records.size(); ++k) repo_.update_in_place(records[k], ash::set(f.score, scores[k]));
    });
  }

 private:
  Repo repo_;
};

}  // namespace

timing run_ash(const job& j) { return drive<ash_lib>(j); }

}  // namespace bench
