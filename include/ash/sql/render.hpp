#pragma once
/// \file
/// Compile-time SQL: expressions and statements rendered into constant character arrays.
///
/// `ash::sql::select_sql<Q>` is the text of query type `Q`, computed by constexpr functions
/// that write into a `static_text<N>` (counted once, then written). Nothing here runs at run
/// time: a statement's text is a constant of the program, like a string literal.

#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ash/core/query.hpp"
#include "ash/detail/fixed_string.hpp"

namespace ash::sql {

using detail::text_writer;

/// How one expression node type is written; specialised per node.
template <class E>
struct node;

/// Whether a node needs parentheses when it is an operand of another.
template <class E>
inline constexpr bool needs_parens = true;
template <class R, std::size_t I>
inline constexpr bool needs_parens<col<R, I>> = false;
template <class T>
inline constexpr bool needs_parens<val<T>> = false;
template <class Op, class L, class R>
inline constexpr bool needs_parens<binary<Op, L, R>> = is_comparison<Op>;  // the others bracket themselves
// Fragments keep `needs_parens`: their text may hold an operator of any precedence.

template <class E>
constexpr void render_expr(text_writer& w) {
  node<E>::render(w);
}
template <class E>
constexpr void render_operand(text_writer& w) {
  if constexpr (needs_parens<E>) {
    w.put('(');
    node<E>::render(w);
    w.put(')');
  } else {
    node<E>::render(w);
  }
}

/// Whether an expression is a case-insensitive text column (compared with `COLLATE NOCASE`).
template <class E>
inline constexpr bool case_insensitive = [] {
  if constexpr (requires { typename E::value_type; } && storable<typename E::value_type>) {
    if constexpr (requires { type_traits<typename E::value_type>::case_insensitive; })
      return type_traits<typename E::value_type>::case_insensitive;
    else return false;
  } else {
    return false;
  }
}();

template <class E>
constexpr void logical_operand(text_writer& w) {
  if constexpr (requires { E::text; }) render_operand<E>(w);  // a fragment
  else render_expr<E>(w);
}

template <class R, std::size_t I>
struct node<col<R, I>> {
  static constexpr void render(text_writer& w) { w.ident(col<R, I>::name); }
};

template <class T>
struct node<val<T>> {
  static constexpr void render(text_writer& w) { w.put('?'); }
};

template <class Op, class L, class R>
struct node<binary<Op, L, R>> {
  static constexpr void render(text_writer& w) {
    constexpr bool bracket = !is_comparison<Op>;
    constexpr bool logical = std::is_same_v<Op, op::and_> || std::is_same_v<Op, op::or_>;
    if (bracket) w.put('(');
    // Comparisons, NOT, LIKE, IN and IS NULL bind tighter than AND / OR: no brackets needed.
    if constexpr (logical) {
      logical_operand<L>(w);
      w.put(Op::sql);
      logical_operand<R>(w);
      w.put(')');
      return;
    }
    render_operand<L>(w);
    if constexpr (is_comparison<Op> && (case_insensitive<L> || case_insensitive<R>)) w.put(" COLLATE NOCASE");
    w.put(Op::sql);
    render_operand<R>(w);
    if (bracket) w.put(')');
  }
};

template <class X>
struct node<negation<X>> {
  static constexpr void render(text_writer& w) {
    w.put("NOT (");
    render_expr<X>(w);
    w.put(')');
  }
};

template <class X>
struct node<nil_check<X>> {
  static constexpr void render(text_writer& w) {
    render_operand<X>(w);
    w.put(" IS NULL");
  }
};

template <class X, class T>
struct node<in_list<X, T>> {
  static constexpr void render(text_writer& w) {
    render_operand<X>(w);
    if constexpr (case_insensitive<X>) w.put(" COLLATE NOCASE");
    // SQLite's JSON functions end a string at an escaped NUL, so text elements carry NUL as
    // 0x01 0x03 and 0x01 as 0x01 0x02 (ash::detail::append_in_text), undone here.
    if constexpr (type_traits<T>::storage == storage_class::text)
      w.put(" IN (SELECT replace(replace(value, char(1, 3), char(0)), char(1, 2), char(1)) FROM json_each(?))");
    else
      w.put(" IN (SELECT value FROM json_each(?))");
  }
};

template <match_kind K, class L, class R>
struct node<match<K, L, R>> {
  static constexpr void render(text_writer& w) {
    if constexpr (K == match_kind::like) {
      render_operand<L>(w);
      w.put(" LIKE ");
      render_operand<R>(w);
    } else if constexpr (K == match_kind::ilike) {
      w.put("LOWER(");
      render_expr<L>(w);
      w.put(") LIKE LOWER(");
      render_expr<R>(w);
      w.put(')');
    } else {
      // contains: `instr` over the bytes (as blobs: over text it steps by UTF-8 characters), so
      // a NUL byte or invalid UTF-8 in the text matches only itself (a LIKE pattern would end at
      // a NUL), and no pattern length limit applies.
      constexpr bool ci = case_insensitive<L> || case_insensitive<R>;
      w.put(ci ? "instr(CAST(LOWER(" : "instr(CAST(");
      render_expr<L>(w);
      w.put(ci ? ") AS BLOB), CAST(LOWER(" : " AS BLOB), CAST(");
      render_expr<R>(w);
      w.put(ci ? ") AS BLOB)) > 0" : " AS BLOB)) > 0");
    }
  }
};

template <detail::fixed_string Text, class... A>
struct node<fragment_node<Text, A...>> {
  template <std::size_t... I>
  static constexpr void render_arg(text_writer& w, std::size_t k, std::index_sequence<I...>) {
    ((k == I ? (render_operand<A>(w), 0) : 0), ...);
  }
  static constexpr void render(text_writer& w) {
    constexpr std::string_view text = Text.view();
    std::size_t k = 0;
    char quote = 0;
    for (char c : text) {
      if (quote) {
        if (c == quote) quote = 0;
        w.put(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        w.put(c);
      } else if (c == '?') {
        render_arg(w, k++, std::index_sequence_for<A...>{});
      } else {
        w.put(c);
      }
    }
  }
};

// --- statements ------------------------------------------------------------------------------------------

/// Writes `"a", "b", ...` for the fields of a selection (all fields when it is empty).
template <class R, class Select>
struct column_list;
template <class R, std::size_t... I>
struct column_list<R, selection<I...>> {
  static constexpr void render(text_writer& w) {
    if constexpr (sizeof...(I) == 0) {
      for (std::size_t i = 0; i < field_count<R>; ++i) {
        if (i) w.put(", ");
        w.ident(field_list<R>::names[i]);
      }
    } else {
      bool first = true;
      ((w.put(first ? "" : ", "), w.ident(field_list<R>::names[I]), first = false), ...);
    }
  }
};

/// `WHERE "pk1" = ? AND "pk2" = ?`.
template <class R>
constexpr void render_key_condition(text_writer& w) {
  w.put(" WHERE ");
  bool first = true;
  for (auto i : info<R>::primary_key) {
    if (!first) w.put(" AND ");
    first = false;
    w.ident(field_list<R>::names[i]);
    w.put(" = ?");
  }
}

template <class F>
constexpr void render_where(text_writer& w) {
  if constexpr (!std::is_same_v<F, no_filter>) {
    w.put(" WHERE ");
    render_expr<F>(w);
  }
}

template <class Q>
struct select_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put("SELECT ");
    column_list<typename Q::resource, typename Q::select_type>::render(w);
    w.put(" FROM ");
    w.ident(Q::table);
    render_where<typename Q::filter_type>(w);
    render_order<typename Q::sorts_type>(w);
    if constexpr (Q::has_limit) w.put(" LIMIT ?");
    else if constexpr (Q::has_offset) w.put(" LIMIT -1");
    if constexpr (Q::has_offset) w.put(" OFFSET ?");
  }
  template <class Sorts>
  static constexpr void render_order(text_writer& w) {
    if constexpr (Sorts::size > 0) {
      w.put(" ORDER BY ");
      render_keys<Sorts>(w);
    }
  }
  template <class Sorts>
  static constexpr void render_keys(text_writer& w) {
    if constexpr (Sorts::size > 1) {
      render_keys<typename Sorts::previous>(w);
      w.put(", ");
    }
    render_key<typename Sorts::key_type>(w);
  }
  template <class K>
  static constexpr void render_key(text_writer& w) {
    using E = typename K::expr_type;
    render_operand<E>(w);
    if constexpr (case_insensitive<E>) w.put(" COLLATE NOCASE");
    w.put(K::descending ? " DESC" : " ASC");
  }
};

