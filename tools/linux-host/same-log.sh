#!/usr/bin/env bash
# Compares two kernel logs of time-travel boots (tools/linux-host.sh): they must be the same
# line for line, timestamps included, apart from what names the run's own files (the
# command line, the socket directory, UML's random mconsole directory).
#   same-log.sh A/kernel.log B/kernel.log   (exit 0 when the same; prints the diff otherwise)
set -euo pipefail
strip() { grep -v -e "Kernel command line" -e mconsole "$1" | sed 's|/tmp/gaudisim-uml\.[A-Za-z0-9]*||g'; }
diff <(strip "$1") <(strip "$2") && echo "same-log: $1 and $2 are the same ($(wc -l <"$1") lines)"
