#pragma once
/// \file
/// Field names and column objects: `ASH_FIELDS(Type, f1, f2, ...)` and `ash::fields<Type>`.
///
/// `ASH_FIELDS` names the struct members that are stored as columns, in any order; other members
/// (loaded relationships, caches) are allowed and ignored. It also generates a struct of column
/// objects, so that filters read naturally: `t.status == Status::closed`.

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ash/core/types.hpp"
#include "ash/detail/fixed_string.hpp"
#include "ash/detail/pp.hpp"

namespace ash {

/// The stored fields of a resource struct; specialised by `ASH_FIELDS`.
template <class R>
struct field_list;

/// The I-th stored field of a resource struct: `type` and `member` (its member pointer);
/// specialised by `ASH_FIELDS`. One small class per field, so that finding a field's type or
/// member pointer instantiates nothing (no tuple, no `std::get` overload resolution).
template <class R, std::size_t I>
struct field_at;

/// Column objects of a resource, one member per field; specialised by `ASH_FIELDS`.
template <class R>
struct columns;

/// Whether `ASH_FIELDS` was declared for `R`.
template <class R>
concept reflected = requires { field_list<R>::names; };

namespace detail {
template <class M>
struct member_pointer_traits;
template <class C, class M>
struct member_pointer_traits<M C::*> {
  using owner = C;
  using type = M;
};

template <class A, class B>
constexpr bool same_member(A, B) {
  return false;
}
template <class A>
constexpr bool same_member(A a, A b) {
  return a == b;
}

/// "helpdesk::Ticket" -> "Ticket".
constexpr std::string_view short_name(std::string_view qualified) {
  auto p = qualified.rfind("::");
  return p == std::string_view::npos ? qualified : qualified.substr(p + 2);
}

}  // namespace detail

/// The namespace of the expression operators (`==`, `and`, `+`...): expression nodes derive
/// from `expr_base`, declared here, so argument-dependent lookup finds the operators for them
/// and only for them. Declared in `ash` itself, the operator templates would be candidates for
/// every comparison written inside the library, whose overload resolution costs compile time.
namespace expr_ops {
struct expr_base {};
}  // namespace expr_ops

namespace detail {
using expr_ops::expr_base;
}  // namespace detail

/// The short name of a resource type, as errors print it ("Ticket").
template <reflected R>
inline constexpr std::string_view resource_name = detail::short_name(field_list<R>::type_name);

/// Number of stored fields of a resource.
template <reflected R>
inline constexpr std::size_t field_count = std::size(field_list<R>::names);

/// The type of the I-th stored field.
template <reflected R, std::size_t I>
using field_type_t = typename field_at<R, I>::type;

/// The name of the I-th stored field.
template <reflected R, std::size_t I>
inline constexpr std::string_view field_name = field_list<R>::names[I];

/// The I-th field as a member pointer template argument, for diagnostics that must name it:
/// every compiler prints it as `&helpdesk::Ticket::subject`.
template <reflected R, std::size_t I>
inline constexpr auto field_member = field_at<R, I>::member;

/// The I-th field name as a template argument.
template <reflected R, std::size_t I>
inline constexpr auto field_name_fs = detail::to_fixed<field_name<R, I>.size() + 1>(field_name<R, I>);

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// The index of a member pointer among the stored fields of its struct, or `npos`.
template <class R, class M>
constexpr std::size_t field_index(M R::*mp) {
  return [mp]<std::size_t... I>(std::index_sequence<I...>) {
    std::size_t found = npos;
    ((found == npos && detail::same_member(field_at<R, I>::member, mp) ? void(found = I) : void()), ...);
    return found;
  }(std::make_index_sequence<field_count<R>>{});
}

/// The I-th stored field of a record, by reference.
template <std::size_t I, class R>
constexpr decltype(auto) get_field(R& record) noexcept {
  return record.*field_at<std::remove_const_t<R>, I>::member;
}

/// A column of resource `R`: the I-th stored field. Column objects are empty; their type says
/// everything, so filters that use them carry no runtime state.
template <class R, std::size_t I>
struct col : detail::expr_base {
  using resource = R;
  using field_type = field_type_t<R, I>;
  using value_type = unwrap_optional_t<field_type>;
  static constexpr std::size_t index = I;
  static constexpr std::string_view name = field_name<R, I>;
  static constexpr bool nullable = is_optional_v<field_type>;
  static constexpr std::size_t param_count = 0;
  constexpr void bind(param*&) const noexcept {}
};

/// The column objects of a resource: `auto t = ash::fields<Ticket>; t.subject == "x"`.
template <class R>
inline constexpr columns<R> fields{};

/// The column of a member pointer: `ash::field<&Ticket::subject>`.
template <auto Member>
inline constexpr col<typename detail::member_pointer_traits<decltype(Member)>::owner,
                     field_index(Member)>
    field{};

}  // namespace ash

#define ASH_DETAIL_FIELD_NAME(T, i, x) #x,
#define ASH_DETAIL_FIELD_AT(T, i, x)   \
  template <>                          \
  struct ash::field_at<T, i> {         \
    using type = decltype(T::x);       \
    static constexpr type T::*member = &T::x; \
  };
#define ASH_DETAIL_FIELD_COL(T, i, x) ::ash::col<T, i> x;

/// Declares the stored fields of a resource struct: `ASH_FIELDS(helpdesk::Ticket, id, subject);`
/// Use at global scope, after the struct.
#define ASH_FIELDS(T, ...)                                                                     \
  template <>                                                                                 \
  struct ash::field_list<T> {                                                                 \
    using type = T;                                                                           \
    static constexpr std::string_view type_name = #T;                                         \
    static constexpr std::string_view names[] = {ASH_PP_FOR_EACH(ASH_DETAIL_FIELD_NAME, T, __VA_ARGS__)}; \
  };                                                                                          \
  ASH_PP_FOR_EACH(ASH_DETAIL_FIELD_AT, T, __VA_ARGS__)                                        \
  template <>                                                                                 \
  struct ash::columns<T> {                                                                    \
    ASH_PP_FOR_EACH(ASH_DETAIL_FIELD_COL, T, __VA_ARGS__)                                     \
  }
