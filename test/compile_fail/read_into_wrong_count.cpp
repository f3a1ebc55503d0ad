// read_into: the projection struct needs one field per selected field.
// expect: ash: the struct given to read_into needs exactly one field per selected field
#include "../../examples/helpdesk/resources.hpp"  // the guide's resources

struct too_few {
  std::string subject;
};

void f(helpdesk::Repo& repo) {
  auto t = ash::fields<helpdesk::Ticket>;
  (void)repo.read_into<too_few>(ash::query<helpdesk::Ticket>().select(t.subject, t.status));
}
