#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sspictl's NTLM and Negotiate command lines, no kernel needed: "ctx import
# ntlm --print-keys" builds the struct sspi_ntlm_import the options
# describe (session key, NegotiateFlags, role, datagram mode, sequence
# numbers, lifetime), "ctx import negotiate --mech ntlm|kerberos" the
# mechanism's import behind its header with the mechanism's own options,
# and every bad option exits 2 with a message before anything is sent.
# Builds sspictl first.

set -eu
dir=$(cd "$(dirname "$0")" && pwd)
tools=$(dirname "$dir")
ctl="$tools/sspictl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$tools" sspictl

pass=0
fail() { echo "FAIL: $*"; exit 1; }

K=55555555555555555555555555555555
K2=000102030405060708090a0b0c0d0e0f

# usage RE ARGS...: exit 2, RE in the first line of stderr, nothing on stdout
usage() {
	local re=$1 rc
	shift
	set +e
	"$ctl" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	[ $rc = 2 ] || fail "sspictl $*: exit $rc, expected 2: $(cat "$tmp/err")"
	head -1 "$tmp/err" | grep -Eq -- "^sspictl: .*$re" ||
		fail "sspictl $*: stderr '$(head -1 "$tmp/err")' lacks /$re/"
	grep -q '^Usage: ' "$tmp/err" || fail "sspictl $*: no usage on stderr"
	[ ! -s "$tmp/out" ] || fail "sspictl $*: wrote to stdout"
	pass=$((pass + 1))
}

# same WANT ARGS...: "sspictl ARGS --print-keys" prints WANT
same() {
	local want=$1 got
	shift
	got=$("$ctl" "$@" --print-keys 2>&1) || fail "$*: exit $?: $got"
	[ "$got" = "$want" ] || fail "$*: printed
$got
expected
$want"
	pass=$((pass + 1))
}

imp=(ctx import ntlm)
neg=(ctx import negotiate)

# MS-NLMP 4.2.4's flags; every option and its spellings
same "negotiate-flags 0xe28a8233 sign,seal,always-sign,extended-session-security,128,key-exch,56
flags 0x01 initiator
send-seq 0
recv-seq 0
session-key $K" "${imp[@]}" --session-key $K --flags 0xe28a8233 --initiator
same "negotiate-flags 0x00000210 sign
flags 0x00
send-seq 4294967295
recv-seq 7
session-key $K2
lifetime 3600" "${imp[@]}" --acceptor --flags=528 --session-key="${K2^^}" \
	--send-seq 0xffffffff --recv-seq 07 --lifetime 3600
# datagram: by the option, and by the flag
same "negotiate-flags 0x00000030 sign,seal
flags 0x03 initiator,datagram
send-seq 0
recv-seq 0
session-key $K" "${imp[@]}" --session-key $K --flags 0x30 --initiator --datagram
same "negotiate-flags 0x00000070 sign,seal,datagram
flags 0x02 datagram
send-seq 0
recv-seq 0
session-key $K" "${imp[@]}" --session-key $K --flags 0x70 --acceptor
got=$("$ctl" -j "${imp[@]}" --session-key $K --flags 0xe2088235 --initiator --send-seq 3 \
	--print-keys)
[ "$got" = '{"negotiate_flags":3792208437,"negotiate_flag_names":["sign","seal","always-sign","extended-session-security","128","key-exch","56"],"flags":["initiator"],"send_seq":3,"recv_seq":0,"session_key":"'$K'"}' ] ||
	fail "JSON import: $got"
pass=$((pass + 1))

# Negotiate: the mechanism's own import, after "mech"; --mech anywhere
same "mech NTLM
negotiate-flags 0x00088235 sign,seal,always-sign,extended-session-security
flags 0x01 initiator
send-seq 2
recv-seq 2
session-key $K" "${neg[@]}" --mech ntlm --session-key $K --flags 0x88235 --initiator \
	--send-seq 2 --recv-seq 2
same "mech Kerberos
enctype 17 aes128-cts-hmac-sha1-96
flags 0x09 initiator,sequence
send-seq 0
recv-seq 0
key $K2
lifetime 60" "${neg[@]}" --enctype 17 --key $K2 --mech=kerberos --initiator \
	--flags sequence --lifetime 60
same "$("$ctl" "${neg[@]}" --mech kerberos --enctype 18 --key $K$K --acceptor --print-keys)" \
	"${neg[@]}" --mech krb5 --enctype 18 --key $K$K --acceptor
got=$("$ctl" -j "${neg[@]}" --mech NTLM --session-key $K --flags 0x10 --acceptor --print-keys)
[ "$got" = '{"mech":"NTLM","import":{"negotiate_flags":16,"negotiate_flag_names":["sign"],"flags":[],"send_seq":0,"recv_seq":0,"session_key":"'$K'"}}' ] ||
	fail "JSON negotiate import: $got"
