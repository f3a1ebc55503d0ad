#pragma once
/// \file
/// Actions (create, read, update, destroy, and named ones), their inputs, changes, arguments
/// and validations.
///
/// ```
/// static constexpr auto actions = ash::actions(
///     ash::defaults(ash::read, ash::destroy),
///     ash::create_action<"open">().accept(&Ticket::subject),
///     ash::update_action<"close">().change(ash::set(&Ticket::status, Status::closed)));
/// ```

#include <any>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ash/core/expr.hpp"
#include "ash/detail/fixed_string.hpp"
#include "ash/detail/list.hpp"

namespace ash {

/// The four kinds of action.
enum class action_type { create, read, update, destroy };

/// Argument values given to an action, by name; read by custom changes and validations.
class arguments {
 public:
  /// The value of argument `name` as `T`, or null if it was not given (or has another type).
  template <class T>
  const T* get(std::string_view name) const {
    for (const auto& [n, v] : values_)
      if (n == name) return std::any_cast<T>(&v);
    return nullptr;
  }
  /// Whether argument `name` was given.
  bool has(std::string_view name) const {
    for (const auto& [n, v] : values_)
      if (n == name) return true;
    return false;
  }
  // A template only so that the vector's growth is compiled where arguments are given.
  template <class V = std::any>
  void put(std::string_view name, V&& v) {
    values_.emplace_back(name, std::forward<V>(v));
  }

 private:
  std::vector<std::pair<std::string_view, std::any>> values_;
};

// --- changes --------------------------------------------------------------------------------------------

/// Sets a field to a constant: `ash::set(&Ticket::status, Status::closed)`.
template <class M, class V>
struct set_change {
  using member_type = M;
  M member;
  V value;
};
/// Sets a field to what `fn(record, arguments)` returns.
template <class M, class F>
struct compute_change {
  using member_type = M;
  M member;
  F fn;
};

template <class R, class T, class V>
constexpr set_change<T R::*, T> set(T R::*m, V v) {
  return {m, T(v)};
}
/// A change computed from the record being changed and the action's arguments:
/// `ash::change(&Ticket::subject, +[](const Ticket& t, const ash::arguments&) { return ...; })`.
template <class R, class T>
constexpr compute_change<T R::*, T (*)(const R&, const arguments&)> change(T R::*m, T (*fn)(const R&, const arguments&)) {
  return {m, fn};
}

// --- validations --------------------------------------------------------------------------------------------

/// The field must have a value: an optional must be set, a string must not be empty.
template <class M>
struct required_validation {
  M member;
};
/// `pred(value)` must hold for the field, else the error carries `message`.
template <class M, class P>
struct field_validation {
  M member;
  P pred;
  std::string_view message;
};
/// `pred(record, arguments)` must hold, else the error carries `message` (and `field`, if named).
template <class P>
struct record_validation {
  P pred;
  std::string_view message;
  std::string_view field;
};

template <class M>
constexpr required_validation<M> required(M m) {
  return {m};
}
template <class R, class T>
constexpr field_validation<T R::*, bool (*)(const T&)> validate(T R::*m, bool (*pred)(const T&), std::string_view message) {
  return {m, pred, message};
}
template <class R>
constexpr record_validation<bool (*)(const R&, const arguments&)> validate(bool (*pred)(const R&, const arguments&),
                                                                      std::string_view message,
                                                                      std::string_view field = {}) {
  return {pred, message, field};
}

// --- arguments ----------------------------------------------------------------------------------------------

/// An argument an action takes: `ash::argument<"reason", std::string>()`.
template <detail::fixed_string Name, class T, bool Required>
struct argument_decl {
  using type = T;
  static constexpr std::string_view name = Name.view();
  static constexpr bool is_required = Required;
  /// Whether the argument must be given (default false).
  template <bool On = true>
  constexpr argument_decl<Name, T, On> required() const {
    return {};
  }
};
template <detail::fixed_string Name, class T>
constexpr argument_decl<Name, T, false> argument() {
  return {};
}

// --- action declarations ----------------------------------------------------------------------------------------

/// Marks an action's accept list as "every writable attribute" (the default actions).
struct accept_all {};

/// One action: its kind, name, accepted fields, arguments, changes and validations.
template <action_type K, detail::fixed_string Name, class Accept = std::tuple<>, class Args = std::tuple<>,
          class Changes = std::tuple<>, class Validations = std::tuple<>>
struct action_decl {
  static constexpr action_type type = K;
  static constexpr std::string_view name = Name.view();
  using accept_type = Accept;
  using args_type = Args;
  Accept accepted{};
  Args args{};
  Changes changes{};
  Validations validations{};

