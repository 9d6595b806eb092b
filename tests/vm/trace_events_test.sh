#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's trace events (tests/vm/trace_events.py), through tracefs.
set -eu
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/trace_events.py"
