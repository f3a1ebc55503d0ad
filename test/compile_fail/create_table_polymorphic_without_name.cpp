// A polymorphic resource has no table of its own: create_table<R>() must be told which one.
// expect: ash: create_table<R>() of a polymorphic resource needs the table's name
// expect: create_table_of_a_polymorphic_resource_needs_the_table_name<app::Reaction>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Reaction {
  std::int64_t id = 0;
  std::string emoji;
};
}  // namespace app
ASH_FIELDS(app::Reaction, id, emoji);

template <>
struct ash::resource<app::Reaction> {
  static constexpr auto sqlite = ash::sqlite::polymorphic().repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Reaction::id);
};

int main() {
  app::Repo repo{{.database = ":memory:"}};
  repo.create_table<app::Reaction>();
}
