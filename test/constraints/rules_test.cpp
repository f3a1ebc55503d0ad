// The compile-time rules, each as a concept or constant that holds for good input and fails for
// bad input. (The compile_fail tests pin the wording users then see; this file pins the rules.)
#include <doctest/doctest.h>

#include <ash/ash.hpp>
#include <ash/types/date.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rules_test {

enum class Status { open, closed };
enum class Priority { low, high };

struct Account {
  std::int64_t id = 0;
  std::string email;
};

struct Ticket {
  std::int64_t id = 0;
  std::string subject;
  ash::ci_string tag;
  std::int32_t votes = 0;
  double score = 0;
  bool urgent = false;
  Status status = Status::open;
  Priority priority = Priority::low;
  ash::uuid token;
  ash::utc_datetime at;
  ash::date day;
  ash::bytes blob;
  std::optional<std::int64_t> account_id;
  std::optional<std::string> note;
};

// Bad declarations, one mistake each. `unlisted` is a member missing from ASH_FIELDS.
struct NoTable {
  std::int64_t id = 0;
};
struct Polymorphic {
  std::int64_t id = 0;
};
struct BadIdentity {
  std::int64_t id = 0;
  std::string unlisted;
};
/// Actions that accept, change or validate a member that is not listed in ASH_FIELDS.
struct BadActionAccept {
  std::int64_t id = 0;
  std::string listed;
  std::string unlisted;
};
struct BadActionChange {
  std::int64_t id = 0;
  std::int64_t unlisted = 0;
};
struct BadActionValidation {
  std::int64_t id = 0;
  std::string unlisted;
};
struct BadRelationship {
  std::int64_t id = 0;
  std::int64_t unlisted = 0;
};
struct BadReference {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
};
struct BadPrimaryKey {
  std::int64_t id = 0;
  std::int64_t unlisted = 0;
};
struct BadAttribute {
  std::int64_t id = 0;
  std::string unlisted;
};
struct Untyped {
  std::int64_t id = 0;
  struct opaque {
    int x = 0;
  } thing;
};
struct Keyless {
  std::string line;
};
struct Good {
  std::int64_t id = 0;
  std::string email;
  std::int64_t account_id = 0;
};

struct Empty {};

}  // namespace rules_test

ASH_ENUM(rules_test::Status, open, closed);
ASH_ENUM(rules_test::Priority, low, high);
ASH_FIELDS(rules_test::Account, id, email);
ASH_FIELDS(rules_test::Ticket, id, subject, tag, votes, score, urgent, status, priority, token, at, day, blob, account_id, note);
ASH_FIELDS(rules_test::NoTable, id);
ASH_FIELDS(rules_test::Polymorphic, id);
ASH_FIELDS(rules_test::BadIdentity, id);
ASH_FIELDS(rules_test::BadActionAccept, id, listed);
ASH_FIELDS(rules_test::BadActionChange, id);
ASH_FIELDS(rules_test::BadActionValidation, id);
ASH_FIELDS(rules_test::BadRelationship, id);
ASH_FIELDS(rules_test::BadReference, id, account_id);
ASH_FIELDS(rules_test::BadPrimaryKey, id);
ASH_FIELDS(rules_test::BadAttribute, id);
ASH_FIELDS(rules_test::Untyped, id, thing);
ASH_FIELDS(rules_test::Keyless, line);
ASH_FIELDS(rules_test::Good, id, email, account_id);

namespace rt = rules_test;

