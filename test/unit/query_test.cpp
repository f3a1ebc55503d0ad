// Every filter operator and query clause end-to-end against data in a real SQLite database:
// the rows that come back, not just the SQL.
#include <doctest/doctest.h>

#include <ash/ash.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"

namespace query_test {

struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
};

enum class Status { open, pending, closed };

struct Ticket {
  std::int64_t id = 0;
  std::string subject;
  ash::ci_string tag;
  std::int64_t votes = 0;
  double score = 0;
  Status status = Status::open;
  std::optional<std::int64_t> owner;
};

}  // namespace query_test

ASH_ENUM(query_test::Status, open, pending, closed);
ASH_FIELDS(query_test::Ticket, id, subject, tag, votes, score, status, owner);

template <>
struct ash::resource<query_test::Ticket> {
  static constexpr auto sqlite = ash::sqlite::table("tickets");
  static constexpr auto primary_key = ash::integer_primary_key(&query_test::Ticket::id);
};

using namespace query_test;

namespace {

constexpr auto t = ash::fields<Ticket>;

/// A database with the same eight tickets for every test.
struct fixture {
  Repo repo{{.database = ":memory:"}};
  fixture() {
    repo.create_table<Ticket>();
    add("Printer on fire", "Hardware", 5, 2.5, Status::open, 1);
    add("printer jam", "hardware", 3, 1.0, Status::closed, std::nullopt);
    add("100% done", "misc", 0, 0.0, Status::closed, 2);
    add("100 done", "misc", 1, 0.5, Status::pending, std::nullopt);
    add("a_b", "Misc", 2, 4.0, Status::open, 1);
    add("axb", "other", 7, 3.5, Status::pending, 2);
    add("back\\slash", "other", 4, 2.0, Status::open, std::nullopt);
    add("it's \"quoted\"", "OTHER", 6, 1.5, Status::closed, 3);
  }
  void add(std::string subject, std::string tag, std::int64_t votes, double score, Status status,
           std::optional<std::int64_t> owner) {
    Ticket x;
    x.subject = std::move(subject);
    x.tag = std::move(tag);
    x.votes = votes;
    x.score = score;
    x.status = status;
    x.owner = owner;
    repo.insert(x);
  }
  /// The subjects a query returns, in its order.
  template <class Q>
  std::vector<std::string> subjects(const Q& q) {
    std::vector<std::string> out;
    for (auto& x : repo.read(q)) out.push_back(x.subject);
    return out;
  }
  /// The subjects a query returns, sorted (for filters without a sort).
  template <class Q>
  std::vector<std::string> sorted_subjects(const Q& q) {
    auto out = subjects(q);
    std::sort(out.begin(), out.end());
    return out;
  }
};

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE_FIXTURE(fixture, "comparison operators select the rows they say") {
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes == 5)) == strings{"Printer on fire"});
  CHECK(repo.count(ash::query<Ticket>().filter(t.votes != 5)) == 7);
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes < 2)) == strings{"100 done", "100% done"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes <= 1)) == strings{"100 done", "100% done"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes > 5)) == strings{"axb", "it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes >= 6)) == strings{"axb", "it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.score > 3)) == strings{"a_b", "axb"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes > 3.5)) ==
        strings{"Printer on fire", "axb", "back\\slash", "it's \"quoted\""});
  CHECK(repo.count(ash::query<Ticket>().filter(t.status == Status::closed)) == 3);
  CHECK(repo.count(ash::query<Ticket>().filter(t.owner == 2)) == 2);
  CHECK(repo.count(ash::query<Ticket>().filter(t.owner != 2)) == 3);  // NULL is neither
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.subject == "it's \"quoted\"")) == strings{"it's \"quoted\""});
}

TEST_CASE_FIXTURE(fixture, "and, or and not combine conditions as in the guide") {
  CHECK(repo.read(ash::query<Ticket>().filter(t.subject == "foobar")).empty());
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.status == Status::closed and not(t.subject == "printer jam"))) ==
        strings{"100% done", "it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes > 6 or t.votes < 1)) == strings{"100% done", "axb"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter((t.votes > 6 or t.votes < 1) and t.status == Status::closed)) ==
        strings{"100% done"});
  CHECK(repo.count(ash::query<Ticket>().filter(!(t.votes > 6 or t.votes < 1))) == 6);
  // Chained filters are and-ed.
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes > 1).filter(t.votes < 4)) == strings{"a_b", "printer jam"});
}

