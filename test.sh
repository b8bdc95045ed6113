#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cd build
exec ctest --output-on-failure -j"$(nproc)" --timeout 300
