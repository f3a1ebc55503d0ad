// A belongs_to relationship names a member that is not listed in ASH_FIELDS.
// expect: ash: a relationship names a field that is not listed in ASH_FIELDS
// expect: relationship_names_a_field_that_is_not_in_ASH_FIELDS<app::Ticket
// expect: &app::Ticket::owner_id
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct User {
  std::int64_t id = 0;
};
struct Ticket {
  std::int64_t id = 0;
  std::optional<std::int64_t> owner_id;
};
}  // namespace app
ASH_FIELDS(app::User, id);
ASH_FIELDS(app::Ticket, id);  // owner_id forgotten

template <>
struct ash::resource<app::User> {
  static constexpr auto sqlite = ash::sqlite::table("users").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::User::id);
};
template <>
struct ash::resource<app::Ticket> {
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Ticket::id);
  static constexpr auto relationships = ash::relationships(ash::belongs_to<"owner", app::User>(&app::Ticket::owner_id));
};

int main() { (void)ash::query<app::Ticket>(); }
