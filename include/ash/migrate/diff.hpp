#pragma once
/// \file
/// The migration diff: compares the newest snapshots with the current tables and produces the
/// operations, each with the SQL that applies it (`up`) and the SQL that reverses it (`down`).
///
/// Only statements SQLite accepts are produced. What `ALTER TABLE` cannot do (changing a column's
/// type, nullability, default, primary key or reference; dropping a key or referencing column;
/// adding a column with a non-constant default) becomes SQLite's documented table rebuild: see
/// https://www.sqlite.org/lang_altertable.html#otheralter and docs/migrations.md.

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ash/core/error.hpp"
#include "ash/core/schema.hpp"
#include "ash/migrate/snapshot.hpp"
#include "ash/sql/ddl.hpp"

namespace ash::migrate {

/// Answers "Are you renaming <table>.<from> to <table>.<to>?"; true means it is a rename.
using rename_resolver = std::function<bool(const std::string& table, const std::string& from, const std::string& to)>;

/// How to diff.
struct diff_options {
  bool drop_columns = false;  ///< drop removed columns instead of writing the drop commented out
  rename_resolver renames;    ///< asked about each removed/added column pair; null: no renames
};

/// What an operation does.
enum class operation_kind {
  create_table,
  add_column,
  remove_column,
  rename_column,
  rebuild_table,
  create_index,
  drop_index,
  add_statement,
  remove_statement,
};

/// One step of a migration, with its SQL both ways.
struct operation {
  operation_kind kind{};
  std::string table;
  std::string description;         ///< one line for the migration file, e.g. "add column tickets.priority"
  std::vector<std::string> up;     ///< statements, without the final semicolon
  std::vector<std::string> down;   ///< statements that undo `up`, in order
  std::vector<std::string> notes;  ///< comment lines written before the statements
  bool commented = false;          ///< written as comments only (a column drop without drop_columns)
  bool needs_foreign_keys_off = false;  ///< a table rebuild: run with foreign_keys=OFF

  operation() = default;
  /// An operation of `kind` on `table` with its SQL both ways.
  operation(operation_kind k, std::string t, std::string d, std::vector<std::string> u, std::vector<std::string> dn,
            std::vector<std::string> n = {})
      : kind(k), table(std::move(t)), description(std::move(d)), up(std::move(u)), down(std::move(dn)),
        notes(std::move(n)) {}
};

/// The result of a diff: operations in run order, and the tables whose snapshots changed.
struct plan {
  std::vector<operation> operations;
  std::vector<schema::table> changed;  ///< normalised current tables to snapshot

