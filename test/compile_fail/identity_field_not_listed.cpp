// An identity names a member that exists but is not stored (not listed in ASH_FIELDS).
// expect: ash: an identity names a field that is not listed in ASH_FIELDS
// expect: identity_names_a_field_that_is_not_in_ASH_FIELDS<app::User
// expect: &app::User::nickname
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct User {
  std::int64_t id = 0;
  std::string email;
  std::string nickname;  // kept in memory only
};
}  // namespace app
ASH_FIELDS(app::User, id, email);

template <>
struct ash::resource<app::User> {
  static constexpr auto sqlite = ash::sqlite::table("users").repo<app::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&app::User::id);
  static constexpr auto identities = ash::identities(ash::identity<"unique_nickname">(&app::User::nickname));
};

int main() { (void)ash::query<app::User>(); }
