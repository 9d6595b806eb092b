#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The example in-kernel consumer (tests/modules/sspi_example_consumer.c)
# against contexts imported by sspictl: for each TLS protocol and cipher,
# and for Kerberos enctypes, a pair of contexts with mirrored random keys, the consumer loaded with
# their handles (it seals page-backed data with one and unseals it with
# the other at load time, and fails its insmod on any mismatch), its
# kernel log checked, then unloaded and the contexts deleted.
#
# Then the consumer's asynchronous send and receive (async=1: every record
# submitted at once through sspi_submit(), which must end them in order;
# on receive, with a forged record among them, refused while every other
# opens).  With --async, only that, and the records must have been in
# flight together and ended through the callback, both ways: for
# tests/vm/async_test.sh, which runs it with an asynchronous driver forced.
#
# The consumer is one of the test modules: build them next to sspi_kmod
# with "scripts/build-module KIND SSPI_TEST_MODULES=m" before booting.

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"
ko="$(dirname "${SSPI_VM_MODULE:-/nonexistent/x}")/tests/modules/sspi_example_consumer.ko"

fail() { echo "FAIL: $*"; exit 1; }

[ -f "$ko" ] || fail "no $ko: build the test modules (scripts/build-module ${SSPI_VM_KERNEL:-KIND} SSPI_TEST_MODULES=m)"
[ -x "$ctl" ] || fail "no $ctl: make -C userspace-tools"

hex() { od -An -v -tx1 -N "$1" /dev/urandom | tr -d ' \n'; }

handles=()
cleanup() {
	local h

	rmmod sspi_example_consumer 2>/dev/null || true
	for h in "${handles[@]}"; do
		"$ctl" ctx delete "$h" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

# run VERSION CIPHER KEYLEN [module parameters...]
run() {
	local version=$1 cipher=$2 keylen=$3 k1 i1 k2 i2 tx rx before log rc
	submitted= opened=
	shift 3
	k1=$(hex "$keylen") i1=$(hex 12) k2=$(hex "$keylen") i2=$(hex 12)
	# what tx seals with k1, rx unseals with k1; and the other way round
	tx=$("$ctl" ctx import tls --version "$version" --cipher "$cipher" \
		--tx-key "$k1" --tx-iv "$i1" --rx-key "$k2" --rx-iv "$i2") ||
		fail "TLS $version $cipher: import"
	handles+=("$tx")
	rx=$("$ctl" ctx import tls --version "$version" --cipher "$cipher" \
		--tx-key "$k2" --tx-iv "$i2" --rx-key "$k1" --rx-iv "$i1") ||
		fail "TLS $version $cipher: import"
	handles+=("$rx")

	before=$(dmesg | wc -l)
	rc=0
	insmod "$ko" tx_handle="$tx" rx_handle="$rx" "$@" || rc=$?
	log=$(dmesg | tail -n +"$((before + 1))" | grep 'sspi_example_consumer: ' || true)
	printf '%s\n' "$log" | sed "s/^/  TLS $version $cipher: /"
	[ $rc = 0 ] || fail "TLS $version $cipher: insmod exited $rc"
	grep -q 'sspi_example_consumer: PASS$' <<<"$log" ||
		fail "TLS $version $cipher: no PASS in the kernel log"
	! grep -q 'FAIL' <<<"$log" || fail "TLS $version $cipher: FAIL in the kernel log"
	case " $* " in
	*" async=1 "*)
		submitted=$(sed -n 's/.*sspi_submit(): \([0-9]*\) records, at most \([0-9]*\) in flight, \([0-9]*\) ended by callback, in order$/\1 \2 \3/p' <<<"$log")
		[ -n "$submitted" ] || fail "TLS $version $cipher: no sspi_submit() line"
		n='\([0-9]*\)'
		opened=$(sed -n "s/.*sspi_submit() opening: $n records and a forged one, at most $n in flight, $n ended by callback, in order, the forged one refused\$/\\1 \\2 \\3/p" <<<"$log")
		[ -n "$opened" ] || fail "TLS $version $cipher: no sspi_submit() opening line"
		;;
	esac
	rmmod sspi_example_consumer || fail "rmmod"
	"$ctl" ctx delete "$tx" || fail "delete $tx"
	"$ctl" ctx delete "$rx" || fail "delete $rx"
	handles=()
}

