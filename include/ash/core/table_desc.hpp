#pragma once
/// \file
/// A resource's table as constant data, and its `CREATE TABLE` rendered from it.
///
/// A resource's table is first described as constant data (`ash::table_desc_of<R>`: arrays of
/// plain descriptors built at compile time). From it:
/// - `ash::create_table_sql<R>` is the resource's `CREATE TABLE` and indexes, rendered at compile
///   time (`repo.create_table<R>()` runs it);
/// - `write_create_statements` renders the same at run time, for polymorphic tables and for
///   defaults only known at run time;
/// - `ash::lower_table` (`ash/core/schema_of.hpp`, for snapshots and the migration generator)
///   makes a `schema::table` of it.
/// Both renderers use the DDL grammar of `ash/sql/ddl_text.hpp`, as the generator does. This
/// header has no run-time schema model, so a program that only uses the repo does not parse one.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ash/core/resource_info.hpp"
#include "ash/detail/fixed_string.hpp"
#include "ash/detail/string_writer.hpp"
#include "ash/sql/ddl_text.hpp"

namespace ash {

/// One column of a resource's table, as constant data.
struct attribute_desc {
  std::string_view source{};
  std::string_view type{};              ///< migration type
  /// The default as SQL: `migration_default`, or the constant default when its type writes it
  /// at compile time (`type_traits::write_sql_default`). Empty: none, or `make_default`.
  std::string_view default_sql{};
  std::string (*make_default)() = nullptr;  ///< the constant default as SQL, computed at run time
  /// Whether `make_default` is set (a flag, because comparing a function's address with null is
  /// not a constant expression to g++ under -fsanitize=undefined).
  bool run_time_default = false;
  bool allow_nil = true;
  bool primary_key = false;
  bool generated = false;
  bool ignored = false;  ///< left out of the schema (`migration_ignore`)
  // The foreign key of a belongs_to relationship through this column, if `has_reference`.
  bool has_reference = false;
  bool reference_ignored = false;
  std::string_view reference_table{};
  std::string_view reference_attribute{};  ///< empty: "id"
  std::string_view reference_name{};       ///< empty: `<table>_<column>_fkey`
  on_action on_delete = on_action::unset;
  on_action on_update = on_action::unset;
  std::string_view deferrable{"false", 5};
};

/// One identity of a resource, as constant data.
struct identity_desc {
  std::string_view name{};
  std::string_view index_name{};  ///< empty: `<table>_<name>_index`
  std::span<const std::string_view> keys{};
  bool nils_distinct = true;
  bool skip_index = false;
};

/// A resource's table as constant data; `lower_table` makes a `schema::table` of it.
struct table_desc {
  std::string_view name{};  ///< empty for polymorphic resources
  std::string_view repo{};
  std::string_view base_filter{};
  bool strict = false;
  bool has_create_action = true;
  bool skip_unique_indexes = false;
  std::span<const attribute_desc> attributes{};
  std::span<const identity_desc> identities{};
  std::span<const index_decl> custom_indexes{};
  std::span<const statement_decl> custom_statements{};
};


namespace detail {
/// A reference action's name in snapshots ("delete", "nilify", ...); "" when unset.
constexpr std::string_view action_text(on_action a, bool is_update) {
  switch (a) {
    case on_action::nothing: return "nothing";
    case on_action::restrict: return "restrict";
    case on_action::cascade: return is_update ? "update" : "delete";
    case on_action::nilify: return "nilify";
    default: return {};
  }
}

/// The repo's name for paths: `helpdesk::Repo` -> "repo", `app::MainRepo` -> "main_repo".
template <class Repo>
constexpr std::string_view repo_name() {
  if constexpr (requires { Repo::name; }) {
    return std::string_view(Repo::name);
  } else {
    return "repo";
  }
}

/// The constant default of the A-th declared attribute of `R`, as SQL.
template <class R, std::size_t A>
std::string default_sql_of() {
  constexpr const auto& decl = at<A>(resource<R>::attributes);
  using V = unwrap_optional_t<field_type_t<R, member_index<R>(decl.member)>>;
  return type_traits<V>::sql_default(V(decl.default_val));
}

/// Writes the constant default of the A-th declared attribute of `R` as SQL, at compile time.
template <class R, std::size_t A>
struct default_writer {
  constexpr void operator()(text_writer& w) const {
    constexpr const auto& decl = at<A>(resource<R>::attributes);
    using V = unwrap_optional_t<field_type_t<R, member_index<R>(decl.member)>>;
    type_traits<V>::write_sql_default(w, decl.default_val);
  }
};
template <class R, std::size_t A>
inline constexpr auto constant_default = render_text<default_writer<R, A>>();

/// What the A-th declared attribute of `R` changes in its column's description.
template <class R, std::size_t A>
constexpr void describe_attribute(attribute_desc& a) {
  constexpr const auto& decl = at<A>(resource<R>::attributes);
  using D = typename std::remove_cvref_t<decltype(decl)>::default_type;
  using V = unwrap_optional_t<field_type_t<R, member_index<R>(decl.member)>>;
  if (!decl.migration_type_override.empty()) a.type = decl.migration_type_override;
  a.default_sql = decl.migration_default_override;
  if constexpr (!std::is_void_v<D>) {
    if (decl.migration_default_override.empty()) {
      if constexpr (requires(text_writer& w) { type_traits<V>::write_sql_default(w, decl.default_val); }) {
        a.default_sql = constant_default<R, A>.view();
      } else if constexpr (requires { type_traits<V>::sql_default(V(decl.default_val)); }) {
        a.make_default = &default_sql_of<R, A>;
        a.run_time_default = true;
      }
    }
  }
  if (decl.migration_ignored) a.ignored = true;
}

template <class R, std::size_t... F>
constexpr std::array<attribute_desc, sizeof...(F)> describe_attributes(std::index_sequence<F...>) {
  using meta = resource<R>;
  using I = info<R>;
  std::array<attribute_desc, sizeof...(F)> out{
      attribute_desc{.source = field_name<R, F>,
                     .type = type_traits<unwrap_optional_t<field_type_t<R, F>>>::migration_type,
                     .allow_nil = is_optional_v<field_type_t<R, F>>,
                     .primary_key = I::is_primary_key(F),
                     .generated = I::generated(F)}...};
  if constexpr (has_attributes<meta>)
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (describe_attribute<R, A>(out[member_index<R>(at<A>(meta::attributes).member)]), ...);
    }(std::make_index_sequence<list_size_v<decltype(meta::attributes)>>{});
  if constexpr (has_relationships<meta>)
    for_each(meta::relationships, [&](const auto& rel) {
      using D = std::remove_cvref_t<decltype(rel)>;
      if constexpr (D::kind == relationship_kind::belongs_to) {
        using Dest = typename D::destination;
        auto& a = out[member_index<R>(rel.member)];
        a.has_reference = true;
        a.reference_table = rel.context_table.empty() ? info<Dest>::table : rel.context_table;
        if constexpr (info<Dest>::primary_key.size() == 1)
          a.reference_attribute = field_name<Dest, info<Dest>::primary_key[0]>;
        if constexpr (has_references<meta>)
          for_each(meta::references, [&](const auto& r) {
            if (std::remove_cvref_t<decltype(r)>::relationship != D::name) return;
            a.on_delete = r.delete_action;
            a.on_update = r.update_action;
            a.reference_name = r.name_override;
            a.deferrable = r.deferrable_mode;
            a.reference_ignored = r.ignored;
          });
      }
    });
  return out;
}

template <class R>
constexpr std::size_t identity_key_count() {
  std::size_t n = 0;
  if constexpr (has_identities<resource<R>>)
    for_each(resource<R>::identities, [&](const auto& id) { n += std::remove_cvref_t<decltype(id)>::size; });
  return n;
}

/// The key column names of every identity of `R`, one after another.
template <class R>
inline constexpr auto identity_keys = [] {
  std::array<std::string_view, identity_key_count<R>()> out{};
  std::size_t k = 0;
  if constexpr (has_identities<resource<R>>)
    for_each(resource<R>::identities, [&](const auto& id) {
      for_each(id.members, [&](auto m) { out[k++] = field_list<R>::names[member_index<R>(m)]; });
    });
  return out;
}();

template <class R>
inline constexpr auto identity_descs = [] {
  constexpr std::size_t n = [] {
    if constexpr (has_identities<resource<R>>) return list_size_v<decltype(resource<R>::identities)>;
    else return std::size_t{0};
  }();
  std::array<identity_desc, n> out{};
  if constexpr (n > 0) {
    std::size_t i = 0, k = 0;
    for_each(resource<R>::identities, [&](const auto& id) {
      constexpr std::size_t size = std::remove_cvref_t<decltype(id)>::size;
      out[i++] = {id.name, id.index_name_override, std::span<const std::string_view>(identity_keys<R>.data() + k, size),
                  id.nils_distinct, id.skip_index};
      k += size;
    });
  }
  return out;
}();

template <class R>
inline constexpr auto attribute_descs = describe_attributes<R>(std::make_index_sequence<field_count<R>>{});

template <class A>
constexpr bool has_create_action() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return ((std::tuple_element_t<I, A>::type == action_type::create) || ... || false);
  }(std::make_index_sequence<std::tuple_size_v<A>>{});
}
}  // namespace detail

