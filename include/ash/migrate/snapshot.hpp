#pragma once
/// \file
/// Resource snapshots: a `schema::table` as JSON, written once per table per generation under
/// `<snapshot_path>/<repo>/<table>/<UTC yyyymmddhhmmss>.json`, and read back to diff against.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ash/core/error.hpp"
#include "ash/core/schema.hpp"
#include "ash/migrate/sha256.hpp"

namespace ash::migrate {

namespace json = boost::json;

namespace detail {

/// Throws an `ash::exception` of kind migration with `message`.
[[noreturn]] inline void fail(std::string message) {
  ash::error e;
  e.kind = error_kind::migration;
  e.message = std::move(message);
  throw ash::exception(std::move(e));
}

inline json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

inline json::array string_array(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

/// Reads `key` of `o` as a string, or `fallback` when it is missing or null.
inline std::string get_string(const json::object& o, std::string_view key, std::string fallback = {}) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) fail("snapshot field \"" + std::string(key) + "\" must be a string");
  return std::string(v->get_string());
}

inline std::optional<std::string> get_optional_string(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) fail("snapshot field \"" + std::string(key) + "\" must be a string or null");
  return std::string(v->get_string());
}

inline bool get_bool(const json::object& o, std::string_view key, bool fallback) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool()) fail("snapshot field \"" + std::string(key) + "\" must be true or false");
  return v->get_bool();
}

inline const json::array& get_array(const json::object& o, std::string_view key) {
  static const json::array empty;
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return empty;
  if (!v->is_array()) fail("snapshot field \"" + std::string(key) + "\" must be a list");
  return v->get_array();
}

inline const json::object& as_object(const json::value& v, std::string_view what) {
  if (!v.is_object()) fail("snapshot: each " + std::string(what) + " must be an object");
  return v.get_object();
}

inline std::vector<std::string> get_strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : get_array(o, key)) {
    if (!v.is_string()) fail("snapshot field \"" + std::string(key) + "\" must be a list of strings");
    out.emplace_back(v.get_string());
  }
  return out;
}

/// Indented JSON with keys in insertion order, so snapshots diff well under version control.
inline void pretty_print(std::ostream& os, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      os << "{}";
      return;
    }
    os << "{\n";
    bool first = true;
    for (const auto& kv : o) {
      if (!first) os << ",\n";
      first = false;
      os << inner << json::serialize(json::string(kv.key())) << ": ";
      pretty_print(os, kv.value(), indent + 1);
    }
    os << '\n' << pad << '}';
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      os << "[]";
      return;
    }
    bool scalars = true;
    for (const auto& e : a) scalars = scalars && !e.is_object() && !e.is_array();
    if (scalars) {  // short lists of names stay on one line
      os << json::serialize(v);
      return;
    }
    os << "[\n";
    bool first = true;
    for (const auto& e : a) {
      if (!first) os << ",\n";
      first = false;
      os << inner;
      pretty_print(os, e, indent + 1);
    }
    os << '\n' << pad << ']';
  } else {
    os << json::serialize(v);
  }
}

}  // namespace detail

/// A reference as snapshot JSON.
inline json::object to_json(const schema::reference& r) {
  json::object o;
  o["name"] = r.name;
  o["table"] = r.table;
  o["destination_attribute"] = r.destination_attribute;
  o["on_delete"] = detail::optional_string(r.on_delete);
  o["on_update"] = detail::optional_string(r.on_update);
  o["deferrable"] = r.deferrable;
  o["ignore?"] = r.ignore;
  o["primary_key?"] = r.primary_key;
  return o;
}

