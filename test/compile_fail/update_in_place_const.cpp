// update_in_place writes into the record it is given, so a const record is refused.
// expect: ash: update_in_place changes the record; pass one that is not const, or use update
// expect: update_in_place_needs_a_record_that_is_not_const<app::Note>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Note {
  std::int64_t id = 0;
  std::string text;
};
}  // namespace app
ASH_FIELDS(app::Note, id, text);

template <>
struct ash::resource<app::Note> {
  static constexpr auto sqlite = ash::sqlite::table("notes").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Note::id);
};

int main() {
  app::Repo repo;
  const app::Note note = repo.create<app::Note>(ash::set(ash::fields<app::Note>.text, "draft"));
  repo.update_in_place(note, ash::set(ash::fields<app::Note>.text, "final"));
}