/// The table of resource `R` as constant data.
template <valid_resource R>
inline constexpr table_desc table_desc_of = [] {
  using meta = resource<R>;
  table_desc d;
  d.name = info<R>::table;
  d.repo = detail::repo_name<typename info<R>::repo>();
  d.base_filter = meta::sqlite.base_filter;
  d.strict = meta::sqlite.is_strict;
  d.skip_unique_indexes = meta::sqlite.skip_all_unique_indexes;
  if constexpr (detail::has_actions<meta>) d.has_create_action = detail::has_create_action<std::remove_cvref_t<decltype(meta::actions)>>();
  d.attributes = detail::attribute_descs<R>;
  d.identities = detail::identity_descs<R>;
  if constexpr (detail::has_custom_indexes<meta>) d.custom_indexes = meta::custom_indexes;
  if constexpr (detail::has_custom_statements<meta>) d.custom_statements = meta::custom_statements;
  return d;
}();

/// Whether an identity gets a unique index (neither it nor its table skips them); one without
/// is left out of snapshots and migrations too.
constexpr bool has_index(const table_desc& d, const identity_desc& id) {
  return !d.skip_unique_indexes && !id.skip_index;
}

namespace detail {
/// The column an attribute description declares, its default given as `default_sql` when it is
/// computed at run time.
constexpr sql::ddl::column_spec column_spec_of(const attribute_desc& a, std::string_view default_sql) {
  sql::ddl::column_spec c{.name = a.source,
                          .type = a.type,
                          .default_sql = default_sql,
                          .allow_nil = a.allow_nil,
                          .primary_key = a.primary_key,
                          .generated = a.generated};
  if (a.has_reference && !a.reference_ignored) {
    c.has_reference = true;
    c.reference = {.name = a.reference_name,
                   .table = a.reference_table,
                   .column = a.reference_attribute,
                   .on_delete = action_text(a.on_delete, false),
                   .on_update = action_text(a.on_update, true),
                   .deferrable = a.deferrable};
  }
  return c;
}
}  // namespace detail