/// The SQL text of query type `Q`.
template <class Q>
inline constexpr auto select_sql = detail::render_text<select_renderer<Q>>();

/// `<head> "table" WHERE ...` for the filter of query type `Q`: counting and bulk deletes.
template <class Q, detail::fixed_string Head>
struct filtered_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put(Head.view());
    w.ident(Q::table);
    render_where<typename Q::filter_type>(w);
  }
};
/// `SELECT count(*) FROM ... WHERE ...` for the filter of query type `Q`.
template <class Q>
inline constexpr auto count_sql = detail::render_text<filtered_renderer<Q, "SELECT count(*) FROM ">>();
/// `DELETE FROM ... WHERE ...` for the filter of query type `Q`.
template <class Q>
inline constexpr auto delete_where_sql = detail::render_text<filtered_renderer<Q, "DELETE FROM ">>();

/// `INSERT INTO "t" ("a", ...) VALUES (?, ...)`: every field but an autoincrement key.
template <class R, detail::fixed_string Table>
struct insert_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put("INSERT INTO ");
    w.ident(Table.size() ? Table.view() : info<R>::table);
    w.put(" (");
    bool first = true;
    for (std::size_t i = 0; i < field_count<R>; ++i) {
      if (info<R>::generated(i)) continue;
      if (!first) w.put(", ");
      first = false;
      w.ident(field_list<R>::names[i]);
    }
    w.put(") VALUES (");
    first = true;
    for (std::size_t i = 0; i < field_count<R>; ++i) {
      if (info<R>::generated(i)) continue;
      w.put(first ? "?" : ", ?");
      first = false;
    }
    w.put(')');
  }
};
template <class R, detail::fixed_string Table = "">
inline constexpr auto insert_sql = detail::render_text<insert_renderer<R, Table>>();

