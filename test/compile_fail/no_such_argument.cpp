// The "close" action declares no argument named "reason".
// expect: ash: the action has no argument of this name (see the next error)
// expect: action_has_no_argument_named<app::Ticket, ash::diag::name<'c', 'l', 'o', 's', 'e'>, ash::diag::name<'r', 'e', 'a', 's', 'o', 'n'>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
enum class Status { open, closed };
struct Ticket {
  std::int64_t id = 0;
  Status status = Status::open;
};
}  // namespace app
ASH_ENUM(app::Status, open, closed);
ASH_FIELDS(app::Ticket, id, status);

template <>
struct ash::resource<app::Ticket> {
  using T = app::Ticket;
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&T::id);
  static constexpr auto actions = ash::actions(
      ash::defaults(ash::create, ash::read),
      ash::update_action<"close">().change(ash::set(&T::status, app::Status::closed)));
};

int main() {
  app::Repo repo;
  (void)repo.update<"close">(app::Ticket{}, ash::arg<"reason">("duplicate"));
}