pass=$((pass + 1))

# NTLM usage errors
usage "--session-key is required" "${imp[@]}" --flags 0x10 --initiator
usage "--flags is required" "${imp[@]}" --session-key $K --initiator
usage "one of --initiator and --acceptor is required" "${imp[@]}" --session-key $K --flags 1
usage "--initiator or --acceptor, not both" "${imp[@]}" --session-key $K --flags 1 \
	--initiator --acceptor
usage "--session-key: 16 bytes, not 15" "${imp[@]}" --session-key "${K:2}" --flags 1 --initiator
usage "--session-key: 16 bytes, not 17" "${imp[@]}" --session-key "${K}00" --flags 1 --initiator
usage "--session-key: 16 bytes, not 32" "${imp[@]}" --session-key "$K$K" --flags 1 --initiator
usage "--session-key: not a hex string" "${imp[@]}" --session-key "${K}0" --flags 1 --initiator
usage "--session-key: not a hex string" "${imp[@]}" --session-key "zz${K:2}" --flags 1 --initiator
usage "--session-key: not a hex string" "${imp[@]}" --session-key "" --flags 1 --initiator
usage "--flags: not a 32-bit number: 0x100000000" "${imp[@]}" --session-key $K \
	--flags 0x100000000 --initiator
usage "--flags: not a 32-bit number: sign,seal" "${imp[@]}" --session-key $K \
	--flags sign,seal --initiator
usage "--flags: not a 32-bit number: -1" "${imp[@]}" --session-key $K --flags -1 --initiator
usage "--send-seq: not a 32-bit number: 4294967296" "${imp[@]}" --session-key $K --flags 1 \
	--initiator --send-seq 4294967296
usage "--recv-seq: not a 32-bit number: x" "${imp[@]}" --session-key $K --flags 1 \
	--initiator --recv-seq x
usage "--lifetime: not a number" "${imp[@]}" --session-key $K --flags 1 --initiator \
	--lifetime soon
usage "--datagram takes no value" "${imp[@]}" --session-key $K --flags 1 --initiator \
	--datagram=1
usage "unknown option --endtime" "${imp[@]}" --session-key $K --flags 1 --initiator \
	--endtime 0
usage "unknown option --key" "${imp[@]}" --key $K --flags 1 --initiator
usage "--flags given twice" "${imp[@]}" --session-key $K --flags 1 --flags 2 --initiator
usage "unexpected argument extra" "${imp[@]}" --session-key $K --flags 1 --initiator extra

# Negotiate usage errors: its own, then the mechanism's
usage "--mech is required" "${neg[@]}" --session-key $K --flags 1 --initiator
usage "--mech: SEC_E_SECPKG_NOT_FOUND: no mechanism spnego" "${neg[@]}" --mech spnego
usage "--mech given twice" "${neg[@]}" --mech ntlm --mech=kerberos
usage "--mech needs a value" "${neg[@]}" --session-key $K --mech
usage "--session-key is required" "${neg[@]}" --mech ntlm --flags 1 --initiator
usage "unknown option --enctype" "${neg[@]}" --mech ntlm --enctype 17 --key $K2 --initiator
usage "unknown option --session-key" "${neg[@]}" --mech kerberos --session-key $K --flags 1 \
	--initiator
usage "--key: enctype 18 .* takes a 32-byte key, not 16" "${neg[@]}" --mech kerberos \
	--enctype 18 --key $K --initiator

# Unknown packages
usage "SEC_E_SECPKG_NOT_FOUND: unknown package ntlmv2" ctx import ntlmv2 --flags 1
usage "SEC_E_SECPKG_NOT_FOUND: unknown package spnego" ctx import spnego
"$ctl" status SEC_E_SECPKG_NOT_FOUND | grep -qx 'SEC_E_SECPKG_NOT_FOUND *0x80090305' ||
	fail "status SEC_E_SECPKG_NOT_FOUND"
pass=$((pass + 1))

# Help: exit 0, on stdout
for c in "ctx import ntlm" "ctx import negotiate" "ctx import negotiate --mech ntlm"; do
	# shellcheck disable=SC2086
	"$ctl" $c --help >"$tmp/out" 2>&1 || fail "$c --help: exit $?"
	grep -q '^Usage: ' "$tmp/out" || fail "$c --help: no usage"
	pass=$((pass + 1))
done
"$ctl" help | grep -q "ctx import ntlm --session-key HEX --flags N" || fail "help: no ntlm import"
"$ctl" help | grep -q "ctx import negotiate --mech ntlm|kerberos" ||
	fail "help: no negotiate import"
"$ctl" help sign | grep -q "NTLMSSP_MESSAGE_SIGNATURE" || fail "help sign"

echo "ntlm_args_test: $pass checks passed"