  /// The fields callers may set.
  template <class... M>
  constexpr auto accept(M... m) const {
    return action_decl<K, Name, std::tuple<M...>, Args, Changes, Validations>{{m...}, args, changes, validations};
  }
  /// Arguments callers may (or must) give.
  template <class... A>
  constexpr auto arguments(A... a) const {
    return action_decl<K, Name, Accept, std::tuple<A...>, Changes, Validations>{accepted, {a...}, changes, validations};
  }
  /// Changes applied to the record, in order, after the caller's inputs.
  template <class... C>
  constexpr auto change(C... c) const {
    auto all = std::tuple_cat(changes, std::tuple<C...>{c...});
    return action_decl<K, Name, Accept, Args, decltype(all), Validations>{accepted, args, all, validations};
  }
  /// Validations checked after changes; a failure stops the action and changes nothing.
  template <class... V>
  constexpr auto validate(V... v) const {
    auto all = std::tuple_cat(validations, std::tuple<V...>{v...});
    return action_decl<K, Name, Accept, Args, Changes, decltype(all)>{accepted, args, changes, all};
  }
};

template <detail::fixed_string Name>
constexpr action_decl<action_type::create, Name> create_action() { return {}; }
template <detail::fixed_string Name>
constexpr action_decl<action_type::read, Name> read_action() { return {}; }
template <detail::fixed_string Name>
constexpr action_decl<action_type::update, Name> update_action() { return {}; }
template <detail::fixed_string Name>
constexpr action_decl<action_type::destroy, Name> destroy_action() { return {}; }

/// Tags for `ash::defaults(...)`.
template <action_type K>
struct default_tag {};
inline constexpr default_tag<action_type::create> create{};
inline constexpr default_tag<action_type::read> read{};
inline constexpr default_tag<action_type::update> update{};
inline constexpr default_tag<action_type::destroy> destroy{};

namespace detail {
template <action_type K>
constexpr auto default_action(default_tag<K>) {
  if constexpr (K == action_type::create) return action_decl<K, "create", accept_all>{};
  else if constexpr (K == action_type::read) return action_decl<K, "read">{};
  else if constexpr (K == action_type::update) return action_decl<K, "update", accept_all>{};
  else return action_decl<K, "destroy">{};
}
template <class T>
constexpr auto flatten_action(const T& a) {
  return std::tuple<T>{a};
}
template <class... D>
struct defaults_decl {
  std::tuple<D...> actions;
};
template <class... D>
constexpr auto flatten_action(const defaults_decl<D...>& d) {
  return d.actions;
}
}  // namespace detail

/// The default actions named after their kind: `create`, `read`, `update`, `destroy`.
/// Default create and update accept every writable attribute.
template <action_type... K>
constexpr auto defaults(default_tag<K>... tags) {
  return detail::defaults_decl<decltype(detail::default_action(tags))...>{{detail::default_action(tags)...}};
}

/// The `actions` section.
template <class... A>
constexpr auto actions(A... a) {
  return std::tuple_cat(detail::flatten_action(a)...);
}

// --- what callers pass ---------------------------------------------------------------------------------------

/// A value for a field, given to an action: `ash::set(t.subject, "Issue 1")`.
template <class Col, class V>
struct field_input {
  using column = Col;
  V value;
};
template <class R, std::size_t I, class V>
auto set(col<R, I>, V&& v) {
  using F = field_type_t<R, I>;
  static_assert(std::is_constructible_v<F, V&&>, "ash: the value given for a field cannot become the field's type");
  return field_input<col<R, I>, F>{F(std::forward<V>(v))};
}

/// A value for an argument, given to an action: `ash::arg<"reason">("duplicate")`.
template <detail::fixed_string Name, class V>
struct argument_input {
  static constexpr std::string_view name = Name.view();
  V value;
};
template <detail::fixed_string Name, class V>
auto arg(V&& v) {
  using H = std::conditional_t<std::is_convertible_v<V, std::string_view> && !std::is_same_v<std::remove_cvref_t<V>, std::string>,
                               std::string, std::remove_cvref_t<V>>;
  return argument_input<Name, H>{H(std::forward<V>(v))};
}

template <class T>
inline constexpr bool is_field_input = false;
template <class C, class V>
inline constexpr bool is_field_input<field_input<C, V>> = true;
template <class T>
inline constexpr bool is_argument_input = false;
template <detail::fixed_string N, class V>
inline constexpr bool is_argument_input<argument_input<N, V>> = true;

}  // namespace ash
