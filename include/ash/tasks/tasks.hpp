#pragma once
/// \file
/// The tasks command line a user builds from their resources: `create`, `drop`,
/// `generate_migrations` (alias `codegen`), `migrate`, `rollback`, `status`, `setup`.
///
/// ```cpp
/// int main(int argc, char** argv) { return ash::tasks::run(argc, argv, my_project()); }
/// ```
///
/// Exit codes: 0 success; 1 failure, or `--check` found pending changes; 2 bad usage (unknown
/// command or option, missing value).

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ash/core/error.hpp"
#include "ash/core/schema.hpp"
#include "ash/migrate/generator.hpp"
#include "ash/migrate/migrator.hpp"
#include "ash/sqlite/connection.hpp"

namespace ash::tasks {

/// What the tasks program works on: one repo's database, tables and paths.
struct project {
  std::string program;        ///< name shown in usage, e.g. "helpdesk_tasks"
  std::string repo_name;      ///< e.g. "repo"; snapshots go under `<snapshot_path>/<repo_name>/`
  std::string database_path;  ///< overridden by the DATABASE_PATH environment variable
  std::vector<ash::schema::table> tables;
  std::string snapshot_path = "priv/resource_snapshots";
  std::string migrations_path;  ///< default `priv/<repo_name>/migrations`
};

/// Where a run reads answers and writes output; `run(argc, argv, p)` uses the process's.
struct console {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool interactive;  ///< stdin is a terminal: questions may be asked
};

namespace detail {

/// A usage error: reported with a hint to --help, exit code 2.
struct usage_error {
  std::string message;
};

/// One option a command accepts.
struct option_spec {
  std::string_view name;   ///< long name without dashes
  char short_name = 0;     ///< e.g. 'n' for -n, or 0
  bool takes_value = false;
  std::string_view help;
};

/// Parsed arguments: option values by long name (flags hold one empty value) and positionals.
struct arguments {
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::vector<std::string> positionals;

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  std::optional<std::string> value(std::string_view name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second.back();
  }
  std::vector<std::string> values(std::string_view name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
  }
};

/// Parses `args` against `specs`: `--name value`, `--name=value`, `-n value`, `-n5`, and `--`.
inline arguments parse(const std::string& command, const std::vector<std::string>& args,
                       const std::vector<option_spec>& specs) {
  arguments out;
  bool only_positionals = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positionals || arg.size() < 2 || arg[0] != '-') {
      out.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    const option_spec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      for (const auto& s : specs)
        if (s.name == name) spec = &s;
    } else {
      for (const auto& s : specs)
        if (s.short_name == arg[1]) spec = &s;
      if (spec && arg.size() > 2) inline_value = arg.substr(2);
    }
    if (!spec) throw usage_error{"unknown option " + arg + " for " + command};
    std::string value;
    if (spec->takes_value) {
      if (inline_value) value = *inline_value;
      else if (i + 1 < args.size()) value = args[++i];
      else throw usage_error{"option --" + std::string(spec->name) + " needs a value"};
    } else if (inline_value) {
      throw usage_error{"option --" + std::string(spec->name) + " takes no value"};
    }
    out.options[std::string(spec->name)].push_back(std::move(value));
  }
  return out;
}