  bool empty() const noexcept { return operations.empty(); }
  bool needs_foreign_keys_off() const noexcept {
    return std::any_of(operations.begin(), operations.end(),
                       [](const operation& o) { return o.needs_foreign_keys_off && !o.commented; });
  }
};

/// Suffix of the temporary table a rebuild creates, then renames to the table's name.
inline constexpr std::string_view rebuild_suffix = "__ash_new";

namespace detail {

inline bool valid_index_name(std::string_view s) { return sql::is_plain_identifier(s); }

/// Whether `expr` is a default that `ALTER TABLE ADD COLUMN` accepts on a table with rows: a
/// number, a string or blob literal, NULL, TRUE or FALSE, possibly signed or parenthesised.
inline bool is_constant_default(std::string_view expr) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  expr = trim(expr);
  while (expr.size() >= 2 && expr.front() == '(' && expr.back() == ')') expr = trim(expr.substr(1, expr.size() - 2));
  if (expr.empty()) return false;
  std::string upper;
  for (char c : expr) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "NULL" || upper == "TRUE" || upper == "FALSE") return true;
  if (expr.front() == '\'' || ((expr.front() == 'x' || expr.front() == 'X') && expr.size() > 1 && expr[1] == '\'')) {
    // One quoted literal: every quote inside is doubled, and the last character closes it.
    std::size_t i = expr.front() == '\'' ? 1 : 2;
    for (; i < expr.size(); ++i) {
      if (expr[i] != '\'') continue;
      if (i + 1 < expr.size() && expr[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i + 1 == expr.size();
    }
    return false;
  }
  std::size_t i = (expr.front() == '-' || expr.front() == '+') ? 1 : 0;
  if (i == expr.size()) return false;
  bool digit = false;
  for (; i < expr.size(); ++i) {
    const char c = expr[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') return false;
  }
  return digit;
}

/// The CREATE INDEX statements of a table by index name, identities first.
inline std::vector<std::pair<std::string, std::string>> index_statements(const schema::table& t) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& id : t.identities) out.emplace_back(id.index_name, sql::create_identity_index(t, id));
  for (const auto& ix : t.custom_indexes) out.emplace_back(ix.name, sql::create_custom_index(t, ix));
  return out;
}

inline std::string drop_index(std::string_view name) { return "DROP INDEX " + sql::quote_ident(name); }

/// Attribute equality apart from the column name, which a rename changes.
inline bool same_definition(schema::attribute a, schema::attribute b) {
  a.source = b.source;
  return a == b;
}

/// The primary key column count of a table (1 means an inline PRIMARY KEY).
inline std::size_t primary_key_count(const schema::table& t) {
  return static_cast<std::size_t>(
      std::count_if(t.attributes.begin(), t.attributes.end(), [](const auto& a) { return a.primary_key; }));
}

/// The statements that rebuild table `from` as `to` (same name), copying rows.
///
/// `sources[i]` is the column of `from` whose values fill `to.attributes[i]`, or empty for a
/// column that starts from its default.
inline std::vector<std::string> rebuild_statements(const schema::table& to, const std::vector<std::string>& sources,
                                                   const schema::table& from) {
  const std::string temp = to.name + std::string(rebuild_suffix);
  std::vector<std::string> out;
  out.push_back(sql::create_table(to, temp));
  std::string columns, values;
  for (std::size_t i = 0; i < to.attributes.size(); ++i) {
    if (sources[i].empty()) continue;  // a new column: its default, or NULL
    const auto& a = to.attributes[i];
    const schema::attribute* old = from.find(sources[i]);
    if (!columns.empty()) {
      columns += ", ";
      values += ", ";
    }
    columns += sql::quote_ident(a.source);
    const bool newly_required = !a.allow_nil && old && old->allow_nil;
    if (newly_required && a.default_sql) {
      // Existing NULLs take the default, as a newly NOT NULL column with a default promises.
      values += "COALESCE(" + sql::quote_ident(sources[i]) + ", (" + *a.default_sql + "))";
    } else {
      values += sql::quote_ident(sources[i]);
    }
  }
  if (!columns.empty())
    out.push_back("INSERT INTO " + sql::quote_ident(temp) + " (" + columns + ") SELECT " + values + " FROM " +
                  sql::quote_ident(from.name));
  out.push_back("DROP TABLE " + sql::quote_ident(from.name));
  out.push_back("ALTER TABLE " + sql::quote_ident(temp) + " RENAME TO " + sql::quote_ident(to.name));
  for (auto& [name, statement] : index_statements(to)) out.push_back(std::move(statement));
  out.push_back("PRAGMA foreign_key_check");
  return out;
}

/// Whether `ALTER TABLE ADD COLUMN` can add `a` to a table that may hold rows.
inline bool addable_column(const schema::attribute& a) {
  if (a.primary_key || a.generated) return false;
  if (a.default_sql && !is_constant_default(*a.default_sql)) return false;
  // With foreign keys on, SQLite refuses a REFERENCES column with a non-NULL default.
  if (a.references && !a.references->ignore && a.default_sql) return false;
  return true;
}

/// Whether `ALTER TABLE DROP COLUMN` can drop `a`.
inline bool droppable_column(const schema::attribute& a) {
  return !a.primary_key && !(a.references && !a.references->ignore);
}

/// Orders tables so that a table comes after the tables it references (declaration order
/// otherwise; a reference cycle is broken at the first table of the cycle).
inline std::vector<const schema::table*> referenced_first(const std::vector<schema::table>& tables) {
  std::map<std::string, const schema::table*> by_name;
  for (const auto& t : tables) by_name[t.name] = &t;
  std::vector<const schema::table*> out;
  std::set<std::string> done, visiting;
  std::function<void(const schema::table&)> visit = [&](const schema::table& t) {
    if (done.count(t.name) || visiting.count(t.name)) return;
    visiting.insert(t.name);
    for (const auto& a : t.attributes) {
      if (!a.references || a.references->ignore || a.references->table == t.name) continue;
      auto it = by_name.find(a.references->table);
      if (it != by_name.end()) visit(*it->second);
    }
    visiting.erase(t.name);
    done.insert(t.name);
    out.push_back(&t);
  };
  for (const auto& t : tables) visit(t);
  return out;
}

}  // namespace detail

