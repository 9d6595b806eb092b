#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The TLS-record interop matrix (tests/interop/tls_interop.py) against the
# loaded module through sspictl: TLS 1.2 and 1.3 x AES-128-GCM, AES-256-GCM,
# ChaCha20-Poly1305 x both directions, with OpenSSL over loopback TCP and
# with the kernel's own TLS (kTLS) as the peer.  24 lines and a summary;
# exit 1 if any check failed.  Arguments go to tls_interop.py (--ioctl to
# seal and unseal through /dev/sspi, --peers openssl|ktls, -v).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$ctl" ] || fail "$ctl not built (make -C userspace-tools)"
[ -d /sys/module/sspi_kmod ] || fail "sspi_kmod not loaded"
ip link set lo up || fail "cannot bring up lo"

exec /usr/bin/python3 "$top/tests/interop/tls_interop.py" --sspictl "$ctl" "$@"
