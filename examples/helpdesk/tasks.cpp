// helpdesk_tasks: create, migrate, roll back and generate migrations for the helpdesk resources.
#include <ash/tasks/main.hpp>

#include "resources.hpp"

int main(int argc, char** argv) {
  return ash::tasks::main<helpdesk::Repo, helpdesk::Representative, helpdesk::Ticket>(argc, argv);
}
