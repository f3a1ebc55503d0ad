#pragma once
/// \file
/// The resource metadata vocabulary: what a user writes in `ash::resource<T>`.
///
/// ```
/// template <> struct ash::resource<helpdesk::Ticket> {
///   static constexpr auto sqlite = ash::sqlite::table("tickets").repo<helpdesk::Repo>();
///   static constexpr auto primary_key = ash::uuid_primary_key(&helpdesk::Ticket::id);
///   static constexpr auto attributes = ash::attributes(
///       ash::attribute(&helpdesk::Ticket::status).default_value(helpdesk::Status::open));
///   static constexpr auto relationships = ash::relationships(
///       ash::belongs_to<"representative", helpdesk::Representative>(&helpdesk::Ticket::representative_id));
/// };
/// ```
/// Every section but `sqlite` is optional. All of it is checked at compile time
/// (`ash::valid_resource`), with one readable sentence per mistake.

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ash/core/fields.hpp"
#include "ash/detail/fixed_string.hpp"
#include "ash/detail/list.hpp"

namespace ash {

/// Metadata of resource `T`; users specialise it.
template <class T>
struct resource;

// --- the sqlite section ----------------------------------------------------------------------------------

namespace sqlite {

/// The `sqlite` section: table (or polymorphic), repo, and schema options.
template <class Repo = void>
struct section {
  using repo_type = Repo;
  std::string_view table_name{};
  bool is_polymorphic = false;
  bool is_strict = false;
  bool migrate_enabled = true;
  std::string_view base_filter{};
  bool skip_all_unique_indexes = false;

  /// The repo whose database holds this resource.
  template <class R>
  constexpr section<R> repo() const {
    return {table_name, is_polymorphic, is_strict, migrate_enabled, base_filter, skip_all_unique_indexes};
  }
  /// `CREATE TABLE ... STRICT`: SQLite checks every value against the column type.
  constexpr section strict(bool on = true) const {
    auto s = *this;
    s.is_strict = on;
    return s;
  }
  /// Whether the migration generator manages this table (default true).
  constexpr section migrate(bool on) const {
    auto s = *this;
    s.migrate_enabled = on;
    return s;
  }
  /// SQL of the resource's base filter; makes identity indexes partial.
  constexpr section base_filter_sql(std::string_view sql) const {
    auto s = *this;
    s.base_filter = sql;
    return s;
  }
  /// The migration generator writes no unique index for any identity of this resource
  /// (`skip_unique_indexes true`); for one identity, use `identity<...>(...).skip_unique_index()`.
  constexpr section skip_unique_indexes(bool on = true) const {
    auto s = *this;
    s.skip_all_unique_indexes = on;
    return s;
  }
};

/// A resource stored in one table.
constexpr section<> table(std::string_view name) { return {name}; }
/// A resource stored in several tables, chosen per query (`query<R>().from<"post_reactions">()`).
constexpr section<> polymorphic() { return {{}, true}; }

}  // namespace sqlite

// --- primary keys -----------------------------------------------------------------------------------------

/// How the primary key is produced on create.
enum class key_generation {
  none,            ///< given by the caller
  autoincrement,   ///< INTEGER PRIMARY KEY AUTOINCREMENT, read back after insert
  uuid_v4,         ///< a random UUID made before insert
};

/// The primary key: one or more fields.
template <class... M>
struct primary_key_decl {
  static constexpr std::size_t size = sizeof...(M);
  detail::list<M...> members;
  key_generation generation = key_generation::none;
};

/// An integer key the database assigns (`INTEGER PRIMARY KEY AUTOINCREMENT`).
template <class R, class T>
constexpr primary_key_decl<T R::*> integer_primary_key(T R::*m) {
  static_assert(std::is_integral_v<T>, "ash: integer_primary_key needs an integer field");
  return {detail::list<T R::*>{m}, key_generation::autoincrement};
}
/// A UUID key made on create (random, version 4).
template <class R>
constexpr primary_key_decl<uuid R::*> uuid_primary_key(uuid R::*m) {
  return {detail::list<uuid R::*>{m}, key_generation::uuid_v4};
}
/// A key of one or more fields given by the caller.
template <class... M>
constexpr primary_key_decl<M...> primary_key(M... m) {
  return {detail::list<M...>{m...}, key_generation::none};
}

// --- attributes -------------------------------------------------------------------------------------------

/// Special roles of an attribute.
enum class attribute_role {
  plain,
  create_timestamp,  ///< set to now on create, never written by actions
  update_timestamp,  ///< set to now on create and on every update
};

/// Options of one attribute. `D` is the type of its constant default (`void`: none).
template <class M, class D = void>
struct attribute_decl {
  using member_type = M;
  using default_type = D;
  M member;
  attribute_role role = attribute_role::plain;
  bool is_writable = true;
  std::size_t max_len = npos;
  std::size_t min_len = 0;
  std::string_view migration_type_override{};
  std::string_view migration_default_override{};
  bool migration_ignored = false;
  [[no_unique_address]] std::conditional_t<std::is_void_v<D>, std::tuple<>, D> default_val{};