template <>
struct ash::resource<rt::Account> {
  static constexpr auto sqlite = ash::sqlite::table("accounts");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::Account::id);
};
template <>
struct ash::resource<rt::Ticket> {
  static constexpr auto sqlite = ash::sqlite::table("tickets");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::Ticket::id);
};
template <>
struct ash::resource<rt::NoTable> {
  static constexpr auto sqlite = ash::sqlite::table("");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::NoTable::id);
};
template <>
struct ash::resource<rt::Polymorphic> {
  static constexpr auto sqlite = ash::sqlite::polymorphic();
  static constexpr auto primary_key = ash::integer_primary_key(&rt::Polymorphic::id);
};
template <>
struct ash::resource<rt::BadIdentity> {
  static constexpr auto sqlite = ash::sqlite::table("bad_identities");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::BadIdentity::id);
  static constexpr auto identities = ash::identities(ash::identity<"unique_unlisted">(&rt::BadIdentity::unlisted));
};
template <>
struct ash::resource<rt::BadActionAccept> {
  using R = rt::BadActionAccept;
  static constexpr auto sqlite = ash::sqlite::table("bad_action_accepts");
  static constexpr auto primary_key = ash::integer_primary_key(&R::id);
  static constexpr auto actions =
      ash::actions(ash::defaults(ash::read), ash::create_action<"open">().accept(&R::listed, &R::unlisted));
};
template <>
struct ash::resource<rt::BadActionChange> {
  using R = rt::BadActionChange;
  static constexpr auto sqlite = ash::sqlite::table("bad_action_changes");
  static constexpr auto primary_key = ash::integer_primary_key(&R::id);
  static constexpr auto actions = ash::actions(ash::create_action<"open">(),
                                               ash::update_action<"bump">().change(ash::set(&R::unlisted, std::int64_t{1})));
};
template <>
struct ash::resource<rt::BadActionValidation> {
  using R = rt::BadActionValidation;
  static constexpr auto sqlite = ash::sqlite::table("bad_action_validations");
  static constexpr auto primary_key = ash::integer_primary_key(&R::id);
  static constexpr auto actions = ash::actions(ash::create_action<"open">().validate(ash::required(&R::unlisted)));
};
template <>
struct ash::resource<rt::BadRelationship> {
  static constexpr auto sqlite = ash::sqlite::table("bad_relationships");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::BadRelationship::id);
  static constexpr auto relationships =
      ash::relationships(ash::belongs_to<"account", rt::Account>(&rt::BadRelationship::unlisted));
};
template <>
struct ash::resource<rt::BadReference> {
  static constexpr auto sqlite = ash::sqlite::table("bad_references");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::BadReference::id);
  static constexpr auto relationships =
      ash::relationships(ash::belongs_to<"account", rt::Account>(&rt::BadReference::account_id));
  static constexpr auto references = ash::references(ash::reference<"owner">());
};
template <>
struct ash::resource<rt::BadPrimaryKey> {
  static constexpr auto sqlite = ash::sqlite::table("bad_primary_keys");
  static constexpr auto primary_key = ash::primary_key(&rt::BadPrimaryKey::unlisted);
};
template <>
struct ash::resource<rt::BadAttribute> {
  static constexpr auto sqlite = ash::sqlite::table("bad_attributes");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::BadAttribute::id);
  static constexpr auto attributes = ash::attributes(ash::attribute(&rt::BadAttribute::unlisted).max_length(3));
};
template <>
struct ash::resource<rt::Untyped> {
  static constexpr auto sqlite = ash::sqlite::table("untyped");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::Untyped::id);
};
template <>
struct ash::resource<rt::Keyless> {
  static constexpr auto sqlite = ash::sqlite::table("log_lines");
};
template <>
struct ash::resource<rt::Good> {
  static constexpr auto sqlite = ash::sqlite::table("goods");
  static constexpr auto primary_key = ash::integer_primary_key(&rt::Good::id);
  static constexpr auto attributes = ash::attributes(ash::attribute(&rt::Good::email).max_length(100));
  static constexpr auto identities = ash::identities(ash::identity<"unique_email">(&rt::Good::email));
  static constexpr auto relationships =
      ash::relationships(ash::belongs_to<"account", rt::Account>(&rt::Good::account_id));
  static constexpr auto references = ash::references(ash::reference<"account">());
};

namespace {
constexpr auto t = ash::fields<rt::Ticket>;
constexpr auto a = ash::fields<rt::Account>;
using subject = decltype(t.subject);
using tag = decltype(t.tag);
using votes = decltype(t.votes);
using score = decltype(t.score);
using urgent = decltype(t.urgent);
using status = decltype(t.status);
using token = decltype(t.token);
using at = decltype(t.at);
using day = decltype(t.day);
using blob = decltype(t.blob);
using account_id = decltype(t.account_id);
using note = decltype(t.note);
}  // namespace

