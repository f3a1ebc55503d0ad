// A text column compared with an integer.
// expect: ash: cannot compare a field with a value of another type (see the next error for the field and the type)
// expect: cannot_compare_field_with_a_value_of_type<app::Ticket, &app::Ticket::subject, int>
#include <ash/ash.hpp>

namespace app {
struct Ticket {
  std::int64_t id = 0;
  std::string subject;
};
}  // namespace app
ASH_FIELDS(app::Ticket, id, subject);

int main() {
  auto t = ash::fields<app::Ticket>;
  (void)(t.subject == 42);
}
