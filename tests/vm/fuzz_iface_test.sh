#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random netlink and /dev/sspi requests (tests/vm/fuzz_iface.py): with no
# arguments the short, fixed-seed pass "make check" runs (500 of each per
# identity, seed 1); arguments go to fuzz_iface.py instead ("make fuzz").

set -eu
[ $# -gt 0 ] || set -- --count 500 --seed 1
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/fuzz_iface.py" "$@"
