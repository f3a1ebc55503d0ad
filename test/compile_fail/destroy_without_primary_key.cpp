// Log lines have no primary key, so there is no row to destroy.
// expect: ash: update and destroy need a resource with a primary key
// expect: update_and_destroy_need_a_primary_key<app::LogLine>
#include <ash/ash.hpp>

namespace app {
struct Repo : ash::sqlite::repo<Repo> { using repo::repo; };
struct LogLine {
  std::string text;
};
}  // namespace app
ASH_FIELDS(app::LogLine, text);

template <>
struct ash::resource<app::LogLine> {
  static constexpr auto sqlite = ash::sqlite::table("log_lines").repo<app::Repo>();
};

int main() {
  app::Repo repo;
  repo.destroy(app::LogLine{"started"});
}
