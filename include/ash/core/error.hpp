#pragma once
/// \file
/// Errors: a structured value (`ash::error`) that names what was wrong, and the exception that
/// carries it (`ash::exception`) for the throwing forms of the API.

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include "ash/detail/attributes.hpp"

namespace ash {

/// What kind of thing went wrong; see docs/errors.md for each.
enum class error_kind {
  required,               ///< a required field was not given a value
  invalid_attribute,      ///< a value was rejected for a field (wrong shape, unknown enum name)
  validation,             ///< a validation of the action failed
  stale_record,           ///< an update or destroy matched no row
  not_found,              ///< a read that needed a row found none
  unique_violation,       ///< a unique index or primary key was violated
  foreign_key_violation,  ///< a reference points to nothing, or a referenced row would be left behind
  constraint,             ///< another constraint (NOT NULL, CHECK) failed in the database
  busy,                   ///< the database stayed locked past busy_timeout
  database,               ///< any other SQLite error
  migration,              ///< a migration could not be generated or applied
  usage,                  ///< the API was called in a way it does not allow at run time
};

/// The name of an error kind, as printed: "required", "stale_record", ...
constexpr const char* to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::required: return "required";
    case error_kind::invalid_attribute: return "invalid_attribute";
    case error_kind::validation: return "validation";
    case error_kind::stale_record: return "stale_record";
    case error_kind::not_found: return "not_found";
    case error_kind::unique_violation: return "unique_violation";
    case error_kind::foreign_key_violation: return "foreign_key_violation";
    case error_kind::constraint: return "constraint";
    case error_kind::busy: return "busy";
    case error_kind::database: return "database";
    case error_kind::migration: return "migration";
    case error_kind::usage: return "usage";
  }
  return "unknown";
}

/// A structured error: which resource, action and field, and what is wrong with it.
struct error {
  error_kind kind = error_kind::database;
  std::string resource;  ///< e.g. "Ticket"; empty when not about one resource
  std::string action;    ///< e.g. "open"; empty when not about an action
  std::string field;     ///< the field at fault, if one is known
  std::string message;   ///< a sentence: "is required", "has already been taken"
  int sqlite_code = 0;   ///< the extended SQLite result code, for database errors
  std::string sql;       ///< the statement that failed, for database errors

  /// One line for people: "Ticket.subject: is required (action open)".
  ASH_COLD ASH_NOINLINE std::string describe() const {
    std::string out;  // appended in place: no temporaries
    out.append(resource);
    if (!field.empty()) {
      if (!out.empty()) out.append(".");
      out.append(field);
    }
    if (!out.empty()) out.append(": ");
    out.append(message);
    if (!action.empty()) out.append(" (action ").append(action).append(")");
    if (!sql.empty()) out.append(" [in: ").append(sql).append("]");
    return out;
  }
};

namespace detail {
/// Appends `v` in decimal. For error messages: `std::to_string` would be compiled, optimised, in
/// every translation unit that builds one.
ASH_COLD inline void append_decimal(std::string& out, long long v) {
  char digits[24];
  const int n = std::snprintf(digits, sizeof digits, "%lld", v);
  out.append(digits, n > 0 ? static_cast<std::size_t>(n) : 0);
}
/// A copy of `e`, member by member: the implicit copy constructor would be compiled, optimised,
/// in every translation unit that copies an error.
ASH_COLD inline error copy_of(const error& e) {
  error c;
  c.kind = e.kind;
  c.resource.assign(e.resource);
  c.action.assign(e.action);
  c.field.assign(e.field);
  c.message.assign(e.message);
  c.sqlite_code = e.sqlite_code;
  c.sql.assign(e.sql);
  return c;
}
}  // namespace detail

/// Thrown by the throwing forms (`repo.create`, `repo.read`, ...); holds the `ash::error`.
class exception : public std::runtime_error {
 public:
  // Out of line, and taking the error by reference: each `throw` then only calls it (a parameter
  // by value cost every throw a move and a destruction of five strings).
  ASH_COLD ASH_NOINLINE explicit exception(const ash::error& e) : std::runtime_error(e.describe()), error_(e) {}
  ASH_COLD ASH_NOINLINE explicit exception(ash::error&& e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
  const ash::error& error() const noexcept { return error_; }
  error_kind kind() const noexcept { return error_.kind; }

 private:
  ash::error error_;
};

}  // namespace ash
