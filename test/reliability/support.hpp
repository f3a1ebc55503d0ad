#pragma once
// The reliability suite's resources and helpers: a ledger that proves no committed row lost or
// duplicated, a resource with a field of every type, bounded runs, and the soak switch.

#include <ash/ash.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../unit/support.hpp"

namespace rel {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

enum class Kind { plain, special };

/// One ledger entry: writer `writer` committed its `seq`-th entry. Unique (writer, seq): a
/// duplicate cannot be stored, and a lost one shows as a gap.
struct Entry {
  std::int64_t id = 0;
  std::int64_t writer = 0;
  std::int64_t seq = 0;
  std::int64_t amount = 0;
  std::string note;
};

/// A field of every stored type, for values written by another program.
struct Sample {
  std::int64_t id = 0;
  std::int64_t i64 = 0;
  std::int32_t i32 = 0;
  std::uint16_t u16 = 0;
  bool flag = false;
  double real = 0;
  std::string text;
  Kind kind = Kind::plain;
  ash::uuid uid;
  ash::utc_datetime at;
  ash::bytes blob;
  std::optional<std::string> maybe;
};

}  // namespace rel

ASH_ENUM(rel::Kind, plain, special);
ASH_FIELDS(rel::Entry, id, writer, seq, amount, note);
ASH_FIELDS(rel::Sample, id, i64, i32, u16, flag, real, text, kind, uid, at, blob, maybe);

template <>
struct ash::resource<rel::Entry> {
  using E = rel::Entry;
  static constexpr auto sqlite = ash::sqlite::table("entries");
  static constexpr auto primary_key = ash::integer_primary_key(&E::id);
  static constexpr auto identities = ash::identities(ash::identity<"unique_writer_seq">(&E::writer, &E::seq));
};

template <>
struct ash::resource<rel::Sample> {
  static constexpr auto sqlite = ash::sqlite::table("samples");
  static constexpr auto primary_key = ash::integer_primary_key(&rel::Sample::id);
};

namespace rel {

constexpr auto e = ash::fields<Entry>;
constexpr auto s = ash::fields<Sample>;

/// The soak multiplier: 1 in CI; `--soak` (or ASH_SOAK=N) runs the bounded loops N times longer.
inline int& soak_factor() {
  static int factor = [] {
    const char* v = std::getenv("ASH_SOAK");
    return v && *v ? std::max(1, std::atoi(v)) : 1;
  }();
  return factor;
}
inline std::chrono::milliseconds scaled(std::chrono::milliseconds base) { return base * soak_factor(); }

/// Runs `fn` on a thread and waits at most `limit` for it: a hang (a deadlock) fails the test
/// and ends the process, rather than hanging the suite until meson's timeout.
template <class F>
void bounded(std::chrono::seconds limit, const char* what, F&& fn) {
  std::packaged_task<void()> task(std::forward<F>(fn));
  auto done = task.get_future();
  std::thread t(std::move(task));
  if (done.wait_for(limit) != std::future_status::ready) {
    std::fprintf(stderr, "HANG: %s did not finish within %lld s (a deadlock)\n", what, static_cast<long long>(limit.count()));
    std::fflush(stderr);
    std::_Exit(3);
  }
  t.join();
  done.get();  // rethrows what fn threw
}

/// The entries committed per writer: for each, whether its seqs are exactly 1..n with none
/// twice. Returns the total, or -1 (with a message) for a gap or a duplicate.
template <class R>
std::int64_t check_ledger(R& repo, std::int64_t writers, std::string* problem = nullptr) {
  std::int64_t total = 0;
  for (std::int64_t w = 1; w <= writers; ++w) {
    const auto n = test::scalar_int(repo, "SELECT count(*) FROM entries WHERE writer = " + std::to_string(w));
    const auto distinct = test::scalar_int(repo, "SELECT count(DISTINCT seq) FROM entries WHERE writer = " + std::to_string(w));
    const auto max = test::scalar_int(repo, "SELECT coalesce(max(seq), 0) FROM entries WHERE writer = " + std::to_string(w));
    if (n != distinct || n != max) {
      if (problem)
        *problem = "writer " + std::to_string(w) + ": " + std::to_string(n) + " entries, " + std::to_string(distinct) +
                   " distinct, highest seq " + std::to_string(max);
      return -1;
    }
    total += n;
  }
  return total;
}

/// Open file descriptors of this process.
inline std::size_t open_fds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

}  // namespace rel
