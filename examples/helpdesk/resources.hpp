#pragma once
/// The helpdesk resources of the getting-started guide: representatives and their tickets.

#include <ash/ash.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace helpdesk {

/// The repo of the helpdesk database (configured in code; DATABASE_PATH overrides).
struct Repo : ash::sqlite::repo<Repo> {
  using repo::repo;
  static constexpr std::string_view name = "repo";
  static ash::sqlite::config default_config() { return {.database = "helpdesk.db"}; }
};

enum class Status { open, closed };

struct Representative {
  std::int64_t id = 0;
  std::string name;
};

struct Ticket {
  ash::uuid id;
  std::string subject;
  Status status = Status::open;
  std::optional<std::int64_t> representative_id;
  ash::utc_datetime inserted_at;
  ash::utc_datetime updated_at;
};

}  // namespace helpdesk

ASH_ENUM(helpdesk::Status, open, closed);
ASH_FIELDS(helpdesk::Representative, id, name);
ASH_FIELDS(helpdesk::Ticket, id, subject, status, representative_id, inserted_at, updated_at);

template <>
struct ash::resource<helpdesk::Representative> {
  using R = helpdesk::Representative;
  static constexpr auto sqlite = ash::sqlite::table("representatives").repo<helpdesk::Repo>();
  static constexpr auto primary_key = ash::integer_primary_key(&R::id);
  static constexpr auto actions = ash::actions(
      ash::defaults(ash::read, ash::destroy),
      ash::create_action<"create">().accept(&R::name).validate(ash::required(&R::name)));
};

template <>
struct ash::resource<helpdesk::Ticket> {
  using T = helpdesk::Ticket;
  static constexpr auto sqlite = ash::sqlite::table("tickets").repo<helpdesk::Repo>();
  static constexpr auto primary_key = ash::uuid_primary_key(&T::id);
  static constexpr auto attributes = ash::attributes(
      ash::attribute(&T::subject).max_length(200),
      ash::attribute(&T::status).default_value(helpdesk::Status::open),
      ash::create_timestamp(&T::inserted_at),
      ash::update_timestamp(&T::updated_at));
  static constexpr auto relationships = ash::relationships(
      ash::belongs_to<"representative", helpdesk::Representative>(&T::representative_id));
  static constexpr auto references = ash::references(
      ash::reference<"representative">().on_delete(ash::on_action::nilify));
  static constexpr auto actions = ash::actions(
      ash::defaults(ash::read, ash::destroy),
      ash::create_action<"open">().accept(&T::subject).validate(ash::required(&T::subject)),
      ash::update_action<"assign">().accept(&T::representative_id),
      ash::update_action<"close">().change(ash::set(&T::status, helpdesk::Status::closed)));
};
