// A resource with neither a table nor `polymorphic()` cannot be read or written.
// expect: ash: a resource needs a table (ash::sqlite::table(
// expect: unless it is polymorphic
// expect: resource_has_no_table_and_is_not_polymorphic<app::Note>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Note {
  std::int64_t id = 0;
  std::string body;
};
}  // namespace app
ASH_FIELDS(app::Note, id, body);

template <>
struct ash::resource<app::Note> {
  static constexpr auto sqlite = ash::sqlite::section<>{}.repo<app::Repo>();  // no table("notes")
  static constexpr auto primary_key = ash::integer_primary_key(&app::Note::id);
};

int main() { (void)ash::query<app::Note>(); }
