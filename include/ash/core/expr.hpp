#pragma once
/// \file
/// Filter and calculation expressions: `== != < <= > >=`, `and or not`, `in`, `is_nil`, `like`,
/// `ilike`, `contains`, `fragment`, arithmetic and string concatenation.
///
/// An expression is a tree of small node types. Its shape (the type) fixes the SQL text, which
/// `ash/sql/render.hpp` writes at compile time; its values live in the nodes and are bound as
/// parameters, never pasted into SQL.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ash/core/fields.hpp"
#include "ash/core/param.hpp"
#include "ash/core/types.hpp"
#include "ash/detail/attributes.hpp"

namespace ash {

/// Whether `E` is an expression node (a column, a bound value, an operator...).
template <class E>
concept expression = std::is_base_of_v<detail::expr_base, std::remove_cvref_t<E>>;

namespace detail {
/// The base of every expression node but columns: the values the node binds, in the order of
/// its `?`s. A node's type is its shape (what the SQL says); its only state is this list, which
/// is not a template, so moving and joining expressions compiles to the same few functions for
/// every query.
struct valued : expr_base {
  param_list values;
};

/// Inserts the values of an expression into `list` before position `at`, taken or copied out of
/// it; a column has none, and costs no call. (One call, no value list in between to destroy.)
ASH_NOINLINE inline void insert_values(param_list& list, std::size_t at, valued&& e) {
  list.insert(at, std::move(e.values));
}
ASH_NOINLINE inline void insert_values(param_list& list, std::size_t at, const valued& e) {
  list.insert(at, param_list(e.values));
}
inline void insert_values(param_list&, std::size_t, const expr_base&) {}

/// How a plain value is held in an expression: string literals as views (they live forever),
/// any other text as an owned `std::string`, everything else by value.
template <class D>
struct held_decayed {
  using type = std::conditional_t<std::is_same_v<D, const char*> || std::is_same_v<D, char*> ||
                                      std::is_same_v<D, std::string_view>,
                                  std::string, D>;
};
template <class T>
struct held {
  using type = typename held_decayed<std::decay_t<T>>::type;
};
template <std::size_t N>
struct held<const char (&)[N]> {
  using type = std::string_view;
};
}  // namespace detail

/// A value bound as one parameter (as a type: its value is in the list of the node holding it).
template <class T>
struct val : detail::valued {
  using value_type = T;
  static constexpr std::size_t param_count = 1;
};

/// The expression type of an operand: an expression as is, a plain value as `val<held type>`.
template <class T>
using as_expr_t = std::conditional_t<expression<T>, std::remove_cvref_t<T>, val<typename detail::held<T&&>::type>>;

namespace detail {
/// `x` as the type `H` it is held as: itself when it is one, else converted (text from a view).
template <class H, class X>
decltype(auto) held_value(X&& x) {
  if constexpr (std::is_same_v<std::remove_cvref_t<X>, H>) return static_cast<const H&>(x);
  else return H(ASH_FWD(x));
}

/// Whether a param bound from a value held as `H` may borrow text or bytes that die with the
/// value (numbers hold none; string literals, held as views, live forever): such a param needs
/// `own()` when the value is a temporary.
template <class H>
inline constexpr bool may_borrow = !std::is_same_v<H, std::string_view> && type_traits<H>::storage != storage_class::integer &&
                                   type_traits<H>::storage != storage_class::real;

/// Appends the values of an operand: an expression's (no template for these), or a plain value,
/// bound as the type it is held as, with a copy of its text or bytes (string literals, held as
/// views, live forever and stay borrowed).
ASH_NOINLINE inline void put_operand(param_list& list, valued&& e) { list.append(std::move(e.values)); }
ASH_NOINLINE inline void put_operand(param_list& list, const valued& e) { list.append(e.values); }
inline void put_operand(param_list&, const expr_base&) {}
template <class X>
  requires(!expression<X>)
void put_operand(param_list& list, X&& v) {
  using H = typename held<X&&>::type;
  decltype(auto) value = held_value<H>(ASH_FWD(v));
  param& p = list.add();
  type_traits<H>::bind(value, p);
  if constexpr (may_borrow<H>) p.own();
}

/// Node `N` over operands `ops...`, its values theirs in order.
template <class N, class... X>
N make_node(X&&... ops) {
  N n{};  // aggregate initialisation: no constructor of N is instantiated
  (put_operand(n.values, ASH_FWD(ops)), ...);
  return n;
}
}  // namespace detail

// --- operator tags -------------------------------------------------------------------------------

namespace op {
struct eq { static constexpr std::string_view sql = " = "; };
struct ne { static constexpr std::string_view sql = " <> "; };
struct lt { static constexpr std::string_view sql = " < "; };
struct le { static constexpr std::string_view sql = " <= "; };
struct gt { static constexpr std::string_view sql = " > "; };
struct ge { static constexpr std::string_view sql = " >= "; };
struct and_ { static constexpr std::string_view sql = " AND "; };
struct or_ { static constexpr std::string_view sql = " OR "; };
struct add { static constexpr std::string_view sql = " + "; };
struct sub { static constexpr std::string_view sql = " - "; };
struct mul { static constexpr std::string_view sql = " * "; };
struct div { static constexpr std::string_view sql = " / "; };
struct concat { static constexpr std::string_view sql = " || "; };
}  // namespace op

/// Whether an operator compares (its result is a bool).
template <class Op>
inline constexpr bool is_comparison =
    std::is_same_v<Op, op::eq> || std::is_same_v<Op, op::ne> || std::is_same_v<Op, op::lt> ||
    std::is_same_v<Op, op::le> || std::is_same_v<Op, op::gt> || std::is_same_v<Op, op::ge>;

/// The result type of an operator applied to operand types.
template <class Op, class L, class R>
struct binary_result {
  using type = std::conditional_t<
      is_comparison<Op> || std::is_same_v<Op, op::and_> || std::is_same_v<Op, op::or_>, bool,
      std::conditional_t<std::is_same_v<Op, op::concat>, std::string,
                         std::conditional_t<std::is_same_v<L, double> || std::is_same_v<R, double>, double, L>>>;
};

/// `L op R`.
template <class Op, class L, class R>
struct binary : detail::valued {
  using value_type = typename binary_result<Op, typename L::value_type, typename R::value_type>::type;
  using op_type = Op;
  using left_type = L;
  using right_type = R;
  static constexpr std::size_t param_count = L::param_count + R::param_count;
};

/// `NOT (X)`.
template <class X>
struct negation : detail::valued {
  using value_type = bool;
  using operand_type = X;
  static constexpr std::size_t param_count = X::param_count;
};

/// `X IS NULL`.
template <class X>
struct nil_check : detail::valued {
  using value_type = bool;
  using operand_type = X;
  static constexpr std::size_t param_count = X::param_count;
};

/// `X IN (SELECT value FROM json_each(?))`: a list of any length with constant SQL text; the
/// list is bound as one JSON array.
template <class X, class T>
struct in_list : detail::valued {
  using value_type = bool;
  using operand_type = X;
  using element_type = T;
  static constexpr std::size_t param_count = X::param_count + 1;
};

/// Whether an expression node is a bound value.
template <class E>
inline constexpr bool is_val = false;
template <class T>
inline constexpr bool is_val<val<T>> = true;


/// How a text pattern operator matches.
enum class match_kind {
  like,      ///< `a LIKE b`, case-sensitive, `%` and `_` are wildcards
  ilike,     ///< `LOWER(a) LIKE LOWER(b)`
  contains,  ///< `a` contains `b` as plain text, byte for byte (`instr`)
};

/// `like`, `ilike` and `contains` of a text column or expression.
template <match_kind K, class L, class R>
struct match : detail::valued {
  using value_type = bool;
  using left_type = L;
  using right_type = R;
  static constexpr match_kind kind = K;
  static constexpr std::size_t param_count = L::param_count + R::param_count;
};

namespace detail {
/// The value type of a fragment: unknown to ash, so it compares with anything.
struct any_value {};
}  // namespace detail

/// `fragment("...?...", args...)`: SQL written by hand, with `?` standing for each argument.
template <detail::fixed_string Text, class... Args>
struct fragment_node : detail::valued {
  /// A fragment's type is unknown to ash: it compares with anything.
  using any_value = detail::any_value;
  using value_type = any_value;
  static constexpr std::string_view text = Text.view();
  static constexpr std::size_t param_count = (std::size_t{0} + ... + Args::param_count);
};

/// Counts the `?` placeholders of fragment text, skipping quoted strings and identifiers.
constexpr std::size_t count_placeholders(std::string_view s) {
  std::size_t n = 0;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      ++n;
    }
  }
  return n;
}

