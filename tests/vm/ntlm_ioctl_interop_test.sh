#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The NTLM interop matrix (tests/interop/ntlm_interop.py) with the messages
# through /dev/sspi: every gss-ntlmssp flag variant, both roles (cells
# printed as "ntlm-ioctl"); the sspi-gss and sample cells are
# ntlm_interop_test's.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)

[ -c /dev/sspi ] || { echo "FAIL: no /dev/sspi"; exit 1; }
exec bash "$dir/ntlm_interop_test.sh" --ioctl --no-samples "$@"
