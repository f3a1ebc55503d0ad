// A member that does not exist at all is a plain C++ error, before ash sees anything: g++ says
// "'subjct' is not a member of", clang "no member named 'subjct'".
// expect: subjct
// expect: member
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
  static constexpr auto identities = ash::identities(ash::identity<"unique_subject">(&app::Ticket::subjct));
};

int main() { (void)ash::query<app::Ticket>(); }
