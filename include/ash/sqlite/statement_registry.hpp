#pragma once
/// \file
/// Small integer ids for SQL texts, handed out on first use.
///
/// Each query shape's constant SQL text is a `statement_text`, a constant object whose id is
/// assigned the first time it runs; a connection then keeps its prepared statements in an array
/// indexed by that id, so finding a statement is an array index, with no hashing or string
/// comparison per call. Equal texts share one id (and one prepared statement). Nothing runs at
/// static-initialisation time: a program gets no initialiser per statement, and a query run from
/// another static initialiser finds its id like any other.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "ash/detail/attributes.hpp"
#include "ash/detail/sync.hpp"

namespace ash::sqlite::detail {

/// The texts seen so far and their ids: a hash table with open addressing, in a plain array (a
/// `std::map` or `std::vector` here cost every translation unit that includes the repo its
/// instantiation).
struct statement_registry {
  struct entry {
    std::string_view sql;  ///< a view of static storage
    std::uint32_t id = 0;  ///< 0: an empty slot
  };
  std::mutex mutex;
  std::size_t size = 64;  ///< slots in `table`: a power of two, at most half full
  entry* table = new entry[size]();
  std::uint32_t next = 1;  ///< the next id; `next - 1` texts are registered

  statement_registry() = default;
  statement_registry(const statement_registry&) = delete;
  statement_registry& operator=(const statement_registry&) = delete;
  ~statement_registry() { delete[] table; }

  ASH_ONCE static statement_registry& instance() {
    static statement_registry r;
    return r;
  }

  /// The id of `sql`, adding it if it is new. Call with `mutex` held.
  ASH_ONCE std::uint32_t find_or_add(std::string_view sql) {
    entry* e = slot(sql);
    if (e->id != 0) return e->id;
    *e = {sql, next++};
    if (2 * static_cast<std::size_t>(next) > size) {
      entry* old = table;
      const std::size_t old_size = size;
      table = new entry[2 * size]();
      size *= 2;
      for (std::size_t i = 0; i < old_size; ++i)
        if (old[i].id != 0) *slot(old[i].sql) = old[i];
      delete[] old;
    }
    return next - 1;
  }

 private:
  /// The slot holding `sql`, or the empty slot where it belongs.
  entry* slot(std::string_view sql) {
    const std::size_t mask = size - 1;
    for (std::size_t i = std::hash<std::string_view>{}(sql) & mask;; i = (i + 1) & mask)
      if (table[i].id == 0 || table[i].sql == sql) return &table[i];
  }
};

/// The id of an SQL text with static storage duration; registers it on first sight.
ASH_ONCE inline std::uint32_t register_statement(std::string_view sql) {
  auto& r = statement_registry::instance();
  std::lock_guard lock(r.mutex);
  return r.find_or_add(sql);
}

}  // namespace ash::sqlite::detail

namespace ash::sqlite {

/// A constant SQL text and its slot id, which it gets the first time it runs (0 until then).
/// Statements are run through one of these, a constant object with static storage, so a query
/// adds neither an initialiser nor a function to a program.
class statement_text {
 public:
  const std::string_view sql;

  constexpr explicit statement_text(std::string_view text) noexcept : sql(text) {}
  statement_text(const statement_text&) = delete;
  statement_text& operator=(const statement_text&) = delete;

  /// The slot id: a load, and on first use a lookup in the registry. Threads that race on the
  /// first use get the same id from the registry.
  std::uint32_t id() {
    const std::uint32_t known = assigned_.load(ash::detail::order::relaxed);
    return known != 0 ? known : assign();
  }

 private:
  ASH_ONCE std::uint32_t assign() {
    const std::uint32_t id = detail::register_statement(sql);
    assigned_.store(id, ash::detail::order::relaxed);
    return id;
  }

  ash::detail::atomic<std::uint32_t> assigned_{0};
};

}  // namespace ash::sqlite