/// Option `name` as a number from `min` to `max` written in decimal digits only (no sign, no
/// spaces), or a usage error saying it `needs` one and naming the value given.
inline std::optional<std::int64_t> number_option(const arguments& a, std::string_view name, std::int64_t min,
                                                 std::int64_t max, std::string_view needs) {
  auto v = a.value(name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  const char* end = v->data() + v->size();
  const bool digits = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto [stop, ec] = std::from_chars(v->data(), end, n);  // std::errc::result_out_of_range past int64
  if (!digits || ec != std::errc{} || stop != end || n < min || n > max)
    throw usage_error{"option --" + std::string(name) + " needs " + std::string(needs) + ", not \"" + *v + "\""};
  return n;
}

/// Reads an option holding a version (`--to`): a non-negative whole number.
inline std::optional<std::int64_t> integer_option(const arguments& a, std::string_view name) {
  return number_option(a, name, 0, std::numeric_limits<std::int64_t>::max(), "a non-negative whole number");
}

/// Reads an option holding a count of migrations (`--step`): 1 to the largest `int`, which is
/// what `migrate_options::step` holds (a larger value used to wrap in the cast).
inline std::optional<int> count_option(const arguments& a, std::string_view name) {
  constexpr int max = std::numeric_limits<int>::max();
  const auto n = number_option(a, name, 1, max, "a whole number from 1 to " + std::to_string(max));
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

/// The text of `--help` for a command.
inline std::string command_help(const project& p, std::string_view command, std::string_view summary,
                                std::string_view usage, const std::vector<option_spec>& specs) {
  std::string out = "Usage: " + p.program + " " + std::string(command) + std::string(usage) + "\n\n" +
                    std::string(summary) + "\n\nOptions:\n";
  for (const auto& s : specs) {
    std::string left = "  ";
    left += s.short_name ? std::string("-") + s.short_name + ", " : std::string("    ");
    left += "--" + std::string(s.name) + (s.takes_value ? " <value>" : "");
    if (left.size() < 32) left.resize(32, ' ');
    else left += "  ";
    out += left + std::string(s.help) + "\n";
  }
  out += "      --help                    Show this help.\n";
  return out;
}

/// A task: its name, summary, usage line, options, and body.
struct task {
  std::string_view name;
  std::string_view summary;
  std::string_view usage;
  std::vector<option_spec> options;
  int (*body)(const project&, const arguments&, console&);
};

inline std::string database_path(const project& p) {
  if (const char* env = std::getenv("DATABASE_PATH"); env && *env) return env;
  return p.database_path;
}

inline std::vector<std::filesystem::path> migrations_paths(const project& p, const arguments& a) {
  std::vector<std::filesystem::path> out;
  for (const auto& v : a.values("migrations-path")) out.emplace_back(v);
  if (out.empty()) out.emplace_back(p.migrations_path.empty() ? "priv/" + p.repo_name + "/migrations" : p.migrations_path);
  return out;
}

/// Opens the existing database, naming it in any error ("file is not a database", locked).
inline sqlite::connection open_existing(const std::string& path) {
  if (!sqlite::is_memory_path(path) && !std::filesystem::exists(path))
    migrate::detail::fail("the database " + path + " does not exist; create it first (create or setup)");
  try {
    sqlite::connection c(path);
    // Reading the schema makes SQLite check the file header now, not halfway through a task.
    c.exec("SELECT count(*) FROM sqlite_schema");
    return c;
  } catch (const ash::exception& e) {
    migrate::detail::fail("cannot use the database " + path + ": " + e.error().message);
  }
}

inline migrate::line_sink printer(std::ostream& os, bool enabled) {
  if (!enabled) return {};
  return [&os](std::string_view line) { os << line << '\n'; };
}

// ---- create, drop ---------------------------------------------------------------------------

inline int create_database(const project& p, bool quiet, console& io) {
  const std::string path = database_path(p);
  if (!sqlite::is_memory_path(path) && std::filesystem::exists(path)) {
    open_existing(path);  // an existing file must at least be a database
    if (!quiet) io.out << "The database for " << p.repo_name << " has already been created at " << path << "\n";
    return 0;
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) migrate::detail::fail("cannot create directory " + parent.string() + ": " + ec.message());
  try {
    sqlite::connection c(path);
  } catch (const ash::exception& e) {
    migrate::detail::fail("cannot create the database " + path + ": " + e.error().message);
  }
  if (!quiet) io.out << "The database for " << p.repo_name << " has been created at " << path << "\n";
  return 0;
}

inline int create_task(const project& p, const arguments& a, console& io) { return create_database(p, a.has("quiet"), io); }

/// What a file type is, in words: "a directory", "a symbolic link".
inline std::string file_type_name(std::filesystem::file_type t) {
  using std::filesystem::file_type;
  switch (t) {
    case file_type::regular: return "a regular file";
    case file_type::directory: return "a directory";
    case file_type::symlink: return "a symbolic link";
    case file_type::block: return "a block device";
    case file_type::character: return "a character device";
    case file_type::fifo: return "a FIFO";
    case file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

/// The type of what is at `path` itself (a symbolic link is not followed); not_found when
/// nothing is there. Throws when it cannot be inspected.
inline std::filesystem::file_type type_at(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(path, ec);
  if (st.type() == std::filesystem::file_type::not_found) return st.type();
  if (ec) migrate::detail::fail("cannot inspect " + path + ": " + ec.message());
  return st.type();
}

/// Deletes the database file and its companions. Only regular files are removed: a directory,
/// a symbolic link or anything else at the database path, or at a companion's, makes it refuse
/// before asking or removing anything.
inline int drop_task(const project& p, const arguments& a, console& io) {
  using std::filesystem::file_type;
  const std::string path = database_path(p);
  const bool quiet = a.has("quiet");
  const file_type type = type_at(path);
  if (type == file_type::not_found) {
    if (!quiet) io.out << "The database for " << p.repo_name << " has already been dropped (" << path << ")\n";
    return 0;
  }
  if (type != file_type::regular)
    migrate::detail::fail("refusing to drop " + path + ": it is " + file_type_name(type) +
                          ", not a database file; nothing removed");
  std::vector<std::string> files{path};
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string companion = path + suffix;
    const file_type t = type_at(companion);
    if (t == file_type::not_found) continue;
    if (t != file_type::regular)
      migrate::detail::fail("refusing to drop " + path + ": " + companion + " is " + file_type_name(t) +
                            ", not a file; nothing removed");
    files.push_back(companion);
  }
  if (!a.has("force")) {
    if (!io.interactive) {
      io.err << "error: refusing to drop " << path << " without --force: stdin is not a terminal, so nobody can confirm\n";
      return 1;
    }
    io.out << "Are you sure you want to drop the database " << path << "? [y/N] " << std::flush;
    std::string answer;
    std::getline(io.in, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      io.out << "Not dropped.\n";
      return 1;
    }
  }
  for (const auto& file : files) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) migrate::detail::fail("cannot remove " + file + ": " + ec.message());
  }
  if (!quiet) io.out << "The database for " << p.repo_name << " has been dropped (" << path << ")\n";
  return 0;
}

// ---- generate_migrations --------------------------------------------------------------------

/// Answers rename questions from --rename/--no-renames, else by asking on a terminal, else fails.
inline migrate::rename_resolver rename_answers(const arguments& a, console& io, std::set<std::string>& unused) {
  const auto given = a.values("rename");
  for (const auto& r : given) {
    const auto dot = r.find('.'), eq = r.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot || dot == 0 || eq == dot + 1 || eq + 1 == r.size())
      throw usage_error{"--rename needs table.old=new, not \"" + r + "\""};
    unused.insert(r);
  }
  if (!given.empty() || a.has("no-renames")) {
    return [&unused, given](const std::string& t, const std::string& from, const std::string& to) {
      const std::string key = t + "." + from + "=" + to;
      for (const auto& g : given)
        if (g == key) {
          unused.erase(key);
          return true;
        }
      return false;
    };
  }
  if (io.interactive) {
    return [&io](const std::string& t, const std::string& from, const std::string& to) {
      io.out << "Are you renaming " << t << "." << from << " to " << t << "." << to << "? [y/N] " << std::flush;
      std::string answer;
      std::getline(io.in, answer);
      return answer == "y" || answer == "Y" || answer == "yes";
    };
  }
  return [](const std::string& t, const std::string& from, const std::string& to) -> bool {
    migrate::detail::fail("Cannot ask \"Are you renaming " + t + "." + from + " to " + t + "." + to +
                          "?\": stdin is not a terminal. Answer with --rename " + t + "." + from + "=" + to +
                          " or --no-renames.");
  };
}