TEST_CASE("comparable accepts values of the column's kind and refuses other kinds") {
  // Text compares with any text.
  static_assert(ash::comparable<subject, const char*>);
  static_assert(ash::comparable<subject, const char (&)[4]>);
  static_assert(ash::comparable<subject, std::string>);
  static_assert(ash::comparable<subject, std::string_view>);
  static_assert(ash::comparable<subject, tag>);
  static_assert(ash::comparable<tag, const char*>);
  static_assert(ash::comparable<note, std::string>);
  static_assert(!ash::comparable<subject, int>);
  static_assert(!ash::comparable<subject, double>);
  static_assert(!ash::comparable<subject, votes>);
  static_assert(!ash::comparable<subject, ash::uuid>);
  // Numbers compare with numbers, of any width, optional or not.
  static_assert(ash::comparable<votes, int>);
  static_assert(ash::comparable<votes, std::int64_t>);
  static_assert(ash::comparable<votes, double>);
  static_assert(ash::comparable<score, int>);
  static_assert(ash::comparable<votes, score>);
  static_assert(ash::comparable<account_id, int>);
  static_assert(ash::comparable<account_id, std::optional<std::int64_t>>);
  static_assert(!ash::comparable<votes, const char*>);
  static_assert(!ash::comparable<votes, bool>);
  static_assert(!ash::comparable<account_id, std::string>);
  // Bools with bools.
  static_assert(ash::comparable<urgent, bool>);
  static_assert(!ash::comparable<urgent, int>);
  // Enums, UUIDs, timestamps, dates and bytes only with their own type.
  static_assert(ash::comparable<status, rt::Status>);
  static_assert(!ash::comparable<status, rt::Priority>);
  static_assert(!ash::comparable<status, const char*>);
  static_assert(!ash::comparable<status, int>);
  static_assert(ash::comparable<token, ash::uuid>);
  static_assert(!ash::comparable<token, std::string>);
  static_assert(!ash::comparable<token, const char*>);
  static_assert(ash::comparable<at, ash::utc_datetime>);
  static_assert(!ash::comparable<at, std::string>);
  static_assert(!ash::comparable<at, ash::date>);
  static_assert(ash::comparable<day, ash::date>);
  static_assert(!ash::comparable<day, const char*>);
  static_assert(ash::comparable<blob, ash::bytes>);
  static_assert(!ash::comparable<blob, std::string>);
  // A type ash does not know is not comparable with anything, even an empty one.
  static_assert(!ash::comparable<votes, rt::Empty>);
  static_assert(!ash::comparable<account_id, std::nullopt_t>);
  // A fragment's type is unknown to ash: it compares with anything.
  static_assert(ash::comparable<decltype(ash::fragment<"1">()), int>);
  static_assert(ash::comparable<decltype(ash::fragment<"'a'">()), std::string>);
  CHECK(ash::compatible_types<std::int32_t, double>);
  CHECK_FALSE(ash::compatible_types<rt::Status, rt::Priority>);
}

TEST_CASE("textual holds for text columns only, as like, ilike and contains need") {
  static_assert(ash::textual<subject>);
  static_assert(ash::textual<tag>);
  static_assert(ash::textual<note>);
  static_assert(ash::textual<const char*>);
  static_assert(ash::textual<decltype(t.subject + "x")>);
  static_assert(!ash::textual<votes>);
  static_assert(!ash::textual<score>);
  static_assert(!ash::textual<urgent>);
  static_assert(!ash::textual<status>);
  static_assert(!ash::textual<token>);
  static_assert(!ash::textual<at>);
  static_assert(!ash::textual<blob>);
  static_assert(!ash::textual<int>);
  CHECK(ash::textual<subject>);
}

TEST_CASE("numeric and boolean hold for numbers and conditions only") {
  static_assert(ash::numeric<votes>);
  static_assert(ash::numeric<score>);
  static_assert(ash::numeric<decltype(t.votes + 1)>);
  static_assert(!ash::numeric<subject>);
  static_assert(!ash::numeric<urgent>);
  static_assert(!ash::numeric<status>);
  static_assert(ash::boolean<decltype(t.votes > 1)>);
  static_assert(ash::boolean<urgent>);
  static_assert(ash::boolean<decltype(ash::is_nil(t.note))>);
  static_assert(!ash::boolean<votes>);
  static_assert(!ash::boolean<subject>);
  CHECK(ash::numeric<votes>);
}

TEST_CASE("filterable holds for conditions over the resource's own fields only") {
  static_assert(ash::filterable<rt::Ticket, decltype(t.subject == "x")>);
  static_assert(ash::filterable<rt::Ticket, decltype(t.status == rt::Status::closed and not(t.subject == "x"))>);
  static_assert(ash::filterable<rt::Ticket, decltype(ash::in(t.votes, {1, 2}))>);
  static_assert(ash::filterable<rt::Ticket, decltype(ash::contains(t.subject, "x"))>);
  static_assert(ash::filterable<rt::Ticket, decltype(ash::fragment<"? > 0">(t.votes))>);
  static_assert(ash::filterable<rt::Ticket, urgent>);
  // A field of another resource, alone or inside a bigger condition.
  static_assert(!ash::filterable<rt::Ticket, decltype(a.email == "x")>);
  static_assert(!ash::filterable<rt::Ticket, decltype(t.subject == "x" and a.email == "y")>);
  static_assert(!ash::filterable<rt::Ticket, decltype(not(a.email == "y"))>);
  static_assert(!ash::filterable<rt::Ticket, decltype(ash::is_nil(a.email))>);
  static_assert(!ash::filterable<rt::Ticket, decltype(ash::in(a.id, {1}))>);
  static_assert(!ash::filterable<rt::Ticket, decltype(ash::like(a.email, "x%"))>);
  static_assert(!ash::filterable<rt::Ticket, decltype(t.subject == a.email)>);
  static_assert(!ash::filterable<rt::Ticket, decltype(ash::fragment<"? > 0">(a.id))>);
  static_assert(ash::filterable<rt::Account, decltype(a.email == "x")>);
  // Not a condition.
  static_assert(!ash::filterable<rt::Ticket, votes>);
  static_assert(!ash::filterable<rt::Ticket, decltype(t.votes + 1)>);
  static_assert(!ash::filterable<rt::Ticket, bool>);
  CHECK(ash::filterable<rt::Ticket, decltype(t.subject == "x")>);
}