TEST_CASE_FIXTURE(fixture, "in matches any of a list of 0, 1 or 5000 values") {
  CHECK(repo.read(ash::query<Ticket>().filter(ash::in(t.votes, std::vector<std::int64_t>{}))).empty());
  CHECK(repo.count(ash::query<Ticket>().filter(!ash::in(t.votes, std::vector<std::int64_t>{}))) == 8);
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::in(t.votes, {7}))) == strings{"axb"});
  std::vector<std::int64_t> many;
  for (std::int64_t i = 0; i < 5000; ++i) many.push_back(i * 2 + 1);  // odd numbers only
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::in(t.votes, many))) ==
        strings{"100 done", "Printer on fire", "axb", "printer jam"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::in(t.status, {Status::pending}))) == strings{"100 done", "axb"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::in(t.subject, {"axb", "a_b", "nope", "it's \"quoted\""}))) ==
        strings{"a_b", "axb", "it's \"quoted\""});
  CHECK(repo.count(ash::query<Ticket>().filter(ash::in(t.score, {2.5, 0.5}))) == 2);
  // Text that looks like JSON or SQL is just text inside the list.
  CHECK(repo.count(ash::query<Ticket>().filter(ash::in(t.subject, {"\"]) OR 1=1 --", "back\\slash"}))) == 1);
}

TEST_CASE_FIXTURE(fixture, "is_nil selects the rows whose optional field is NULL") {
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::is_nil(t.owner))) ==
        strings{"100 done", "back\\slash", "printer jam"});
  CHECK(repo.count(ash::query<Ticket>().filter(!ash::is_nil(t.owner))) == 5);
}

TEST_CASE_FIXTURE(fixture, "like is case-sensitive and ilike is not") {
  CHECK(test::scalar_int(repo, "SELECT 'A' LIKE 'a'") == 0);  // case_sensitive_like=ON
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::like(t.subject, "Printer%"))) == strings{"Printer on fire"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::like(t.subject, "printer%"))) == strings{"printer jam"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::like(t.subject, "a_b"))) == strings{"a_b", "axb"});  // _ is a wildcard
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::ilike(t.subject, "PRINTER%"))) ==
        strings{"Printer on fire", "printer jam"});
  CHECK(repo.count(ash::query<Ticket>().filter(ash::ilike(t.tag, "hard%"))) == 2);
}

TEST_CASE_FIXTURE(fixture, "contains matches % _ and \\ in the needle literally") {
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "0%"))) == strings{"100% done"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "%"))) == strings{"100% done"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "a_b"))) == strings{"a_b"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "_"))) == strings{"a_b"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "k\\s"))) == strings{"back\\slash"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "'s \""))) == strings{"it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, "on"))) == strings{"100 done", "100% done", "Printer on fire"});
  CHECK(repo.count(ash::query<Ticket>().filter(ash::contains(t.subject, "ON"))) == 0);  // case-sensitive
  CHECK(repo.count(ash::query<Ticket>().filter(ash::contains(t.tag, "ARD"))) == 2);     // ci_string: not
  CHECK(repo.count(ash::query<Ticket>().filter(ash::contains(t.subject, ""))) == 8);
  // With a column as the needle: instr, also literal.
  fixture::add("misc%", "c%", 0, 0, Status::open, std::nullopt);
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::contains(t.subject, t.tag))) == strings{"misc%"});
}

TEST_CASE_FIXTURE(fixture, "a fragment runs its SQL with its arguments bound") {
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::fragment<"length(?) > ?">(t.subject, 12))) ==
        strings{"Printer on fire", "it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::fragment<"substr(?, 1, ?) = ?">(t.subject, 3, "100"))) ==
        strings{"100 done", "100% done"});
  // A ? inside quotes is SQL text, not a placeholder.
  CHECK(repo.count(ash::query<Ticket>().filter(ash::fragment<"? || '?' = ?">(t.subject, "axb?"))) == 1);
  // A fragment compares with anything, and mixes with typed conditions.
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::fragment<"? % 2">(t.votes) == 1 and t.score > 1)) ==
        strings{"Printer on fire", "axb"});
}

