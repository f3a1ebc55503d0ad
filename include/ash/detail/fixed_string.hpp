#pragma once
/// \file
/// `fixed_string`: a string usable as a template argument (action names, fragment text), and
/// `static_text`: SQL text rendered at compile time into a character array.

#include <cstddef>
#include <string_view>
#include <utility>

namespace ash::diag {
/// A name spelled as a type, `ash::diag::name<'o', 'p', 'e', 'n'>`, for diagnostics: every
/// compiler prints character arguments as characters, whereas clang 14 prints a string held in
/// a class-type template argument as an array of numbers.
template <char... C>
struct name {};
}  // namespace ash::diag

namespace ash::detail {

/// A string literal as a structural type, so `create<"open">` can carry its name in the type.
template <std::size_t N>
struct fixed_string {
  char value[N]{};
  constexpr fixed_string(const char (&s)[N]) {
    for (std::size_t i = 0; i < N; ++i) value[i] = s[i];
  }
  constexpr fixed_string() = default;
  constexpr std::string_view view() const { return {value, N - 1}; }
  constexpr std::size_t size() const { return N - 1; }
  template <std::size_t M>
  constexpr bool operator==(const fixed_string<M>& o) const {
    return view() == o.view();
  }
};

/// `fixed_string` built from a constant `string_view` (N includes the terminating zero).
template <std::size_t N>
constexpr fixed_string<N> to_fixed(std::string_view s) {
  fixed_string<N> out;
  for (std::size_t i = 0; i + 1 < N; ++i) out.value[i] = s[i];
  return out;
}

template <fixed_string S, std::size_t... I>
diag::name<S.value[I]...> spell_chars(std::index_sequence<I...>);

/// `diag::name<...>` of a fixed string: `spelled<"open">` is `diag::name<'o', 'p', 'e', 'n'>`.
template <fixed_string S>
using spelled = decltype(spell_chars<S>(std::make_index_sequence<S.size()>{}));

/// A character array holding SQL text, zero-terminated, with its length.
template <std::size_t N>
struct static_text {
  char chars[N + 1]{};
  constexpr const char* data() const { return chars; }
  constexpr const char* c_str() const { return chars; }
  static constexpr std::size_t size() { return N; }
  constexpr std::string_view view() const { return {chars, N}; }
  constexpr operator std::string_view() const { return view(); }
};

/// Copies `n` characters. Under clang, as one builtin call: its constant evaluator spends about
/// as much on each statement of a loop as `__builtin_memcpy` spends on several characters.
constexpr void copy_chars(char* to, const char* from, std::size_t n) {
#if defined(__clang__)
  __builtin_memcpy(to, from, n);
#else
  for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
#endif
}

/// The index of the next `"` in `[p, p + n)`, or `n` if there is none. An index, not a pointer:
/// g++ with `-fsanitize=undefined` cannot compare a pointer into a template argument's text
/// with null in a constant expression.
constexpr std::size_t find_quote(const char* p, std::size_t n) {
#if defined(__clang__)
  const char* quote = __builtin_char_memchr(p, '"', n);
  return quote ? static_cast<std::size_t>(quote - p) : n;
#else
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] == '"') return i;
  return n;
#endif
}

/// Writes text, or only counts it when `out` is null: render once to count, once to fill.
struct text_writer {
  char* out = nullptr;
  std::size_t n = 0;
  constexpr text_writer& put(std::string_view s) {
    if (out) copy_chars(out + n, s.data(), s.size());
    n += s.size();
    return *this;
  }
  /// A string literal: its length is known, so nothing counts its characters at compile time
  /// (`std::string_view`'s constructor from `const char*` does, one call per character).
  template <std::size_t N>
  constexpr text_writer& put(const char (&s)[N]) {
    if (out) copy_chars(out + n, s, N - 1);
    n += N - 1;
    return *this;
  }
  constexpr text_writer& put(char c) {
    if (out) out[n] = c;
    ++n;
    return *this;
  }
  /// Writes `"name"`, doubling embedded quotes.
  constexpr text_writer& ident(std::string_view s) {
    put('"');
    ident_part(s);
    return put('"');
  }
  /// Writes characters inside a quoted identifier, doubling quotes: a run up to and including
  /// each quote at a time, so an identifier without quotes is one copy.
  constexpr text_writer& ident_part(std::string_view s) {
    const char* p = s.data();
    std::size_t size = s.size();
    while (size != 0) {
      const std::size_t at = find_quote(p, size);
      const bool quote = at != size;
      const std::size_t run = quote ? at + 1 : size;
      if (out) copy_chars(out + n, p, run);
      n += run;
      if (quote) {
        if (out) out[n] = '"';
        ++n;
      }
      p += run;
      size -= run;
    }
    return *this;
  }
  constexpr text_writer& ident_part(char c) {
    if (c == '"') put('"');
    return put(c);
  }
  constexpr text_writer& number(std::size_t v) {
    char buf[20]{};
    int i = 0;
    do buf[i++] = static_cast<char>('0' + v % 10);
    while ((v /= 10) != 0);
    while (i) put(buf[--i]);
    return *this;
  }
};

/// Renders `F(text_writer&)` into a `static_text` at compile time.
/// `F` is a stateless callable type; it is run once to count and once to write.
template <class F>
consteval auto render_text() {
  constexpr std::size_t n = [] {
    text_writer w;
    F{}(w);
    return w.n;
  }();
  static_text<n> t;
  text_writer w{t.chars};
  F{}(w);
  return t;
}

}  // namespace ash::detail
