#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rc4-hmac (enctype 23) against MIT krb5 (tests/interop/krb5_rc4_interop.py)
# with the loaded module: allow_rc4 is switched on through sysfs for the
# run and back off after it.  Arguments go to krb5_rc4_interop.py (--role
# R, --no-samples, -v).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gss="$top/userspace-tools/sspi-gss"
param=/sys/module/sspi_kmod/parameters/allow_rc4

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$gss" ] || fail "$gss not built (make -C userspace-tools)"
[ -w "$param" ] || fail "sspi_kmod not loaded, or $param not writable"
for t in krb5kdc kdb5_util kadmin.local kinit gss-server gss-client; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		fail "$t missing (scripts/setup-host installs krb5-kdc krb5-admin-server krb5-user krb5-gss-samples)"
done
/usr/bin/python3 -c 'import gssapi.raw.ext_dce' 2>/dev/null ||
	fail "python3-gssapi missing (scripts/setup-host)"
ip link set lo up || fail "cannot bring up lo"

trap 'echo 0 >"$param"' EXIT
/usr/bin/python3 "$top/tests/interop/krb5_rc4_interop.py" --sspi-gss "$gss" "$@"
