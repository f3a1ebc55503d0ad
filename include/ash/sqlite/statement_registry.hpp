#pragma once
/// \file
/// Small integer ids for SQL texts, handed out at static-initialisation time.
///
/// Each query shape registers its constant SQL text once; a connection then keeps its prepared
/// statements in a vector indexed by that id, so finding a statement is an array index, with no
/// hashing or string comparison per call. Equal texts share one id (and one prepared statement).
/// Id 0 is never handed out: a query that runs before its id was assigned (from another static
/// initialiser) is prepared and finalised on the spot instead of using a slot.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "ash/detail/attributes.hpp"

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

  static statement_registry& instance() {
    static statement_registry r;
    return r;
  }

  /// The id of `sql`, adding it if it is new. Call with `mutex` held.
  std::uint32_t find_or_add(std::string_view sql) {
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

/// The slot id of a type that has `static constexpr ... sql` (a query or statement shape).
template <class Shape>
struct slot_of {
  static inline const std::uint32_t id = register_statement(std::string_view{Shape::sql.data(), Shape::sql.size()});
};

}  // namespace ash::sqlite::detail