// --- type rules, each testable as a concept --------------------------------------------------------

namespace detail {
/// Whether `V` is a fragment's unknown type (and not merely some type ash has no traits for).
template <class V>
constexpr bool unknown_type() {
  return std::is_same_v<V, any_value>;
}
}  // namespace detail

/// Whether expressions (or values) `L` and `R` may be compared: same kind of value.
template <class L, class R>
concept comparable = detail::unknown_type<typename as_expr_t<L>::value_type>() ||
                     detail::unknown_type<typename as_expr_t<R>::value_type>() ||
                     compatible_types<typename as_expr_t<L>::value_type, typename as_expr_t<R>::value_type>;

/// Whether an expression (or value) has text values, as `like`/`ilike`/`contains` need.
template <class E>
concept textual = detail::unknown_type<typename as_expr_t<E>::value_type>() ||
                  (storable<typename as_expr_t<E>::value_type> &&
                   type_traits<typename as_expr_t<E>::value_type>::compare == compare_kind::text);

/// Whether an expression (or value) has numeric values, as arithmetic needs.
template <class E>
concept numeric = detail::unknown_type<typename as_expr_t<E>::value_type>() ||
                  (storable<typename as_expr_t<E>::value_type> &&
                   type_traits<typename as_expr_t<E>::value_type>::compare == compare_kind::numeric);

