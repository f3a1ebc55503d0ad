// like and contains match text; priority is an integer.
// expect: ash: like needs a text field and a text pattern
// expect: like_and_contains_need_a_text_field<app::Ticket, &app::Ticket::priority>
#include <ash/ash.hpp>

namespace app {
struct Ticket {
  std::int64_t id = 0;
  int priority = 0;
};
}  // namespace app
ASH_FIELDS(app::Ticket, id, priority);

int main() {
  auto t = ash::fields<app::Ticket>;
  (void)ash::like(t.priority, "4%");
}
