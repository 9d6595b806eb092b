#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SSPI_IOC_BATCH: many messages in one /dev/sspi call (tests/vm/ioctl_batch.py).
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/ioctl_batch.py"
