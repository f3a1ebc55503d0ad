// The getting-started guide, end to end, on a SQLite file: migrate the schema from the committed
// migrations (as a release binary would on start), create a representative, open six tickets,
// assign them, close the even ones, and read them back with the guide's two filters.
// Every statement is logged with its bound values and its time.
//
// Usage: helpdesk [DATABASE] [MIGRATIONS_DIR]   (run from examples/helpdesk, or pass the dir)

#include <ash/migrate/migrator.hpp>
#include <fmt/core.h>

#include <cstdio>

#include "resources.hpp"

int main(int argc, char** argv) {
  using namespace helpdesk;
  ash::sqlite::config cfg = Repo::default_config();
  if (argc > 1) cfg.database = argv[1];
  cfg.log_sql = true;
  std::string migrations = argc > 2 ? argv[2] : "priv/repo/migrations";
  // A fresh database each run, so the demo always shows the same story.
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((cfg.database + suffix).c_str());

  ash::migrate::migrate_options opts;
  opts.paths = {migrations};
  opts.progress = [](std::string_view line) { fmt::print("{}\n", line); };
  ash::migrate::migrate(cfg.database, opts);

  Repo repo{cfg};

  auto r = ash::fields<Representative>;
  auto t = ash::fields<Ticket>;

  auto joe = repo.create<Representative>(ash::set(r.name, "Joe Armstrong"));
  for (int i = 0; i <= 5; ++i) {
    auto ticket = repo.create<Ticket, "open">(ash::set(t.subject, fmt::format("Issue {}", i)));
    ticket = repo.update<"assign">(ticket, ash::set(t.representative_id, joe.id));
    if (i % 2 == 0) ticket = repo.update<"close">(ticket);
  }

  auto foobar = repo.read(ash::query<Ticket>().filter(t.subject == "foobar"));
  fmt::print("tickets with subject \"foobar\": {}\n", foobar.size());

  auto closed = repo.read(ash::query<Ticket>()
                              .filter(t.status == Status::closed and not(t.subject == "barbaz"))
                              .sort(t.subject));
  fmt::print("closed tickets not about \"barbaz\":\n");
  for (const auto& ticket : closed)
    fmt::print("  {} ({}, representative {})\n", ticket.subject, ash::enum_name(ticket.status),
               ticket.representative_id.value_or(0));
  return closed.size() == 3 ? 0 : 1;
}
