// The getting-started scenario against a real SQLite file.
#include <doctest/doctest.h>

#include <fmt/core.h>

#include "resources.hpp"
#include "support.hpp"

using namespace helpdesk;

TEST_CASE("the getting-started guide: open, assign, close, and read back with the guide's filters") {
  test::temp_dir dir;
  Repo repo{{.database = dir.file("helpdesk.db")}};
  repo.create_table<Representative>();
  repo.create_table<Ticket>();
  auto r = ash::fields<Representative>;
  auto t = ash::fields<Ticket>;

  auto joe = repo.create<Representative>(ash::set(r.name, "Joe Armstrong"));
  CHECK(joe.id > 0);
  for (int i = 0; i <= 5; ++i) {
    auto ticket = repo.create<Ticket, "open">(ash::set(t.subject, fmt::format("Issue {}", i)));
    CHECK(ticket.status == Status::open);
    ticket = repo.update<"assign">(ticket, ash::set(t.representative_id, joe.id));
    if (i % 2 == 0) ticket = repo.update<"close">(ticket);
  }

  CHECK(repo.read(ash::query<Ticket>().filter(t.subject == "foobar")).empty());

  auto closed = repo.read(ash::query<Ticket>()
                              .filter(t.status == Status::closed and not(t.subject == "barbaz"))
                              .sort(t.subject));
  REQUIRE(closed.size() == 3);
  CHECK(closed[0].subject == "Issue 0");
  CHECK(closed[1].subject == "Issue 2");
  CHECK(closed[2].subject == "Issue 4");
  for (const auto& c : closed) CHECK(c.representative_id == joe.id);
}
