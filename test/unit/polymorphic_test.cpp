// Polymorphic resources: one resource, several tables, chosen per query and per write.
#include <doctest/doctest.h>

#include <ash/ash.hpp>
#include <ash/tasks/main.hpp>

#include "support.hpp"

namespace poly {
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};
struct Post {
  std::int64_t id = 0;
  std::string title;
};
struct Comment {
  std::int64_t id = 0;
  std::string body;
};
struct Reaction {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::string emoji;
};
}  // namespace poly

ASH_FIELDS(poly::Post, id, title);
ASH_FIELDS(poly::Comment, id, body);
ASH_FIELDS(poly::Reaction, id, resource_id, emoji);

template <>
struct ash::resource<poly::Reaction> {
  static constexpr auto sqlite = ash::sqlite::polymorphic().repo<poly::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&poly::Reaction::id);
};
template <>
struct ash::resource<poly::Post> {
  static constexpr auto sqlite = ash::sqlite::table("posts").repo<poly::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&poly::Post::id);
  static constexpr auto relationships = ash::relationships(
      ash::has_many<"reactions", poly::Reaction>(&poly::Reaction::resource_id).table("post_reactions"));
};
template <>
struct ash::resource<poly::Comment> {
  static constexpr auto sqlite = ash::sqlite::table("comments").repo<poly::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&poly::Comment::id);
  static constexpr auto relationships = ash::relationships(
      ash::has_many<"reactions", poly::Reaction>(&poly::Reaction::resource_id).table("comment_reactions"));
};

static_assert(ash::info<poly::Reaction>::polymorphic);
static_assert(ash::valid_resource<poly::Reaction>);

TEST_CASE("a polymorphic resource reads and writes the table each call names") {
  test::temp_dir dir;
  poly::Repo repo{{.database = dir.file("poly.db")}};
  repo.create_table<poly::Post>();
  repo.create_table<poly::Comment>();
  repo.create_table<poly::Reaction>("post_reactions");
  repo.create_table<poly::Reaction>("comment_reactions");
  auto r = ash::fields<poly::Reaction>;

  auto post = repo.insert(poly::Post{0, "hello"});
  auto like = repo.create_in<poly::Reaction, "post_reactions">(ash::set(r.resource_id, post.id), ash::set(r.emoji, "+1"));
  repo.create_in<poly::Reaction, "comment_reactions">(ash::set(r.resource_id, std::int64_t{7}), ash::set(r.emoji, "heart"));

  auto on_posts = repo.read(ash::query<poly::Reaction>().from<"post_reactions">());
  REQUIRE(on_posts.size() == 1);
  CHECK(on_posts[0].emoji == "+1");
  CHECK(on_posts[0].resource_id == post.id);
  auto on_comments = repo.read(ash::query<poly::Reaction>().from<"comment_reactions">().filter(r.emoji == "heart"));
  REQUIRE(on_comments.size() == 1);

  like = repo.update_in<"post_reactions">(like, ash::set(r.emoji, "rocket"));
  CHECK(repo.read(ash::query<poly::Reaction>().from<"post_reactions">())[0].emoji == "rocket");
  repo.destroy_in<"post_reactions">(like);
  CHECK(repo.read(ash::query<poly::Reaction>().from<"post_reactions">()).empty());
  CHECK(repo.read(ash::query<poly::Reaction>().from<"comment_reactions">()).size() == 1);
  // Destroying again finds nothing: a stale record, in that table.
  CHECK_THROWS_AS(repo.destroy_in<"post_reactions">(like), ash::exception);
}

TEST_CASE("the tasks project has one table per relationship into a polymorphic resource, referencing its source") {
  auto p = ash::tasks::project_of<poly::Repo, poly::Post, poly::Comment, poly::Reaction>("poly_tasks");
  std::vector<std::string> names;
  for (const auto& t : p.tables) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"posts", "post_reactions", "comments", "comment_reactions"});
  const auto* col = p.tables[1].find("resource_id");
  REQUIRE(col);
  REQUIRE(col->references);
  CHECK(col->references->table == "posts");
  CHECK(col->references->name == "post_reactions_resource_id_fkey");
  CHECK(p.tables[3].find("resource_id")->references->table == "comments");
}