inline int generate_task(const project& p, const arguments& a, console& io) {
  if (a.positionals.size() > 1) throw usage_error{"generate_migrations takes at most one name"};
  if (a.has("name") && !a.positionals.empty()) throw usage_error{"give the name either with --name or positionally, not both"};
  const bool quiet = a.has("quiet");
  migrate::generate_options o;
  o.name = a.value("name").value_or(a.positionals.empty() ? std::string{} : a.positionals[0]);
  o.snapshot_path = a.value("snapshot-path").value_or(p.snapshot_path);
  o.migration_path = a.value("migration-path").value_or(p.migrations_path.empty() ? "priv/" + p.repo_name + "/migrations"
                                                                                   : p.migrations_path);
  o.drop_columns = a.has("drop-columns");
  o.dry_run = a.has("dry-run");
  o.check = a.has("check");
  std::set<std::string> unused;
  o.renames = rename_answers(a, io, unused);

  std::vector<ash::schema::table> tables = p.tables;
  if (auto domains = a.value("domains")) {
    std::set<std::string> repos;
    std::size_t start = 0;
    while (start <= domains->size()) {
      auto comma = domains->find(',', start);
      repos.insert(domains->substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    std::erase_if(tables, [&](const auto& t) { return !repos.count(t.repo.empty() ? p.repo_name : t.repo); });
    if (tables.empty()) migrate::detail::fail("no tables belong to --domains " + *domains + " (this program's repo is " + p.repo_name + ")");
  }
  for (auto& t : tables)
    if (t.repo.empty()) t.repo = p.repo_name;

  if (!unused.empty()) {
    // A dry run first proves that every --rename answer was asked for, so that a mistyped
    // answer writes nothing (the resolver removes each answer it uses from `unused`).
    auto dry = o;
    dry.dry_run = true;
    migrate::generate(tables, dry);
    if (!unused.empty())
      migrate::detail::fail("--rename " + *unused.begin() + " does not match a removed and an added column; nothing written");
  }
  const auto r = migrate::generate(tables, o);
  if (!r.changed()) {
    if (!quiet) io.out << migrate::no_changes_message << "\n";
    return 0;
  }
  if (o.check) {
    io.out << "Migrations would be generated for:\n";
    for (const auto& op : r.diff.operations) io.out << "  " << op.description << "\n";
    io.out << "Run " << p.program << " generate_migrations --name <name> to generate them.\n";
    return 1;
  }
  if (o.dry_run) {
    io.out << "-- " << r.migration->path.string() << "\n" << r.migration->text;
    for (const auto& s : r.snapshots) io.out << "\n-- would write snapshot " << s.path.string() << "\n";
    return 0;
  }
  if (!quiet) {
    io.out << "Generated " << r.migration->path.string() << "\n";
    for (const auto& s : r.snapshots) io.out << "Generated " << s.path.string() << "\n";
  }
  return 0;
}

// ---- migrate, rollback, status, setup -------------------------------------------------------

inline int run_migrations(const project& p, const arguments& a, console& io) {
  const bool quiet = a.has("quiet");
  migrate::migrate_options o;
  o.paths = migrations_paths(p, a);
  o.step = count_option(a, "step");
  o.to = integer_option(a, "to");
  o.strict_version_order = a.has("strict-version-order");
  o.log_sql = printer(io.out, a.has("log-sql"));
  o.progress = printer(io.out, !quiet);
  auto c = open_existing(database_path(p));
  const auto done = migrate::migrate(c, o);
  if (done.empty() && !quiet) io.out << "Migrations already up\n";
  return 0;
}

inline int migrate_task(const project& p, const arguments& a, console& io) { return run_migrations(p, a, io); }

inline int rollback_task(const project& p, const arguments& a, console& io) {
  const bool quiet = a.has("quiet");
  migrate::rollback_options o;
  o.paths = migrations_paths(p, a);
  o.step = count_option(a, "step");
  o.to = integer_option(a, "to");
  o.all = a.has("all");
  if (o.all + a.has("step") + o.to.has_value() > 1) throw usage_error{"use one of --all, --step and --to"};
  o.log_sql = printer(io.out, a.has("log-sql"));
  o.progress = printer(io.out, !quiet);
  auto c = open_existing(database_path(p));
  const auto done = migrate::rollback(c, o);
  if (done.empty() && !quiet) io.out << "No migrations to roll back\n";
  return 0;
}

inline int status_task(const project& p, const arguments& a, console& io) {
  const std::string path = database_path(p);
  auto c = open_existing(path);
  const auto list = migrate::status(c, migrations_paths(p, a));
  io.out << "Repo: " << p.repo_name << " (" << path << ")\n\n  Status    Migration ID      Migration Name\n"
         << "--------------------------------------------------\n";
  for (const auto& m : list) io.out << "  " << (m.applied ? "up  " : "down") << "      " << m.version << "    " << m.name << "\n";
  return 0;
}

inline int setup_task(const project& p, const arguments& a, console& io) {
  if (int rc = create_database(p, a.has("quiet"), io)) return rc;
  return run_migrations(p, a, io);
}

inline const std::vector<task>& tasks() {
  static const option_spec quiet{"quiet", 'q', false, "Print nothing but errors."};
  static const option_spec paths{"migrations-path", 0, true, "A migrations directory (repeatable; default priv/<repo>/migrations)."};
  static const option_spec log_sql{"log-sql", 0, false, "Print each SQL statement as it runs."};
  static const std::vector<task> all = {
      {"create", "Creates the database file (and its directory).", "", {quiet}, create_task},
      {"drop", "Deletes the database file; asks first unless --force.", "",
       {{"force", 'f', false, "Do not ask for confirmation."}, quiet}, drop_task},
      {"generate_migrations", "Diffs the resources against their snapshots and writes a migration and new snapshots.",
       " [name]",
       {{"name", 0, true, "The migration's name (or give it positionally)."},
        {"dry-run", 0, false, "Print the migration; write nothing."},
        {"check", 0, false, "Exit 1 if anything would be generated; write nothing."},
        {"drop-columns", 0, false, "Drop removed columns instead of writing the drop commented out."},
        {"snapshot-path", 0, true, "Snapshot directory (default priv/resource_snapshots)."},
        {"migration-path", 0, true, "Directory for the new migration (default priv/<repo>/migrations)."},
        {"domains", 0, true, "Only tables of these repos (comma-separated repo names)."},
        {"rename", 0, true, "Answer a rename question: table.old=new (repeatable); others are no."},
        {"no-renames", 0, false, "Answer no to every rename question."},
        quiet},
       generate_task},
      {"migrate", "Applies pending migrations (all by default).", "",
       {{"step", 'n', true, "Apply this many pending migrations."},
        {"to", 0, true, "Apply pending migrations up to this version."},
        {"all", 0, false, "Apply all pending migrations (the default)."},
        {"strict-version-order", 0, false, "Fail if a pending migration is older than the newest applied one."},
        paths, log_sql, quiet},
       migrate_task},
      {"rollback", "Reverts applied migrations (the last one by default).", "",
       {{"step", 'n', true, "Revert this many migrations."},
        {"to", 0, true, "Revert every migration down to this version, inclusive."},
        {"all", 0, false, "Revert every applied migration."},
        paths, log_sql, quiet},
       rollback_task},
      {"status", "Lists every migration as up or down.", "", {paths}, status_task},
      {"setup", "Creates the database and applies pending migrations.", "", {paths, log_sql, quiet}, setup_task},
  };
  return all;
}

inline std::string usage(const project& p) {
  std::string out = "Usage: " + p.program + " <command> [options]\n\nCommands:\n";
  for (const auto& t : tasks()) {
    std::string left = "  " + std::string(t.name);
    left.resize(24, ' ');
    out += left + std::string(t.summary) + "\n";
  }
  out += "  codegen               Same as generate_migrations.\n\nRun '" + p.program +
         " <command> --help' for a command's options. DATABASE_PATH overrides the database path.\n";
  return out;
}

}  // namespace detail

/// Runs one command (`args[0]`) with its options; returns the process exit code.
inline int run(const std::vector<std::string>& args, const project& p, console& io) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? io.err : io.out) << detail::usage(p);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0] == "codegen" ? "generate_migrations" : args[0];
  const detail::task* t = nullptr;
  for (const auto& candidate : detail::tasks())
    if (candidate.name == command) t = &candidate;
  if (!t) {
    io.err << "error: unknown command \"" << args[0] << "\"\n\n" << detail::usage(p);
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
    io.out << detail::command_help(p, t->name, t->summary, t->usage, t->options);
    return 0;
  }
  try {
    const auto parsed = detail::parse(command, rest, t->options);
    if (command != "generate_migrations" && !parsed.positionals.empty())
      throw detail::usage_error{command + " takes no arguments, got \"" + parsed.positionals[0] + "\""};
    return t->body(p, parsed, io);
  } catch (const detail::usage_error& e) {
    io.err << "error: " << e.message << "\nRun '" << p.program << " " << command << " --help' for its options.\n";
    return 2;
  } catch (const ash::exception& e) {
    io.err << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    io.err << "error: " << e.what() << "\n";
    return 1;
  }
}

/// Runs the command line of a tasks program with the process's stdin, stdout and stderr.
inline int run(int argc, char** argv, const project& p) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  console io{std::cin, std::cout, std::cerr, ::isatty(0) == 1};
  project named = p;
  if (named.program.empty()) named.program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "tasks";
  return run(args, named, io);
}

}  // namespace ash::tasks
