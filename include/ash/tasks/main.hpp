#pragma once
/// \file
/// The tasks program in one line, from a repo and its resources:
///
/// ```cpp
/// int main(int argc, char** argv) {
///   return ash::tasks::main<helpdesk::Repo, helpdesk::Representative, helpdesk::Ticket>(argc, argv);
/// }
/// ```

#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ash/core/schema_of.hpp"
#include "ash/sqlite/repo.hpp"
#include "ash/tasks/tasks.hpp"

namespace ash::tasks {

namespace detail {

template <class T>
void add_table(std::vector<schema::table>& out, T&& table) {
  for (const auto& t : out)
    if (t.name == table.name) return;  // several relationships may name one polymorphic table
  out.push_back(std::forward<T>(table));
}

/// The tables of resource `S`: its own (unless polymorphic or `migrate(false)`), and one for each
/// has_one / has_many relationship into a polymorphic resource that names a table.
template <class S>
void tables_of(std::vector<schema::table>& out) {
  static_assert(check_resource<S>());
  using meta = resource<S>;
  if constexpr (!info<S>::polymorphic) {
    if (meta::sqlite.migrate_enabled) add_table(out, table_schema_of<S>());
  }
  if constexpr (ash::detail::has_relationships<meta>) {
    ash::detail::for_each(meta::relationships, [&](const auto& rel) {
      using D = std::remove_cvref_t<decltype(rel)>;
      using Dest = typename D::destination;
      if constexpr (D::kind != relationship_kind::belongs_to && info<Dest>::polymorphic) {
        if (rel.context_table.empty() || !resource<Dest>::sqlite.migrate_enabled) return;
        auto t = table_schema_of<Dest>(rel.context_table);
        // The destination attribute references the source, as AshSqlite's polymorphic tables do.
        std::string column{field_list<Dest>::names[ash::detail::member_index<Dest>(rel.member)]};
        for (auto& a : t.attributes) {
          if (a.source != column) continue;
          schema::reference ref;
          ref.table = std::string(info<S>::table);
          if constexpr (info<S>::primary_key.size() == 1)
            ref.destination_attribute = std::string(field_name<S, info<S>::primary_key[0]>);
          ref.name = t.name + "_" + column + "_fkey";
          a.references = std::move(ref);
        }
        add_table(out, std::move(t));
      }
    });
  }
}

}  // namespace detail

/// The tasks project of `Repo` and `Resources...`: its database (from `Repo::default_config()`;
/// `DATABASE_PATH` overrides it at run time), repo name and tables.
template <class Repo, class... Resources>
project project_of(std::string program) {
  project p;
  p.program = std::move(program);
  p.repo_name = ash::detail::repo_name<Repo>();
  if constexpr (requires { Repo::default_config(); }) p.database_path = Repo::default_config().database;
  else p.database_path = sqlite::config{}.database;
  (detail::tables_of<Resources>(p.tables), ...);
  return p;
}

/// Runs the tasks command line for `Repo` and its resources (see `ash::tasks::run`).
template <class Repo, class... Resources>
int main(int argc, char** argv) {
  std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "tasks";
  return run(argc, argv, project_of<Repo, Resources...>(std::move(program)));
}

}  // namespace ash::tasks
