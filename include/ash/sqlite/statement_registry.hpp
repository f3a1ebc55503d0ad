#pragma once
/// \file
/// Small integer ids for SQL texts, handed out at static-initialisation time.
///
/// Each query shape registers its constant SQL text once; a connection then keeps its prepared
/// statements in a vector indexed by that id, so finding a statement is an array index, with no
/// hashing or string comparison per call. Equal texts share one id (and one prepared statement).
/// Id 0 is never handed out: a query that runs before its id was assigned (from another static
/// initialiser) is prepared and finalised on the spot instead of using a slot.

#include <cstdint>
#include <map>
#include <mutex>
#include <string_view>

namespace ash::sqlite::detail {

struct statement_registry {
  std::mutex mutex;
  std::map<std::string_view, std::uint32_t, std::less<>> ids;  // views of static storage
  std::uint32_t next = 1;

  static statement_registry& instance() {
    static statement_registry r;
    return r;
  }
};

/// The id of an SQL text with static storage duration; registers it on first sight.
inline std::uint32_t register_statement(std::string_view sql) {
  auto& r = statement_registry::instance();
  std::lock_guard lock(r.mutex);
  auto [it, inserted] = r.ids.try_emplace(sql, r.next);
  if (inserted) ++r.next;
  return it->second;
}

/// The slot id of a type that has `static constexpr ... sql` (a query or statement shape).
template <class Shape>
struct slot_of {
  static inline const std::uint32_t id = register_statement(std::string_view{Shape::sql.data(), Shape::sql.size()});
};

}  // namespace ash::sqlite::detail
