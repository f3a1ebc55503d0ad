// Opening: a failed open leaves nothing open; in-memory and read-write URIs work with the pool.
#include <doctest/doctest.h>

#include <fstream>

#include "support.hpp"

using namespace rel;

TEST_CASE("a failed open of a corrupt file leaks no handle and no file descriptor") {
  test::temp_dir dir;
  const std::string path = dir.file("corrupt.db");
  {
    std::ofstream f(path, std::ios::binary);
    f << std::string(8192, 'J');  // not a database
  }
  (void)open_fds();
  const std::size_t before = open_fds();
  int failures = 0;
  for (int i = 0; i < 300; ++i) {
    try {
      Repo repo({.database = path});
    } catch (const ash::exception& ex) {
      ++failures;
      if (i == 0) CHECK(std::string(ex.what()).find("not a database") != std::string::npos);
    }
  }
  CHECK(failures == 300);
  CHECK(open_fds() == before);
}

TEST_CASE("a file::memory: URI is one in-memory database, not one per reader") {
  for (const char* uri : {"file::memory:", "file::memory:?cache=private", "file:mem?mode=memory"}) {
    CAPTURE(uri);
    CHECK(ash::sqlite::is_memory_path(uri));
    Repo repo({.database = uri, .pool_size = 4});
    repo.create_table<Entry>();
    (void)repo.insert(Entry{0, 1, 1, 1, "x"});
    CHECK(repo.count(ash::query<Entry>()) == 1);
    CHECK(repo.read(ash::query<Entry>()).size() == 1);
  }
  CHECK_FALSE(ash::sqlite::is_memory_path("file:memory.db"));
  CHECK_FALSE(ash::sqlite::is_memory_path("memory"));
}

TEST_CASE("a file: URI with mode=rwc: the pooled readers open it read-only") {
  test::temp_dir dir;
  const std::string uri = "file:" + dir.file("uri.db") + "?mode=rwc&cache=private";
  CHECK(ash::sqlite::read_only_path(uri) == "file:" + dir.file("uri.db") + "?mode=ro&cache=private");
  CHECK(ash::sqlite::read_only_path("file:x.db?cache=private&mode=rw") == "file:x.db?cache=private&mode=ro");
  CHECK(ash::sqlite::read_only_path("plain.db") == "plain.db");
  Repo repo({.database = uri, .pool_size = 2});
  repo.create_table<Entry>();
  (void)repo.insert(Entry{0, 1, 1, 1, "x"});
  CHECK(repo.read(ash::query<Entry>()).size() == 1);
  CHECK(repo.get<Entry>(std::int64_t{1}).has_value());
  // The readers really are read-only.
  auto w = repo.try_read(ash::query<Entry>());
  CHECK(w.ok());
}
