// An enum column compared with a string: enums compare only with their own enumerators.
// expect: ash: cannot compare a field with a value of another type (see the next error for the field and the type)
// expect: cannot_compare_field_with_a_value_of_type<app::Ticket, &app::Ticket::status,
#include <ash/ash.hpp>

namespace app {
enum class Status { open, closed };
struct Ticket {
  std::int64_t id = 0;
  Status status = Status::open;
};
}  // namespace app
ASH_ENUM(app::Status, open, closed);
ASH_FIELDS(app::Ticket, id, status);

int main() {
  auto t = ash::fields<app::Ticket>;
  (void)(t.status == "closed");
}
