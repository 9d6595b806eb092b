#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Contexts are charged to the importer's memory cgroup
# (tests/vm/memcg_test.py; needs CONFIG_MEMCG: the distro kernel has it).
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 "$(dirname "$0")/memcg_test.py"