/// `UPDATE "t" SET "a" = ?, ... WHERE <key> = ?` for the fields `I...`.
template <class R, detail::fixed_string Table, std::size_t... I>
struct update_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put("UPDATE ");
    w.ident(Table.size() ? Table.view() : info<R>::table);
    w.put(" SET ");
    bool first = true;
    ((w.put(first ? "" : ", "), w.ident(field_list<R>::names[I]), w.put(" = ?"), first = false), ...);
    render_key_condition<R>(w);
  }
};
template <class R, detail::fixed_string Table, std::size_t... I>
inline constexpr auto update_sql = detail::render_text<update_renderer<R, Table, I...>>();

/// `DELETE FROM "t" WHERE <key> = ?`.
template <class R, detail::fixed_string Table>
struct delete_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put("DELETE FROM ");
    w.ident(Table.size() ? Table.view() : info<R>::table);
    render_key_condition<R>(w);
  }
};
template <class R, detail::fixed_string Table = "">
inline constexpr auto delete_sql = detail::render_text<delete_renderer<R, Table>>();

/// `SELECT <all fields> FROM "t" WHERE <key> = ?`.
template <class R, detail::fixed_string Table>
struct get_renderer {
  constexpr void operator()(text_writer& w) const {
    w.put("SELECT ");
    column_list<R, selection<>>::render(w);
    w.put(" FROM ");
    w.ident(Table.size() ? Table.view() : info<R>::table);
    render_key_condition<R>(w);
  }
};
template <class R, detail::fixed_string Table = "">
inline constexpr auto get_sql = detail::render_text<get_renderer<R, Table>>();

/// The SQL text of an expression alone (for tests and docs).
template <class E>
struct expr_renderer {
  constexpr void operator()(text_writer& w) const { render_expr<E>(w); }
};
template <class E>
inline constexpr auto expr_sql = detail::render_text<expr_renderer<E>>();

}  // namespace ash::sql