TEST_CASE("valid_resource holds for a correct declaration and fails for each kind of mistake") {
  static_assert(ash::valid_resource<rt::Good>);
  static_assert(ash::valid_resource<rt::Ticket>);
  static_assert(ash::valid_resource<rt::Polymorphic>);  // no table, but polymorphic
  static_assert(ash::valid_resource<rt::Keyless>);      // valid, only not keyed

  static_assert(!ash::rules<rt::NoTable>::has_table);
  static_assert(!ash::valid_resource<rt::NoTable>);

  static_assert(ash::rules<rt::BadIdentity>::bad_identity == 0);
  static_assert(!ash::valid_resource<rt::BadIdentity>);

  // An action naming a member that ASH_FIELDS does not list (it compiled, and the action read
  // and wrote outside its field arrays): the accepted list, a change, a validation.
  static_assert(ash::rules<rt::BadActionAccept>::bad_action == 1);
  static_assert(ash::detail::unknown_action_member<rt::BadActionAccept>(std::get<1>(ash::resource<rt::BadActionAccept>::actions)).list == 1);
  static_assert(!ash::valid_resource<rt::BadActionAccept>);
  static_assert(ash::rules<rt::BadActionChange>::bad_action == 1);
  static_assert(!ash::valid_resource<rt::BadActionChange>);
  static_assert(ash::rules<rt::BadActionValidation>::bad_action == 0);
  static_assert(!ash::valid_resource<rt::BadActionValidation>);
  static_assert(ash::rules<rt::Good>::bad_action == ash::npos);

  static_assert(ash::rules<rt::BadRelationship>::bad_relationship == 0);
  static_assert(!ash::valid_resource<rt::BadRelationship>);

  static_assert(ash::rules<rt::BadReference>::bad_reference == 0);
  static_assert(ash::rules<rt::BadReference>::bad_relationship == ash::npos);
  static_assert(!ash::valid_resource<rt::BadReference>);

  static_assert(!ash::rules<rt::BadPrimaryKey>::primary_key_known);
  static_assert(!ash::valid_resource<rt::BadPrimaryKey>);

  static_assert(!ash::rules<rt::BadAttribute>::attributes_known);
  static_assert(!ash::valid_resource<rt::BadAttribute>);

  static_assert(ash::rules<rt::Untyped>::untyped_field == 1);
  static_assert(!ash::valid_resource<rt::Untyped>);

  // The good resource passes every rule on its own, not just the conjunction.
  using good = ash::rules<rt::Good>;
  static_assert(good::has_table && good::primary_key_known && good::attributes_known);
  static_assert(good::bad_identity == ash::npos && good::bad_relationship == ash::npos && good::bad_reference == ash::npos);
  static_assert(good::untyped_field == ash::npos);

  // Not declared at all.
  static_assert(!ash::declared_resource<rt::Empty>);
  static_assert(!ash::valid_resource<rt::Empty>);
  CHECK(ash::valid_resource<rt::Good>);
  CHECK_FALSE(ash::valid_resource<rt::BadReference>);
}

TEST_CASE("keyed_resource, which update and destroy need, fails without a primary key") {
  static_assert(ash::keyed_resource<rt::Ticket>);
  static_assert(ash::keyed_resource<rt::Good>);
  static_assert(!ash::keyed_resource<rt::Keyless>);
  static_assert(!ash::keyed_resource<rt::NoTable>);  // not valid in the first place
  static_assert(ash::info<rt::Ticket>::has_primary_key);
  static_assert(!ash::info<rt::Keyless>::has_primary_key);
  CHECK_FALSE(ash::keyed_resource<rt::Keyless>);
}
