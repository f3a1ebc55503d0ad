// Actions against a real SQLite file: defaults, named actions with accept lists, changes,
// arguments and validations; both error forms; and that a refused action leaves the database
// exactly as it was.
#include <doctest/doctest.h>

#include <ash/ash.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"

namespace actions_test {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

enum class Status { open, closed };

struct Owner {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  friend bool operator==(const Owner&, const Owner&) = default;
};

/// A natural key that actions may change.
struct Room {
  std::string code;
  std::string name;
  friend bool operator==(const Room&, const Room&) = default;
};

struct Ticket {
  ash::uuid id;
  std::string subject;
  std::string body;
  Status status = Status::open;
  std::int64_t priority = 0;
  std::optional<std::int64_t> owner_id;
  std::optional<std::string> close_reason;
  ash::utc_datetime inserted_at;
  ash::utc_datetime updated_at;
  friend bool operator==(const Ticket&, const Ticket&) = default;
};

}  // namespace actions_test

ASH_ENUM(actions_test::Status, open, closed);
ASH_FIELDS(actions_test::Owner, id, name, email);
ASH_FIELDS(actions_test::Room, code, name);
ASH_FIELDS(actions_test::Ticket, id, subject, body, status, priority, owner_id, close_reason, inserted_at, updated_at);

namespace at = actions_test;

template <>
struct ash::resource<at::Owner> {
  static constexpr auto sqlite = ash::sqlite::table("owners");
  static constexpr auto primary_key = ash::integer_primary_key(&at::Owner::id);
  static constexpr auto identities =
      ash::identities(ash::identity<"unique_email">(&at::Owner::email),
                      ash::identity<"unique_name">(&at::Owner::name).message("is already someone's name"));
  // No `actions`: the four defaults, create and update accepting every writable field.
};

template <>
struct ash::resource<at::Room> {
  static constexpr auto sqlite = ash::sqlite::table("rooms");
  static constexpr auto primary_key = ash::primary_key(&at::Room::code);
  // The default create accepts the key the caller gives; the default update leaves keys alone,
  // so "recode" is the action that changes one.
  static constexpr auto actions =
      ash::actions(ash::defaults(ash::create, ash::read, ash::update, ash::destroy),
                   ash::update_action<"recode">().accept(&at::Room::code, &at::Room::name));
};

template <>
struct ash::resource<at::Ticket> {
  using T = at::Ticket;
  static constexpr auto sqlite = ash::sqlite::table("tickets");
  static constexpr auto primary_key = ash::uuid_primary_key(&T::id);
  static constexpr auto attributes = ash::attributes(
      ash::attribute(&T::subject).min_length(3).max_length(20),
      ash::attribute(&T::status).default_value(at::Status::open),
      ash::attribute(&T::priority).default_value(3),
      ash::create_timestamp(&T::inserted_at),
      ash::update_timestamp(&T::updated_at));
  static constexpr auto relationships = ash::relationships(ash::belongs_to<"owner", at::Owner>(&T::owner_id));
  static constexpr auto references = ash::references(ash::reference<"owner">());
  static constexpr auto actions = ash::actions(
      ash::defaults(ash::create, ash::read, ash::update, ash::destroy),
      ash::create_action<"open">().accept(&T::subject, &T::body, &T::owner_id).validate(ash::required(&T::subject)),
      ash::create_action<"urgent">()
          .accept(&T::subject)
          .arguments(ash::argument<"level", std::int64_t>().required())
          .change(ash::change(&T::priority, +[](const T&, const ash::arguments& a) { return *a.get<std::int64_t>("level"); }))
          .validate(ash::validate(&T::priority, +[](const std::int64_t& p) { return p >= 1 && p <= 5; },
                                  "must be from 1 to 5")),
      ash::update_action<"close">()
          .arguments(ash::argument<"reason", std::string>())
          .change(ash::set(&T::status, at::Status::closed),
                  ash::change(&T::close_reason, +[](const T& t, const ash::arguments& a) -> std::optional<std::string> {
                    if (auto r = a.get<std::string>("reason")) return *r;
                    return t.close_reason;
                  }))
          .validate(ash::validate<T>(
              +[](const T&, const ash::arguments& a) {
                auto r = a.get<std::string>("reason");
                return !r || !r->empty();
              },
              "must not be empty when given", "reason")),
      ash::update_action<"retitle">().accept(&T::subject).validate(
          ash::validate(&T::subject, +[](const std::string& s) { return s.find('!') == std::string::npos; },
                        "must not shout")),
      ash::destroy_action<"archive">()
          .arguments(ash::argument<"confirm", bool>().required())
          .validate(ash::validate<T>(+[](const T&, const ash::arguments& a) { return *a.get<bool>("confirm"); },
                                     "must be confirmed", "confirm")));
};

