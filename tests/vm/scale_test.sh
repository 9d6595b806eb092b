#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The context table at scale (tests/vm/scale_test.py): 100,000 contexts
# (2,000 under KASAN; SSPI_SCALE_N to change it) imported through
# netlink, sampled, dumped and deleted, with the limits raised for the
# test and restored.
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/scale_test.py" "$@"
