#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Kerberos interop matrix again, the module's messages going through
# /dev/sspi (SSPI_IOC_ENCRYPT, _DECRYPT, _SIGN, _VERIFY) instead of netlink;
# contexts are still imported through netlink.  The gss-server /
# gss-client runs, which use sspictl's netlink path, are left to
# krb5_interop_test.  Cells print as "ok krb5-ioctl ...".

set -eu
dir=$(cd "$(dirname "$0")" && pwd)

[ -c /dev/sspi ] || { echo "FAIL: no /dev/sspi"; exit 1; }
exec bash "$dir/krb5_interop_test.sh" --ioctl --no-samples "$@"
