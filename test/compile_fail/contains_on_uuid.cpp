// contains on a UUID column: UUIDs are stored as text but are not strings.
// expect: ash: contains needs a text field and a text value
// expect: like_and_contains_need_a_text_field<app::Ticket, &app::Ticket::id>
#include <ash/ash.hpp>

namespace app {
struct Ticket {
  ash::uuid id;
};
}  // namespace app
ASH_FIELDS(app::Ticket, id);

int main() {
  auto t = ash::fields<app::Ticket>;
  (void)ash::contains(t.id, "0000");
}