/// The snapshot JSON of a table, without its hash: the canonical form that is hashed.
inline json::object to_json_without_hash(const schema::table& t) {
  json::object o;
  o["table"] = t.name;
  o["repo"] = t.repo;
  json::array attributes;
  for (const auto& a : t.attributes) {
    json::object ao;
    ao["source"] = a.source;
    ao["type"] = a.type;
    ao["allow_nil?"] = a.allow_nil;
    ao["default"] = detail::optional_string(a.default_sql);
    ao["generated?"] = a.generated;
    ao["primary_key?"] = a.primary_key;
    ao["references"] = a.references ? json::value(to_json(*a.references)) : json::value(nullptr);
    attributes.emplace_back(std::move(ao));
  }
  o["attributes"] = std::move(attributes);
  json::array identities;
  for (const auto& id : t.identities) {
    json::object io;
    io["name"] = id.name;
    io["keys"] = detail::string_array(id.keys);
    io["base_filter"] = detail::optional_string(id.base_filter);
    io["index_name"] = id.index_name;
    io["nils_distinct?"] = id.nils_distinct;
    identities.emplace_back(std::move(io));
  }
  o["identities"] = std::move(identities);
  json::array indexes;
  for (const auto& ix : t.custom_indexes) {
    json::object io;
    io["fields"] = detail::string_array(ix.fields);
    io["name"] = ix.name;
    io["unique"] = ix.unique;
    io["where"] = detail::optional_string(ix.where);
    io["message"] = detail::optional_string(ix.message);
    indexes.emplace_back(std::move(io));
  }
  o["custom_indexes"] = std::move(indexes);
  json::array statements;
  for (const auto& s : t.custom_statements) {
    json::object so;
    so["name"] = s.name;
    so["up"] = s.up;
    so["down"] = s.down;
    statements.emplace_back(std::move(so));
  }
  o["custom_statements"] = std::move(statements);
  o["base_filter"] = detail::optional_string(t.base_filter);
  o["strict?"] = t.strict;
  o["has_create_action"] = t.has_create_action;
  return o;
}

/// Uppercase hex SHA-256 of the table's canonical (compact, hash-less) snapshot JSON.
inline std::string snapshot_hash(const schema::table& t) {
  return detail::sha256_hex(json::serialize(to_json_without_hash(t)));
}

/// The full snapshot JSON of a table, with its hash.
inline json::object to_json(const schema::table& t) {
  json::object o = to_json_without_hash(t);
  o["hash"] = snapshot_hash(t);
  return o;
}

/// The snapshot file's text: indented JSON and a final newline.
inline std::string snapshot_text(const schema::table& t) {
  std::ostringstream os;
  detail::pretty_print(os, to_json(t), 0);
  os << '\n';
  return os.str();
}

/// Reads a table back from snapshot JSON, filling in fields older snapshots lack.
/// Throws `ash::exception` (kind migration) when the JSON does not describe a table.
inline schema::table table_from_json(const json::value& v) {
  using namespace detail;
  const json::object& o = as_object(v, "snapshot");
  schema::table t;
  t.name = get_string(o, "table");
  t.repo = get_string(o, "repo");
  for (const auto& av : get_array(o, "attributes")) {
    const json::object& ao = as_object(av, "attribute");
    schema::attribute a;
    a.source = get_string(ao, "source");
    a.type = get_string(ao, "type");
    a.allow_nil = get_bool(ao, "allow_nil?", true);
    a.default_sql = get_optional_string(ao, "default");
    a.generated = get_bool(ao, "generated?", false);
    a.primary_key = get_bool(ao, "primary_key?", false);
    if (auto* rv = ao.if_contains("references"); rv && !rv->is_null()) {
      const json::object& ro = as_object(*rv, "reference");
      schema::reference r;
      r.table = get_string(ro, "table");
      r.name = get_string(ro, "name", t.name + "_" + a.source + "_fkey");
      r.destination_attribute = get_string(ro, "destination_attribute", "id");
      r.on_delete = get_optional_string(ro, "on_delete");
      r.on_update = get_optional_string(ro, "on_update");
      if (auto* d = ro.if_contains("deferrable"); d && d->is_bool()) r.deferrable = d->get_bool() ? "true" : "false";
      else r.deferrable = get_string(ro, "deferrable", "false");
      r.ignore = get_bool(ro, "ignore?", false);
      r.primary_key = get_bool(ro, "primary_key?", true);
      a.references = std::move(r);
    }
    if (a.source.empty()) fail("snapshot of table " + t.name + ": an attribute has no \"source\"");
    t.attributes.push_back(std::move(a));
  }
  for (const auto& iv : get_array(o, "identities")) {
    const json::object& io = as_object(iv, "identity");
    schema::identity id;
    id.name = get_string(io, "name");
    id.keys = get_strings(io, "keys");
    id.base_filter = get_optional_string(io, "base_filter");
    id.index_name = get_string(io, "index_name", t.name + "_" + id.name + "_index");
    id.nils_distinct = get_bool(io, "nils_distinct?", true);
    t.identities.push_back(std::move(id));
  }
  for (const auto& iv : get_array(o, "custom_indexes")) {
    const json::object& io = as_object(iv, "custom index");
    schema::custom_index ix;
    ix.fields = get_strings(io, "fields");
    ix.name = get_string(io, "name");
    ix.unique = get_bool(io, "unique", false);
    ix.where = get_optional_string(io, "where");
    ix.message = get_optional_string(io, "message");
    t.custom_indexes.push_back(std::move(ix));
  }
  for (const auto& sv : get_array(o, "custom_statements")) {
    const json::object& so = as_object(sv, "custom statement");
    t.custom_statements.push_back({get_string(so, "name"), get_string(so, "up"), get_string(so, "down")});
  }
  t.base_filter = get_optional_string(o, "base_filter");
  t.strict = get_bool(o, "strict?", false);
  t.has_create_action = get_bool(o, "has_create_action", true);
  return t;
}

