#pragma once
/// \file
/// Positional reflection of aggregates: the only file that includes Boost.PFR.

#include <boost/pfr/core.hpp>
#include <boost/pfr/tuple_size.hpp>

namespace ash::detail {

/// Number of fields of an aggregate.
template <class T>
inline constexpr std::size_t field_count = boost::pfr::tuple_size_v<T>;

/// The I-th field of an aggregate, by reference.
template <std::size_t I, class T>
constexpr decltype(auto) field(T& value) noexcept {
  return boost::pfr::get<I>(value);
}

/// The type of the I-th field of an aggregate.
template <std::size_t I, class T>
using field_type = boost::pfr::tuple_element_t<I, T>;

}  // namespace ash::detail
