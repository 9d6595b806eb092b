#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The short, fixed-seed pass of the mutation fuzzer (tests/vm/fuzz_tokens.py,
# tests/modules/sspi_fuzz.c) that "make check" runs: every variant of every
# package, SSPI_FUZZ_CHECK_COUNT rounds per package (default 2000), seed 1.
# "make fuzz" runs the full counts.
#
# The fuzzer is one of the test modules: build them next to sspi_kmod with
# "scripts/build-module KIND SSPI_TEST_MODULES=m" before booting.

set -eu
ko="$(dirname "${SSPI_VM_MODULE:-/nonexistent/x}")/tests/modules/sspi_fuzz.ko"

[ -f "$ko" ] || { echo "FAIL: no $ko: build the test modules"; exit 1; }
insmod "$ko"
trap 'rmmod sspi_fuzz' EXIT
PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$(dirname "$0")/fuzz_tokens.py" \
	--count "${SSPI_FUZZ_CHECK_COUNT:-2000}" --seed 1 --max-size 1024
