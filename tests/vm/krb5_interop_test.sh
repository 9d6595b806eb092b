#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Kerberos interop matrix (tests/interop/krb5_interop.py) against the
# loaded module: a realm on loopback (krb5_realm.py, its KDC under /tmp),
# contexts made by sspi-gss with MIT krb5 and imported into the module,
# this side's MIT context in python3-gssapi; enctypes 17, 18, 19, 20 x
# conf/integ x the module as initiator and acceptor x gss_wrap, wrap_iov
# with SIGN_ONLY buffers and DCE style x both directions, MICs both ways,
# a tampered token and a replay; then gss-server and gss-client as the
# peers of sspi-gss.  One line per cell and a summary; exit 1 if any cell
# failed.  Arguments go to krb5_interop.py (--enctype N, --role R,
# --ioctl: the messages through /dev/sspi,
# --no-samples, -v).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gss="$top/userspace-tools/sspi-gss"

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$gss" ] || fail "$gss not built (make -C userspace-tools)"
[ -d /sys/module/sspi_kmod ] || fail "sspi_kmod not loaded"
for t in krb5kdc kdb5_util kadmin.local kinit gss-server gss-client; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		fail "$t missing (scripts/setup-host installs krb5-kdc krb5-admin-server krb5-user krb5-gss-samples)"
done
/usr/bin/python3 -c 'import gssapi.raw.ext_dce' 2>/dev/null ||
	fail "python3-gssapi missing (scripts/setup-host)"
ip link set lo up || fail "cannot bring up lo"

exec /usr/bin/python3 "$top/tests/interop/krb5_interop.py" --sspi-gss "$gss" "$@"
