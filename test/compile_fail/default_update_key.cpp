// The default update leaves a caller-given primary key alone (the default create accepts it);
// changing a key takes a named action that accepts it.
// expect: ash: the action does not accept this field (see the next error for which)
// expect: action_does_not_accept_field<app::Room, ash::diag::name<'u', 'p', 'd', 'a', 't', 'e'>, &app::Room::code>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Room {
  std::string code;
  std::string name;
};
}  // namespace app
ASH_FIELDS(app::Room, code, name);

template <>
struct ash::resource<app::Room> {
  static constexpr auto sqlite = ash::sqlite::table("rooms").repo<app::Repo>();
  static constexpr auto primary_key = ash::primary_key(&app::Room::code);
};

int main() {
  app::Repo repo;
  constexpr auto r = ash::fields<app::Room>;
  auto lab = repo.create<app::Room>(ash::set(r.code, "A1"), ash::set(r.name, "Lab"));  // accepted
  (void)repo.update(lab, ash::set(r.code, "B2"));
}
