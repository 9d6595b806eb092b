#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /dev/sspi ioctls (tests/vm/ioctl_test.py).
exec /usr/bin/python3 "$(dirname "$0")/ioctl_test.py"
