#include <doctest/doctest.h>

#include <chrono>

#include "ash/migrate/snapshot.hpp"
#include "support.hpp"

using namespace ash::migrate;
using test_support::temp_dir;

TEST_CASE("sha256 matches the FIPS 180-4 test vectors") {
  CHECK(detail::sha256_hex("") == "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  CHECK(detail::sha256_hex("abc") == "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  CHECK(detail::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
  CHECK(detail::sha256_hex(std::string(1000000, 'a')) ==
        "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0");
}

TEST_CASE("a snapshot round-trips every field") {
  auto t = test_support::tickets();
  t.attributes[3].references->name = "tickets_representative_id_fkey";
  t.attributes[3].references->on_update = "restrict";
  t.attributes[3].references->deferrable = "initially";
  t.identities.push_back({"unique_subject", {"subject"}, std::string("status <> 'closed'"), "tickets_unique_subject_index", false});
  t.custom_indexes.push_back({{"status", "lower(subject)"}, "tickets_status_subject_index", true, std::string("status = 'open'"),
                              std::string("already open")});
  t.custom_statements.push_back({"audit", "CREATE TABLE audit(x)", "DROP TABLE audit"});
  t.base_filter = "deleted_at IS NULL";
  t.strict = true;
  t.has_create_action = false;

  const std::string text = snapshot_text(t);
  const auto back = parse_snapshot(text);
  CHECK(back == t);
  CHECK(snapshot_text(back) == text);
  CHECK(text.find("\"hash\": \"" + snapshot_hash(t) + "\"") != std::string::npos);
  CHECK(text.find("\"allow_nil?\": false") != std::string::npos);
  CHECK(text.find("\"deferrable\": \"initially\"") != std::string::npos);
}

TEST_CASE("the hash changes with the content") {
  auto a = test_support::tickets();
  auto b = a;
  b.attributes[1].allow_nil = true;
  CHECK(snapshot_hash(a).size() == 64);
  CHECK(snapshot_hash(a) != snapshot_hash(b));
  CHECK(snapshot_hash(a) == snapshot_hash(test_support::tickets()));
}

TEST_CASE("loading fills in fields older snapshots lack") {
  const auto t = parse_snapshot(R"({"table": "posts", "repo": "repo",
    "attributes": [{"source": "id", "type": "uuid", "primary_key?": true, "allow_nil?": false},
                   {"source": "author_id", "type": "uuid", "references": {"table": "authors", "deferrable": true}}],
    "identities": [{"name": "title", "keys": ["title"]}]})");
  REQUIRE(t.attributes.size() == 2);
  CHECK(t.attributes[0].primary_key);
  CHECK_FALSE(t.attributes[0].allow_nil);
  CHECK(t.attributes[1].allow_nil);
  REQUIRE(t.attributes[1].references);
  CHECK(t.attributes[1].references->name == "posts_author_id_fkey");
  CHECK(t.attributes[1].references->destination_attribute == "id");
  CHECK(t.attributes[1].references->deferrable == "true");
  CHECK(t.identities[0].index_name == "posts_title_index");
  CHECK(t.has_create_action);
  CHECK_FALSE(t.strict);
}

TEST_CASE("bad snapshots fail with the file named") {
  CHECK_THROWS_WITH_AS(parse_snapshot("{not json", "x.json"), doctest::Contains("x.json: invalid JSON"), ash::exception);
  CHECK_THROWS_WITH_AS(parse_snapshot(R"({"table": "t", "attributes": [{"source": 3}]})", "y.json"),
                       doctest::Contains("y.json: snapshot field \"source\" must be a string"), ash::exception);
  CHECK_THROWS_WITH_AS(parse_snapshot(R"([1, 2])", "z.json"), doctest::Contains("z.json"), ash::exception);
}

TEST_CASE("the newest snapshot file wins; other names are ignored") {
  temp_dir dir;
  auto old_t = test_support::tickets();
  auto new_t = old_t;
  new_t.attributes.push_back(test_support::column("priority", "bigint"));
  write_snapshot(dir.path(), old_t, "20240101000000");
  write_snapshot(dir.path(), new_t, "20240102000000");
  // Not snapshots: a dev file, a short stamp, a note.
  write_text_file(dir.path() / "repo/tickets/20240103000000_dev.json", "{}");
  write_text_file(dir.path() / "repo/tickets/2024010300000.json", "{}");
  write_text_file(dir.path() / "repo/tickets/notes.txt", "hello");

  CHECK(latest_snapshot_file(dir.path(), "repo", "tickets")->filename() == "20240102000000.json");
  CHECK(load_latest_snapshot(dir.path(), "repo", "tickets") == new_t);
  CHECK_FALSE(load_latest_snapshot(dir.path(), "repo", "missing"));
  CHECK(is_snapshot_file_name("20240102000000.json"));
  CHECK_FALSE(is_snapshot_file_name("2024010200000a.json"));
}

TEST_CASE("timestamps are UTC yyyymmddhhmmss") {
  using namespace std::chrono;
  const auto tp = sys_days{year{2024} / 4 / 5} + hours{23} + minutes{42} + seconds{11};
  CHECK(utc_timestamp(tp) == "20240405234211");
}