/// Fills in the names a table may leave empty and validates index names.
///
/// Identity indexes default to `<table>_<identity>_index`, custom indexes to
/// `<table>_<fields joined by _>_index`, references to `<table>_<column>_fkey`. Throws
/// `ash::exception` (kind migration) for an index name SQLite users cannot type safely.
inline schema::table normalize(schema::table t) {
  for (auto& id : t.identities)
    if (id.index_name.empty()) id.index_name = t.name + "_" + id.name + "_index";
  for (auto& ix : t.custom_indexes) {
    if (!ix.name.empty()) {
      if (!detail::valid_index_name(ix.name))
        detail::fail("Custom index name " + ix.name + " is not valid. Must have letters, numbers and underscores only");
      continue;
    }
    std::string name = t.name;
    for (const auto& f : ix.fields) {
      if (!detail::valid_index_name(f))
        detail::fail("Custom index field " + f + " of table " + t.name +
                     " contains invalid index name characters. A name must be set manually, i.e. "
                     "name = \"your_desired_index_name\". Index names must have letters, numbers and "
                     "underscores only");
      name += "_" + f;
    }
    ix.name = name + "_index";
  }
  for (auto& a : t.attributes)
    if (a.references && a.references->name.empty()) a.references->name = t.name + "_" + a.source + "_fkey";
  return t;
}

