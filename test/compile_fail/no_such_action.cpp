// Ticket declares no update action named "reopen".
// expect: ash: the resource has no action of this kind with this name (see the next error)
// expect: resource_has_no_action_of_this_kind_named<app::Ticket, ash::action_type::update, ash::diag::name<'r', 'e', 'o', 'p', 'e', 'n'>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Ticket {
  std::int64_t id = 0;
  std::string subject;
};
}  // namespace app
ASH_FIELDS(app::Ticket, id, subject);

template <>
struct ash::resource<app::Ticket> {
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Ticket::id);
  static constexpr auto actions = ash::actions(ash::defaults(ash::create, ash::read, ash::update));
};

int main() {
  app::Repo repo;
  (void)repo.update<"reopen">(app::Ticket{});
}
