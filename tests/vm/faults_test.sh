#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures injected into every package's import, key update,
# seal, unseal, sign and verify (tests/vm/faults.py): with no arguments the
# short pass "make check" runs (a few variants of the packages, one side of
# each import; kmemleak's scan is scripts/vm-run's, after the last test);
# arguments go to faults.py instead ("make fuzz": scripts/fuzz runs it
# with --long, which scans too).  Skipped where the kernel has no fault
# injection, except in the debug kernel, which must have it.
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/faults.py" "$@"
