#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the helpdesk example on helpdesk.db.
set -euo pipefail
cd "$(dirname "$0")/.."
ASH_BENCH_DEPS=0 scripts/deps.sh
[ -d build ] || CXX=${CXX:-g++} meson setup build -Dtests=false -Dbench=false >/dev/null
meson compile -C build helpdesk >/dev/null
./build/helpdesk "${1:-helpdesk.db}"
