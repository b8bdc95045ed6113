#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite through CTest.
# GAUDISIM_LINUX_HOST_E2E=ON (what .ci/run sets) adds the linux-host label: the upstream
# Linux driver in a UML kernel (docs/linux-host.md). The kernel is built first when it is not
# in its cache (outside the clone: GAUDISIM_UML_CACHE, default /var/cache/gaudisim-uml; about
# 20 minutes on 2 cores). A failed kernel build is reported at the end and fails the run; the
# rest of the suite still runs. Without it (the default) the label is not registered.
set -euo pipefail
cd "$(dirname "$0")"
e2e="${GAUDISIM_LINUX_HOST_E2E:-OFF}"
case "$e2e" in
  ON|OFF) ;;
  *) echo "test.sh: GAUDISIM_LINUX_HOST_E2E: expected ON or OFF, got '$e2e'" >&2; exit 2 ;;
esac
kernel_error=""
if [ "$e2e" = ON ]; then
  start=$SECONDS
  if tools/linux-host/build-kernel.sh >/dev/null; then
    echo "test.sh: UML kernel ready ($((SECONDS - start)) s)" >&2
  else
    kernel_error="the UML kernel build failed after $((SECONDS - start)) s (build-kernel.sh says why above; its build log is in the cache entry); the linux-host tests cannot pass"
    echo "test.sh: $kernel_error" >&2
  fi
fi
tools/setup.sh -DGAUDISIM_LINUX_HOST_E2E="$e2e"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cd build
rc=0
ctest --output-on-failure -j"$(nproc)" --timeout 300 || rc=$?
if [ -n "$kernel_error" ]; then
  echo "test.sh: FAILED: $kernel_error" >&2
  rc=1
fi
exit $rc
