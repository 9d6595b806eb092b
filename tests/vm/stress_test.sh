#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Many workers at once on shared contexts (tests/vm/stress.py), with the
# test module sspi_fuzz for the kernel API's threads: with no arguments the
# short pass "make check" runs (15 seconds, then an unload under load);
# arguments go to stress.py instead ("make fuzz").  Runs last in
# tests/vm/run-all: it unloads and reloads sspi_kmod.

set -eu
ko="$(dirname "${SSPI_VM_MODULE:-/nonexistent/x}")/tests/modules/sspi_fuzz.ko"

[ -f "$ko" ] || { echo "FAIL: no $ko: build the test modules"; exit 1; }
[ $# -gt 0 ] || set -- --seconds 15 --unload
insmod "$ko"
trap 'rmmod sspi_fuzz 2>/dev/null || true' EXIT
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$(dirname "$0")/stress.py" "$@"
