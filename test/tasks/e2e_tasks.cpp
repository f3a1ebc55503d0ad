// A tasks program over real resources, built twice from this file: as e2e_tasks_v1, and with
// -DSCHEMA_V2 as e2e_tasks_v2, the same resources after a round of changes:
//   posts.title renamed to headline          (ALTER TABLE RENAME COLUMN, answered with --rename)
//   posts.score added, NOT NULL DEFAULT 0     (ALTER TABLE ADD COLUMN)
//   posts.author_id added, belongs_to author  (ALTER TABLE ADD COLUMN ... REFERENCES)
//   identity unique_headline added            (CREATE UNIQUE INDEX)
//   identity unique_body added, index skipped (nothing)
//   authors.name becomes nullable             (a rebuild of authors)
// e2e_test.cpp drives both binaries on one database.
#include <ash/ash.hpp>
#include <ash/tasks/main.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blog {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
  static constexpr std::string_view name = "repo";
  static ash::sqlite::config default_config() { return {.database = "db/blog.db"}; }
};

struct Author {
  std::int64_t id = 0;
#ifdef SCHEMA_V2
  std::optional<std::string> name;
#else
  std::string name;
#endif
};

struct Post {
  std::int64_t id = 0;
#ifdef SCHEMA_V2
  std::string headline;
#else
  std::string title;
#endif
  std::optional<std::string> body;
#ifdef SCHEMA_V2
  std::int64_t score = 0;
  std::optional<std::int64_t> author_id;
#endif
};

}  // namespace blog

ASH_FIELDS(blog::Author, id, name);
#ifdef SCHEMA_V2
ASH_FIELDS(blog::Post, id, headline, body, score, author_id);
#else
ASH_FIELDS(blog::Post, id, title, body);
#endif

template <>
struct ash::resource<blog::Author> {
  static constexpr auto sqlite = ash::sqlite::table("authors").repo<blog::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&blog::Author::id);
};

#ifdef SCHEMA_V2
template <>
struct ash::resource<blog::Post> {
  using P = blog::Post;
  static constexpr auto sqlite = ash::sqlite::table("posts").repo<blog::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&P::id);
  static constexpr auto attributes = ash::attributes(ash::attribute(&P::score).default_value(0));
  static constexpr auto identities = ash::identities(
      ash::identity<"unique_headline">(&P::headline),
      ash::identity<"unique_body">(&P::body).skip_unique_index());
  static constexpr auto relationships = ash::relationships(ash::belongs_to<"author", blog::Author>(&P::author_id));
};
#else
template <>
struct ash::resource<blog::Post> {
  static constexpr auto sqlite = ash::sqlite::table("posts").repo<blog::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&blog::Post::id);
};
#endif

int main(int argc, char** argv) { return ash::tasks::main<blog::Repo, blog::Post, blog::Author>(argc, argv); }
