#pragma once
/// \file
/// The runtime model of one table: what a resource declares about its storage, as plain data.
///
/// The compile-time resource metadata is lowered into this model (`ash::table_schema_of<R>()`),
/// and everything that reasons about a schema as a whole — `CREATE TABLE` rendering, resource
/// snapshots, the migration diff — works on it. It has no templates on purpose: schema work
/// happens once, off the hot path, and should not be instantiated per resource.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ash::schema {

/// A foreign key from one column to a column of another table (a `belongs_to` reference).
struct reference {
  std::string name;                          ///< constraint name, default `<table>_<column>_fkey`
  std::string table;                         ///< destination table
  std::string destination_attribute = "id";  ///< destination column
  std::optional<std::string> on_delete;      ///< "delete" | "nilify" | "nothing" | "restrict"
  std::optional<std::string> on_update;      ///< "update" | "nilify" | "nothing" | "restrict"
  std::string deferrable = "false";          ///< "false" | "true" | "initially"
  bool ignore = false;                       ///< no constraint is generated
  bool primary_key = true;                   ///< the destination column is its table's primary key

  friend bool operator==(const reference&, const reference&) = default;
};

/// One column.
struct attribute {
  std::string source;  ///< column name
  /// Migration type, as in AshSqlite snapshots: "bigint", "boolean", "float", "text", "citext",
  /// "uuid", "utc_datetime_usec", "date", "map", "binary", "array:<inner>", or a user type's name.
  std::string type;
  std::optional<std::string> default_sql;  ///< SQL expression lowered into the schema, if any
  bool allow_nil = true;
  bool generated = false;  ///< INTEGER PRIMARY KEY AUTOINCREMENT
  bool primary_key = false;
  std::optional<reference> references;

  friend bool operator==(const attribute&, const attribute&) = default;
};

/// An identity: a set of columns unique together, enforced by a unique index.
struct identity {
  std::string name;
  std::vector<std::string> keys;           ///< column names
  std::optional<std::string> base_filter;  ///< makes the index partial (`WHERE ...`)
  std::string index_name;                  ///< default `<table>_<name>_index`
  bool nils_distinct = true;

  friend bool operator==(const identity&, const identity&) = default;
};

/// An index declared by hand: columns or SQL expressions, optionally unique and partial.
struct custom_index {
  std::vector<std::string> fields;  ///< column names or SQL expressions
  std::string name;                 ///< default `<table>_<fields joined by _>_index`
  bool unique = false;
  std::optional<std::string> where;
  std::optional<std::string> message;  ///< error message for a violated unique index

  friend bool operator==(const custom_index&, const custom_index&) = default;
};

/// SQL run by migrations as written: `up` when added, `down` when removed.
struct custom_statement {
  std::string name;
  std::string up;
  std::string down;

  friend bool operator==(const custom_statement&, const custom_statement&) = default;
};

/// Everything a migration needs to know about one table.
struct table {
  std::string name;  ///< table name
  std::string repo;  ///< repo name, e.g. "repo" for `helpdesk::Repo`
  std::vector<attribute> attributes;
  std::vector<identity> identities;
  std::vector<custom_index> custom_indexes;
  std::vector<custom_statement> custom_statements;
  std::optional<std::string> base_filter;  ///< `base_filter_sql`
  bool strict = false;                     ///< `CREATE TABLE ... STRICT`
  bool has_create_action = true;

  friend bool operator==(const table&, const table&) = default;

  /// The attribute whose column is `source`, or null.
  const attribute* find(std::string_view source) const {
    for (const auto& a : attributes)
      if (a.source == source) return &a;
    return nullptr;
  }
};

}  // namespace ash::schema
