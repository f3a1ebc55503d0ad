#pragma once
/// \file
/// Facts derived from a resource's metadata at compile time, and the rules it must satisfy.
///
/// Each rule is a constant (`ash::rules<R>::...`) usable as a concept, and `check_resource<R>()`
/// turns the first broken one into one readable error naming the resource and the field.

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ash/core/actions.hpp"
#include "ash/core/resource.hpp"

namespace ash {

/// Whether `ash::resource<R>` was declared with a `sqlite` section.
template <class R>
concept declared_resource = reflected<R> && requires { resource<R>::sqlite; };

namespace detail {
template <class T>
concept has_primary_key = requires { T::primary_key; };
template <class T>
concept has_attributes = requires { T::attributes; };
template <class T>
concept has_identities = requires { T::identities; };
template <class T>
concept has_relationships = requires { T::relationships; };
template <class T>
concept has_references = requires { T::references; };
template <class T>
concept has_custom_indexes = requires { T::custom_indexes; };
template <class T>
concept has_custom_statements = requires { T::custom_statements; };
template <class T>
concept has_actions = requires { T::actions; };

/// A member pointer's field index in its resource, or npos when it is not a stored field of `R`.
template <class R, class M>
constexpr std::size_t member_index(M m) {
  if constexpr (std::is_same_v<typename member_pointer_traits<M>::owner, R>) return field_index(m);
  else return npos;
}

/// Where an action names a member that is not a stored field: `list` 1 for its accepted fields,
/// 2 for its changes, 3 for its validations (0: nowhere), `index` the position in that list.
struct member_position {
  int list = 0;
  std::size_t index = 0;
};
/// The first member an action accepts, changes or validates that is not a stored field of `R`.
/// (Such a member compiled, and the action then read and wrote outside its field arrays.)
template <class R, class A>
constexpr member_position unknown_action_member(const A& a) {
  member_position p;
  if constexpr (!std::is_same_v<typename A::accept_type, accept_all>)
    std::apply([&](auto... m) {
      std::size_t k = 0;
      ((p.list == 0 && member_index<R>(m) == npos ? void(p = {1, k}) : void(), ++k), ...);
      (void)k;  // an empty list
    }, a.accepted);
  std::apply([&](const auto&... c) {
    std::size_t k = 0;
    ((p.list == 0 && member_index<R>(c.member) == npos ? void(p = {2, k}) : void(), ++k), ...);
    (void)k;
  }, a.changes);
  std::apply([&](const auto&... v) {
    std::size_t k = 0;
    (
        [&] {
          if constexpr (requires { v.member; })
            if (p.list == 0 && member_index<R>(v.member) == npos) p = {3, k};
          ++k;
        }(),
        ...);
    (void)k;
  }, a.validations);
  return p;
}
/// The member at position `P` of action `a` (see `unknown_action_member`).
template <member_position P, class A>
constexpr auto action_member(const A& a) {
  if constexpr (P.list == 1) return std::get<P.index>(a.accepted);
  else if constexpr (P.list == 2) return std::get<P.index>(a.changes).member;
  else return std::get<P.index>(a.validations).member;
}

/// The position of the first member pointer of a list that is not a stored field of `R` (npos: none).
template <class R, class List>
constexpr std::size_t first_unknown_member(const List& members) {
  std::size_t bad = npos, k = 0;
  for_each(members, [&](auto m) {
    if (bad == npos && member_index<R>(m) == npos) bad = k;
    ++k;
  });
  return bad;
}
}  // namespace detail

/// The compile-time facts of resource `R`.
template <declared_resource R>
struct info {
  using meta = resource<R>;
  using repo = typename std::remove_cvref_t<decltype(meta::sqlite)>::repo_type;
  static constexpr std::string_view table = meta::sqlite.table_name;
  static constexpr bool polymorphic = meta::sqlite.is_polymorphic;
  static constexpr std::size_t fields = field_count<R>;

  /// Field indexes of the primary key, in declaration order (empty: no primary key).
  static constexpr auto primary_key = [] {
    if constexpr (detail::has_primary_key<meta>) {
      std::array<std::size_t, meta::primary_key.size> out{};
      std::size_t k = 0;
      detail::for_each(meta::primary_key.members, [&](auto m) { out[k++] = detail::member_index<R>(m); });
      return out;
    } else {
      return std::array<std::size_t, 0>{};
    }
  }();
  static constexpr key_generation generation = [] {
    if constexpr (detail::has_primary_key<meta>) return meta::primary_key.generation;
    else return key_generation::none;
  }();
  static constexpr bool has_primary_key = !primary_key.empty();

  static constexpr bool is_primary_key(std::size_t i) {
    for (auto k : primary_key)
      if (k == i) return true;
    return false;
  }

  /// Per field: its role (plain, create/update timestamp).
  static constexpr auto roles = [] {
    std::array<attribute_role, fields> out{};
    if constexpr (detail::has_attributes<meta>)
      detail::for_each(meta::attributes, [&](const auto& a) {
        auto i = detail::member_index<R>(a.member);
        if (i != npos) out[i] = a.role;
      });
    return out;
  }();