using at::Owner;
using at::Repo;
using at::Room;
using at::Status;
using at::Ticket;
using namespace std::chrono_literals;

namespace {

constexpr auto t = ash::fields<Ticket>;
constexpr auto o = ash::fields<Owner>;
constexpr auto rm = ash::fields<Room>;

/// A repo on a fresh SQLite file with both tables.
struct fixture {
  test::temp_dir dir;
  Repo repo{{.database = dir.file("actions.db")}};
  fixture() {
    repo.create_table<Owner>();
    repo.create_table<Ticket>();
    repo.create_table<Room>();
  }
  /// Everything stored, both tables, to compare before and after a refused action.
  std::vector<std::vector<std::string>> everything() {
    auto out = test::table_contents(repo, "owners");
    out.push_back({"--"});
    for (auto& row : test::table_contents(repo, "tickets")) out.push_back(row);
    return out;
  }
};

/// Runs `fn`, which must throw an `ash::exception`, and returns its error.
template <class F>
ash::error error_of(F&& fn) {
  try {
    fn();
  } catch (const ash::exception& e) {
    return e.error();
  }
  FAIL("expected an ash::exception");
  return {};
}

}  // namespace

TEST_CASE_FIXTURE(fixture, "the default actions create, read, update and destroy") {
  auto ann = repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  CHECK(ann.id == 1);
  auto bob = repo.create<Owner>(ash::set(o.name, "Bob"), ash::set(o.email, "bob@example.com"));
  CHECK(bob.id == 2);  // the autoincrement id is read back
  CHECK(test::rows(repo, "SELECT id, name FROM owners ORDER BY id") ==
        std::vector<std::vector<std::string>>{{"1", "'Ann'"}, {"2", "'Bob'"}});

  auto all = repo.read(ash::query<Owner>().sort(o.id));
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "Ann");
  CHECK(all[1].email == "bob@example.com");

  auto renamed = repo.update(ann, ash::set(o.name, "Annie"));
  CHECK(renamed.name == "Annie");
  CHECK(renamed.id == ann.id);
  CHECK(repo.get<Owner>(ann.id)->name == "Annie");
  CHECK(repo.get<Owner>(ann.id)->email == "ann@example.com");

  repo.destroy(renamed);
  CHECK_FALSE(repo.get<Owner>(ann.id));
  CHECK(repo.count(ash::query<Owner>()) == 1);
}

TEST_CASE_FIXTURE(fixture, "a create applies defaults, makes a UUID key and stamps both timestamps alike") {
  auto before = ash::utc_now();
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  auto after = ash::utc_now();
  CHECK_FALSE(x.id.is_nil());
  CHECK(x.status == Status::open);
  CHECK(x.priority == 3);
  CHECK(x.inserted_at == x.updated_at);
  CHECK(x.inserted_at >= before);
  CHECK(x.inserted_at <= after);
  auto y = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  CHECK(y.id != x.id);

  auto stored = repo.get<Ticket>(x.id);
  REQUIRE(stored);
  CHECK(stored->subject == "Printer on fire");
  CHECK(stored->priority == 3);
  CHECK(stored->inserted_at == x.inserted_at);
  CHECK(test::scalar_text(repo, "SELECT id FROM tickets WHERE subject = 'Printer on fire' ORDER BY inserted_at LIMIT 1") ==
        x.id.to_string());
  // The defaults are also in the schema, for rows written by other programs.
  repo.exec("INSERT INTO tickets (id, subject, body, inserted_at, updated_at) "
            "VALUES ('00000000-0000-4000-8000-000000000001', 'raw', '', '2026-01-01T00:00:00.000000Z', "
            "'2026-01-01T00:00:00.000000Z')");
  CHECK(test::rows(repo, "SELECT status, priority FROM tickets WHERE subject = 'raw'") ==
        std::vector<std::vector<std::string>>{{"'open'", "3"}});
}

