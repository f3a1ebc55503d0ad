// Resources lowered by ash::table_schema_of and fed to the generator: identities whose unique
// index is skipped (AshSqlite's skip_unique_indexes) produce none; the others do.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "ash/ash.hpp"
#include "ash/migrate/generator.hpp"

namespace skip_test {

struct Member {
  std::int64_t id = 0;
  std::string email;
  std::string handle;
  std::string phone;
};

struct Device {
  std::int64_t id = 0;
  std::string serial;
};

}  // namespace skip_test

ASH_FIELDS(skip_test::Member, id, email, handle, phone);
ASH_FIELDS(skip_test::Device, id, serial);

template <>
struct ash::resource<skip_test::Member> {
  using M = skip_test::Member;
  static constexpr auto sqlite = ash::sqlite::table("members");
  static constexpr auto primary_key = ash::integer_primary_key(&M::id);
  static constexpr auto identities = ash::identities(
      ash::identity<"unique_email">(&M::email),
      ash::identity<"unique_handle">(&M::handle).skip_unique_index(),
      ash::identity<"unique_phone">(&M::phone).index_name("members_by_phone"));
};

template <>
struct ash::resource<skip_test::Device> {
  using D = skip_test::Device;
  static constexpr auto sqlite = ash::sqlite::table("devices").skip_unique_indexes();
  static constexpr auto primary_key = ash::integer_primary_key(&D::id);
  static constexpr auto identities = ash::identities(ash::identity<"unique_serial">(&D::serial));
};

using strings = std::vector<std::string>;

TEST_CASE("skip_unique_index: that identity gets no unique index, the others do") {
  const auto t = ash::table_schema_of<skip_test::Member>();
  REQUIRE(t.identities.size() == 2);
  CHECK(t.identities[0].name == "unique_email");
  CHECK(t.identities[1].name == "unique_phone");

  const auto p = ash::migrate::diff({}, {t});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up ==
        strings{R"(CREATE TABLE "members" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "handle" TEXT NOT NULL, "phone" TEXT NOT NULL))",
                R"(CREATE UNIQUE INDEX "members_unique_email_index" ON "members" ("email"))",
                R"(CREATE UNIQUE INDEX "members_by_phone" ON "members" ("phone"))"});
  CHECK(p.operations[0].down == strings{R"(DROP TABLE "members")"});
}

TEST_CASE("sqlite::table(...).skip_unique_indexes(): no identity of the resource gets an index") {
  const auto t = ash::table_schema_of<skip_test::Device>();
  CHECK(t.identities.empty());
  const auto p = ash::migrate::diff({}, {t});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up ==
        strings{R"(CREATE TABLE "devices" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "serial" TEXT NOT NULL))"});
}

TEST_CASE("skipping an existing identity's index later drops the index; the down recreates it") {
  auto before = ash::table_schema_of<skip_test::Member>();
  // As the resource was before .skip_unique_index() was added to unique_handle.
  before.identities.push_back({"unique_handle", {"handle"}, {}, "members_unique_handle_index", true});
  std::map<std::string, ash::schema::table> snapshots{{"members", ash::migrate::normalize(before)}};
  const auto p = ash::migrate::diff(snapshots, {ash::table_schema_of<skip_test::Member>()});
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].up == strings{R"(DROP INDEX "members_unique_handle_index")"});
  CHECK(p.operations[0].down ==
        strings{R"(CREATE UNIQUE INDEX "members_unique_handle_index" ON "members" ("handle"))"});
}
