// Reading selected fields into any plain struct, by position (Boost.PFR). A struct that does not
// match the selection is refused at compile time: test/compile_fail/read_into_*.cpp.
#include <doctest/doctest.h>

#include <fmt/core.h>

#include "resources.hpp"
#include "support.hpp"

using namespace helpdesk;

namespace {
struct ticket_line {
  std::string subject;
  Status status;
  std::optional<std::int64_t> representative_id;
};
template <class P, class Q>
concept readable_into = requires(Repo& r, const Q& q) { r.template read_into<P>(q); };
}  // namespace

TEST_CASE("read_into fills a projection struct with the selected fields, in order") {
  test::temp_dir dir;
  Repo repo{{.database = dir.file("projection.db")}};
  repo.create_table<Representative>();
  repo.create_table<Ticket>();
  auto t = ash::fields<Ticket>;
  auto r = ash::fields<Representative>;
  auto joe = repo.create<Representative>(ash::set(r.name, "Joe"));
  for (int i = 0; i < 4; ++i) {
    auto ticket = repo.create<Ticket, "open">(ash::set(t.subject, fmt::format("Issue {}", i)));
    if (i % 2) repo.update<"assign">(repo.update<"close">(ticket), ash::set(t.representative_id, joe.id));
  }
  auto q = ash::query<Ticket>().select(t.subject, t.status, t.representative_id).sort(t.subject);
  auto lines = repo.read_into<ticket_line>(q);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].subject == "Issue 0");
  CHECK(lines[0].status == Status::open);
  CHECK_FALSE(lines[0].representative_id);
  CHECK(lines[1].subject == "Issue 1");
  CHECK(lines[1].status == Status::closed);
  CHECK(lines[1].representative_id == joe.id);

  auto closed = repo.read_into<ticket_line>(q.filter(t.status == Status::closed));
  CHECK(closed.size() == 2);
}

TEST_CASE("read_into accepts a struct matching the selection, whose SQL reads only those columns") {
  auto t = ash::fields<Ticket>;
  using Q = decltype(ash::query<Ticket>().select(t.subject, t.status, t.representative_id));
  static_assert(readable_into<ticket_line, Q>);
  CHECK(std::string_view(ash::sql::select_sql<Q>) ==
        R"(SELECT "subject", "status", "representative_id" FROM "tickets")");
}
