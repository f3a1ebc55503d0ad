// The "open" action accepts only the subject; the caller sets the status.
// expect: ash: the action does not accept this field (see the next error for which)
// expect: action_does_not_accept_field<app::Ticket, ash::diag::name<'o', 'p', 'e', 'n'>, &app::Ticket::status>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
enum class Status { open, closed };
struct Ticket {
  std::int64_t id = 0;
  std::string subject;
  Status status = Status::open;
};
}  // namespace app
ASH_ENUM(app::Status, open, closed);
ASH_FIELDS(app::Ticket, id, subject, status);

template <>
struct ash::resource<app::Ticket> {
  using T = app::Ticket;
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&T::id);
  static constexpr auto actions = ash::actions(ash::defaults(ash::read), ash::create_action<"open">().accept(&T::subject));
};

int main() {
  app::Repo repo;
  auto t = ash::fields<app::Ticket>;
  (void)repo.create<app::Ticket, "open">(ash::set(t.subject, "Printer on fire"), ash::set(t.status, app::Status::closed));
}
