#pragma once
/// \file
/// The DDL grammar, written once for compile time and run time.
///
/// Each function writes to a writer `W` that has `put(std::string_view)`, `put(char)`,
/// `ident(std::string_view)` (a quoted identifier) and `ident_part(...)` (characters inside a
/// quoted identifier). Two writers use it:
///
/// - `detail::text_writer`, at compile time: `repo.create_table<R>()` executes a constant
///   `CREATE TABLE` rendered from the resource's constant description (`ash::create_table_sql<R>`),
///   as `INSERT` and `SELECT` are rendered;
/// - `detail::string_writer` (`ash/detail/string_writer.hpp`), at run time: the migration
///   generator, which renders tables read from snapshots, and the tables of polymorphic resources.
///
/// So a table made by `create_table<R>()` and one made by a generated migration are the same
/// table: they come from the same functions (and a test compares them resource by resource).
/// Nothing here allocates or uses `std::string`; everything is `constexpr`.

#include <cstddef>
#include <string_view>

namespace ash::sql::ddl {
// Literals as `"..."sv`: a `std::string_view` made from a `const char*` counts its characters
// one call at a time when evaluated at compile time, and clang's evaluator makes each call costly.
using namespace std::string_view_literals;

/// Whether two texts are equal. Under clang, one builtin call: its constant evaluator compares a
/// `std::string_view` a character at a time, calling a function for each.
constexpr bool same(std::string_view a, std::string_view b) {
#if defined(__clang__)
  return a.size() == b.size() && __builtin_memcmp(a.data(), b.data(), a.size()) == 0;
#else
  return a == b;
#endif
}

/// A foreign key, as `column_definition` writes it.
struct reference_spec {
  std::string_view name{};       ///< constraint name; empty: `<table>_<column>_fkey`
  std::string_view table{};      ///< destination table
  std::string_view column{};     ///< destination column; empty: "id"
  std::string_view on_delete{};  ///< "delete", "nilify", "restrict", "nothing"; empty: none
  std::string_view on_update{};  ///< "update", "nilify", "restrict", "nothing"; empty: none
  std::string_view deferrable = "false"sv;  ///< "false", "true", "initially"
};

/// One column, as `column_definition` writes it.
struct column_spec {
  std::string_view name{};
  std::string_view type{};         ///< migration type ("bigint", "text", "citext", ...)
  std::string_view default_sql{};  ///< SQL expression; empty: none
  bool allow_nil = true;
  bool primary_key = false;
  bool generated = false;
  bool has_reference = false;  ///< false also for an ignored reference: no constraint
  reference_spec reference{};
};

/// The declared SQLite column type for a migration type ("bigint" -> "INTEGER", ...).
///
/// Only the five STRICT-compatible names are produced, so every table can be STRICT; the
/// case-insensitivity of "citext" is a collation, added by `column_definition`.
constexpr std::string_view declared_type(std::string_view migration_type) {
  if (same(migration_type, "bigint"sv) || same(migration_type, "integer"sv) || same(migration_type, "boolean"sv)) return "INTEGER"sv;
  if (same(migration_type, "float"sv) || same(migration_type, "double"sv)) return "REAL"sv;
  if (same(migration_type, "binary"sv) || same(migration_type, "blob"sv)) return "BLOB"sv;
  return "TEXT"sv;  // text, citext, uuid, utc_datetime_usec, date, map, array:*, user types
}

/// What a reference action becomes after `ON DELETE` / `ON UPDATE`; "" for none.
constexpr std::string_view action_clause(std::string_view action) {
  if (same(action, "delete"sv) || same(action, "update"sv)) return " CASCADE"sv;
  if (same(action, "nilify"sv)) return " SET NULL"sv;
  if (same(action, "restrict"sv)) return " RESTRICT"sv;
  return {};  // "nothing", none, or unknown
}

/// Whether a custom index field is a plain column name (else it is an SQL expression).
constexpr bool is_plain_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// --- default names -------------------------------------------------------------------------------
// Written through `put(std::string_view)` / `put(char)`, so that the schema lowering (into a
// std::string) and the renderers (inside a quoted identifier) name things the same way.

/// `<table>_<field>_..._index`, a custom index's default name: in each field, characters other
/// than ASCII letters and digits become `_`, and trailing `_` are dropped before `_index`.
template <class Put, class Fields>
constexpr void custom_index_name(Put&& put, std::string_view table, const Fields& fields) {
  auto each = [&](auto&& emit) {
    for (char c : table) emit(c);
    for (const auto& field : fields) {
      emit('_');
      for (char c : std::string_view(field))
        emit(((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_');
    }
  };
  std::size_t n = 0, keep = 0;  // keep: the length without trailing '_'
  each([&](char c) {
    ++n;
    if (c != '_') keep = n;
  });
  n = 0;
  each([&](char c) {
    if (n++ < keep) put(c);
  });
  put("_index"sv);
}

/// `<table>_<name><suffix>`: the default names of foreign keys and identity indexes.
template <class Put>
constexpr void table_prefixed(Put&& put, std::string_view table, std::string_view name, std::string_view suffix) {
  put(table);
  put('_');
  put(name);
  put(suffix);
}
/// `<table>_<column>_fkey`, a foreign key's default constraint name.
template <class Put>
constexpr void reference_name(Put&& put, std::string_view table, std::string_view column) {
  table_prefixed(put, table, column, "_fkey");
}
/// `<table>_<identity>_index`, an identity's default unique index name.
template <class Put>
constexpr void identity_index_name(Put&& put, std::string_view table, std::string_view identity) {
  table_prefixed(put, table, identity, "_index");
}

/// Writes a quoted identifier whose text `name(put)` writes.
template <class W, class Name>
constexpr void quoted(W& w, Name&& name) {
  w.put('"');
  name([&](auto part) { w.ident_part(part); });
  w.put('"');
}

// --- statements ----------------------------------------------------------------------------------

/// The column definition inside `CREATE TABLE`: name, type, constraints, inline reference.
/// `table` names a reference whose constraint has no name of its own.
template <class W>
constexpr void column_definition(W& w, const column_spec& c, bool single_primary_key, std::string_view table) {
  w.ident(c.name);
  w.put(' ');
  w.put(declared_type(c.type));
  if (c.primary_key && single_primary_key) {
    w.put(" PRIMARY KEY"sv);
    if (c.generated) w.put(" AUTOINCREMENT"sv);
  }
  if (!c.allow_nil && !(c.primary_key && c.generated)) w.put(" NOT NULL"sv);
  if (same(c.type, "citext"sv)) w.put(" COLLATE NOCASE"sv);
  if (!c.default_sql.empty()) {
    w.put(" DEFAULT ("sv);
    w.put(c.default_sql);
    w.put(')');
  }
  if (c.has_reference) {
    const auto& r = c.reference;
    w.put(" CONSTRAINT "sv);
    if (r.name.empty()) quoted(w, [&](auto put) { reference_name(put, table, c.name); });
    else w.ident(r.name);
    w.put(" REFERENCES "sv);
    w.ident(r.table);
    w.put('(');
    w.ident(r.column.empty() ? "id"sv : r.column);
    w.put(')');
    if (auto a = action_clause(r.on_delete); !a.empty()) {
      w.put(" ON DELETE"sv);
      w.put(a);
    }
    if (auto a = action_clause(r.on_update); !a.empty()) {
      w.put(" ON UPDATE"sv);
      w.put(a);
    }
    if (same(r.deferrable, "true"sv)) w.put(" DEFERRABLE"sv);
    else if (same(r.deferrable, "initially"sv)) w.put(" DEFERRABLE INITIALLY DEFERRED"sv);
  }
}

/// `CREATE TABLE [IF NOT EXISTS] "table" (...)[ STRICT]`, without indexes.
/// `columns(f)` calls `f(const column_spec&)` for each column, in order (once, or twice for a
/// composite primary key); `pk` is how many of them are in the primary key.
template <class W, class Columns>
constexpr void create_table(W& w, std::string_view table, Columns&& columns, std::size_t pk, bool strict,
                            bool if_not_exists) {
  w.put(if_not_exists ? "CREATE TABLE IF NOT EXISTS "sv : "CREATE TABLE "sv);
  w.ident(table);
  w.put(" ("sv);
  bool first = true;
  columns([&](const column_spec& c) {
    if (!first) w.put(", "sv);
    first = false;
    column_definition(w, c, pk == 1, table);
  });
  if (pk > 1) {
    w.put(", PRIMARY KEY ("sv);
    first = true;
    columns([&](const column_spec& c) {
      if (!c.primary_key) return;
      if (!first) w.put(", "sv);
      first = false;
      w.ident(c.name);
    });
    w.put(')');
  }
  w.put(')');
  if (strict) w.put(" STRICT"sv);
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] <name> ON "table" (<items>)`, each item written by
/// `item(const auto&)`, `name` either given or written by `default_name(put)`.
template <class W, class Items, class Item, class DefaultName>
constexpr void create_index(W& w, bool unique, bool if_not_exists, std::string_view name, DefaultName&& default_name,
                            std::string_view table, const Items& items, Item&& item) {
  w.put(unique ? "CREATE UNIQUE INDEX "sv : "CREATE INDEX "sv);
  if (if_not_exists) w.put("IF NOT EXISTS "sv);
  if (name.empty()) quoted(w, default_name);
  else w.ident(name);
  w.put(" ON "sv);
  w.ident(table);
  w.put(" ("sv);
  bool first = true;
  for (const auto& i : items) {
    if (!first) w.put(", "sv);
    first = false;
    item(i);
  }
  w.put(')');
}

/// `CREATE UNIQUE INDEX` for an identity. `index_name` empty: the default name; `where` empty:
/// not partial.
template <class W, class Keys>
constexpr void identity_index(W& w, std::string_view table, std::string_view identity, std::string_view index_name,
                              const Keys& keys, std::string_view where, bool if_not_exists) {
  create_index(
      w, true, if_not_exists, index_name, [&](auto put) { identity_index_name(put, table, identity); }, table, keys,
      [&](const auto& k) { w.ident(std::string_view(k)); });
  if (!where.empty()) {
    w.put(" WHERE "sv);
    w.put(where);
  }
}

/// `CREATE [UNIQUE] INDEX` for a custom index; expression fields are written as given.
/// `name` empty: the default name. `where` empty: not partial; otherwise `base_filter`, if any,
/// is added to it.
template <class W, class Fields>
constexpr void custom_index(W& w, std::string_view table, const Fields& fields, std::string_view name, bool unique,
                            std::string_view where, std::string_view base_filter, bool if_not_exists) {
  create_index(
      w, unique, if_not_exists, name, [&](auto put) { custom_index_name(put, table, fields); }, table, fields,
      [&](const auto& field) {
        if (is_plain_identifier(std::string_view(field))) w.ident(std::string_view(field));
        else w.put(std::string_view(field));
      });
  if (!where.empty()) {
    w.put(base_filter.empty() ? " WHERE "sv : " WHERE ("sv);
    w.put(where);
    if (!base_filter.empty()) {
      w.put(") AND ("sv);
      w.put(base_filter);
      w.put(')');
    }
  }
}

}  // namespace ash::sql::ddl
