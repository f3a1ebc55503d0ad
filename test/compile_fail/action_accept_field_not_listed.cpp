// An action accepts a member that exists but is not stored (not listed in ASH_FIELDS): before,
// this compiled and the action read and wrote outside its field arrays.
// expect: ash: an action names a field that is not listed in ASH_FIELDS
// expect: action_names_a_field_that_is_not_in_ASH_FIELDS<app::Ticket, ash::diag::name<'o', 'p', 'e', 'n'>, &app::Ticket::notes>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Ticket {
  std::int64_t id = 0;
  std::string subject;
  std::string notes;  // kept in memory only
};
}  // namespace app
ASH_FIELDS(app::Ticket, id, subject);

template <>
struct ash::resource<app::Ticket> {
  using T = app::Ticket;
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&T::id);
  static constexpr auto actions = ash::actions(ash::defaults(ash::read), ash::create_action<"open">().accept(&T::subject, &T::notes));
};

int main() {
  app::Repo repo;
  auto t = ash::fields<app::Ticket>;
  (void)repo.read(ash::query<app::Ticket>().filter(t.subject == "x"));
}
