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

namespace ash::sql {

/// `"name"` with embedded double quotes doubled, for use as an SQLite identifier.
inline std::string quote_ident(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

/// `'text'` with embedded single quotes doubled, for use as an SQLite string literal.
inline std::string quote_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

/// The declared SQLite column type for a migration type ("bigint" -> "INTEGER", ...).
///
/// Only the five STRICT-compatible names are produced, so every table can be STRICT; the
/// case-insensitivity of "citext" is a collation, added by `column_definition`.
inline std::string_view declared_type(std::string_view migration_type) {
  if (migration_type == "bigint" || migration_type == "integer" || migration_type == "boolean")
    return "INTEGER";
  if (migration_type == "float" || migration_type == "double") return "REAL";
  if (migration_type == "binary" || migration_type == "blob") return "BLOB";
  return "TEXT";  // text, citext, uuid, utc_datetime_usec, date, map, array:*, user types
}

/// `ON DELETE ...` / `ON UPDATE ...` clause for a reference action, or "" for none.
inline std::string reference_action(std::string_view clause, const std::optional<std::string>& action) {
  if (!action || *action == "nothing") return {};
  std::string out{" "};
  out += clause;
  if (*action == "delete" || *action == "update") out += " CASCADE";
  else if (*action == "nilify") out += " SET NULL";
  else if (*action == "restrict") out += " RESTRICT";
  else return {};
  return out;
}

/// The column definition inside `CREATE TABLE`: name, type, constraints, inline reference.
inline std::string column_definition(const schema::attribute& a, bool single_primary_key) {
  std::string out = quote_ident(a.source);
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
    out += quote_ident(r.name);
    out += " REFERENCES ";
    out += quote_ident(r.table);
    out += '(';
    out += quote_ident(r.destination_attribute);
    out += ')';
    out += reference_action("ON DELETE", r.on_delete);
    out += reference_action("ON UPDATE", r.on_update);
    if (r.deferrable == "true") out += " DEFERRABLE";
    else if (r.deferrable == "initially") out += " DEFERRABLE INITIALLY DEFERRED";
  }
  return out;
}

/// `CREATE TABLE [IF NOT EXISTS] "name" (...)[ STRICT]` for the table, without its indexes.
inline std::string create_table(const schema::table& t, std::string_view name_override = {},
                                bool if_not_exists = false) {
  std::vector<const schema::attribute*> pk;
  for (const auto& a : t.attributes)
    if (a.primary_key) pk.push_back(&a);
  const bool single = pk.size() == 1;
  std::string out = if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
  out += quote_ident(name_override.empty() ? std::string_view{t.name} : name_override);
  out += " (";
  bool first = true;
  for (const auto& a : t.attributes) {
    if (!first) out += ", ";
    first = false;
    out += column_definition(a, single);
  }
  if (pk.size() > 1) {
    out += ", PRIMARY KEY (";
    for (std::size_t i = 0; i < pk.size(); ++i) {
      if (i) out += ", ";
      out += quote_ident(pk[i]->source);
    }
    out += ')';
  }
  out += ')';
  if (t.strict) out += " STRICT";
  return out;
}

/// `CREATE UNIQUE INDEX` for an identity.
inline std::string create_identity_index(const schema::table& t, const schema::identity& id,
                                         bool if_not_exists = false) {
  std::string out = if_not_exists ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE UNIQUE INDEX ";
  out += quote_ident(id.index_name);
  out += " ON ";
  out += quote_ident(t.name);
  out += " (";
  for (std::size_t i = 0; i < id.keys.size(); ++i) {
    if (i) out += ", ";
    out += quote_ident(id.keys[i]);
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
inline bool is_plain_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

/// `CREATE [UNIQUE] INDEX` for a custom index; expression fields are written as given.
inline std::string create_custom_index(const schema::table& t, const schema::custom_index& ix,
                                       bool if_not_exists = false) {
  std::string out = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  if (if_not_exists) out += "IF NOT EXISTS ";
  out += quote_ident(ix.name);
  out += " ON ";
  out += quote_ident(t.name);
  out += " (";
  for (std::size_t i = 0; i < ix.fields.size(); ++i) {
    if (i) out += ", ";
    out += is_plain_identifier(ix.fields[i]) ? quote_ident(ix.fields[i]) : ix.fields[i];
  }
  out += ')';
  if (ix.where && t.base_filter) {
    out += " WHERE (" + *ix.where + ") AND (" + *t.base_filter + ")";
  } else if (ix.where) {
    out += " WHERE " + *ix.where;
  }
  return out;
}

/// Every statement that creates the table as declared: the table, then its indexes.
inline std::vector<std::string> create_table_statements(const schema::table& t, bool if_not_exists = false) {
  std::vector<std::string> out{create_table(t, {}, if_not_exists)};
  for (const auto& id : t.identities) out.push_back(create_identity_index(t, id, if_not_exists));
  for (const auto& ix : t.custom_indexes) out.push_back(create_custom_index(t, ix, if_not_exists));
  return out;
}

}  // namespace ash::sql