TEST_CASE_FIXTURE(fixture, "arithmetic and concatenation compute in filters") {
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes * 2 + 1 > 12)) == strings{"axb", "it's \"quoted\""});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.votes - t.score == 2.5)) == strings{"Printer on fire"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.score / 2 >= 1.75)) == strings{"a_b", "axb"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(t.subject + "!" == "axb!")) == strings{"axb"});
  CHECK(sorted_subjects(ash::query<Ticket>().filter(ash::concat(t.subject, "/", t.tag) == "a_b/Misc")) == strings{"a_b"});
}

TEST_CASE_FIXTURE(fixture, "sort orders by several keys, ascending and descending") {
  // Enums are stored by name, so they sort by name: closed, open, pending.
  CHECK(subjects(ash::query<Ticket>().sort(t.status, ash::desc(t.votes))) ==
        strings{"it's \"quoted\"", "printer jam", "100% done", "Printer on fire", "back\\slash", "a_b", "axb", "100 done"});
  CHECK(subjects(ash::query<Ticket>().sort(ash::desc(t.score)).limit(3)) == strings{"a_b", "axb", "Printer on fire"});
  // ci_string sorts ignoring case; ties broken by the next key.
  CHECK(subjects(ash::query<Ticket>().sort(t.tag, t.votes).filter(ash::ilike(t.tag, "%r%"))) ==
        strings{"printer jam", "Printer on fire", "back\\slash", "it's \"quoted\"", "axb"});
  CHECK(subjects(ash::query<Ticket>().sort(ash::desc(t.votes * 3 - t.score)).limit(1)) == strings{"axb"});
}

TEST_CASE_FIXTURE(fixture, "limit and offset page through sorted rows") {
  auto by_votes = ash::query<Ticket>().sort(t.votes);
  CHECK(subjects(by_votes.limit(3)) == strings{"100% done", "100 done", "a_b"});
  CHECK(subjects(by_votes.limit(3).offset(3)) == strings{"printer jam", "back\\slash", "Printer on fire"});
  CHECK(subjects(by_votes.offset(6)) == strings{"it's \"quoted\"", "axb"});  // LIMIT -1 OFFSET ?
  CHECK(subjects(by_votes.limit(3).offset(7)) == strings{"axb"});
  CHECK(subjects(by_votes.offset(100)).empty());
  CHECK(subjects(by_votes.limit(0)).empty());
  CHECK(subjects(by_votes.filter(t.votes > 0).limit(1).offset(1)) == strings{"a_b"});
}

TEST_CASE_FIXTURE(fixture, "select reads only the chosen fields and leaves the others at their defaults") {
  auto rows = repo.read(ash::query<Ticket>().filter(t.subject == "axb").select(t.votes, t.subject));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].subject == "axb");
  CHECK(rows[0].votes == 7);
  CHECK(rows[0].id == 0);
  CHECK(rows[0].tag.value.empty());
  CHECK(rows[0].score == 0);
  CHECK(rows[0].status == Status::open);
  CHECK_FALSE(rows[0].owner);
}

TEST_CASE_FIXTURE(fixture, "count counts the filtered rows, ignoring sort, limit and offset") {
  CHECK(repo.count(ash::query<Ticket>()) == 8);
  CHECK(repo.count(ash::query<Ticket>().filter(t.status == Status::open)) == 3);
  CHECK(repo.count(ash::query<Ticket>().filter(t.status == Status::open).sort(t.votes).limit(1).offset(1)) == 3);
  CHECK(repo.count(ash::query<Ticket>().filter(t.subject == "nothing")) == 0);
}

