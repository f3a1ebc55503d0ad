#pragma once
/// \file
/// Rendering a `schema::table` as SQLite DDL: `CREATE TABLE`, its indexes, identifiers.
///
/// Shared by `repo.create_table<R>()` and by the migration generator, so that a table made
/// either way is the same table.

#include <string>
#include <string_view>
#include <vector>

#include "ash/core/schema.hpp"
#include "ash/detail/attributes.hpp"

namespace ash::sql {

// DDL runs once per table and is compiled into every program that creates one: the functions
// below are cold (optimised for size) and append to one string rather than join temporaries.

/// Appends `"name"`, embedded double quotes doubled, to `out`.
ASH_ONCE inline void append_ident(std::string& out, std::string_view name) {
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// `"name"` with embedded double quotes doubled, for use as an SQLite identifier.
inline std::string quote_ident(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  append_ident(out, name);
  return out;
}

/// The declared SQLite column type for a migration type ("bigint" -> "INTEGER", ...).
///
/// Only the five STRICT-compatible names are produced, so every table can be STRICT; the
/// case-insensitivity of "citext" is a collation, added by `column_definition`.
ASH_ONCE inline std::string_view declared_type(std::string_view migration_type) {
  if (migration_type == "bigint" || migration_type == "integer" || migration_type == "boolean")
    return "INTEGER";
  if (migration_type == "float" || migration_type == "double") return "REAL";
  if (migration_type == "binary" || migration_type == "blob") return "BLOB";
  return "TEXT";  // text, citext, uuid, utc_datetime_usec, date, map, array:*, user types
}

/// `ON DELETE ...` / `ON UPDATE ...` clause for a reference action, or "" for none.
ASH_ONCE inline std::string reference_action(std::string_view clause, const std::optional<std::string>& action) {
  std::string_view what;
  if (!action) return {};
  if (*action == "delete" || *action == "update") what = " CASCADE";
  else if (*action == "nilify") what = " SET NULL";
  else if (*action == "restrict") what = " RESTRICT";
  else return {};  // "nothing", or unknown
  std::string out{" "};
  out += clause;
  out += what;
  return out;
}

/// The column definition inside `CREATE TABLE`: name, type, constraints, inline reference.
ASH_ONCE inline std::string column_definition(const schema::attribute& a, bool single_primary_key) {
  std::string out;
  append_ident(out, a.source);
  out += ' ';
  out += declared_type(a.type);
  if (a.primary_key && single_primary_key) {
    out += " PRIMARY KEY";
    if (a.generated) out += " AUTOINCREMENT";
  }
  if (!a.allow_nil && !(a.primary_key && a.generated)) out += " NOT NULL";
  if (a.type == "citext") out += " COLLATE NOCASE";
  if (a.default_sql) {
    out += " DEFAULT (";
    out += *a.default_sql;
    out += ')';
  }
  if (a.references && !a.references->ignore) {
    const auto& r = *a.references;
    out += " CONSTRAINT ";
    append_ident(out, r.name);
    out += " REFERENCES ";
    append_ident(out, r.table);
    out += '(';
    append_ident(out, r.destination_attribute);
    out += ')';
    out += reference_action("ON DELETE", r.on_delete);
    out += reference_action("ON UPDATE", r.on_update);
    if (r.deferrable == "true") out += " DEFERRABLE";
    else if (r.deferrable == "initially") out += " DEFERRABLE INITIALLY DEFERRED";
  }
  return out;
}

/// `CREATE TABLE [IF NOT EXISTS] "name" (...)[ STRICT]` for the table, without its indexes.
ASH_ONCE inline std::string create_table(const schema::table& t, std::string_view name_override = {},
                                              bool if_not_exists = false) {
  std::size_t pk = 0;
  for (const auto& a : t.attributes) pk += a.primary_key;
  std::string out = if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
  append_ident(out, name_override.empty() ? std::string_view{t.name} : name_override);
  out += " (";
  bool first = true;
  for (const auto& a : t.attributes) {
    if (!first) out += ", ";
    first = false;
    out += column_definition(a, pk == 1);
  }
  if (pk > 1) {
    out += ", PRIMARY KEY (";
    first = true;
    for (const auto& a : t.attributes) {
      if (!a.primary_key) continue;
      if (!first) out += ", ";
      first = false;
      append_ident(out, a.source);
    }
    out += ')';
  }
  out += ')';
  if (t.strict) out += " STRICT";
  return out;
}

/// `CREATE UNIQUE INDEX` for an identity.
ASH_ONCE inline std::string create_identity_index(const schema::table& t, const schema::identity& id,
                                                       bool if_not_exists = false) {
  std::string out = if_not_exists ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE UNIQUE INDEX ";
  append_ident(out, id.index_name);
  out += " ON ";
  append_ident(out, t.name);
  out += " (";
  for (std::size_t i = 0; i < id.keys.size(); ++i) {
    if (i) out += ", ";
    append_ident(out, id.keys[i]);
  }
  out += ')';
  const auto& filter = id.base_filter ? id.base_filter : t.base_filter;
  if (filter) {
    out += " WHERE ";
    out += *filter;
  }
  return out;
}

/// Whether a custom index field is a plain column name (else it is an SQL expression).
ASH_ONCE inline bool is_plain_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

/// `CREATE [UNIQUE] INDEX` for a custom index; expression fields are written as given.
ASH_ONCE inline std::string create_custom_index(const schema::table& t, const schema::custom_index& ix,
                                                     bool if_not_exists = false) {
  std::string out = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  if (if_not_exists) out += "IF NOT EXISTS ";
  append_ident(out, ix.name);
  out += " ON ";
  append_ident(out, t.name);
  out += " (";
  for (std::size_t i = 0; i < ix.fields.size(); ++i) {
    if (i) out += ", ";
    if (is_plain_identifier(ix.fields[i])) append_ident(out, ix.fields[i]);
    else out += ix.fields[i];
  }
  out += ')';
  if (ix.where) {
    out += t.base_filter ? " WHERE (" : " WHERE ";
    out += *ix.where;
    if (t.base_filter) {
      out += ") AND (";
      out += *t.base_filter;
      out += ')';
    }
  }
  return out;
}

/// Every statement that creates the table as declared: the table, then its indexes.
ASH_ONCE inline std::vector<std::string> create_table_statements(const schema::table& t, bool if_not_exists = false) {
  std::vector<std::string> out(1 + t.identities.size() + t.custom_indexes.size());
  auto s = out.begin();
  *s++ = create_table(t, {}, if_not_exists);
  for (const auto& id : t.identities) *s++ = create_identity_index(t, id, if_not_exists);
  for (const auto& ix : t.custom_indexes) *s++ = create_custom_index(t, ix, if_not_exists);
  return out;
}

}  // namespace ash::sql
