#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sspictl's TLS key derivation (no kernel needed) against an independent
# implementation on python3-cryptography and RFC 8448's keys
# (kunit/rfc8448.h).  Builds sspictl first.

set -eu
dir=$(cd "$(dirname "$0")" && pwd)
tools=$(dirname "$dir")
top=$(dirname "$tools")

make -s -C "$tools" sspictl
# Debian's python3 with python3-cryptography (scripts/setup-host)
exec /usr/bin/python3 "$dir/derive_check.py" "$tools/sspictl" "$top/kunit/rfc8448.h"