if [ "${1:-}" = --async ]; then
	for c in "1.3 aes-128-gcm 16" "1.2 aes-256-gcm 32" "1.2 chacha20-poly1305 32"; do
		# shellcheck disable=SC2086
		run $c size=400000 async=1
		read -r records most callbacks <<<"$submitted"
		[ "$most" -gt 1 ] && [ "$callbacks" -gt 0 ] ||
			fail "TLS $c: $records records, at most $most in flight, $callbacks by callback"
		read -r records most callbacks <<<"$opened"
		[ "$most" -gt 1 ] && [ "$callbacks" -gt 0 ] ||
			fail "TLS $c: opening $records records, at most $most in flight," \
				"$callbacks by callback"
	done
	echo "consumer async ok"
	exit 0
fi

run 1.3 aes-256-gcm 32
run 1.3 aes-128-gcm 16 size=16384 async=1
run 1.3 aes-256-gcm 32 size=300000 async=1
run 1.3 chacha20-poly1305 32 size=100000
run 1.2 aes-128-gcm 16
run 1.2 chacha20-poly1305 32 size=1

# krb_run ENCTYPE KEYLEN FLAGS [module parameters...]: an initiator and an
# acceptor sharing a random key; the initiator seals, the acceptor opens.
krb_run() {
	local enctype=$1 keylen=$2 flags=$3 k tx rx before log rc
	shift 3
	k=$(hex "$keylen")
	tx=$("$ctl" ctx import kerberos --enctype "$enctype" --key "$k" --initiator \
		--send-seq 5 --recv-seq 9 ${flags:+--flags "$flags"}) ||
		fail "Kerberos $enctype: import"
	handles+=("$tx")
	rx=$("$ctl" ctx import kerberos --enctype "$enctype" --key "$k" --acceptor \
		--send-seq 9 --recv-seq 5 ${flags:+--flags "$flags"}) ||
		fail "Kerberos $enctype: import"
	handles+=("$rx")

	before=$(dmesg | wc -l)
	rc=0
	insmod "$ko" tx_handle="$tx" rx_handle="$rx" "$@" || rc=$?
	log=$(dmesg | tail -n +"$((before + 1))" | grep 'sspi_example_consumer: ' || true)
	printf '%s\n' "$log" | sed "s/^/  Kerberos $enctype $flags: /"
	[ $rc = 0 ] || fail "Kerberos $enctype: insmod exited $rc"
	grep -q 'sspi_example_consumer: PASS$' <<<"$log" ||
		fail "Kerberos $enctype: no PASS in the kernel log"
	! grep -q 'FAIL' <<<"$log" || fail "Kerberos $enctype: FAIL in the kernel log"
	rmmod sspi_example_consumer || fail "rmmod"
	"$ctl" ctx delete "$tx" || fail "delete $tx"
	"$ctl" ctx delete "$rx" || fail "delete $rx"
	handles=()
}

krb_run 18 32 "" size=200000
krb_run 20 32 replay,sequence
krb_run 17 16 dce size=1
krb_run 19 16 "" size=65536

# A handle naming no context fails the load, and says so.
before=$(dmesg | wc -l)
if insmod "$ko" tx_handle=1 rx_handle=1 2>/dev/null; then
	fail "loaded with handles naming no context"
fi
dmesg | tail -n +"$((before + 1))" | grep -q 'sspi_example_consumer: FAIL: no context' ||
	fail "no FAIL message for a missing context"
echo "consumer ok"
