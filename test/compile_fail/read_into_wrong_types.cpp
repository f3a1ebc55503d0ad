// read_into: the projection struct's fields must have the selected fields' types, in order.
// expect: ash: each field of the struct given to read_into must have the type of the selected field in its position
#include "../../examples/helpdesk/resources.hpp"  // the guide's resources

struct wrong_type {
  std::string subject;
  std::string status;  // the field is a helpdesk::Status
};

void f(helpdesk::Repo& repo) {
  auto t = ash::fields<helpdesk::Ticket>;
  (void)repo.read_into<wrong_type>(ash::query<helpdesk::Ticket>().select(t.subject, t.status));
}
