#pragma once
// The body of every child: open with library L, set up, time the workload alone, digest.

#include <time.h>

#include <chrono>

#include "bench.hpp"

namespace bench {

/// `L` opens `j` in its constructor and offers `handle()`, `exec(sql)`, `insert_all(items)` (one
/// transaction, returns the sum of generated ids; it may write the ids into the items), `get(id, Item&)`, `filter(status, priority)`,
/// `contains(needle)` (both return a vector of items) and `update_all(records, scores)` (one transaction; it may
/// write the new scores into the records).
template <class L>
timing drive(const job& j) {
  prepare_file(j);
  L db(j);
  if (j.w == workload::insert) db.exec(create_table_sql);
  else load_memory(db.handle(), j);

  std::vector<Item> items;
  std::vector<std::int64_t> ids;
  std::vector<Item> records;
  std::vector<double> scores;
  if (j.w == workload::insert) items = make_items(j.n.rows);
  if (j.w == workload::point_select) ids = scrambled_ids(j.n.selects, j.n.rows);
  if (j.w == workload::update) {
    for (std::int64_t id : scrambled_ids(j.n.updates, j.n.rows)) {
      records.push_back(make_item(id));
      scores.push_back(static_cast<double>(id % 1000) + 0.25);
    }
  }

  auto cpu_now = [] {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  };
  std::uint64_t d = 0;
  const double cpu_start = cpu_now();
  auto start = std::chrono::steady_clock::now();
  switch (j.w) {
    case workload::insert: d = static_cast<std::uint64_t>(db.insert_all(items)); break;
    case workload::point_select:
      for (std::int64_t id : ids) {
        Item r;
        db.get(id, r);
        d += digest_of(r);
      }
      break;
    case workload::filter:
      for (int k = 0; k < j.n.filter_reps; ++k) d += digest_of(db.filter(filter_status, filter_priority));
      break;
    case workload::contains:
      for (int k = 0; k < j.n.contains_reps; ++k) d += digest_of(db.contains(contains_needle));
      break;
    case workload::update:
      for (int k = 0; k < j.n.update_runs; ++k) db.update_all(records, scores);  // the same values each time
      break;
  }
  auto stop = std::chrono::steady_clock::now();
  double cpu = cpu_now() - cpu_start;
  double wall = std::chrono::duration<double>(stop - start).count();
  if (j.w == workload::update) {
    wall /= j.n.update_runs;
    cpu /= j.n.update_runs;
  }
  if (j.w == workload::insert || j.w == workload::update) d += table_digest(db.handle());
  return {wall, cpu, d};
}

}  // namespace bench
