// libFuzzer target: arbitrary bytes as the text of a migration file, through everything that
// reads one before SQLite does: parse_migration (sections, directives, NUL bytes),
// split_statements on both sections, and parse_migration_file_name on the bytes as a file name.
// An `ash::exception` is a refused file; a crash, a hang, a sanitizer report or a failed
// property below is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "ash/migrate/migration_file.hpp"

namespace {

[[noreturn]] void property_failed(const char* what) {
  std::fprintf(stderr, "migration_file_fuzz: property failed: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const ash::migrate::migration_sql parsed = ash::migrate::parse_migration(text, "fuzz.sql");
    if (text.find('\0') != std::string_view::npos) property_failed("a text with a NUL byte was accepted");
    // The sections hold no section line, so writing them back under fresh markers parses to
    // the same sections.
    const auto again = ash::migrate::parse_migration("-- +up\n" + parsed.up + "-- +down\n" + parsed.down, "again.sql");
    if (again.up != parsed.up || again.down != parsed.down) property_failed("sections changed when written back");
    for (const std::string* section : {&parsed.up, &parsed.down}) {
      std::size_t total = 0;
      for (const auto& statement : ash::migrate::split_statements(*section)) {
        if (statement.empty()) property_failed("split_statements returned an empty statement");
        total += statement.size();
      }
      if (total > section->size()) property_failed("split_statements returned more text than it was given");
    }
  } catch (const ash::exception&) {
  }
  try {
    const std::filesystem::path path(std::string{text});
    if (auto m = ash::migrate::parse_migration_file_name(path); m && m->version < 0)
      property_failed("a file name parsed to a negative version");
  } catch (const ash::exception&) {
  }
  return 0;
}