TEST_CASE_FIXTURE(fixture, "read_one returns nothing, the one record, or an error when there are more") {
  CHECK_FALSE(repo.read_one(ash::query<Ticket>().filter(t.subject == "nothing")));
  auto one = repo.read_one(ash::query<Ticket>().filter(t.subject == "axb"));
  REQUIRE(one);
  CHECK(one->votes == 7);
  try {
    (void)repo.read_one(ash::query<Ticket>().filter(t.status == Status::open));
    FAIL("read_one of three records did not throw");
  } catch (const ash::exception& e) {
    CHECK(e.kind() == ash::error_kind::usage);
    CHECK(e.error().resource == "Ticket");
    CHECK(e.error().message.find("3 records") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(fixture, "get finds a record by primary key, or nothing") {
  auto axb = repo.read_one(ash::query<Ticket>().filter(t.subject == "axb"));
  REQUIRE(axb);
  auto got = repo.get<Ticket>(axb->id);
  REQUIRE(got);
  CHECK(got->subject == "axb");
  CHECK(got->tag.value == "other");
  CHECK(got->score == 3.5);
  CHECK(got->owner == 2);
  CHECK_FALSE(repo.get<Ticket>(std::int64_t{999}));
  CHECK_FALSE(repo.get<Ticket>(-1));
}

TEST_CASE_FIXTURE(fixture, "SQL in a value stays data: the table survives and the value round-trips") {
  const std::vector<std::string> attacks = {
      "x'); DROP TABLE tickets; --",
      "' OR '1'='1",
      "\"; DELETE FROM tickets; --",
      "1; UPDATE tickets SET votes = 0",
      "') UNION SELECT 1, 2, 3, 4, 5, 6, 7 --",
  };
  for (const auto& a : attacks) {
    CAPTURE(a);
    CHECK(repo.read(ash::query<Ticket>().filter(t.subject == a)).empty());
    CHECK(repo.count(ash::query<Ticket>().filter(ash::like(t.subject, a) or ash::contains(t.tag, a))) == 0);
    CHECK(repo.count(ash::query<Ticket>().filter(ash::in(t.subject, {a}))) == 0);
    CHECK(repo.count(ash::query<Ticket>().filter(ash::fragment<"? = ?">(t.subject, a))) == 0);
    fixture::add(a, a, 1, 1, Status::open, std::nullopt);
    CHECK(test::table_exists(repo, "tickets"));
    auto found = repo.read(ash::query<Ticket>().filter(t.subject == a));
    REQUIRE(found.size() == 1);
    CHECK(found[0].subject == a);
    CHECK(found[0].tag.value == a);
  }
  CHECK(repo.count(ash::query<Ticket>()) == 8 + static_cast<std::int64_t>(attacks.size()));
  CHECK(repo.count(ash::query<Ticket>().filter(t.votes == 0)) == 1);  // no UPDATE ran
}

TEST_CASE_FIXTURE(fixture, "each streams every record to a callback without collecting them") {
  std::int64_t total = 0;
  std::vector<std::string> seen;
  repo.each(ash::query<Ticket>().filter(t.status == Status::closed).sort(t.subject), [&](Ticket&& x) {
    total += x.votes;
    seen.push_back(std::move(x.subject));
  });
  CHECK(total == 3 + 0 + 6);
  CHECK(seen == strings{"100% done", "it's \"quoted\"", "printer jam"});

  int calls = 0;
  repo.each(ash::query<Ticket>().filter(t.subject == "nothing"), [&](Ticket&&) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE_FIXTURE(fixture, "try_read returns the records, or an error instead of throwing") {
  auto ok = repo.try_read(ash::query<Ticket>().filter(t.votes > 5));
  REQUIRE(ok);
  CHECK(ok->size() == 2);
  repo.exec("UPDATE tickets SET status = 'lost' WHERE votes = 7");
  auto bad = repo.try_read(ash::query<Ticket>().filter(t.votes > 5));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ash::error_kind::invalid_attribute);
  CHECK(bad.error().message.find("'lost'") != std::string::npos);
  repo.exec("DROP TABLE tickets");
  auto gone = repo.try_read(ash::query<Ticket>());
  REQUIRE_FALSE(gone);
  CHECK(gone.error().kind == ash::error_kind::database);
  CHECK(gone.error().message.find("no such table") != std::string::npos);
  CHECK(gone.error().sql.find("FROM \"tickets\"") != std::string::npos);
}
