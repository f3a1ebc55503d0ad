#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the helpdesk example end to end on a
# SQLite file (default ./helpdesk.db): migrations first, then the getting-started story.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ASH_BENCH_DEPS=0 scripts/deps.sh
[ -d build ] || CXX=${CXX:-g++} meson setup build -Dtests=false -Dbench=false >/dev/null
meson compile -C build >/dev/null
db="$(realpath -m "${1:-helpdesk.db}")"
cd examples/helpdesk
exec "$root/build/examples/helpdesk" "$db" priv/repo/migrations
