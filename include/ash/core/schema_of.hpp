#pragma once
/// \file
/// Lowers a resource's compile-time metadata into the runtime `schema::table` model that DDL
/// rendering and the migration generator work on.

#include <string>
#include <type_traits>

#include "ash/core/resource_info.hpp"
#include "ash/core/schema.hpp"

namespace ash {

namespace detail {
inline std::string to_s(std::string_view v) { return std::string(v); }

inline std::optional<std::string> action_name(on_action a, bool is_update) {
  switch (a) {
    case on_action::nothing: return "nothing";
    case on_action::restrict: return "restrict";
    case on_action::cascade: return is_update ? "update" : "delete";
    case on_action::nilify: return "nilify";
    default: return std::nullopt;
  }
}

/// The repo's name for paths: `helpdesk::Repo` -> "repo", `app::MainRepo` -> "main_repo".
template <class Repo>
std::string repo_name() {
  if constexpr (requires { Repo::name; }) {
    return std::string(Repo::name);
  } else {
    return "repo";
  }
}
}  // namespace detail

/// The table of resource `R` as plain data, `table` chosen for polymorphic resources.
template <valid_resource R>
schema::table table_schema_of(std::string_view table = {}) {
  using meta = resource<R>;
  using I = info<R>;
  schema::table t;
  t.name = table.empty() ? detail::to_s(I::table) : detail::to_s(table);
  t.repo = detail::repo_name<typename I::repo>();
  t.strict = meta::sqlite.is_strict;
  if (!meta::sqlite.base_filter.empty()) t.base_filter = detail::to_s(meta::sqlite.base_filter);
  if constexpr (detail::has_actions<meta>) {
    bool has_create = false;
    std::apply([&](const auto&... a) { ((has_create = has_create || a.type == action_type::create), ...); }, meta::actions);
    t.has_create_action = has_create;
  }
  std::vector<bool> ignored(field_count<R>, false);
  [&]<std::size_t... F>(std::index_sequence<F...>) {
    (
        [&] {
          using FT = field_type_t<R, F>;
          using V = unwrap_optional_t<FT>;
          schema::attribute a;
          a.source = detail::to_s(field_name<R, F>);
          a.type = detail::to_s(type_traits<V>::migration_type);
          a.allow_nil = is_optional_v<FT>;
          a.primary_key = I::is_primary_key(F);
          a.generated = I::generated(F);
          if constexpr (detail::has_attributes<meta>)
            detail::for_each(meta::attributes, [&](const auto& decl) {
              if (detail::member_index<R>(decl.member) != F) return;
              using D = typename std::remove_cvref_t<decltype(decl)>::default_type;
              if (!decl.migration_type_override.empty()) a.type = detail::to_s(decl.migration_type_override);
              if (!decl.migration_default_override.empty()) {
                a.default_sql = detail::to_s(decl.migration_default_override);
              } else if constexpr (!std::is_void_v<D>) {
                if constexpr (requires { type_traits<V>::sql_default(V(decl.default_val)); })
                  a.default_sql = type_traits<V>::sql_default(V(decl.default_val));
              }
              if (decl.migration_ignored) ignored[F] = true;
            });
          t.attributes.push_back(std::move(a));
        }(),
        ...);
  }(std::make_index_sequence<field_count<R>>{});

  if constexpr (detail::has_relationships<meta>)
    detail::for_each(meta::relationships, [&](const auto& rel) {
      using D = std::remove_cvref_t<decltype(rel)>;
      if constexpr (D::kind == relationship_kind::belongs_to) {
        using Dest = typename D::destination;
        auto& a = t.attributes[detail::member_index<R>(rel.member)];
        schema::reference ref;
        ref.table = rel.context_table.empty() ? detail::to_s(info<Dest>::table) : detail::to_s(rel.context_table);
        if constexpr (info<Dest>::primary_key.size() == 1)
          ref.destination_attribute = detail::to_s(field_name<Dest, info<Dest>::primary_key[0]>);
        ref.name = t.name + "_" + a.source + "_fkey";
        if constexpr (detail::has_references<meta>)
          detail::for_each(meta::references, [&](const auto& r) {
            if (r.relationship != D::name) return;
            ref.on_delete = detail::action_name(r.delete_action, false);
            ref.on_update = detail::action_name(r.update_action, true);
            if (!r.name_override.empty()) ref.name = detail::to_s(r.name_override);
            ref.deferrable = detail::to_s(r.deferrable_mode);
            ref.ignore = r.ignored;
          });
        a.references = std::move(ref);
      }
    });

  if constexpr (detail::has_identities<meta>)
    detail::for_each(meta::identities, [&](const auto& id) {
      // A skipped identity has no unique index, so it is left out of snapshots and migrations.
      if (id.skip_index || meta::sqlite.skip_all_unique_indexes) return;
      schema::identity s;
      s.name = detail::to_s(id.name);
      detail::for_each(id.members, [&](auto m) { s.keys.push_back(detail::to_s(field_list<R>::names[detail::member_index<R>(m)])); });
      s.index_name = id.index_name_override.empty() ? t.name + "_" + s.name + "_index" : detail::to_s(id.index_name_override);
      s.nils_distinct = id.nils_distinct;
      t.identities.push_back(std::move(s));
    });

  if constexpr (detail::has_custom_indexes<meta>)
    for (const auto& ix : meta::custom_indexes) {
      schema::custom_index c;
      std::string default_name = t.name;
      for (std::size_t i = 0; i < ix.field_count; ++i) {
        c.fields.push_back(detail::to_s(ix.fields[i]));
        default_name += '_';
        for (char ch : ix.fields[i])
          default_name += ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) ? ch : '_';
      }
      while (!default_name.empty() && default_name.back() == '_') default_name.pop_back();
      c.name = ix.name_text.empty() ? default_name + "_index" : detail::to_s(ix.name_text);
      c.unique = ix.is_unique;
      if (!ix.where_sql.empty()) c.where = detail::to_s(ix.where_sql);
      if (!ix.message_text.empty()) c.message = detail::to_s(ix.message_text);
      t.custom_indexes.push_back(std::move(c));
    }

  if constexpr (detail::has_custom_statements<meta>)
    for (const auto& st : meta::custom_statements)
      t.custom_statements.push_back({detail::to_s(st.name_text), detail::to_s(st.up_sql), detail::to_s(st.down_sql)});

  // Ignored attributes leave the schema last, so indexes above could still resolve them.
  std::vector<schema::attribute> kept;
  for (std::size_t i = 0; i < t.attributes.size(); ++i)
    if (!ignored[i]) kept.push_back(std::move(t.attributes[i]));
  t.attributes = std::move(kept);
  return t;
}

}  // namespace ash
