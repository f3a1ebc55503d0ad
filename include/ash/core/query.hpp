#pragma once
/// \file
/// `ash::query<R>()`: a typed read of resource R — filter, sort, limit, offset, select.
///
/// Each method returns a new query type; the type fixes the SQL text (rendered at compile time
/// by `ash/sql/render.hpp`), the object holds only the values to bind.

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <span>
#include <utility>

#include "ash/core/expr.hpp"
#include "ash/core/resource_info.hpp"
#include "ash/detail/attributes.hpp"

namespace ash {

/// No filter: every row.
struct no_filter {
  static constexpr std::size_t param_count = 0;
};

/// The fields a query reads: all of them, or the listed indexes.
template <std::size_t... I>
struct selection {
  static constexpr bool all = sizeof...(I) == 0;
  static constexpr std::size_t count = sizeof...(I);
  static constexpr std::size_t indexes[sizeof...(I) + 1] = {I..., 0};
};

namespace diag {
template <class Resource>
struct polymorphic_resource_needs_a_table_for_this_query;
}

/// No sort keys.
struct no_sort {
  static constexpr std::size_t param_count = 0;
  static constexpr std::size_t size = 0;
};

/// The sort keys `Prev`, then key `K` (a `sort_key`): a type only, for the SQL text.
template <class Prev, class K>
struct sort_then {
  using previous = Prev;
  using key_type = K;
  static constexpr std::size_t param_count = Prev::param_count + K::expr_type::param_count;
  static constexpr std::size_t size = Prev::size + 1;
};

namespace detail {
/// The state of every query: its values, in the order of the `?` in its SQL text (the filter's,
/// the sort keys', then the limit and the offset). Not a template, so a query of any shape
/// moves, copies and binds with the same code.
struct query_state {
  param_list values_;
  /// The values to bind, in the order of the `?` in the SQL text.
  std::span<const param> params() const noexcept { return values_.view(); }
};
}  // namespace detail

/// A read of resource `R`. Build with `ash::query<R>()`.
///
/// The type is the query's shape and fixes its SQL text; the object holds only the values to
/// bind. Each builder has a `&&` form, which moves the values on (a chain like
/// `query<R>().filter(...).sort(...).limit(10)` copies nothing), and a `const&` form, which
/// copies the query first.
template <class R, class Filter = no_filter, class Sorts = no_sort, class Select = selection<>,
          bool HasLimit = false, bool HasOffset = false, detail::fixed_string Table = "">
class query_t : public detail::query_state {
 public:
  using resource = R;
  using filter_type = Filter;
  using sorts_type = Sorts;
  using select_type = Select;
  static constexpr bool has_limit = HasLimit;
  static constexpr bool has_offset = HasOffset;
  /// The table read: the resource's, or the one chosen with `from<"...">()`.
  static constexpr std::string_view table = Table.size() ? Table.view() : info<R>::table;
  static constexpr std::size_t param_count = Filter::param_count + Sorts::param_count + HasLimit + HasOffset;

  /// Keeps the rows for which `condition` holds (and-ed with earlier filters).
  template <class E>
  auto filter(E&& condition) && {
    static_assert(expression<E> && boolean<E>, "ash: filter needs a condition (a comparison, like, in, is_nil...)");
    static_assert(is_over<std::remove_cvref_t<E>, R>::value,
                  "ash: the filter names a field of another resource (see the next error for which)");
    static_assert((detail::check_over<R, E>(), true));
    using C = std::remove_cvref_t<E>;
    using F = std::conditional_t<std::is_same_v<Filter, no_filter>, C, binary<op::and_, Filter, C>>;
    detail::insert_values(values_, Filter::param_count, ASH_FWD(condition));
    return with<F, Sorts>{static_cast<query_t&&>(*this)};
  }
  template <class E>
  auto filter(E&& condition) const& {
    return query_t(*this).filter(ASH_FWD(condition));
  }

  /// Orders rows by the keys, in turn: columns (ascending) or `ash::asc(e)` / `ash::desc(e)`.
  template <class... K>
  auto sort(K&&... keys) && {
    static_assert(sizeof...(K) > 0, "ash: sort needs at least one key");
    static_assert((is_over<key_t<K>, R>::value && ...), "ash: the sort names a field of another resource");
    std::size_t at = Filter::param_count + Sorts::param_count;
    ((detail::insert_values(values_, at, ASH_FWD(keys)), at += key_t<K>::expr_type::param_count), ...);
    return with<Filter, typename sorts_after<Sorts, key_t<K>...>::type>{static_cast<query_t&&>(*this)};
  }
  template <class... K>
  auto sort(K&&... keys) const& {
    return query_t(*this).sort(ASH_FWD(keys)...);
  }

  /// At most `n` rows.
  auto limit(std::int64_t n) && {
    values_.put_int(Filter::param_count + Sorts::param_count, n, HasLimit);
    return with<Filter, Sorts, Select, true>{static_cast<query_t&&>(*this)};
  }
  auto limit(std::int64_t n) const& { return query_t(*this).limit(n); }
  /// Skips the first `n` rows.
  auto offset(std::int64_t n) && {
    values_.put_int(Filter::param_count + Sorts::param_count + HasLimit, n, HasOffset);
    return with<Filter, Sorts, Select, HasLimit, true>{static_cast<query_t&&>(*this)};
  }
  auto offset(std::int64_t n) const& { return query_t(*this).offset(n); }
  /// Reads only these fields; the others keep their default values in the results.
  template <std::size_t... I>
  auto select(col<R, I>...) && {
    static_assert(sizeof...(I) > 0, "ash: select needs at least one field");
    return with<Filter, Sorts, selection<I...>>{static_cast<query_t&&>(*this)};
  }
  template <std::size_t... I>
  auto select(col<R, I>... c) const& {
    return query_t(*this).select(c...);
  }
  /// Reads from table `T` (for polymorphic resources).
  template <detail::fixed_string T>
  auto from() && {
    return with<Filter, Sorts, Select, HasLimit, HasOffset, T>{static_cast<query_t&&>(*this)};
  }
  template <detail::fixed_string T>
  auto from() const& {
    return query_t(*this).template from<T>();
  }

 private:
  template <class F, class S, class Sel = Select, bool L = HasLimit, bool O = HasOffset, detail::fixed_string T = Table>
  using with = query_t<R, F, S, Sel, L, O, T>;

  /// A sort argument as a key: a `sort_key` as is, an expression ascending.
  template <class K>
  using key_t = std::conditional_t<is_sort_key<std::remove_cvref_t<K>>, std::remove_cvref_t<K>,
                                   sort_key<std::remove_cvref_t<K>, false>>;
  template <class S, class... K>
  struct sorts_after {
    using type = S;
  };
  template <class S, class K, class... More>
  struct sorts_after<S, K, More...> : sorts_after<sort_then<S, K>, More...> {};
};

/// A query over every row of `R`; refine it with `.filter`, `.sort`, `.limit`, `.offset`, `.select`.
template <class R>
auto query() {
  static_assert(check_resource<R>());
  return query_t<R>{};
}

template <class Q>
inline constexpr bool is_query = false;
template <class R, class F, class S, class Sel, bool L, bool O, detail::fixed_string T>
inline constexpr bool is_query<query_t<R, F, S, Sel, L, O, T>> = true;

}  // namespace ash
