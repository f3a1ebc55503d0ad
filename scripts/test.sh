#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and tests with g++ 12 and
# clang++ 14 (warnings are errors), then the unit, migrate, tasks and reliability suites under
# AddressSanitizer + UndefinedBehaviorSanitizer (g++) and the reliability suite under
# ThreadSanitizer (clang++), and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh || exit 1
total_pass=0
total_fail=0
status=0

# run NAME CXX DIR "MESON OPTIONS" "TARGETS (empty: all)" "TESTS (empty: all)"
run() {
  local name=$1 cxx=$2 dir=$3 options=$4 targets=$5 tests=$6
  if [ ! -f "$dir/build.ninja" ]; then
    rm -rf "$dir"  # absent, or a setup that was interrupted
    # shellcheck disable=SC2086
    CXX=$cxx meson setup "$dir" -Dwerror=true $options >/dev/null || { echo "meson setup failed for $name"; exit 1; }
  fi
  echo "== $name: build"
  # shellcheck disable=SC2086
  if ! ninja -C "$dir" $targets; then
    echo "== $name: build failed"
    status=1
    total_fail=$((total_fail + 1))
    return
  fi
  echo "== $name: test"
  # shellcheck disable=SC2086
  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 $tests || status=1
  # Count test cases from meson's log (each meson test is one case).
  read -r p f < <(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
        p += 1
    else:
        f += 1
print(p, f)
PY
)
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
}

run g++ g++ build-test-gcc "" "" ""
run clang++-14 clang++-14 build-test-clang "" "" ""
# Sanitizers: the suites that run the library's code, not the compile-time or benchmark checks.
sanitized_targets="test/unit_tests test/migrate/migrate_tests test/tasks/tasks_tests test/tasks/fixture_tasks
  test/tasks/e2e_tasks_v1 test/tasks/e2e_tasks_v2 test/reliability/reliability_tests examples/helpdesk examples/helpdesk_tasks"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run "g++ ASan+UBSan" g++ build-test-asan "-Db_sanitize=address,undefined -Db_lundef=false -Dbench=false -Dbuildtype=debug" \
  "$sanitized_targets" "unit migrate tasks reliability"
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
run "clang++-14 TSan" clang++-14 build-test-tsan "-Db_sanitize=thread -Db_lundef=false -Dbench=false" \
  "test/reliability/reliability_tests" "reliability"
echo "$total_pass passed, $total_fail failed"
exit $status