/// Whether an expression has bool values, as `and`, `or`, `not` need.
template <class E>
concept boolean = std::is_same_v<typename as_expr_t<E>::value_type, bool> ||
                  detail::unknown_type<typename as_expr_t<E>::value_type>();

namespace diag {
/// Named in the error when a column is compared with a value of another kind
/// (`Field` is the member pointer, printed `&Ticket::subject`).
template <class Resource, auto Field, class Value>
struct cannot_compare_field_with_a_value_of_type;
/// Named in the error when two expressions of different kinds are compared.
template <class Left, class Right>
struct cannot_compare_values_of_types;
/// Named in the error when like/ilike/contains is used on a column that is not text.
template <class Resource, auto Field>
struct like_and_contains_need_a_text_field;
}  // namespace diag

namespace detail {
template <class L, class R>
constexpr void check_comparable() {
  if constexpr (!comparable<L, R>) {
    using LE = as_expr_t<L>;
    using RE = as_expr_t<R>;
    if constexpr (requires { LE::index; })
      (void)sizeof(diag::cannot_compare_field_with_a_value_of_type<typename LE::resource, field_member<typename LE::resource, LE::index>, typename RE::value_type>);
    else if constexpr (requires { RE::index; })
      (void)sizeof(diag::cannot_compare_field_with_a_value_of_type<typename RE::resource, field_member<typename RE::resource, RE::index>, typename LE::value_type>);
    else
      (void)sizeof(diag::cannot_compare_values_of_types<typename LE::value_type, typename RE::value_type>);
  }
}
template <class E>
constexpr void check_textual() {
  if constexpr (!textual<E>) {
    using X = as_expr_t<E>;
    if constexpr (requires { X::index; })
      (void)sizeof(diag::like_and_contains_need_a_text_field<typename X::resource, field_member<typename X::resource, X::index>>);
  }
}
/// `L op R` as a node.
template <class Op, class L, class R>
auto make_binary(L&& l, R&& r) {
  return make_node<binary<Op, as_expr_t<L>, as_expr_t<R>>>(ASH_FWD(l), ASH_FWD(r));
}
}  // namespace detail

// --- operators ---------------------------------------------------------------------------------------

/// Applies when at least one side is an expression.
template <class L, class R>
concept expr_operands = expression<L> || expression<R>;