TEST_CASE_FIXTURE(fixture, "an update advances updated_at and keeps inserted_at") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  std::this_thread::sleep_for(2ms);
  auto y = repo.update<"retitle">(x, ash::set(t.subject, "Printer fixed"));
  CHECK(y.updated_at > x.updated_at);
  CHECK(y.inserted_at == x.inserted_at);
  auto stored = repo.get<Ticket>(x.id);
  CHECK(stored->updated_at == y.updated_at);
  CHECK(stored->inserted_at == x.inserted_at);
  CHECK(stored->subject == "Printer fixed");
  // An update with no inputs still stamps the record.
  std::this_thread::sleep_for(2ms);
  auto z = repo.update(y);
  CHECK(z.updated_at > y.updated_at);
  CHECK(repo.get<Ticket>(x.id)->updated_at == z.updated_at);
}

TEST_CASE_FIXTURE(fixture, "a named update applies its changes: close sets the status and the reason argument") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  auto closed = repo.update<"close">(x, ash::arg<"reason">("fixed it"));
  CHECK(closed.status == Status::closed);
  CHECK(closed.close_reason == "fixed it");
  auto stored = repo.get<Ticket>(x.id);
  CHECK(stored->status == Status::closed);
  CHECK(stored->close_reason == "fixed it");
  CHECK(stored->subject == "Printer on fire");

  // Without the optional argument the change keeps what is there.
  auto y = repo.create<Ticket, "open">(ash::set(t.subject, "Paper jam"));
  auto closed_y = repo.update<"close">(y);
  CHECK(closed_y.status == Status::closed);
  CHECK_FALSE(closed_y.close_reason);
  CHECK(repo.count(ash::query<Ticket>().filter(t.status == Status::closed)) == 2);
}

TEST_CASE_FIXTURE(fixture, "a computed change reads the action's arguments") {
  auto x = repo.create<Ticket, "urgent">(ash::set(t.subject, "Server down"), ash::arg<"level">(std::int64_t{5}));
  CHECK(x.priority == 5);
  CHECK(repo.get<Ticket>(x.id)->priority == 5);
}

TEST_CASE_FIXTURE(fixture, "a missing required field is a required error naming it, and nothing is written") {
  repo.create<Ticket, "open">(ash::set(t.subject, "Existing"));
  auto before = everything();

  auto e = error_of([&] { repo.create<Ticket, "open">(ash::set(t.body, "no subject")); });
  CHECK(e.kind == ash::error_kind::required);
  CHECK(e.resource == "Ticket");
  CHECK(e.action == "open");
  CHECK(e.field == "subject");
  CHECK(e.message == "is required");
  CHECK(e.describe() == "Ticket.subject: is required (action open)");

  auto empty = error_of([&] { repo.create<Ticket, "open">(ash::set(t.subject, "")); });
  CHECK(empty.kind == ash::error_kind::required);
  CHECK(empty.field == "subject");

  auto r = repo.try_create<Ticket, "open">(ash::set(t.body, "no subject"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ash::error_kind::required);
  CHECK(r.error().field == "subject");
  CHECK_THROWS_AS(r.value(), ash::exception);
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "a missing required argument is a required error naming the argument") {
  auto before = everything();
  auto e = error_of([&] { repo.create<Ticket, "urgent">(ash::set(t.subject, "Server down")); });
  CHECK(e.kind == ash::error_kind::required);
  CHECK(e.field == "level");
  CHECK(e.action == "urgent");
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "a failed field validation carries its message and the field, and writes nothing") {
  repo.create<Ticket, "urgent">(ash::set(t.subject, "Server down"), ash::arg<"level">(std::int64_t{2}));
  auto before = everything();
  auto e = error_of([&] { repo.create<Ticket, "urgent">(ash::set(t.subject, "Server down"), ash::arg<"level">(std::int64_t{9})); });
  CHECK(e.kind == ash::error_kind::validation);
  CHECK(e.field == "priority");
  CHECK(e.message == "must be from 1 to 5");
  CHECK(e.resource == "Ticket");
  CHECK(e.action == "urgent");
  CHECK(everything() == before);

  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Quiet"));
  before = everything();
  auto shout = repo.try_update<"retitle">(x, ash::set(t.subject, "LOUD!"));
  REQUIRE_FALSE(shout);
  CHECK(shout.error().kind == ash::error_kind::validation);
  CHECK(shout.error().field == "subject");
  CHECK(shout.error().message == "must not shout");
  CHECK(everything() == before);
  CHECK(repo.get<Ticket>(x.id)->subject == "Quiet");
}

TEST_CASE_FIXTURE(fixture, "a failed record validation over the arguments leaves the record as it was") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  auto before = everything();
  auto e = error_of([&] { repo.update<"close">(x, ash::arg<"reason">("")); });
  CHECK(e.kind == ash::error_kind::validation);
  CHECK(e.field == "reason");
  CHECK(e.message == "must not be empty when given");
  CHECK(everything() == before);
  CHECK(repo.get<Ticket>(x.id)->status == Status::open);
}