  /// Per field: whether actions may set it.
  static constexpr auto writable = [] {
    std::array<bool, fields> out{};
    for (auto& w : out) w = true;
    if constexpr (detail::has_attributes<meta>)
      detail::for_each(meta::attributes, [&](const auto& a) {
        auto i = detail::member_index<R>(a.member);
        if (i != npos) out[i] = a.is_writable;
      });
    for (std::size_t i = 0; i < fields; ++i)
      if (is_primary_key(i) && generation != key_generation::none) out[i] = false;
    return out;
  }();

  /// Whether field `i` is filled by the database on insert (an autoincrement key).
  static constexpr bool generated(std::size_t i) {
    return generation == key_generation::autoincrement && is_primary_key(i);
  }
};

// --- rules, each usable as a concept -------------------------------------------------------------------------

// Named in the errors of check_resource. Names are `diag::name<'c', 'h', ...>` and fields are
// member pointers (`&Ticket::subject`), which every compiler prints readably.
namespace diag {
template <class Resource>
struct resource_has_no_table_and_is_not_polymorphic;
template <class Resource>
struct create_table_of_a_polymorphic_resource_needs_the_table_name;
template <class Resource, class Identity, auto Member>
struct identity_names_a_field_that_is_not_in_ASH_FIELDS;
template <class Resource, class Relationship, auto Member>
struct relationship_names_a_field_that_is_not_in_ASH_FIELDS;
template <class Resource, auto Member>
struct primary_key_names_a_field_that_is_not_in_ASH_FIELDS;
template <class Resource, auto Member>
struct attribute_names_a_field_that_is_not_in_ASH_FIELDS;
template <class Resource, class Reference>
struct reference_names_no_belongs_to_relationship;
template <class Resource, class Action, auto Member>
struct action_names_a_field_that_is_not_in_ASH_FIELDS;
template <class Resource>
struct update_and_destroy_need_a_primary_key;
template <class Resource, auto Field, class Type>
struct field_type_has_no_ash_type_traits;
}  // namespace diag

/// The rules a resource declaration must follow.
template <declared_resource R>
struct rules {
  using meta = resource<R>;
  static constexpr bool has_table = !meta::sqlite.table_name.empty() || meta::sqlite.is_polymorphic;

  static constexpr bool primary_key_known = [] {
    for (auto i : info<R>::primary_key)
      if (i == npos) return false;
    return true;
  }();

  /// The first attribute naming a field not in ASH_FIELDS, as an index (npos: none).
  static constexpr std::size_t bad_attribute = [] {
    std::size_t bad = npos, n = 0;
    if constexpr (detail::has_attributes<meta>)
      detail::for_each(meta::attributes, [&](const auto& a) {
        if (bad == npos && detail::member_index<R>(a.member) == npos) bad = n;
        ++n;
      });
    return bad;
  }();
  static constexpr bool attributes_known = bad_attribute == npos;

  /// The first identity naming a field not in ASH_FIELDS, as an index (npos: none).
  static constexpr std::size_t bad_identity = [] {
    std::size_t bad = npos, n = 0;
    if constexpr (detail::has_identities<meta>)
      detail::for_each(meta::identities, [&](const auto& id) {
        if (bad == npos && detail::first_unknown_member<R>(id.members) != npos) bad = n;
        ++n;
      });
    return bad;
  }();

  static constexpr std::size_t bad_relationship = [] {
    std::size_t bad = npos, n = 0;
    if constexpr (detail::has_relationships<meta>)
      detail::for_each(meta::relationships, [&](const auto& r) {
        using D = std::remove_cvref_t<decltype(r)>;
        using owner = std::conditional_t<D::kind == relationship_kind::belongs_to, R, typename D::destination>;
        if (detail::member_index<owner>(r.member) == npos && bad == npos) bad = n;
        ++n;
      });
    return bad;
  }();

  static constexpr std::size_t bad_reference = [] {
    std::size_t bad = npos, n = 0;
    if constexpr (detail::has_references<meta>)
      detail::for_each(meta::references, [&](const auto& ref) {
        bool found = false;
        if constexpr (detail::has_relationships<meta>)
          detail::for_each(meta::relationships, [&](const auto& r) {
            using D = std::remove_cvref_t<decltype(r)>;
            if (D::kind == relationship_kind::belongs_to && D::name == ref.relationship) found = true;
          });
        if (!found && bad == npos) bad = n;
        ++n;
      });
    return bad;
  }();

  /// The first action naming a field not in ASH_FIELDS (accepted, changed or validated), as an
  /// index into `actions` (npos: none).
  static constexpr std::size_t bad_action = [] {
    if constexpr (detail::has_actions<meta>) {
      return std::apply([](const auto&... a) {
        std::size_t bad = npos, n = 0;
        ((bad == npos && detail::unknown_action_member<R>(a).list != 0 ? void(bad = n) : void(), ++n), ...);
        (void)n;
        return bad;
      }, meta::actions);
    } else {
      return npos;
    }
  }();

