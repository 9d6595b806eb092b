#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mutation fuzzer (tests/vm/fuzz_tokens.py, tests/modules/sspi_fuzz.c):
# with no arguments the short, fixed-seed pass "make check" runs (every
# variant of every package, 2000 rounds per package, seed 1); arguments go
# to fuzz_tokens.py instead ("make fuzz": scripts/fuzz).
#
# The fuzzer is one of the test modules: build them next to sspi_kmod with
# "scripts/build-module KIND SSPI_TEST_MODULES=m" before booting.

set -eu
ko="$(dirname "${SSPI_VM_MODULE:-/nonexistent/x}")/tests/modules/sspi_fuzz.ko"

[ -f "$ko" ] || { echo "FAIL: no $ko: build the test modules"; exit 1; }
[ $# -gt 0 ] || set -- --count 2000 --seed 1 --max-size 1024
insmod "$ko"
trap 'rmmod sspi_fuzz' EXIT
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$(dirname "$0")/fuzz_tokens.py" "$@"