TEST_CASE_FIXTURE(fixture, "max_length and min_length refuse text outside the bounds, in bytes") {
  repo.create<Ticket, "open">(ash::set(t.subject, "abc"));                   // 3: the minimum
  repo.create<Ticket, "open">(ash::set(t.subject, std::string(20, 'x')));    // 20: the maximum
  auto before = everything();

  auto long_one = error_of([&] { repo.create<Ticket, "open">(ash::set(t.subject, std::string(21, 'x'))); });
  CHECK(long_one.kind == ash::error_kind::invalid_attribute);
  CHECK(long_one.field == "subject");
  CHECK(long_one.message == "must be at most 20 characters");

  auto short_one = error_of([&] { repo.create<Ticket, "open">(ash::set(t.subject, "ab")); });
  CHECK(short_one.kind == ash::error_kind::invalid_attribute);
  CHECK(short_one.message == "must be at least 3 characters");

  // Six emoji are 24 bytes: over the limit though only six characters.
  auto emoji = error_of([&] {
    repo.create<Ticket, "open">(ash::set(t.subject, "\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5"
                                                    "\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5"));
  });
  CHECK(emoji.kind == ash::error_kind::invalid_attribute);
  // A megabyte is refused just the same, and not half-written.
  auto huge = error_of([&] { repo.create<Ticket, "open">(ash::set(t.subject, std::string(1 << 20, 'x'))); });
  CHECK(huge.kind == ash::error_kind::invalid_attribute);

  auto x = repo.read_one(ash::query<Ticket>().filter(t.subject == "abc"));
  REQUIRE(x);
  auto on_update = repo.try_update<"retitle">(*x, ash::set(t.subject, std::string(21, 'y')));
  REQUIRE_FALSE(on_update);
  CHECK(on_update.error().message == "must be at most 20 characters");
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "a violated identity is a unique_violation naming the field, and nothing is written") {
  repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  auto before = everything();
  auto e = error_of([&] { repo.create<Owner>(ash::set(o.name, "Other Ann"), ash::set(o.email, "ann@example.com")); });
  CHECK(e.kind == ash::error_kind::unique_violation);
  CHECK(e.resource == "Owner");
  CHECK(e.action == "create");
  CHECK(e.field == "email");
  CHECK(e.message == "has already been taken");
  CHECK(e.sql.find("INSERT INTO \"owners\"") != std::string::npos);
  CHECK(everything() == before);

  // The same on update, through the result form.
  auto bob = repo.create<Owner>(ash::set(o.name, "Bob"), ash::set(o.email, "bob@example.com"));
  before = everything();
  auto r = repo.try_update(bob, ash::set(o.email, "ann@example.com"));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ash::error_kind::unique_violation);
  CHECK(r.error().field == "email");
  CHECK(r.error().action == "update");
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "a violated identity with its own message reports that message") {
  repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  auto before = everything();
  auto e = error_of([&] { repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "other@example.com")); });
  CHECK(e.kind == ash::error_kind::unique_violation);
  CHECK(e.field == "name");
  CHECK(e.message == "is already someone's name");
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "a reference to nothing, or a destroy that would orphan rows, is a foreign_key_violation") {
  auto before = everything();
  auto e = error_of([&] {
    repo.create<Ticket, "open">(ash::set(t.subject, "Orphan"), ash::set(t.owner_id, std::int64_t{999}));
  });
  CHECK(e.kind == ash::error_kind::foreign_key_violation);
  CHECK(e.resource == "Ticket");
  CHECK(e.action == "open");
  CHECK(everything() == before);

  auto ann = repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Owned"), ash::set(t.owner_id, ann.id));
  CHECK(x.owner_id == ann.id);
  before = everything();
  auto d = repo.try_destroy(ann);
  REQUIRE_FALSE(d);
  CHECK(d.error().kind == ash::error_kind::foreign_key_violation);
  CHECK(d.error().resource == "Owner");
  CHECK(everything() == before);
}

