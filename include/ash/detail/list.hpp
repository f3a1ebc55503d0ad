#pragma once
/// \file
/// Heterogeneous constant lists for resource metadata: the only file that includes Boost.Hana.
///
/// Metadata sections (attributes, relationships, actions) hold declarations of different types;
/// they are kept in `hana::tuple`s, which compile faster than `std::tuple` and can be walked in
/// constant expressions.

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include <cstddef>
#include <type_traits>

namespace ash::detail {

template <class... T>
using list = boost::hana::tuple<T...>;

/// The number of items of a list type.
template <class L>
struct list_size;
template <class... T>
struct list_size<list<T...>> {
  static constexpr std::size_t value = sizeof...(T);
};
template <class L>
inline constexpr std::size_t list_size_v = list_size<std::remove_cvref_t<L>>::value;

/// A list of the given declarations.
template <class... T>
constexpr list<T...> make_list(T... items) {
  return list<T...>{items...};
}

/// The I-th item of a list.
template <std::size_t I, class L>
constexpr const auto& at(const L& l) {
  return boost::hana::at_c<I>(l);
}

/// Calls `f(item)` for every item, in order; usable in constant expressions.
template <class L, class F>
constexpr void for_each(const L& l, F&& f) {
  boost::hana::unpack(l, [&](const auto&... item) { (f(item), ...); });
}

}  // namespace ash::detail
