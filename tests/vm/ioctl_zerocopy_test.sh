#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /dev/sspi in place: pinned DATA against the copy, pages changed under
# the kernel (tests/vm/ioctl_zerocopy.py).
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/ioctl_zerocopy.py"
