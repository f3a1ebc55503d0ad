#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and tests with g++ 12 and
# clang++ 14 (warnings are errors), and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh || exit 1
total_pass=0
total_fail=0
status=0
for cxx in g++ clang++-14; do
  case $cxx in g++) dir=build-test-gcc ;; *) dir=build-test-clang ;; esac
  if [ ! -d "$dir" ]; then
    CXX=$cxx meson setup "$dir" -Dwerror=true >/dev/null || { echo "meson setup failed for $cxx"; exit 1; }
  fi
  echo "== $cxx: build"
  if ! meson compile -C "$dir"; then
    echo "== $cxx: build failed"
    status=1
    total_fail=$((total_fail + 1))
    continue
  fi
  echo "== $cxx: test"
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
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
done
echo "$total_pass passed, $total_fail failed"
exit $status