/// The operations that bring one table from `old` (its newest snapshot, or none) to `now`.
///
/// Custom statements are not included: `diff` places them first (downs) and last (ups).
inline std::vector<operation> diff_table(const std::optional<schema::table>& old, const schema::table& now,
                                         const diff_options& opts) {
  std::vector<operation> ops;
  const std::string& tn = now.name;
  if (!old) {
    operation op{operation_kind::create_table, tn, "create table " + tn, sql::create_table_statements(now),
                 {"DROP TABLE " + sql::quote_ident(tn)}};
    ops.push_back(std::move(op));
    return ops;
  }

  // Match columns: by name, then by the renames the resolver confirms.
  std::map<std::string, std::string> new_from_old;  // new column -> old column
  std::vector<const schema::attribute*> removed, added;
  for (const auto& a : old->attributes)
    if (now.find(a.source)) new_from_old[a.source] = a.source;
    else removed.push_back(&a);
  for (const auto& a : now.attributes)
    if (!old->find(a.source)) added.push_back(&a);
  std::vector<std::pair<const schema::attribute*, const schema::attribute*>> renamed;  // old, new
  if (opts.renames) {
    for (auto rit = removed.begin(); rit != removed.end();) {
      bool matched = false;
      for (auto ait = added.begin(); ait != added.end(); ++ait) {
        if (!opts.renames(tn, (*rit)->source, (*ait)->source)) continue;
        renamed.emplace_back(*rit, *ait);
        new_from_old[(*ait)->source] = (*rit)->source;
        added.erase(ait);
        matched = true;
        break;
      }
      rit = matched ? removed.erase(rit) : rit + 1;
    }
  }

  // Decide whether ALTER TABLE suffices, or the table must be rebuilt.
  std::vector<std::string> reasons;
  if (old->strict != now.strict) reasons.push_back(now.strict ? "the table becomes STRICT" : "the table stops being STRICT");
  for (const auto& a : now.attributes) {
    auto it = new_from_old.find(a.source);
    if (it == new_from_old.end()) {
      if (!detail::addable_column(a)) reasons.push_back("column " + a.source + " cannot be added by ALTER TABLE");
      continue;
    }
    const schema::attribute* before = old->find(it->second);
    if (detail::same_definition(*before, a)) continue;
    if (before->type != a.type) reasons.push_back("the type of " + a.source + " changes");
    if (before->allow_nil != a.allow_nil) reasons.push_back("the nullability of " + a.source + " changes");
    if (before->default_sql != a.default_sql) reasons.push_back("the default of " + a.source + " changes");
    if (before->primary_key != a.primary_key || before->generated != a.generated)
      reasons.push_back("the primary key changes at " + a.source);
    if (before->references != a.references) reasons.push_back("the reference of " + a.source + " changes");
  }
  if (opts.drop_columns) {
    for (const auto* a : removed)
      if (!detail::droppable_column(*a)) reasons.push_back("column " + a->source + " cannot be dropped by ALTER TABLE");
    // The way back re-adds dropped columns with ADD COLUMN, which appends: only trailing
    // columns come back where they were. Others need a rebuild to keep the column order.
    const std::size_t first_trailing = old->attributes.size() - removed.size();
    for (const auto* a : removed)
      if (static_cast<std::size_t>(a - old->attributes.data()) < first_trailing && detail::droppable_column(*a))
        reasons.push_back("column " + a->source + " is dropped from the middle of the table");
  }

  auto remove_note = [&](const schema::attribute& a) {
    return "The column " + tn + "." + a.source +
           " is no longer declared. It is kept; generate with --drop-columns to drop it.";
  };

  if (!reasons.empty()) {
    // The rebuilt table: the new definition, plus removed columns that are being kept.
    schema::table target = now;
    std::vector<std::string> notes;
    if (!opts.drop_columns)
      for (const auto* a : removed) {
        target.attributes.push_back(*a);
        new_from_old[a->source] = a->source;
        notes.push_back(remove_note(*a));
      }
    std::vector<std::string> up_sources, down_sources;
    std::map<std::string, std::string> old_from_new;
    for (const auto& a : target.attributes) {
      auto it = new_from_old.find(a.source);
      up_sources.push_back(it == new_from_old.end() ? std::string{} : it->second);
      if (it != new_from_old.end()) old_from_new[it->second] = a.source;
    }
    for (const auto& a : old->attributes) {
      auto it = old_from_new.find(a.source);
      down_sources.push_back(it == old_from_new.end() ? std::string{} : it->second);
    }
    std::string description = "rebuild table " + tn + ": ";
    for (std::size_t i = 0; i < reasons.size(); ++i) description += (i ? ", " : "") + reasons[i];
    for (const auto& [o, n] : renamed) notes.push_back("Column " + tn + "." + o->source + " is renamed to " + n->source + ".");
    operation op{operation_kind::rebuild_table, tn, std::move(description),
                 detail::rebuild_statements(target, up_sources, *old), detail::rebuild_statements(*old, down_sources, target),
                 std::move(notes)};
    op.needs_foreign_keys_off = true;
    ops.push_back(std::move(op));
    return ops;
  }

  // ALTER TABLE suffices: drop changed indexes, rename, add, drop, then create indexes.
  const auto old_indexes = detail::index_statements(*old);
  const auto new_indexes = detail::index_statements(now);
  auto contains = [](const auto& list, const std::pair<std::string, std::string>& entry) {
    return std::find(list.begin(), list.end(), entry) != list.end();
  };
  for (const auto& entry : old_indexes)
    if (!contains(new_indexes, entry))
      ops.push_back({operation_kind::drop_index, tn, "drop index " + entry.first, {detail::drop_index(entry.first)},
                     {entry.second}});
  for (const auto& [o, n] : renamed) {
    const auto rename = [&](const std::string& from, const std::string& to) {
      return "ALTER TABLE " + sql::quote_ident(tn) + " RENAME COLUMN " + sql::quote_ident(from) + " TO " +
             sql::quote_ident(to);
    };
    ops.push_back({operation_kind::rename_column, tn, "rename column " + tn + "." + o->source + " to " + n->source,
                   {rename(o->source, n->source)}, {rename(n->source, o->source)}});
  }
  const bool single_pk = detail::primary_key_count(now) == 1;
  auto add = [&](const schema::attribute& a, bool single) {
    return "ALTER TABLE " + sql::quote_ident(tn) + " ADD COLUMN " + sql::column_definition(a, single, tn);
  };
  auto drop = [&](const schema::attribute& a) {
    return "ALTER TABLE " + sql::quote_ident(tn) + " DROP COLUMN " + sql::quote_ident(a.source);
  };
  for (const auto* a : added)
    ops.push_back({operation_kind::add_column, tn, "add column " + tn + "." + a->source, {add(*a, single_pk)}, {drop(*a)}});
  for (const auto* a : removed) {
    operation op{operation_kind::remove_column, tn, "remove column " + tn + "." + a->source, {drop(*a)},
                 {add(*a, detail::primary_key_count(*old) == 1)}};
    if (!opts.drop_columns) {
      op.commented = true;
      op.notes.push_back(remove_note(*a));
    } else if (!a->allow_nil && !a->default_sql) {
      op.notes.push_back("Rolling back re-adds " + tn + "." + a->source +
                         " as NOT NULL without a default, which SQLite refuses while the table has rows.");
    }
    ops.push_back(std::move(op));
  }
  for (const auto& entry : new_indexes)
    if (!contains(old_indexes, entry))
      ops.push_back({operation_kind::create_index, tn, "create index " + entry.first, {entry.second},
                     {detail::drop_index(entry.first)}});
  return ops;
}

