#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sspictl against the loaded module: versions agree, status names and
# values follow <linux/sspi.h>, JSON parses, errors use the documented
# exit codes (1 failure, 2 usage).

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"

fail() { echo "FAIL: $*"; exit 1; }

mod=$("$ctl" -j version | python3 -c 'import json,sys; print(json.load(sys.stdin)["module"])')
[ "$mod" = "$(cat /sys/module/sspi_kmod/version)" ] || fail "version $mod"

[ "$("$ctl" status 0x8009030F | awk '{print $1}')" = SEC_E_MESSAGE_ALTERED ] ||
	fail "0x8009030F"
[ "$("$ctl" status sec_i_renegotiate | awk '{print $2}')" = 0x00090321 ] ||
	fail "SEC_I_RENEGOTIATE"
n=$("$ctl" -j status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 18 ] || fail "$n statuses listed, expected 18"

set +e
"$ctl" status 0x12345678 >/dev/null 2>&1; [ $? = 1 ] || fail "unknown status exit"
"$ctl" frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "unknown object exit"
"$ctl" --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option exit"
rmmod sspi_kmod
"$ctl" version >/dev/null 2>&1; rc=$?
insmod "$SSPI_VM_MODULE" ||
	fail "reload"
[ $rc = 1 ] || fail "version without the module: exit $rc"
echo "sspictl ok against sspi_kmod $mod"
