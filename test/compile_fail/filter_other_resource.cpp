// A filter on tickets names a column of representatives.
// expect: ash: the filter names a field of another resource (see the next error for which)
// expect: filter_names_a_field_of_another_resource<app::Ticket, app::Representative, &app::Representative::name>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct Representative {
  std::int64_t id = 0;
  std::string name;
};
struct Ticket {
  std::int64_t id = 0;
  std::string subject;
};
}  // namespace app
ASH_FIELDS(app::Representative, id, name);
ASH_FIELDS(app::Ticket, id, subject);

template <>
struct ash::resource<app::Representative> {
  static constexpr auto sqlite = ash::sqlite::table("representatives").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Representative::id);
};
template <>
struct ash::resource<app::Ticket> {
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::Ticket::id);
};

int main() {
  auto r = ash::fields<app::Representative>;
  (void)ash::query<app::Ticket>().filter(r.name == "Joe");
}
