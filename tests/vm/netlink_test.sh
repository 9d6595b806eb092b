#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "sspi" generic netlink family through the kernel's ynl library
# (tests/vm/netlink_test.py).
exec /usr/bin/python3 "$(dirname "$0")/netlink_test.py"