/// Diffs every current table against its newest snapshot (`snapshots` maps table name to it).
///
/// Order: downs of removed or changed custom statements, then each table's operations with
/// referenced tables first, then ups of added or changed custom statements. The statements of
/// a rebuilt table are taken down before and put up again after, since dropping a table drops
/// the triggers on it.
inline plan diff(const std::map<std::string, schema::table>& snapshots, const std::vector<schema::table>& tables,
                 const diff_options& opts = {}) {
  std::vector<schema::table> current;
  std::set<std::string> names;
  for (const auto& t : tables) {
    if (!names.insert(t.name).second) detail::fail("table " + t.name + " is declared twice");
    current.push_back(normalize(t));
  }
  plan p;
  std::vector<operation> first, last;
  for (const schema::table* t : detail::referenced_first(current)) {
    auto it = snapshots.find(t->name);
    const std::optional<schema::table> old =
        it == snapshots.end() ? std::nullopt : std::optional<schema::table>(it->second);
    auto ops = diff_table(old, *t, opts);
    const bool rebuilt = !ops.empty() && ops.front().kind == operation_kind::rebuild_table;
    const auto* old_statements = old ? &old->custom_statements : nullptr;
    auto find = [](const std::vector<schema::custom_statement>* list, const std::string& name) -> const schema::custom_statement* {
      if (!list) return nullptr;
      for (const auto& s : *list)
        if (s.name == name) return &s;
      return nullptr;
    };
    if (old_statements)
      for (const auto& s : *old_statements) {
        const auto* kept = find(&t->custom_statements, s.name);
        if (kept && *kept == s && !rebuilt) continue;
        first.push_back({operation_kind::remove_statement, t->name,
                         "custom statement " + s.name + " of " + t->name + (kept ? " (changed): down" : ": down"),
                         {s.down}, {s.up}});
      }
    for (const auto& s : t->custom_statements) {
      const auto* before = find(old_statements, s.name);
      if (before && *before == s && !rebuilt) continue;
      last.push_back({operation_kind::add_statement, t->name,
                      "custom statement " + s.name + " of " + t->name + (before && !(*before == s) ? " (changed): up" : ": up"),
                      {s.up}, {s.down}});
    }
    const bool changed = !ops.empty() || std::any_of(first.begin(), first.end(), [&](auto& o) { return o.table == t->name; }) ||
                         std::any_of(last.begin(), last.end(), [&](auto& o) { return o.table == t->name; });
    for (auto& op : ops) p.operations.push_back(std::move(op));
    if (changed) p.changed.push_back(*t);
  }
  p.operations.insert(p.operations.begin(), std::make_move_iterator(first.begin()), std::make_move_iterator(first.end()));
  p.operations.insert(p.operations.end(), std::make_move_iterator(last.begin()), std::make_move_iterator(last.end()));
  return p;
}

}  // namespace ash::migrate