/// Parses snapshot text; throws `ash::exception` (kind migration) naming `origin` on bad JSON.
inline schema::table parse_snapshot(std::string_view text, std::string_view origin = "snapshot") {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) detail::fail(std::string(origin) + ": invalid JSON: " + ec.message());
  try {
    return table_from_json(v);
  } catch (const ash::exception& e) {
    detail::fail(std::string(origin) + ": " + e.error().message);
  }
}

/// Whether `name` is a snapshot file name: exactly 14 digits then ".json".
inline bool is_snapshot_file_name(std::string_view name) {
  if (name.size() != 19 || name.substr(14) != ".json") return false;
  for (std::size_t i = 0; i < 14; ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

/// The directory holding the snapshots of one table.
inline std::filesystem::path snapshot_dir(const std::filesystem::path& snapshot_path, std::string_view repo,
                                          std::string_view table) {
  return snapshot_path / std::string(repo) / std::string(table);
}

/// The newest snapshot file of a table (greatest `^\d{14}\.json$` name), if any.
inline std::optional<std::filesystem::path> latest_snapshot_file(const std::filesystem::path& snapshot_path,
                                                                 std::string_view repo, std::string_view table) {
  const auto dir = snapshot_dir(snapshot_path, repo, table);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  std::optional<std::filesystem::path> best;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !is_snapshot_file_name(name)) continue;
    if (!best || name > best->filename().string()) best = entry.path();
  }
  return best;
}

/// Reads a whole file; throws `ash::exception` (kind migration) if it cannot be read.
inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::fail("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Writes a whole file, creating its directories; throws `ash::exception` on failure.
inline void write_text_file(const std::filesystem::path& path, std::string_view text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) detail::fail("cannot create directory " + path.parent_path().string() + ": " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) detail::fail("cannot write " + path.string());
}

/// The newest snapshot of a table, or nullopt when the table has never been snapshotted.
inline std::optional<schema::table> load_latest_snapshot(const std::filesystem::path& snapshot_path,
                                                         std::string_view repo, std::string_view table) {
  auto file = latest_snapshot_file(snapshot_path, repo, table);
  if (!file) return std::nullopt;
  return parse_snapshot(read_text_file(*file), file->string());
}

/// `yyyymmddhhmmss` of a UTC time point: the stamp of snapshot and migration file names.
inline std::string utc_timestamp(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  return buf;
}

/// Writes `t`'s snapshot as `<dir>/<timestamp>.json` and returns the path.
inline std::filesystem::path write_snapshot(const std::filesystem::path& snapshot_path, const schema::table& t,
                                            std::string_view timestamp) {
  auto path = snapshot_dir(snapshot_path, t.repo, t.name) / (std::string(timestamp) + ".json");
  write_text_file(path, snapshot_text(t));
  return path;
}

}  // namespace ash::migrate