  static constexpr std::size_t untyped_field = [] {
    std::size_t bad = npos;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((bad == npos && !storable<unwrap_optional_t<field_type_t<R, I>>> ? bad = I : 0), ...);
    }(std::make_index_sequence<field_count<R>>{});
    return bad;
  }();

  static constexpr bool valid = has_table && primary_key_known && attributes_known && bad_identity == npos &&
                                bad_relationship == npos && bad_reference == npos && untyped_field == npos &&
                                bad_action == npos;
};

/// Whether resource `R` is declared correctly (`check_resource<R>()` names the first mistake).
template <class R>
concept valid_resource = declared_resource<R> && rules<R>::valid;

/// Whether `R` can be updated and destroyed: it has a primary key.
template <class R>
concept keyed_resource = valid_resource<R> && info<R>::has_primary_key;

/// Fails compilation with one sentence naming the resource (and field) for the first broken rule.
template <class R>
constexpr bool check_resource() {
  if constexpr (!reflected<R>) {
    static_assert(reflected<R>, "ash: the resource has no ASH_FIELDS(Type, field...) declaration");
    return false;
  } else if constexpr (!declared_resource<R>) {
    static_assert(declared_resource<R>, "ash: the resource has no `ash::resource<T>` specialisation with a `sqlite` section");
    return false;
  } else {
    using rl = rules<R>;
    if constexpr (!rl::has_table) {
      static_assert(rl::has_table, "ash: a resource needs a table (ash::sqlite::table(\"...\")) unless it is polymorphic");
      (void)sizeof(diag::resource_has_no_table_and_is_not_polymorphic<R>);
    } else if constexpr (rl::untyped_field != npos) {
      static_assert(rl::untyped_field == npos, "ash: a field has a type with no ash::type_traits specialisation");
      (void)sizeof(diag::field_type_has_no_ash_type_traits<R, field_member<R, rl::untyped_field>,
                                                           unwrap_optional_t<field_type_t<R, rl::untyped_field>>>);
    } else if constexpr (!rl::primary_key_known) {
      static_assert(rl::primary_key_known, "ash: the primary key names a field that is not listed in ASH_FIELDS");
      constexpr std::size_t k = detail::first_unknown_member<R>(resource<R>::primary_key.members);
      (void)sizeof(diag::primary_key_names_a_field_that_is_not_in_ASH_FIELDS<R, detail::at<k>(resource<R>::primary_key.members)>);
    } else if constexpr (!rl::attributes_known) {
      static_assert(rl::attributes_known, "ash: an attribute names a field that is not listed in ASH_FIELDS");
      (void)sizeof(diag::attribute_names_a_field_that_is_not_in_ASH_FIELDS<R, detail::at<rl::bad_attribute>(resource<R>::attributes).member>);
    } else if constexpr (rl::bad_identity != npos) {
      static_assert(rl::bad_identity == npos, "ash: an identity names a field that is not listed in ASH_FIELDS");
      constexpr const auto& id = detail::at<rl::bad_identity>(resource<R>::identities);
      using I = std::remove_cvref_t<decltype(id)>;
      constexpr std::size_t k = detail::first_unknown_member<R>(id.members);
      (void)sizeof(diag::identity_names_a_field_that_is_not_in_ASH_FIELDS<R, detail::spelled<detail::to_fixed<I::name.size() + 1>(I::name)>,
                                                                        detail::at<k>(id.members)>);
    } else if constexpr (rl::bad_relationship != npos) {
      static_assert(rl::bad_relationship == npos, "ash: a relationship names a field that is not listed in ASH_FIELDS");
      constexpr const auto& rel = detail::at<rl::bad_relationship>(resource<R>::relationships);
      using D = std::remove_cvref_t<decltype(rel)>;
      (void)sizeof(diag::relationship_names_a_field_that_is_not_in_ASH_FIELDS<R, detail::spelled<detail::to_fixed<D::name.size() + 1>(D::name)>,
                                                                            rel.member>);
    } else if constexpr (rl::bad_reference != npos) {
      static_assert(rl::bad_reference == npos, "ash: a reference names no belongs_to relationship of the resource");
      using D = std::remove_cvref_t<decltype(detail::at<rl::bad_reference>(resource<R>::references))>;
      (void)sizeof(diag::reference_names_no_belongs_to_relationship<R, detail::spelled<detail::to_fixed<D::relationship.size() + 1>(D::relationship)>>);
    } else if constexpr (rl::bad_action != npos) {
      static_assert(rl::bad_action == npos, "ash: an action names a field that is not listed in ASH_FIELDS");
      constexpr const auto& act = std::get<rl::bad_action>(resource<R>::actions);
      using A = std::remove_cvref_t<decltype(act)>;
      constexpr detail::member_position where = detail::unknown_action_member<R>(act);
      (void)sizeof(diag::action_names_a_field_that_is_not_in_ASH_FIELDS<R, detail::spelled<detail::to_fixed<A::name.size() + 1>(A::name)>,
                                                                       detail::action_member<where>(act)>);
    }
    return rl::valid;
  }
}

}  // namespace ash