  /// A constant used when a create does not set the field, and lowered into the schema.
  template <class V>
  constexpr auto default_value(V v) const {
    using field_t = unwrap_optional_t<typename detail::member_pointer_traits<M>::type>;
    using held = std::conditional_t<std::is_convertible_v<V, std::string_view> && !std::is_same_v<field_t, bool>,
                                    std::string_view, field_t>;
    return attribute_decl<M, held>{member, role, is_writable, max_len, min_len, migration_type_override,
                                   migration_default_override, migration_ignored, held(v)};
  }
  /// Whether actions may set the field (default true).
  constexpr attribute_decl writable(bool on) const {
    auto a = *this;
    a.is_writable = on;
    return a;
  }
  /// Longest accepted text, in bytes.
  constexpr attribute_decl max_length(std::size_t n) const {
    auto a = *this;
    a.max_len = n;
    return a;
  }
  /// Shortest accepted text, in bytes.
  constexpr attribute_decl min_length(std::size_t n) const {
    auto a = *this;
    a.min_len = n;
    return a;
  }
  /// The snapshot/migration type to use instead of the type's own (`migration_types`).
  constexpr attribute_decl migration_type(std::string_view t) const {
    auto a = *this;
    a.migration_type_override = t;
    return a;
  }
  /// SQL written verbatim as the column default (`migration_defaults`).
  constexpr attribute_decl migration_default(std::string_view sql) const {
    auto a = *this;
    a.migration_default_override = sql;
    return a;
  }
  /// Leaves the column out of snapshots and migrations (`migration_ignore_attributes`).
  constexpr attribute_decl migration_ignore(bool on = true) const {
    auto a = *this;
    a.migration_ignored = on;
    return a;
  }
};

/// Options for one field: `ash::attribute(&Ticket::status).default_value(Status::open)`.
template <class M>
constexpr attribute_decl<M> attribute(M m) {
  return {m};
}
/// A timestamp set on create (`inserted_at`); not writable.
template <class R>
constexpr attribute_decl<utc_datetime R::*> create_timestamp(utc_datetime R::*m) {
  return {m, attribute_role::create_timestamp, false};
}
/// A timestamp set on create and update (`updated_at`); not writable.
template <class R>
constexpr attribute_decl<utc_datetime R::*> update_timestamp(utc_datetime R::*m) {
  return {m, attribute_role::update_timestamp, false};
}

/// The `attributes` section.
template <class... A>
constexpr auto attributes(A... a) {
  return detail::make_list(a...);
}

// --- identities -------------------------------------------------------------------------------------------

/// A set of fields unique together: `ash::identity<"unique_email">(&User::email)`.
template <detail::fixed_string Name, class... M>
struct identity_decl {
  static constexpr std::string_view name = Name.view();
  static constexpr std::size_t size = sizeof...(M);
  detail::list<M...> members;
  std::string_view index_name_override{};
  bool nils_distinct = true;
  std::string_view message_text{};
  bool skip_index = false;

  /// The unique index name to use instead of `<table>_<identity>_index`.
  constexpr identity_decl index_name(std::string_view n) const {
    auto i = *this;
    i.index_name_override = n;
    return i;
  }
  /// Error message when the identity is violated (default "has already been taken").
  constexpr identity_decl message(std::string_view m) const {
    auto i = *this;
    i.message_text = m;
    return i;
  }
  /// The migration generator writes no unique index for this identity (AshSqlite's
  /// `skip_unique_indexes`): the database enforces uniqueness some other way, or not at all.
  constexpr identity_decl skip_unique_index(bool on = true) const {
    auto i = *this;
    i.skip_index = on;
    return i;
  }
};
template <detail::fixed_string Name, class... M>
constexpr identity_decl<Name, M...> identity(M... m) {
  return {detail::list<M...>{m...}};
}
/// The `identities` section.
template <class... I>
constexpr auto identities(I... i) {
  return detail::make_list(i...);
}

// --- relationships ----------------------------------------------------------------------------------------

/// The kinds of relationship.
enum class relationship_kind { belongs_to, has_one, has_many };

/// A relationship to resource `Dest`, through `Member` (on the source for belongs_to, on the
/// destination for has_one / has_many).
template <relationship_kind K, detail::fixed_string Name, class Dest, class Member>
struct relationship_decl {
  using destination = Dest;
  static constexpr relationship_kind kind = K;
  static constexpr std::string_view name = Name.view();
  Member member;
  std::string_view context_table{};  ///< for a polymorphic destination: the table to use

