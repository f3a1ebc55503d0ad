// A tasks program over hand-made tables, for the command-line tests. ASH_FIXTURE_SCHEMA picks
// the version of the "resources", so tests can change them between runs:
//   1: representatives, tickets(id, subject, status, representative_id)
//   2: tickets.subject renamed to title, a unique identity on title
//   3: as 2, tickets.status loses its NOT NULL (a table rebuild), representatives.name dropped
//   4: as 1 with a custom index whose name is invalid
#include <cstdlib>
#include <string>

#include "ash/tasks/tasks.hpp"

namespace {

ash::schema::attribute column(std::string source, std::string type, bool allow_nil = true) {
  ash::schema::attribute a;
  a.source = std::move(source);
  a.type = std::move(type);
  a.allow_nil = allow_nil;
  return a;
}

std::vector<ash::schema::table> tables(int version) {
  ash::schema::attribute id = column("id", "bigint", false);
  id.primary_key = true;
  id.generated = true;

  ash::schema::table reps;
  reps.name = "representatives";
  reps.attributes = {id, column("name", "text", version < 3)};

  ash::schema::table tickets;
  tickets.name = "tickets";
  auto status = column("status", "text", version >= 3);
  status.default_sql = "'open'";
  auto rep = column("representative_id", "bigint");
  rep.references = ash::schema::reference{};
  rep.references->table = "representatives";
  rep.references->on_delete = "nilify";
  tickets.attributes = {id, column(version >= 2 && version != 4 ? "title" : "subject", "text", false), status, rep};
  if (version == 2 || version == 3) tickets.identities.push_back({"unique_title", {"title"}, {}, "", true});
  if (version == 4) tickets.custom_indexes.push_back({{"status"}, "no spaces allowed", false, {}, {}});
  if (version >= 3) reps.attributes.pop_back();
  return {tickets, reps};
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("ASH_FIXTURE_SCHEMA");
  ash::tasks::project p;
  p.program = "fixture_tasks";
  p.repo_name = "repo";
  p.database_path = "db/fixture.db";
  p.tables = tables(env ? std::atoi(env) : 1);
  return ash::tasks::run(argc, argv, p);
}