TEST_CASE_FIXTURE(fixture, "an update or destroy of a record that is gone is a stale_record error") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Short-lived"));
  repo.destroy(x);
  auto u = error_of([&] { repo.update<"retitle">(x, ash::set(t.subject, "Again")); });
  CHECK(u.kind == ash::error_kind::stale_record);
  CHECK(u.resource == "Ticket");
  CHECK(u.action == "retitle");
  auto d = error_of([&] { repo.destroy(x); });
  CHECK(d.kind == ash::error_kind::stale_record);
  CHECK(d.action == "destroy");
  auto r = repo.try_update<"close">(x);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ash::error_kind::stale_record);
  CHECK(repo.count(ash::query<Ticket>()) == 0);  // the update did not insert it back
}

TEST_CASE_FIXTURE(fixture, "update_in_place leaves the caller's record as update would have returned it") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"));
  Ticket copy = x;
  std::this_thread::sleep_for(2ms);
  Ticket returned = repo.update<"retitle">(copy, ash::set(t.subject, "Printer fixed"));
  repo.update_in_place<"retitle">(x, ash::set(t.subject, "Printer fixed"));
  CHECK(x.subject == "Printer fixed");
  CHECK(x.updated_at >= returned.updated_at);
  CHECK(x.updated_at > copy.updated_at);
  returned.updated_at = x.updated_at;  // the one field that may differ: each update reads the clock
  CHECK(x == returned);
  CHECK(*repo.get<Ticket>(x.id) == x);

  // Changes and arguments apply to the record itself.
  repo.update_in_place<"close">(x, ash::arg<"reason">("fixed it"));
  CHECK(x.status == Status::closed);
  CHECK(x.close_reason == "fixed it");
  CHECK(*repo.get<Ticket>(x.id) == x);

  // The default action, on a resource with an integer key.
  auto ann = repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  repo.update_in_place(ann, ash::set(o.name, "Annie"));
  CHECK(ann == Owner{1, "Annie", "ann@example.com"});
  CHECK(*repo.get<Owner>(ann.id) == ann);
}

TEST_CASE_FIXTURE(fixture, "a refused update_in_place leaves the record and the database as they were") {
  auto ann = repo.create<Owner>(ash::set(o.name, "Ann"), ash::set(o.email, "ann@example.com"));
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Printer on fire"), ash::set(t.owner_id, ann.id));
  const Ticket before_x = x;
  const auto before = everything();

  // A field validation.
  auto shout = error_of([&] { repo.update_in_place<"retitle">(x, ash::set(t.subject, "LOUD!")); });
  CHECK(shout.kind == ash::error_kind::validation);
  CHECK(shout.field == "subject");
  CHECK(x == before_x);

  // A validation that fails after the action's changes (status, close_reason) and the timestamp
  // were applied: all three are put back.
  auto empty = error_of([&] { repo.update_in_place<"close">(x, ash::arg<"reason">("")); });
  CHECK(empty.message == "must not be empty when given");
  CHECK(x == before_x);

  // An attribute constraint, through the result form.
  auto r = repo.try_update_in_place<"retitle">(x, ash::set(t.subject, std::string(21, 'y')));
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ash::error_kind::invalid_attribute);
  CHECK(x == before_x);

  // A reference to nothing, refused by SQLite after every check in C++ passed.
  auto fk = error_of([&] { repo.update_in_place(x, ash::set(t.owner_id, std::int64_t{999})); });
  CHECK(fk.kind == ash::error_kind::foreign_key_violation);
  CHECK(x == before_x);

  // A unique identity, also refused by SQLite.
  auto bob = repo.create<Owner>(ash::set(o.name, "Bob"), ash::set(o.email, "bob@example.com"));
  const Owner before_bob = bob;
  auto taken = repo.try_update_in_place(bob, ash::set(o.email, "ann@example.com"));
  REQUIRE_FALSE(taken);
  CHECK(taken.error().kind == ash::error_kind::unique_violation);
  CHECK(bob == before_bob);
  repo.destroy(bob);
  CHECK(everything() == before);

  // A record that is gone.
  repo.destroy(x);
  auto stale = error_of([&] { repo.update_in_place<"retitle">(x, ash::set(t.subject, "Again")); });
  CHECK(stale.kind == ash::error_kind::stale_record);
  CHECK(stale.action == "retitle");
  CHECK(x == before_x);
  CHECK(repo.count(ash::query<Ticket>()) == 0);

  // A successful one returns nothing to check but the record: try_ says so with an empty result.
  auto ok = repo.try_update_in_place(ann, ash::set(o.name, "Annie"));
  CHECK(ok);
  CHECK(ann.name == "Annie");
}