/// Writes the statements that create the table `d` describes (named `table`, if given, for
/// polymorphic resources) and its indexes, separated by `"; "`: the same statements as
/// `sql::create_table_statements(lower_table(d, table), if_not_exists)`.
///
/// With a run-time writer (`detail::string_writer`), defaults computed at run time
/// (`make_default`) are written too; the compile-time writer is only used for descriptions
/// without them (`constant_ddl<R>`).
template <class W>
constexpr void write_create_statements(W& w, const table_desc& d, std::string_view table, bool if_not_exists) {
  if (table.empty()) table = d.name;
  std::size_t primary_keys = 0;
  for (const auto& a : d.attributes) primary_keys += !a.ignored && a.primary_key;
  sql::ddl::create_table(
      w, table,
      [&](auto&& f) {
        for (const auto& a : d.attributes) {
          if (a.ignored) continue;
          if constexpr (requires { W::run_time; }) {
            if (a.run_time_default) {
              const std::string computed = a.make_default();
              f(detail::column_spec_of(a, computed));
              continue;
            }
          }
          f(detail::column_spec_of(a, a.default_sql));
        }
      },
      primary_keys, d.strict, if_not_exists);
  for (const auto& id : d.identities) {
    if (!has_index(d, id)) continue;
    w.put(std::string_view("; "));
    sql::ddl::identity_index(w, table, id.name, id.index_name, id.keys, d.base_filter, if_not_exists);
  }
  for (const auto& ix : d.custom_indexes) {
    w.put(std::string_view("; "));
    sql::ddl::custom_index(w, table, std::span<const std::string_view>(ix.fields.data(), ix.field_count), ix.name_text,
                           ix.is_unique, ix.where_sql, d.base_filter, if_not_exists);
  }
}

/// Whether the table of `R` can be created by SQL rendered at compile time: it has a name (it is
/// not polymorphic), and every default is written at compile time.
template <valid_resource R>
inline constexpr bool constant_ddl = [] {
  if (table_desc_of<R>.name.empty()) return false;
  for (const auto& a : table_desc_of<R>.attributes)
    if (!a.ignored && a.run_time_default) return false;
  return true;
}();

namespace detail {
template <class R>
struct create_statements_writer {
  constexpr void operator()(text_writer& w) const { write_create_statements(w, table_desc_of<R>, {}, true); }
};
}  // namespace detail

/// `CREATE TABLE IF NOT EXISTS` for `R`, then its indexes (`CREATE ... INDEX IF NOT EXISTS`),
/// separated by `"; "`, rendered at compile time.
template <valid_resource R>
  requires constant_ddl<R>
inline constexpr auto create_table_sql = detail::render_text<detail::create_statements_writer<R>>();

}  // namespace ash
