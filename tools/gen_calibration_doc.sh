#!/usr/bin/env bash
# Regenerates the table in docs/calibration.md (between the BEGIN/END markers) from the
# parameter declarations and the sources in testbench/config/calibration.cpp, through
# `gaudisim --calibration`. CTest docs_calibration_is_current checks it is current.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/calibration.md
table=$(SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 build/gaudisim --calibration)
awk -v table="$table" '
  /^<!-- BEGIN generated calibration table/ { print; print table; skip = 1; next }
  /^<!-- END generated calibration table/ { skip = 0 }
  !skip { print }
' "$doc" > "$doc.tmp"
mv "$doc.tmp" "$doc"
