#!/usr/bin/env bash
# Installs the Debian 12 packages ash_sqlite builds with, if any is missing (needs root).
set -euo pipefail
packages=(meson ninja-build pkg-config g++ clang-14 python3
          libboost1.81-dev libboost-json1.81-dev libsqlite3-dev libfmt-dev doctest-dev
          libclang-rt-14-dev)  # libclang-rt: the libFuzzer runtime of the fuzz targets (clang builds)
if [ "${ASH_BENCH_DEPS:-1}" = 1 ]; then
  packages+=(libsqlitecpp-dev libsoci-dev time)  # the peers the benchmarks compare against; GNU time
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