// Found by argument-dependent lookup through `expr_base` (see fields.hpp).
namespace expr_ops {

#define ASH_DETAIL_COMPARISON(sym, tag)                                                    \
  template <class L, class R>                                                              \
    requires expr_operands<L, R>                                                           \
  auto operator sym(L&& l, R&& r) {                                                        \
    static_assert(comparable<L, R>, "ash: cannot compare a field with a value of another type (see the next error for the field and the type)"); \
    static_assert((detail::check_comparable<L, R>(), true));                                \
    return detail::make_node<binary<op::tag, as_expr_t<L>, as_expr_t<R>>>(ASH_FWD(l), ASH_FWD(r)); \
  }
ASH_DETAIL_COMPARISON(==, eq)
ASH_DETAIL_COMPARISON(!=, ne)
ASH_DETAIL_COMPARISON(<, lt)
ASH_DETAIL_COMPARISON(<=, le)
ASH_DETAIL_COMPARISON(>, gt)
ASH_DETAIL_COMPARISON(>=, ge)
#undef ASH_DETAIL_COMPARISON

/// `a and b` / `a && b`.
template <class L, class R>
  requires expr_operands<L, R>
auto operator&&(L&& l, R&& r) {
  static_assert(boolean<L> && boolean<R>, "ash: `and` needs conditions on both sides");
  return detail::make_node<binary<op::and_, as_expr_t<L>, as_expr_t<R>>>(ASH_FWD(l), ASH_FWD(r));
}
/// `a or b` / `a || b`.
template <class L, class R>
  requires expr_operands<L, R>
auto operator||(L&& l, R&& r) {
  static_assert(boolean<L> && boolean<R>, "ash: `or` needs conditions on both sides");
  return detail::make_node<binary<op::or_, as_expr_t<L>, as_expr_t<R>>>(ASH_FWD(l), ASH_FWD(r));
}
/// `not x` / `!x`.
template <expression X>
auto operator!(X&& x) {
  static_assert(boolean<X>, "ash: `not` needs a condition");
  return detail::make_node<negation<std::remove_cvref_t<X>>>(ASH_FWD(x));
}

/// `a + b`: addition for numbers, concatenation (`||`) for text.
template <class L, class R>
  requires expr_operands<L, R>
auto operator+(L&& l, R&& r) {
  if constexpr (textual<L> && textual<R> &&
                !(detail::unknown_type<typename as_expr_t<L>::value_type>() &&
                  detail::unknown_type<typename as_expr_t<R>::value_type>()))
    return detail::make_binary<op::concat>(ASH_FWD(l), ASH_FWD(r));
  else {
    static_assert(numeric<L> && numeric<R>, "ash: `+` needs two numbers or two texts");
    return detail::make_binary<op::add>(ASH_FWD(l), ASH_FWD(r));
  }
}
#define ASH_DETAIL_ARITHMETIC(sym, tag)                                                    \
  template <class L, class R>                                                              \
    requires expr_operands<L, R>                                                           \
  auto operator sym(L&& l, R&& r) {                                                        \
    static_assert(numeric<L> && numeric<R>, "ash: arithmetic needs numbers on both sides"); \
    return detail::make_binary<op::tag>(ASH_FWD(l), ASH_FWD(r));          \
  }
ASH_DETAIL_ARITHMETIC(-, sub)
ASH_DETAIL_ARITHMETIC(*, mul)
ASH_DETAIL_ARITHMETIC(/, div)
#undef ASH_DETAIL_ARITHMETIC
}  // namespace expr_ops

// --- functions ---------------------------------------------------------------------------------------

/// `is_nil(x)`: `x IS NULL`.
template <expression X>
auto is_nil(X&& x) {
  return detail::make_node<nil_check<std::remove_cvref_t<X>>>(ASH_FWD(x));
}