TEST_CASE_FIXTURE(fixture, "get finds a record by a text primary key, however the key is given") {
  repo.create<Room>(ash::set(rm.code, "A1"), ash::set(rm.name, "Lab"));
  const Room lab{"A1", "Lab"};
  const std::string code = "A1";
  CHECK(repo.get<Room>(code) == lab);                    // the field's own type, bound where it lies
  CHECK(repo.get<Room>(std::string("A1")) == lab);       // a temporary of it
  CHECK(repo.get<Room>(std::string_view("A1")) == lab);  // converted: the param keeps a copy
  CHECK(repo.get<Room>("A1") == lab);
  // Longer than a param's inline buffer, so the copy is on the heap.
  const std::string long_code(100, 'k');
  repo.create<Room>(ash::set(rm.code, long_code), ash::set(rm.name, "Long"));
  CHECK(repo.get<Room>(std::string_view(long_code))->name == "Long");
  CHECK(repo.get<Room>(long_code.c_str())->name == "Long");
  CHECK_FALSE(repo.get<Room>("B2"));
}

TEST_CASE_FIXTURE(fixture, "update_in_place may change a natural primary key: the row is found by the old one") {
  auto lab = repo.create<Room>(ash::set(rm.code, "A1"), ash::set(rm.name, "Lab"));
  repo.create<Room>(ash::set(rm.code, "C3"), ash::set(rm.name, "Library"));
  repo.update_in_place<"recode">(lab, ash::set(rm.code, "B2"), ash::set(rm.name, "New lab"));
  CHECK(lab == Room{"B2", "New lab"});
  CHECK_FALSE(repo.get<Room>("A1"));
  CHECK(repo.count(ash::query<Room>()) == 2);
  CHECK(*repo.get<Room>(std::string("B2")) == lab);

  // Moving onto a key that is taken fails, and the record keeps its key and name.
  const auto before = test::table_contents(repo, "rooms");
  auto e = error_of([&] { repo.update_in_place<"recode">(lab, ash::set(rm.code, "C3"), ash::set(rm.name, "Clash")); });
  CHECK(e.resource == "Room");
  CHECK(lab == Room{"B2", "New lab"});
  CHECK(test::table_contents(repo, "rooms") == before);

  // The default update changes the other fields, found by the key as it is.
  repo.update_in_place(lab, ash::set(rm.name, "Old lab"));
  CHECK(repo.get<Room>("B2")->name == "Old lab");
}

