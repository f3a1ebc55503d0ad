// The runtime claims of docs/actions.md and docs/getting-started.md, run against SQLite.
// (The docs' code itself is compiled by `meson test docs`; this checks what the prose says it does.)
#include <doctest/doctest.h>

#include <ash/ash.hpp>

#include <string>
#include <vector>

#include "resources.hpp"
#include "support.hpp"

namespace docs_todo {
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};
enum class Status { open, done };
struct Task {
  std::int64_t id = 0;
  std::string title;
  Status status = Status::open;
  std::int64_t priority = 3;
  std::optional<std::string> done_note;
};
}  // namespace docs_todo
ASH_ENUM(docs_todo::Status, open, done);
ASH_FIELDS(docs_todo::Task, id, title, status, priority, done_note);

template <>
struct ash::resource<docs_todo::Task> {
  using T = docs_todo::Task;
  static constexpr auto sqlite = ash::sqlite::table("tasks").repo<docs_todo::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&T::id);
  static constexpr auto attributes = ash::attributes(ash::attribute(&T::title).max_length(100));
  static constexpr auto actions = ash::actions(
      ash::defaults(ash::read, ash::update, ash::destroy),
      ash::create_action<"add">()
          .accept(&T::title, &T::priority)
          .validate(ash::required(&T::title),
                    ash::validate(&T::priority, +[](const std::int64_t& p) { return p >= 1 && p <= 5; },
                                  "must be from 1 to 5")),
      ash::update_action<"finish">()
          .arguments(ash::argument<"note", std::string>())
          .change(ash::set(&T::status, docs_todo::Status::done),
                  ash::change(&T::done_note, +[](const T& t, const ash::arguments& a) -> std::optional<std::string> {
                    if (auto n = a.get<std::string>("note")) return *n;
                    return t.done_note;
                  })),
      ash::destroy_action<"discard">()
          .arguments(ash::argument<"confirm", bool>().required())
          .validate(ash::validate<T>(+[](const T&, const ash::arguments& a) { return *a.get<bool>("confirm"); },
                                     "must be true to discard", "confirm")));
};

using docs_todo::Task;

TEST_CASE("docs/actions.md: the actions do what the guide says, and errors read as shown") {
  docs_todo::Repo repo{{.database = ":memory:"}};
  repo.create_table<Task>();
  auto t = ash::fields<Task>;

  Task a = repo.create<Task, "add">(ash::set(t.title, "Write the docs"), ash::set(t.priority, 2));
  CHECK(a.id > 0);
  a = repo.update(a, ash::set(t.priority, 1));
  a = repo.update<"finish">(a, ash::arg<"note">("done on time"));
  auto stored = repo.get<Task>(a.id);
  REQUIRE(stored);
  CHECK(stored->priority == 1);
  CHECK(stored->status == docs_todo::Status::done);
  CHECK(stored->done_note == "done on time");

  auto refused = repo.try_destroy<"discard">(a, ash::arg<"confirm">(false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().describe() == "Task.confirm: must be true to discard (action discard)");
  CHECK(repo.get<Task>(a.id));
  repo.destroy<"discard">(a, ash::arg<"confirm">(true));
  CHECK_FALSE(repo.get<Task>(a.id));

  auto r = repo.try_create<Task, "add">(ash::set(t.title, ""));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ash::error_kind::required);
  CHECK(r.error().describe() == "Task.title: is required (action add)");

  try {
    repo.create<Task, "add">(ash::set(t.title, "Tidy"), ash::set(t.priority, 9));
    FAIL("a priority of 9 was accepted");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::validation);
    CHECK(e.error().field == "priority");
    CHECK(std::string(e.what()) == "Task.priority: must be from 1 to 5 (action add)");
  }
  CHECK(repo.count(ash::query<Task>()) == 0);

  SUBCASE("an update or destroy of a deleted record is stale_record") {
    Task b = repo.create<Task, "add">(ash::set(t.title, "Sweep"));
    repo.destroy(b);
    auto u = repo.try_update(b, ash::set(t.priority, 2));
    REQUIRE_FALSE(u);
    CHECK(u.error().kind == ash::error_kind::stale_record);
    auto d = repo.try_destroy(b);
    REQUIRE_FALSE(d);
    CHECK(d.error().kind == ash::error_kind::stale_record);
  }

  SUBCASE("update_in_place in a loop over the caller's records, in one transaction") {
    std::vector<Task> tasks{repo.create<Task, "add">(ash::set(t.title, "Sweep"), ash::set(t.priority, 4)),
                            repo.create<Task, "add">(ash::set(t.title, "Mop"), ash::set(t.priority, 5))};
    repo.transaction([&] {
      for (Task& task : tasks) repo.update_in_place(task, ash::set(t.priority, 1));
    });
    for (const Task& task : tasks) {
      CHECK(task.priority == 1);
      CHECK(repo.get<Task>(task.id)->priority == 1);
    }
  }
}

namespace docs_shop {
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};
struct Stock {
  std::string warehouse;
  std::string sku;
  std::int64_t quantity = 0;
};
}  // namespace docs_shop
ASH_FIELDS(docs_shop::Stock, warehouse, sku, quantity);

template <>
struct ash::resource<docs_shop::Stock> {
  static constexpr auto sqlite = ash::sqlite::table("stock").repo<docs_shop::Repo>();
  static constexpr auto primary_key = ash::primary_key(&docs_shop::Stock::warehouse, &docs_shop::Stock::sku);
};

TEST_CASE("docs/resources.md: the default create takes a caller-given key, and get finds it by any text") {
  docs_shop::Repo repo{{.database = ":memory:"}};
  repo.create_table<docs_shop::Stock>();
  auto s = ash::fields<docs_shop::Stock>;
  repo.create<docs_shop::Stock>(ash::set(s.warehouse, "north"), ash::set(s.sku, "A-1"), ash::set(s.quantity, 5));
  repo.create<docs_shop::Stock>(ash::set(s.warehouse, "south"), ash::set(s.sku, "A-1"), ash::set(s.quantity, 7));
  std::optional<docs_shop::Stock> found = repo.get<docs_shop::Stock>("north", "A-1");
  REQUIRE(found);
  CHECK(found->quantity == 5);
  CHECK(repo.get<docs_shop::Stock>(std::string("south"), std::string_view("A-1"))->quantity == 7);
  CHECK_FALSE(repo.get<docs_shop::Stock>("north", "B-2"));
}

TEST_CASE("docs/getting-started.md: the second read logs its SQL and bound values as shown") {
  using namespace helpdesk;
  std::vector<std::string> lines;
  ash::sqlite::config cfg{.database = ":memory:"};
  cfg.log_sql = true;
  cfg.log = [&](const ash::sqlite::log_entry& e) {
    std::string values;
    for (const auto& p : e.params) values += ash::sqlite::describe_param(p) + ";";
    lines.push_back(std::string(e.sql) + " [" + values + "] " + std::to_string(e.rows));
  };
  Repo repo{cfg};
  repo.create_table<Representative>();
  repo.create_table<Ticket>();
  auto t = ash::fields<Ticket>;
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Issue 0"));
  repo.update<"close">(x);
  lines.clear();
  auto closed = repo.read(ash::query<Ticket>()
                              .filter(t.status == Status::closed and not(t.subject == "barbaz"))
                              .sort(t.subject));
  CHECK(closed.size() == 1);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find(R"(FROM "tickets" WHERE ("status" = ? AND NOT ("subject" = ?)) ORDER BY "subject" ASC ["closed";"barbaz";] 1)") !=
        std::string::npos);
}
