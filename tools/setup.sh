#!/usr/bin/env bash
# Shared by run.sh and test.sh: install the Debian packages gaudisim needs (only those
# missing), then configure and build into build/ (Release). Arguments are passed to cmake's
# configure step (test.sh: -DGAUDISIM_LINUX_HOST_E2E=ON|OFF).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config libsystemc-dev libboost-program-options-dev
          libgtest-dev nlohmann-json3-dev libfmt-dev libbenchmark-dev
          ccache python3 gnuplot-nox   # ccache: rebuilds; python3 + gnuplot: tools/plot_sweep.py
          libopenmpi-dev openmpi-bin)  # partitioned runs over MPI (docs/partition.md)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

# ccache keys on paths relative to the checkout, so a fresh clone reuses earlier builds.
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build build -j"$(nproc)" >&2