TEST_CASE_FIXTURE(fixture, "a destroy action checks its arguments before deleting") {
  auto x = repo.create<Ticket, "open">(ash::set(t.subject, "Keep me"));
  auto before = everything();
  auto missing = error_of([&] { repo.destroy<"archive">(x); });
  CHECK(missing.kind == ash::error_kind::required);
  CHECK(missing.field == "confirm");
  auto refused = repo.try_destroy<"archive">(x, ash::arg<"confirm">(false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ash::error_kind::validation);
  CHECK(refused.error().message == "must be confirmed");
  CHECK(everything() == before);
  repo.destroy<"archive">(x, ash::arg<"confirm">(true));
  CHECK_FALSE(repo.get<Ticket>(x.id));
}

TEST_CASE_FIXTURE(fixture, "try_create returns the record, or the error instead of throwing") {
  auto ok = repo.try_create<Ticket, "open">(ash::set(t.subject, "Fine"));
  REQUIRE(ok.ok());
  CHECK(ok->subject == "Fine");
  CHECK(repo.get<Ticket>(ok->id));
  auto bad = repo.try_create<Ticket, "open">(ash::set(t.subject, "no"));
  CHECK_FALSE(bad);
  CHECK(bad.error().field == "subject");
  try {
    (void)bad.value();
    FAIL("value() of an error did not throw");
  } catch (const ash::exception& e) {
    CHECK(e.error().field == "subject");
    CHECK(std::string(e.what()) == "Ticket.subject: must be at least 3 characters (action open)");
  }
}

TEST_CASE_FIXTURE(fixture, "destroy_all deletes the rows a query selects, in one statement") {
  for (const char* s : {"one", "two", "three", "four"}) repo.create<Ticket, "open">(ash::set(t.subject, s));
  auto x = repo.read_one(ash::query<Ticket>().filter(t.subject == "two"));
  repo.update<"close">(*x);
  CHECK(repo.destroy_all(ash::query<Ticket>().filter(t.status == Status::open and ash::like(t.subject, "t%"))) == 1);
  CHECK(repo.count(ash::query<Ticket>()) == 3);
  CHECK_FALSE(repo.read_one(ash::query<Ticket>().filter(t.subject == "three")));
  CHECK(repo.destroy_all(ash::query<Ticket>().filter(t.subject == "nothing")) == 0);
  CHECK(repo.destroy_all(ash::query<Ticket>()) == 3);
  CHECK(repo.count(ash::query<Ticket>()) == 0);
}

TEST_CASE_FIXTURE(fixture, "insert stores a record as it is, without action logic") {
  Ticket raw;
  raw.id = ash::uuid::generate();
  raw.subject = "x";  // shorter than min_length: insert does not validate
  raw.priority = 42;
  auto stored = repo.insert(raw);
  CHECK(stored.id == raw.id);
  auto back = repo.get<Ticket>(raw.id);
  REQUIRE(back);
  CHECK(back->subject == "x");
  CHECK(back->priority == 42);
  auto owner = repo.insert(Owner{0, "Zed", "zed@example.com"});
  CHECK(owner.id == 1);
}

TEST_CASE_FIXTURE(fixture, "insert_all stores a range in one transaction and writes the generated keys back") {
  std::vector<Owner> owners{{0, "Ann", "ann@example.com"}, {0, "Bob", "bob@example.com"}, {0, "Cy", "cy@example.com"}};
  CHECK(repo.insert_all(owners) == 3);
  CHECK(owners[0].id == 1);
  CHECK(owners[1].id == 2);
  CHECK(owners[2].id == 3);
  auto bob = repo.get<Owner>(std::int64_t{2});
  REQUIRE(bob);
  CHECK(bob->email == "bob@example.com");

  // A const range is inserted as well; its records keep their (unset) keys.
  const std::vector<Owner> more{{0, "Di", "di@example.com"}};
  CHECK(repo.insert_all(more) == 1);
  CHECK(more[0].id == 0);
  CHECK(repo.count(ash::query<Owner>()) == 4);
  CHECK(repo.insert_all(std::vector<Owner>{}) == 0);
}

TEST_CASE_FIXTURE(fixture, "insert_all is all or nothing: a failing record leaves the table as it was") {
  std::vector<Owner> owners{{0, "Eve", "eve@example.com"}, {0, "Fay", "eve@example.com"}};  // the same email twice
  try {
    repo.insert_all(owners);
    FAIL("insert_all should have thrown");
  } catch (const ash::exception& e) {
    CHECK(e.error().kind == ash::error_kind::unique_violation);
    CHECK(e.error().field == "email");
  }
  CHECK(repo.count(ash::query<Owner>()) == 0);

  // Inside a caller's transaction it joins that transaction, and rolls back with it.
  CHECK_THROWS_AS(repo.transaction([&] {
    std::vector<Owner> one{{0, "Gus", "gus@example.com"}};
    repo.insert_all(one);
    throw std::runtime_error("the caller fails after the insert");
  }), std::runtime_error);
  CHECK(repo.count(ash::query<Owner>()) == 0);
}
