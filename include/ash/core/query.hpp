#pragma once
/// \file
/// `ash::query<R>()`: a typed read of resource R — filter, sort, limit, offset, select.
///
/// Each method returns a new query type; the type fixes the SQL text (rendered at compile time
/// by `ash/sql/render.hpp`), the object holds only the values to bind.

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ash/core/expr.hpp"
#include "ash/core/resource_info.hpp"

namespace ash {

/// No filter: every row.
struct no_filter {
  static constexpr std::size_t param_count = 0;
  void bind(param*&) const noexcept {}
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

/// A read of resource `R`. Build with `ash::query<R>()`.
template <class R, class Filter = no_filter, class Sorts = std::tuple<>, class Select = selection<>,
          bool HasLimit = false, bool HasOffset = false, detail::fixed_string Table = "">
class query_t {
 public:
  using resource = R;
  using filter_type = Filter;
  using sorts_type = Sorts;
  using select_type = Select;
  static constexpr bool has_limit = HasLimit;
  static constexpr bool has_offset = HasOffset;
  /// The table read: the resource's, or the one chosen with `from<"...">()`.
  static constexpr std::string_view table = Table.size() ? Table.view() : info<R>::table;
  static constexpr std::size_t sort_params = std::apply(
      [](auto... s) { return (std::size_t{0} + ... + decltype(s.expr)::param_count); }, Sorts{});
  static constexpr std::size_t param_count = Filter::param_count + sort_params + HasLimit + HasOffset;

  query_t() = default;
  query_t(Filter f, Sorts s, std::int64_t limit, std::int64_t offset)
      : filter_(std::move(f)), sorts_(std::move(s)), limit_(limit), offset_(offset) {}

  /// Keeps the rows for which `condition` holds (and-ed with earlier filters).
  template <class E>
  auto filter(E&& condition) const& {
    static_assert(expression<E> && boolean<E>, "ash: filter needs a condition (a comparison, like, in, is_nil...)");
    static_assert(is_over<std::remove_cvref_t<E>, R>::value,
                  "ash: the filter names a field of another resource (see the next error for which)");
    detail::check_over<R, E>();
    if constexpr (std::is_same_v<Filter, no_filter>) {
      using F = std::remove_cvref_t<E>;
      return query_t<R, F, Sorts, Select, HasLimit, HasOffset, Table>(F(std::forward<E>(condition)), sorts_, limit_, offset_);
    } else {
      auto both = detail::make_binary<op::and_>(filter_, std::forward<E>(condition));
      return query_t<R, decltype(both), Sorts, Select, HasLimit, HasOffset, Table>(std::move(both), sorts_, limit_, offset_);
    }
  }

  /// Orders rows by the keys, in turn: columns (ascending) or `ash::asc(e)` / `ash::desc(e)`.
  template <class... K>
  auto sort(K&&... keys) const& {
    auto more = std::tuple_cat(sorts_, std::tuple{to_key(std::forward<K>(keys))...});
    static_assert((is_over<decltype(to_key(std::declval<K>())), R>::value && ...),
                  "ash: the sort names a field of another resource");
    return query_t<R, Filter, decltype(more), Select, HasLimit, HasOffset, Table>(filter_, std::move(more), limit_, offset_);
  }

  /// At most `n` rows.
  auto limit(std::int64_t n) const& {
    return query_t<R, Filter, Sorts, Select, true, HasOffset, Table>(filter_, sorts_, n, offset_);
  }
  /// Skips the first `n` rows.
  auto offset(std::int64_t n) const& {
    return query_t<R, Filter, Sorts, Select, HasLimit, true, Table>(filter_, sorts_, limit_, n);
  }
  /// Reads only these fields; the others keep their default values in the results.
  template <std::size_t... I>
  auto select(col<R, I>...) const& {
    static_assert(sizeof...(I) > 0, "ash: select needs at least one field");
    return query_t<R, Filter, Sorts, selection<I...>, HasLimit, HasOffset, Table>(filter_, sorts_, limit_, offset_);
  }
  /// Reads from table `T` (for polymorphic resources).
  template <detail::fixed_string T>
  auto from() const& {
    return query_t<R, Filter, Sorts, Select, HasLimit, HasOffset, T>(filter_, sorts_, limit_, offset_);
  }

  const Filter& filter_expr() const noexcept { return filter_; }

  /// Writes the values to bind, in the order of the `?` in the SQL text.
  void bind(param* p) const {
    filter_.bind(p);
    std::apply([&](const auto&... s) { (s.expr.bind(p), ...); }, sorts_);
    if constexpr (HasLimit) (*p++).set_int(limit_);
    if constexpr (HasOffset) (*p++).set_int(offset_);
  }

 private:
  template <class K>
  static auto to_key(K&& k) {
    if constexpr (is_sort_key<std::remove_cvref_t<K>>) return std::remove_cvref_t<K>(std::forward<K>(k));
    else return asc(std::forward<K>(k));
  }

  Filter filter_{};
  Sorts sorts_{};
  std::int64_t limit_ = -1;
  std::int64_t offset_ = 0;
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