  /// For a polymorphic destination: which of its tables this relationship uses.
  constexpr relationship_decl table(std::string_view t) const {
    auto r = *this;
    r.context_table = t;
    return r;
  }
};
/// The source holds the key of one `Dest`: `belongs_to<"representative", Representative>(&Ticket::representative_id)`.
template <detail::fixed_string Name, class Dest, class M>
constexpr relationship_decl<relationship_kind::belongs_to, Name, Dest, M> belongs_to(M source_attribute) {
  return {source_attribute};
}
/// Each `Dest` holds the key of the source: `has_many<"tickets", Ticket>(&Ticket::representative_id)`.
template <detail::fixed_string Name, class Dest, class M>
constexpr relationship_decl<relationship_kind::has_many, Name, Dest, M> has_many(M destination_attribute) {
  return {destination_attribute};
}
/// One `Dest` holds the key of the source.
template <detail::fixed_string Name, class Dest, class M>
constexpr relationship_decl<relationship_kind::has_one, Name, Dest, M> has_one(M destination_attribute) {
  return {destination_attribute};
}
/// The `relationships` section.
template <class... R>
constexpr auto relationships(R... r) {
  return detail::make_list(r...);
}

// --- references (foreign keys), custom indexes, custom statements -----------------------------------------

/// What the database does to referencing rows when the referenced row is deleted or updated.
enum class on_action { unset, nothing, restrict, cascade, nilify };

/// How a `belongs_to` relationship becomes a foreign key: `ash::reference<"representative">()`.
template <detail::fixed_string Relationship>
struct reference_decl {
  static constexpr std::string_view relationship = Relationship.view();
  on_action delete_action = on_action::unset;
  on_action update_action = on_action::unset;
  std::string_view name_override{};
  std::string_view deferrable_mode = "false";
  bool ignored = false;

  constexpr reference_decl on_delete(on_action a) const { auto r = *this; r.delete_action = a; return r; }
  constexpr reference_decl on_update(on_action a) const { auto r = *this; r.update_action = a; return r; }
  constexpr reference_decl name(std::string_view n) const { auto r = *this; r.name_override = n; return r; }
  /// `true`, `false` or `initially` (deferred).
  constexpr reference_decl deferrable(std::string_view mode) const { auto r = *this; r.deferrable_mode = mode; return r; }
  /// No foreign key is generated for this relationship.
  constexpr reference_decl ignore(bool on = true) const { auto r = *this; r.ignored = on; return r; }
};
template <detail::fixed_string Relationship>
constexpr reference_decl<Relationship> reference() {
  return {};
}
/// The `references` section.
template <class... R>
constexpr auto references(R... r) {
  return detail::make_list(r...);
}

/// An index declared by hand: `ash::index("status", "priority").where("status = 'open'")`.
struct index_decl {
  std::array<std::string_view, 16> fields{};
  std::size_t field_count = 0;
  std::string_view name_text{};
  bool is_unique = false;
  std::string_view where_sql{};
  std::string_view message_text{};

  constexpr index_decl name(std::string_view n) const { auto i = *this; i.name_text = n; return i; }
  constexpr index_decl unique(bool on = true) const { auto i = *this; i.is_unique = on; return i; }
  constexpr index_decl where(std::string_view sql) const { auto i = *this; i.where_sql = sql; return i; }
  constexpr index_decl message(std::string_view m) const { auto i = *this; i.message_text = m; return i; }
};
/// Columns (or SQL expressions) of a custom index.
template <class... S>
constexpr index_decl index(S... fields) {
  static_assert(sizeof...(S) >= 1 && sizeof...(S) <= 16, "ash: an index has 1 to 16 fields");
  return {{std::string_view(fields)...}, sizeof...(S)};
}
/// The `custom_indexes` section.
template <class... I>
constexpr auto custom_indexes(I... i) {
  return std::array<index_decl, sizeof...(I)>{i...};
}

/// SQL run by migrations: `ash::statement("search_idx").up("CREATE ...").down("DROP ...")`.
struct statement_decl {
  std::string_view name_text{};
  std::string_view up_sql{};
  std::string_view down_sql{};
  constexpr statement_decl up(std::string_view sql) const { auto s = *this; s.up_sql = sql; return s; }
  constexpr statement_decl down(std::string_view sql) const { auto s = *this; s.down_sql = sql; return s; }
};
constexpr statement_decl statement(std::string_view name) { return {name}; }
/// The `custom_statements` section.
template <class... S>
constexpr auto custom_statements(S... s) {
  return std::array<statement_decl, sizeof...(S)>{s...};
}

}  // namespace ash
