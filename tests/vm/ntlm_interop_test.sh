#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The NTLM and Negotiate interop matrix (tests/interop/ntlm_interop.py)
# against the loaded module: gss-ntlmssp contexts of every flag variant it
# negotiates (ESS with and without KEY_EXCH, 128/56/40-bit, sign-only,
# NTLMv1 with allow_weak_ntlm) handed to the "NTLM" package, the module as
# initiator and as acceptor; seal, unseal, sign and verify interleaved,
# tampered and replayed messages; sspi-gss --mech ntlm|spnego against a
# python3-gssapi peer (SPNEGO choosing NTLM with and without a mechListMIC,
# and Kerberos from a KDC on loopback) and against gss-server/gss-client;
# 200 KB through /dev/sspi.  One line per cell and a summary; exit 1 if any
# cell failed.  Arguments go to ntlm_interop.py (--variant V, --role R,
# --ioctl, --no-samples, -v).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gss="$top/userspace-tools/sspi-gss"
sspictl="$top/userspace-tools/sspictl"

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$gss" ] || fail "$gss not built (make -C userspace-tools)"
[ -d /sys/module/sspi_kmod ] || fail "sspi_kmod not loaded"
pkgs=$("$sspictl" pkg list) || fail "sspictl pkg list"
grep -qw NTLM <<<"$pkgs" || fail "no NTLM package registered: $pkgs"
grep -qw Negotiate <<<"$pkgs" || fail "no Negotiate package registered: $pkgs"
for t in krb5kdc kdb5_util kadmin.local kinit gss-server gss-client; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		fail "$t missing (scripts/setup-host installs krb5-kdc krb5-admin-server krb5-user krb5-gss-samples)"
done
[ -e /usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so ] ||
	ls /usr/lib/*/gssntlmssp/gssntlmssp.so >/dev/null 2>&1 ||
	fail "gss-ntlmssp missing (scripts/setup-host)"
/usr/bin/python3 -c 'import gssapi.raw.ext_dce' 2>/dev/null ||
	fail "python3-gssapi missing (scripts/setup-host)"
[ -c /dev/sspi ] || fail "no /dev/sspi"
ip link set lo up || fail "cannot bring up lo"

exec /usr/bin/python3 "$top/tests/interop/ntlm_interop.py" --sspi-gss "$gss" "$@"