namespace detail {
/// Appends text `t` as an element of an `in` list: a JSON string in which NUL is carried as
/// 0x01 0x03 and 0x01 as 0x01 0x02, which the SQL of `in` undoes (SQLite's JSON functions end
/// a string at an escaped NUL). Not a template: one copy serves every query.
ASH_NOINLINE inline void append_in_text(std::string& json, std::string_view t) {
  if (t.find_first_of(std::string_view("\0\1", 2)) == std::string_view::npos) return append_json_string(json, t);
  std::string carried;
  carried.reserve(t.size() + 8);
  for (char c : t) {
    if (c == '\0' || c == '\1') {
      carried += '\1';
      carried += c == '\0' ? '\3' : '\2';
    } else {
      carried += c;
    }
  }
  append_json_string(json, carried);
}
}  // namespace detail

/// `in(x, values)`: x is one of the values (any number of them; the SQL text stays the same).
template <expression X, class Range>
auto in(X&& x, const Range& values) {
  using T = typename detail::held<decltype(*std::begin(values))>::type;
  static_assert(comparable<X, T>, "ash: `in` needs values of the field's type");
  static_assert((detail::check_comparable<X, T>(), true));
  static_assert(type_traits<T>::storage != storage_class::blob, "ash: `in` does not take bytes");
  auto n = detail::make_node<in_list<std::remove_cvref_t<X>, T>>(ASH_FWD(x));
  std::string json{"["};
  bool first = true;
  for (const auto& v : values) {
    if (!first) json += ',';
    first = false;
    decltype(auto) value = detail::held_value<T>(v);
    scoped_param e;
    type_traits<T>::bind(value, e);
    if constexpr (type_traits<T>::storage == storage_class::text) detail::append_in_text(json, e.text());
    else detail::append_json(json, e);
  }
  json += ']';
  n.values.add().set_text_owned(std::move(json));
  return n;
}
template <expression X, class T>
auto in(X&& x, std::initializer_list<T> values) {
  return in<X, std::initializer_list<T>>(ASH_FWD(x), values);
}

/// `like(x, pattern)`: case-sensitive SQL pattern match (`%` any run, `_` any character).
template <expression X, class P>
auto like(X&& x, P&& pattern) {
  static_assert(textual<X> && textual<P>, "ash: like needs a text field and a text pattern");
  static_assert((detail::check_textual<X>(), true));
  return detail::make_node<match<match_kind::like, as_expr_t<X>, as_expr_t<P>>>(ASH_FWD(x), ASH_FWD(pattern));
}
/// `ilike(x, pattern)`: like, ignoring (ASCII) case.
template <expression X, class P>
auto ilike(X&& x, P&& pattern) {
  static_assert(textual<X> && textual<P>, "ash: ilike needs a text field and a text pattern");
  static_assert((detail::check_textual<X>(), true));
  return detail::make_node<match<match_kind::ilike, as_expr_t<X>, as_expr_t<P>>>(ASH_FWD(x), ASH_FWD(pattern));
}
/// `contains(x, text)`: x contains text literally (`%` and `_` match only themselves).
template <expression X, class P>
auto contains(X&& x, P&& text) {
  static_assert(textual<X> && textual<P>, "ash: contains needs a text field and a text value");
  static_assert((detail::check_textual<X>(), true));
  // Bound as it is: `instr` finds it byte for byte, with no wildcards to escape.
  return detail::make_node<match<match_kind::contains, as_expr_t<X>, as_expr_t<P>>>(ASH_FWD(x), ASH_FWD(text));
}

/// `fragment<"? / ?">(a, b)`: SQL written by hand; each `?` is replaced by an argument
/// (columns by their name, values by a bound parameter).
template <detail::fixed_string Text, class... Args>
auto fragment(Args&&... args) {
  static_assert(count_placeholders(Text.view()) == sizeof...(Args),
                "ash: a fragment needs exactly one argument for each `?` in its text");
  return detail::make_node<fragment_node<Text, as_expr_t<Args>...>>(ASH_FWD(args)...);
}

/// `concat(a, b, ...)`: text concatenation (`a || b || ...`); NULL if any part is NULL.
template <class A, class B, class... Rest>
auto concat(A&& a, B&& b, Rest&&... rest) {
  auto first = detail::make_binary<op::concat>(ASH_FWD(a), ASH_FWD(b));
  if constexpr (sizeof...(Rest) == 0) return first;
  else return concat(std::move(first), ASH_FWD(rest)...);
}

