// The reliability suite. `--soak[=N]` (or ASH_SOAK=N) runs every bounded loop N times longer
// (default 30): the long run behind the figures in docs/reliability.md.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "support.hpp"

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--soak", 6) == 0) {
      rel::soak_factor() = argv[i][6] == '=' ? std::max(1, std::atoi(argv[i] + 7)) : 30;
      continue;
    }
    rest.push_back(argv[i]);
  }
  doctest::Context context(static_cast<int>(rest.size()), rest.data());
  return context.run();
}
