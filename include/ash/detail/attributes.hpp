#pragma once
/// \file
/// Compiler attributes the library uses.

#include <type_traits>

/// Keeps a function out of line. For the non-template helpers every query calls (building and
/// joining value lists, binding, stepping): inlined, their bodies would be compiled again at each
/// call site of each query, which costs compile time and code size; out of line, a program has
/// one copy. None of them is on a per-row path.
#if defined(__GNUC__) || defined(__clang__)
#define ASH_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define ASH_NOINLINE __declspec(noinline)
#else
#define ASH_NOINLINE
#endif

/// Marks a function that runs rarely (errors, logging, opening connections, transactions'
/// BEGIN and COMMIT): compilers optimise it for size and keep it out of the hot paths' way.
/// Being rare, such code need not be optimised in every translation unit either: for clang it is
/// not optimised at all, which costs it nothing worth measuring at run time and saves every
/// translation unit that compiles it the optimiser's time (clang spent more optimising
/// `lower_table` than any other function of a program; the error and log paths were 0.7% of
/// the compile-time benchmark's instructions). GCC's `optimize` attribute is meant for
/// debugging, and gained nothing measurable: there it is only cold. Never on a path a query or a
/// write takes each time.
#if defined(__clang__)
#define ASH_COLD __attribute__((cold, optnone, noinline))
#elif defined(__GNUC__)
#define ASH_COLD __attribute__((cold))
#else
#define ASH_COLD
#endif
/// `ASH_COLD` for code that runs once per table, connection or statement text (lowering a
/// schema, rendering DDL, opening, registering a statement): the same attributes, named for why.
#define ASH_ONCE ASH_COLD

/// `std::forward` and `std::move` as casts: the same meaning, but no function template
/// instantiated (and, without optimisation, called) for each type they are used with. Used on
/// the paths every query goes through, where that adds up.
#define ASH_FWD(x) static_cast<decltype(x)&&>(x)
#define ASH_MOVE(x) static_cast<std::remove_reference_t<decltype(x)>&&>(x)
