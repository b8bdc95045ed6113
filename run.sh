#!/usr/bin/env bash
# Install what is missing, build, and run gaudisim (default config when no options given).
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
if [ $# -eq 0 ]; then
  exec build/gaudisim --config configs/default.ini
fi
exec build/gaudisim "$@"