// --- sorting -------------------------------------------------------------------------------------------

/// A sort key: an expression (as a type, with its values) and a direction.
template <class E, bool Descending>
struct sort_key : detail::valued {
  using expr_type = E;
  static constexpr bool descending = Descending;
};
template <class T>
inline constexpr bool is_sort_key = false;
template <class E, bool D>
inline constexpr bool is_sort_key<sort_key<E, D>> = true;

/// Ascending order on an expression.
template <expression E>
auto asc(E&& e) {
  return detail::make_node<sort_key<std::remove_cvref_t<E>, false>>(ASH_FWD(e));
}
/// Descending order on an expression.
template <expression E>
auto desc(E&& e) {
  return detail::make_node<sort_key<std::remove_cvref_t<E>, true>>(ASH_FWD(e));
}

// --- which resource an expression is over ---------------------------------------------------------------

/// Whether every column in `E` is a column of `R` (values and fragments are over any resource).
template <class E, class R>
struct is_over : std::true_type {};
template <class R2, std::size_t I, class R>
struct is_over<col<R2, I>, R> : std::is_same<R2, R> {};
template <class Op, class L, class Rt, class R>
struct is_over<binary<Op, L, Rt>, R> : std::bool_constant<is_over<L, R>::value && is_over<Rt, R>::value> {};
template <class X, class R>
struct is_over<negation<X>, R> : is_over<X, R> {};
template <class X, class R>
struct is_over<nil_check<X>, R> : is_over<X, R> {};
template <class X, class T, class R>
struct is_over<in_list<X, T>, R> : is_over<X, R> {};
template <match_kind K, class L, class Rt, class R>
struct is_over<match<K, L, Rt>, R> : std::bool_constant<is_over<L, R>::value && is_over<Rt, R>::value> {};
template <detail::fixed_string T, class... A, class R>
struct is_over<fragment_node<T, A...>, R> : std::bool_constant<(is_over<A, R>::value && ...)> {};
template <class E, bool D, class R>
struct is_over<sort_key<E, D>, R> : is_over<E, R> {};

/// The first column in `E` that is not a column of `R`, for the diagnostic (void if none).
template <class E, class R>
struct foreign_column {
  using type = void;
};
template <class R2, std::size_t I, class R>
struct foreign_column<col<R2, I>, R> {
  using type = std::conditional_t<std::is_same_v<R2, R>, void, col<R2, I>>;
};
template <class Op, class L, class Rt, class R>
struct foreign_column<binary<Op, L, Rt>, R> {
  using type = std::conditional_t<std::is_void_v<typename foreign_column<L, R>::type>,
                                  typename foreign_column<Rt, R>::type, typename foreign_column<L, R>::type>;
};
template <class X, class R>
struct foreign_column<negation<X>, R> : foreign_column<X, R> {};
template <class X, class R>
struct foreign_column<nil_check<X>, R> : foreign_column<X, R> {};
template <class X, class T, class R>
struct foreign_column<in_list<X, T>, R> : foreign_column<X, R> {};
template <match_kind K, class L, class Rt, class R>
struct foreign_column<match<K, L, Rt>, R> : foreign_column<binary<op::eq, L, Rt>, R> {};
template <class E, bool D, class R>
struct foreign_column<sort_key<E, D>, R> : foreign_column<E, R> {};

/// Whether `E` is a condition that can filter resource `R`: a bool expression over `R`'s fields.
template <class R, class E>
concept filterable = expression<E> && boolean<E> && is_over<std::remove_cvref_t<E>, R>::value;

namespace diag {
/// Named in the error when a filter or sort uses a field of another resource.
template <class Resource, class OtherResource, auto Field>
struct filter_names_a_field_of_another_resource;
}  // namespace diag

namespace detail {
template <class R, class E>
constexpr void check_over() {
  using F = typename foreign_column<std::remove_cvref_t<E>, R>::type;
  if constexpr (!std::is_void_v<F>)
    (void)sizeof(diag::filter_names_a_field_of_another_resource<R, typename F::resource,
                                                                field_member<typename F::resource, F::index>>);
}
}  // namespace detail

}  // namespace ash
