#pragma once
/// \file
/// Rendering a `schema::table` as SQLite DDL at run time: `CREATE TABLE`, its indexes,
/// identifiers.
///
/// The grammar is `ash/sql/ddl_text.hpp`, shared with the compile-time `CREATE TABLE` of
/// `repo.create_table<R>()`, so that a table made either way is the same table. This file adapts
/// the run-time model (`schema::table`, as the migration generator and snapshots hold it) to it.

#include <string>
#include <string_view>
#include <vector>

#include "ash/core/schema.hpp"
#include "ash/detail/attributes.hpp"
#include "ash/detail/string_writer.hpp"
#include "ash/sql/ddl_text.hpp"

namespace ash::sql {

using ddl::declared_type;
using ddl::is_plain_identifier;

using ash::detail::string_writer;

// DDL runs once per table and only migrations render it at run time (the repo renders its tables
// from their constant descriptions, ash/core/table_desc.hpp): the functions below are cold.

/// Appends `"name"`, embedded double quotes doubled, to `out`.
ASH_ONCE inline void append_ident(std::string& out, std::string_view name) { string_writer{out}.ident(name); }

/// `"name"` with embedded double quotes doubled, for use as an SQLite identifier.
inline std::string quote_ident(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  append_ident(out, name);
  return out;
}

namespace ddl {
inline std::string_view view_or_empty(const std::optional<std::string>& s) { return s ? std::string_view(*s) : std::string_view(); }

ASH_ONCE inline ddl::column_spec column_spec_of(const schema::attribute& a) {
  ddl::column_spec c{.name = a.source,
                     .type = a.type,
                     .default_sql = view_or_empty(a.default_sql),
                     .allow_nil = a.allow_nil,
                     .primary_key = a.primary_key,
                     .generated = a.generated};
  if (a.references && !a.references->ignore) {
    const auto& r = *a.references;
    c.has_reference = true;
    c.reference = {.name = r.name,
                   .table = r.table,
                   .column = r.destination_attribute,
                   .on_delete = view_or_empty(r.on_delete),
                   .on_update = view_or_empty(r.on_update),
                   .deferrable = r.deferrable};
  }
  return c;
}
}  // namespace ddl

/// The column definition inside `CREATE TABLE`: name, type, constraints, inline reference.
ASH_ONCE inline std::string column_definition(const schema::attribute& a, bool single_primary_key,
                                              std::string_view table = {}) {
  return ash::detail::write_string(
      [&](auto& w) { ddl::column_definition(w, ddl::column_spec_of(a), single_primary_key, table); });
}

/// `CREATE TABLE [IF NOT EXISTS] "name" (...)[ STRICT]` for the table, without its indexes.
ASH_ONCE inline std::string create_table(const schema::table& t, std::string_view name_override = {},
                                         bool if_not_exists = false) {
  std::size_t primary_keys = 0;
  for (const auto& a : t.attributes) primary_keys += a.primary_key;
  return ash::detail::write_string([&](auto& w) {
    ddl::create_table(
        w, name_override.empty() ? std::string_view{t.name} : name_override,
        [&](auto&& f) {
          for (const auto& a : t.attributes) f(ddl::column_spec_of(a));
        },
        primary_keys, t.strict, if_not_exists);
  });
}

/// `CREATE UNIQUE INDEX` for an identity.
ASH_ONCE inline std::string create_identity_index(const schema::table& t, const schema::identity& id,
                                                  bool if_not_exists = false) {
  return ash::detail::write_string([&](auto& w) {
    ddl::identity_index(w, t.name, id.name, id.index_name, id.keys,
                        ddl::view_or_empty(id.base_filter ? id.base_filter : t.base_filter), if_not_exists);
  });
}

/// `CREATE [UNIQUE] INDEX` for a custom index; expression fields are written as given.
ASH_ONCE inline std::string create_custom_index(const schema::table& t, const schema::custom_index& ix,
                                                bool if_not_exists = false) {
  return ash::detail::write_string([&](auto& w) {
    ddl::custom_index(w, t.name, ix.fields, ix.name, ix.unique, ddl::view_or_empty(ix.where),
                      ddl::view_or_empty(t.base_filter), if_not_exists);
  });
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
