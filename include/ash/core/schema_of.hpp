#pragma once
/// \file
/// Lowers a resource's constant table description (`ash::table_desc_of<R>`,
/// `ash/core/table_desc.hpp`) into the run-time `schema::table` model that snapshots and the
/// migration generator work on: `ash::table_schema_of<R>()`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ash/core/schema.hpp"
#include "ash/core/table_desc.hpp"
#include "ash/detail/attributes.hpp"

namespace ash {

namespace detail {
inline std::string to_s(std::string_view v) { return std::string(v); }
/// `put` for the DDL name functions: appends to `s`.
inline auto appender(std::string& s) {
  return [&s](auto part) { s += part; };
}

inline std::optional<std::string> action_name(on_action a, bool is_update) {
  auto s = action_text(a, is_update);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

}  // namespace detail

/// The table a description declares, named `table` if given (for polymorphic resources).
///
/// Cold and written for little code: it runs once per table, and only migrations and the tasks
/// run it. Vectors are made at their final size and filled in place, so no element is ever moved
/// (no `push_back`/reallocation code per element type). A template only so that a program that
/// never lowers a table does not compile it; there is one instantiation.
template <class = void>
ASH_ONCE schema::table lower_table(const table_desc& d, std::string_view table = {}) {
  using detail::to_s;
  schema::table t;
  t.name = to_s(table.empty() ? d.name : table);
  t.repo = to_s(d.repo);
  t.strict = d.strict;
  if (!d.base_filter.empty()) t.base_filter = to_s(d.base_filter);
  t.has_create_action = d.has_create_action;

  // Ignored attributes are left out of the schema, references and all.
  std::size_t n = 0;
  for (const auto& ad : d.attributes) n += !ad.ignored;
  t.attributes = std::vector<schema::attribute>(n);
  auto a = t.attributes.begin();
  for (const auto& ad : d.attributes) {
    if (ad.ignored) continue;
    a->source = to_s(ad.source);
    a->type = to_s(ad.type);
    if (!ad.default_sql.empty()) a->default_sql = to_s(ad.default_sql);
    else if (ad.make_default) a->default_sql = ad.make_default();
    a->allow_nil = ad.allow_nil;
    a->primary_key = ad.primary_key;
    a->generated = ad.generated;
    if (ad.has_reference) {
      auto& ref = a->references.emplace();
      ref.table = to_s(ad.reference_table);
      if (!ad.reference_attribute.empty()) ref.destination_attribute = to_s(ad.reference_attribute);
      if (ad.reference_name.empty()) sql::ddl::reference_name(detail::appender(ref.name), t.name, a->source);
      else ref.name = to_s(ad.reference_name);
      ref.on_delete = detail::action_name(ad.on_delete, false);
      ref.on_update = detail::action_name(ad.on_update, true);
      ref.deferrable = to_s(ad.deferrable);
      ref.ignore = ad.reference_ignored;
    }
    ++a;
  }

  // A skipped identity has no unique index, so it is left out of snapshots and migrations.
  n = 0;
  for (const auto& id : d.identities) n += has_index(d, id);
  t.identities = std::vector<schema::identity>(n);
  auto s = t.identities.begin();
  for (const auto& id : d.identities) {
    if (!has_index(d, id)) continue;
    s->name = to_s(id.name);
    s->keys = std::vector<std::string>(id.keys.begin(), id.keys.end());
    if (id.index_name.empty()) sql::ddl::identity_index_name(detail::appender(s->index_name), t.name, s->name);
    else s->index_name = to_s(id.index_name);
    s->nils_distinct = id.nils_distinct;
    ++s;
  }

  t.custom_indexes = std::vector<schema::custom_index>(d.custom_indexes.size());
  auto c = t.custom_indexes.begin();
  for (const auto& ix : d.custom_indexes) {
    c->fields = std::vector<std::string>(ix.fields.begin(), ix.fields.begin() + ix.field_count);
    if (ix.name_text.empty()) sql::ddl::custom_index_name(detail::appender(c->name), t.name, c->fields);
    else c->name = to_s(ix.name_text);
    c->unique = ix.is_unique;
    if (!ix.where_sql.empty()) c->where = to_s(ix.where_sql);
    if (!ix.message_text.empty()) c->message = to_s(ix.message_text);
    ++c;
  }

  t.custom_statements = std::vector<schema::custom_statement>(d.custom_statements.size());
  auto st = t.custom_statements.begin();
  for (const auto& cs : d.custom_statements) {
    st->name = to_s(cs.name_text);
    st->up = to_s(cs.up_sql);
    st->down = to_s(cs.down_sql);
    ++st;
  }
  return t;
}

/// The table of resource `R` as plain data, `table` chosen for polymorphic resources.
template <valid_resource R>
schema::table table_schema_of(std::string_view table = {}) {
  return lower_table(table_desc_of<R>, table);
}

}  // namespace ash
