#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sspictl and the Kerberos package (RFC 4121) end to end: contexts imported
# in mirrored pairs with the same random key (one --initiator, one
# --acceptor), for every AES enctype, with and without an acceptor subkey
# and DCE style; wrap tokens sealed by one side and unsealed by the other,
# with and without confidentiality; MIC tokens made and verified both
# ways; altered bytes, replays and gaps; endtime and lifetime; usage
# errors; over netlink and, when /dev/sspi exists, the ioctls.

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

rand_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
hex_of() { od -An -v -tx1 | tr -d ' \n'; }
unhex() { python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }

key_len() { case $1 in 18|20) echo 32 ;; *) echo 16 ;; esac; }
# Bytes of the checksum RFC 4121 tokens carry (h of RFC 3961 and 8009)
mac_len() { case $1 in 17|18) echo 12 ;; 19) echo 16 ;; 20) echo 24 ;; esac; }

is_handle() { [[ $1 =~ ^0x[0-9a-f]{16}$ ]]; }

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(($1))"; }

# expect_status RC NAME -- COMMAND...: exits RC with NAME on stderr
expect_status() {
	local rc=$1 name=$2 got
	shift 3
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" = "$rc" ] || fail "$*: exit $got, expected $rc: $(cat "$tmp/err")"
	[ -z "$name" ] || grep -q -- "$name" "$tmp/err" ||
		fail "$*: no $name on stderr: $(cat "$tmp/err")"
}

# flip FILE OFFSET OUT: OUT is FILE with one bit of byte OFFSET (from the
# end when negative) flipped
flip() {
	python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[2])] ^= 0x10
open(sys.argv[3], "wb").write(b)' "$1" "$2" "$3"
}

# import_pair ENCTYPE [ARGS...]: $I (initiator) and $A (acceptor), the
# same random key, ARGS for both; with --subkey as ARGS' first word, a
# random acceptor subkey as well
import_pair() {
	local e=$1 k s=()
	shift
	k=$(rand_hex "$(key_len "$e")")
	if [ "${1:-}" = --subkey ]; then
		shift
		s=(--acceptor-subkey "$(rand_hex "$(key_len "$e")")")
	fi
	I=$("$ctl" ctx import kerberos --enctype "$e" --key "$k" "${s[@]}" \
		--initiator "$@") || fail "import $e initiator $*"
	A=$("$ctl" ctx import kerberos --enctype "$e" --key "$k" "${s[@]}" \
		--acceptor "$@") || fail "import $e acceptor $*"
	is_handle "$I" && is_handle "$A" || fail "import printed '$I' '$A'"
}

delete_pair() {
	"$ctl" ctx delete "$I" || fail "delete $I"
	"$ctl" ctx delete "$A" || fail "delete $A"
}

# check_wrap FILE FLAGS SEQ: an RFC 4121 wrap token (TOK_ID 05 04) with
# FLAGS (0x01 SentByAcceptor, 0x02 Sealed, 0x04 AcceptorSubkey), the 0xff
# filler and SND_SEQ SEQ
check_wrap() {
	local h
	h=$(head -c 16 "$1" | hex_of)
	[ "${h:0:4}" = 0504 ] || fail "wrap token id ${h:0:4}: $h"
	[ "${h:4:2}" = "$(printf %02x "$2")" ] || fail "wrap token flags ${h:4:2}, expected $2: $h"
	[ "${h:6:2}" = ff ] || fail "wrap token filler ${h:6:2}: $h"
	[ "${h:16:16}" = "$(printf %016x "$3")" ] || fail "wrap token SND_SEQ ${h:16:16}, expected $3: $h"
}

# check_mic HEX FLAGS SEQ MAC: an RFC 4121 MIC token (04 04, flags, five
# 0xff) with SND_SEQ SEQ and a MAC-byte checksum
check_mic() {
	local h=$1
	[ "${h:0:4}" = 0404 ] || fail "MIC token id ${h:0:4}: $h"
	[ "${h:4:2}" = "$(printf %02x "$2")" ] || fail "MIC token flags ${h:4:2}, expected $2: $h"
	[ "${h:6:10}" = ffffffffff ] || fail "MIC token filler ${h:6:10}: $h"
	[ "${h:16:16}" = "$(printf %016x "$3")" ] || fail "MIC token SND_SEQ ${h:16:16}, expected $3: $h"
	[ ${#h} = $(( 2 * (16 + $4) )) ] || fail "MIC token of $(( ${#h} / 2 )) bytes, expected $(( 16 + $4 ))"
}

have_ioctl=0
if [ -c /dev/sspi ]; then
	have_ioctl=1
else
	echo "note: no /dev/sspi, the --ioctl round trips are skipped"
fi
# The ways a message goes: netlink, and /dev/sspi when there is one
ways=("")
[ $have_ioctl = 1 ] && ways+=(--ioctl)

"$ctl" -j pkg list >"$tmp/pkgs" || fail "pkg list"
if ! json '[p["name"] for p in d]' <"$tmp/pkgs" | grep -q "'Kerberos'"; then
	# Until the package is in the tree, there is nothing to test
	ls "$top"/sspi_kmod/krb5_token.c >/dev/null 2>&1 &&
		fail "no Kerberos package registered: $(cat "$tmp/pkgs")"
	echo "note: no Kerberos package in this sspi_kmod, skipped"
	exit 0
fi
json '[p["caps"] for p in d if p["name"] == "Kerberos"][0]' <"$tmp/pkgs" |
	grep -q "'encrypt', 'decrypt', 'sign', 'verify'" || fail "pkg list: $(cat "$tmp/pkgs")"

text="The quick brown fox jumps over the lazy dog, sealed by sspictl."

# Every AES enctype; plain, with an acceptor subkey, DCE style, both
for e in 17 18 19 20; do
	for variant in "" "--subkey" "--flags dce" "--subkey --flags dce,replay,sequence"; do
		# shellcheck disable=SC2086
		import_pair "$e" $variant
		what="enctype $e${variant:+ $variant}"
		sub=0
		[[ $variant == --subkey* ]] && sub=4
		seq=0
		for way in "${ways[@]}"; do
			# the other way unseals the acceptor's tokens
			other=
			[ -z "$way" ] && [ $have_ioctl = 1 ] && other=--ioctl
			for size in 1 1000 20000; do
				head -c $size /dev/urandom >"$tmp/plain"
				# initiator to acceptor
				"$ctl" $way seal "$I" <"$tmp/plain" >"$tmp/tok" ||
					fail "$what $way: seal $size"
				check_wrap "$tmp/tok" $((2 | sub)) $seq
				len=$(stat -c %s "$tmp/tok")
				[ "$len" -gt $((size + 16)) ] ||
					fail "$what $way: a $len-byte token for $size bytes"
				"$ctl" $way unseal "$A" <"$tmp/tok" >"$tmp/out" ||
					fail "$what $way: unseal $size"
				cmp -s "$tmp/plain" "$tmp/out" || fail "$what $way: round trip $size"
				# acceptor to initiator, the other transport unsealing
				"$ctl" $way seal "$A" <"$tmp/plain" >"$tmp/tok" ||
					fail "$what $way: acceptor seal $size"
				check_wrap "$tmp/tok" $((1 | 2 | sub)) $seq
				"$ctl" $other unseal "$I" <"$tmp/tok" >"$tmp/out" ||
					fail "$what $way: unseal by the initiator $size"
				cmp -s "$tmp/plain" "$tmp/out" || fail "$what $way: acceptor round trip $size"
				seq=$((seq + 1))
			done
		done
		# the text is not in a sealed token, and is in an integrity-only one
		echo "$text" | "$ctl" seal "$I" >"$tmp/tok" || fail "$what: seal text"
		! grep -q "quick brown fox" "$tmp/tok" || fail "$what: the text is in the sealed token"
		"$ctl" unseal "$A" <"$tmp/tok" >/dev/null || fail "$what: unseal text"
		echo "$text" | "$ctl" seal "$I" --qop 0x80000001 >"$tmp/tok" ||
			fail "$what: integrity-only seal"
		check_wrap "$tmp/tok" $sub $((seq + 1))
		grep -q "quick brown fox" "$tmp/tok" || fail "$what: integrity-only token lacks the text"
		"$ctl" unseal "$A" <"$tmp/tok" >"$tmp/out" 2>"$tmp/err" ||
			fail "$what: integrity-only unseal"
		[ "$(cat "$tmp/out")" = "$text" ] || fail "$what: integrity-only text"
		[ ! -s "$tmp/err" ] || fail "$what: unseal said something without -v: $(cat "$tmp/err")"
		seq=$((seq + 2))
		# MIC tokens, both ways, sharing the send sequence with wrap tokens
		head -c 3000 /dev/urandom >"$tmp/msg"
		mic=$("$ctl" sign "$I" <"$tmp/msg") || fail "$what: sign"
		check_mic "$mic" $sub $seq "$(mac_len "$e")"
		"$ctl" verify "$A" --token "$mic" <"$tmp/msg" || fail "$what: verify"
		mic=$("$ctl" sign "$A" <"$tmp/msg") || fail "$what: acceptor sign"
		check_mic "$mic" $((1 | sub)) $((seq - 2)) "$(mac_len "$e")"
		"$ctl" verify "$I" --token "$mic" <"$tmp/msg" || fail "$what: verify by the initiator"
		# the sequence numbers moved on
		"$ctl" -j ctx show "$I" >"$tmp/show" || fail "$what: ctx show"
		[ "$(json 'd["package"], d["tx_seq"], d["rx_seq"]' <"$tmp/show")" = \
		  "('Kerberos', $((seq + 1)), $((seq - 1)))" ] ||
			fail "$what: ctx show: $(cat "$tmp/show")"
		delete_pair
	done
done

# RC4 (RFC 4757) when the module allows it: a round trip each way
k=$(rand_hex 16)
if I=$("$ctl" ctx import kerberos --enctype rc4-hmac --key "$k" --initiator 2>"$tmp/err"); then
	A=$("$ctl" ctx import kerberos --enctype 23 --key "$k" --acceptor) ||
		fail "rc4-hmac acceptor import"
	for way in "${ways[@]}"; do
		head -c 5000 /dev/urandom >"$tmp/plain"
		"$ctl" $way seal "$I" <"$tmp/plain" | "$ctl" $way unseal "$A" >"$tmp/out" ||
			fail "rc4-hmac $way: seal | unseal"
		cmp -s "$tmp/plain" "$tmp/out" || fail "rc4-hmac $way: round trip"
		mic=$("$ctl" $way sign "$A" <"$tmp/plain") || fail "rc4-hmac $way: sign"
		"$ctl" $way verify "$I" --token "$mic" <"$tmp/plain" || fail "rc4-hmac $way: verify"
	done
	delete_pair
else
	echo "note: no RC4 in this module: $(head -1 "$tmp/err")"
fi

# Integrity only: --qop in hex or decimal; unseal reports the QOP in its
# JSON, and on stderr with -v only
import_pair 18 --subkey
for qop in 0x80000001 2147483649; do
	for way in "${ways[@]}"; do
		head -c 2000 /dev/urandom >"$tmp/plain"
		"$ctl" $way seal "$I" --qop "$qop" <"$tmp/plain" >"$tmp/tok" ||
			fail "integrity-only $way seal --qop $qop"
		"$ctl" $way -j unseal "$A" <"$tmp/tok" >"$tmp/json" ||
			fail "integrity-only $way unseal -j"
		[ "$(json 'd["qop"]' <"$tmp/json")" = 2147483649 ] ||
			fail "integrity-only $way: JSON $(head -c 200 "$tmp/json")"
		json 'd["data"]' <"$tmp/json" | grep -qx "$(hex_of <"$tmp/plain")" ||
			fail "integrity-only $way: JSON data"
	done
done
echo "$text" | "$ctl" seal "$I" --qop 0x80000001 >"$tmp/tok"
"$ctl" -v unseal "$A" <"$tmp/tok" >"$tmp/out" 2>"$tmp/err" || fail "unseal -v"
grep -q SECQOP_WRAP_NO_ENCRYPT "$tmp/err" || fail "unseal -v: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$text" ] || fail "unseal -v: text"
echo "$text" | "$ctl" seal "$I" --qop 0x80000001 >"$tmp/tok"
"$ctl" unseal "$A" -v <"$tmp/tok" 2>&1 >/dev/null | grep -q SECQOP_WRAP_NO_ENCRYPT ||
	fail "unseal HANDLE -v"
# an encrypted token: qop 0, nothing said even with -v
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
"$ctl" -j -v unseal "$A" <"$tmp/tok" >"$tmp/json" 2>"$tmp/err" || fail "unseal -j -v"
[ "$(json 'd["qop"]' <"$tmp/json")" = 0 ] || fail "encrypted token: qop $(cat "$tmp/json")"
[ ! -s "$tmp/err" ] || fail "encrypted token: -v said $(cat "$tmp/err")"
# seal's JSON: the token and the three buffers' lengths
echo "$text" | "$ctl" -j seal "$I" >"$tmp/json" || fail "seal -j"
json 'd["token"]' <"$tmp/json" >"$tmp/hex"
[ "$(json 'd["buffers"]["data"]' <"$tmp/json")" = ${#text} ] ||
	fail "seal -j: $(cat "$tmp/json")"
[ "$(json 'sum(d["buffers"].values()) * 2 == len(d["token"])' <"$tmp/json")" = True ] ||
	fail "seal -j: lengths $(cat "$tmp/json")"
unhex "$(cat "$tmp/hex")" | "$ctl" unseal "$A" >"$tmp/out" || fail "unseal of seal -j's token"
[ "$(cat "$tmp/out")" = "$text" ] || fail "seal -j: text"
# sign and verify's JSON
mic=$(echo "$text" | "$ctl" -j sign "$I" | json 'd["token"]') || fail "sign -j"
echo "$text" | "$ctl" -j verify "$A" --token "$mic" >"$tmp/json" || fail "verify -j"
[ "$(json 'd["status"], d["qop"]' <"$tmp/json")" = "('SEC_E_OK', 0)" ] ||
	fail "verify -j: $(cat "$tmp/json")"
delete_pair

# Altered bytes: SEC_E_MESSAGE_ALTERED, exit 1, nothing written, and the
# unaltered token still good afterwards (with replay detection on)
for qop in 0 0x80000001; do
	for way in "${ways[@]}"; do
		import_pair 20 --flags replay,sequence
		head -c 4000 /dev/urandom >"$tmp/plain"
		"$ctl" $way seal "$I" --qop $qop <"$tmp/plain" >"$tmp/tok.orig"
		for off in -1 -20 40; do
			flip "$tmp/tok.orig" $off "$tmp/tok"
			expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $way unseal "$A" <"$tmp/tok"
			[ ! -s "$tmp/out" ] || fail "altered token ($off, qop $qop $way): text written"
		done
		"$ctl" $way unseal "$A" <"$tmp/tok.orig" >"$tmp/out" ||
			fail "unaltered token after altered ones (qop $qop $way)"
		cmp -s "$tmp/plain" "$tmp/out" || fail "unaltered token: text"
		# a signature over other bytes, or an altered signature
		mic=$("$ctl" $way sign "$A" <"$tmp/plain")
		flip "$tmp/plain" 100 "$tmp/msg"
		expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $way verify "$I" --token "$mic" <"$tmp/msg"
		last=${mic: -2}
		bad=${mic:0:-2}$(printf %02x $(( 0x$last ^ 1 )))
		expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $way verify "$I" --token "$bad" <"$tmp/plain"
		"$ctl" $way verify "$I" --token "$mic" <"$tmp/plain" ||
			fail "unaltered signature after altered ones ($way)"
		delete_pair
	done
done

# Replays: refused with --flags replay, accepted without
for way in "${ways[@]}"; do
	import_pair 18 --flags replay
	head -c 500 /dev/urandom >"$tmp/plain"
	"$ctl" $way seal "$I" <"$tmp/plain" >"$tmp/tok"
	"$ctl" $way unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "replay $way: first unseal"
	expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" $way unseal "$A" <"$tmp/tok"
	[ ! -s "$tmp/out" ] || fail "replay $way: text written"
	mic=$("$ctl" $way sign "$A" <"$tmp/plain")
	"$ctl" $way verify "$I" --token "$mic" <"$tmp/plain" || fail "replay $way: first verify"
	expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" $way verify "$I" --token "$mic" <"$tmp/plain"
	# the next token is still good
	"$ctl" $way seal "$I" <"$tmp/plain" | "$ctl" $way unseal "$A" >"$tmp/out" ||
		fail "replay $way: the token after the replay"
	cmp -s "$tmp/plain" "$tmp/out" || fail "replay $way: text after the replay"
	delete_pair
done
import_pair 18
head -c 500 /dev/urandom >"$tmp/plain"
"$ctl" seal "$I" <"$tmp/plain" >"$tmp/tok"
for n in 1 2; do
	"$ctl" unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "no replay detection: unseal $n"
	cmp -s "$tmp/plain" "$tmp/out" || fail "no replay detection: text $n"
done
delete_pair

# Sequence numbers: the first token's is --send-seq; --flags sequence
# refuses a gap
k=$(rand_hex 32)
I=$("$ctl" ctx import kerberos --enctype 18 --key "$k" --initiator --send-seq 1000 --recv-seq 77)
A=$("$ctl" ctx import kerberos --enctype 18 --key "$k" --acceptor --recv-seq 1000 --send-seq 77 \
	--flags sequence)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
check_wrap "$tmp/tok" 2 1000
"$ctl" unseal "$A" <"$tmp/tok" >/dev/null || fail "--send-seq 1000: unseal"
mic=$(echo "$text" | "$ctl" sign "$A")
check_mic "$mic" 1 77 12
echo "$text" | "$ctl" verify "$I" --token "$mic" || fail "--send-seq 77: verify"
echo "$text" | "$ctl" seal "$I" >/dev/null	# 1001, lost
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"	# 1002
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" unseal "$A" <"$tmp/tok"
delete_pair

# Mirrored roles matter: two initiators do not understand each other
k=$(rand_hex 16)
I=$("$ctl" ctx import kerberos --enctype 17 --key "$k" --initiator)
A=$("$ctl" ctx import kerberos --enctype 17 --key "$k" --initiator)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
expect_status 1 SEC_E_ -- "$ctl" unseal "$A" <"$tmp/tok"
delete_pair
# nor do different keys
I=$("$ctl" ctx import kerberos --enctype 17 --key "$k" --initiator)
A=$("$ctl" ctx import kerberos --enctype 17 --key "$(rand_hex 16)" --acceptor)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
expect_status 1 SEC_E_ -- "$ctl" unseal "$A" <"$tmp/tok"
delete_pair

# Large messages through /dev/sspi
if [ $have_ioctl = 1 ]; then
	import_pair 19
	head -c 300000 /dev/urandom >"$tmp/plain"
	"$ctl" --ioctl seal "$I" <"$tmp/plain" >"$tmp/tok" || fail "ioctl seal 300000"
	"$ctl" --ioctl unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "ioctl unseal 300000"
	cmp -s "$tmp/plain" "$tmp/out" || fail "ioctl round trip 300000"
	mic=$("$ctl" --ioctl sign "$A" <"$tmp/plain") || fail "ioctl sign 300000"
	"$ctl" --ioctl verify "$I" --token "$mic" <"$tmp/plain" || fail "ioctl verify 300000"
	delete_pair
fi

# Endtime and lifetime
now=$(date +%s)
k=$(rand_hex 32)
I=$("$ctl" ctx import kerberos --enctype 20 --key "$k" --initiator --endtime $((now + 3600)))
[ "$("$ctl" -j ctx show "$I" | json 'd["expiry"]')" = $((now + 3600)) ] ||
	fail "--endtime: $("$ctl" ctx show "$I")"
"$ctl" ctx delete "$I"
I=$("$ctl" -j ctx import kerberos --enctype 20 --key "$k" --initiator --lifetime 600 |
	json 'd["handle"]') || fail "-j import --lifetime"
exp=$("$ctl" -j ctx show "$I" | json 'd["expiry"]')
[ "$exp" -ge $((now + 600)) ] && [ "$exp" -le $((now + 660)) ] || fail "--lifetime 600: expiry $exp"
"$ctl" ctx delete "$I"
I=$("$ctl" ctx import kerberos --enctype 20 --key "$k" --initiator --endtime 0)
[ "$("$ctl" -j ctx show "$I" | json 'd["expiry"]')" = 0 ] || fail "--endtime 0"
"$ctl" ctx delete "$I"
expect_status 1 SEC_E_CONTEXT_EXPIRED -- "$ctl" ctx import kerberos --enctype 20 --key "$k" \
	--initiator --endtime $((now - 10))
# a context that expires refuses every operation
I=$("$ctl" ctx import kerberos --enctype 20 --key "$k" --initiator --endtime $(( $(date +%s) + 5 )))
A=$("$ctl" ctx import kerberos --enctype 20 --key "$k" --acceptor)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok" || fail "seal before the endtime"
mic=$(echo "$text" | "$ctl" sign "$A")
sleep 6
for way in "${ways[@]}"; do
	echo "$text" | expect_status 1 SEC_E_CONTEXT_EXPIRED -- "$ctl" $way seal "$I"
	echo "$text" | expect_status 1 SEC_E_CONTEXT_EXPIRED -- "$ctl" $way sign "$I"
	echo "$text" | expect_status 1 SEC_E_CONTEXT_EXPIRED -- "$ctl" $way verify "$I" --token "$mic"
done
"$ctl" unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "the expired side's token"
delete_pair

# Deleted contexts
import_pair 17
"$ctl" ctx delete "$I"
for way in "${ways[@]}"; do
	echo "$text" | expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" $way seal "$I"
	echo "$text" | expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" $way sign "$I"
	echo "$text" | expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" $way verify "$I" --token 0404
	echo "$text" | expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" $way unseal "$I"
done
"$ctl" ctx delete "$A"

# A TLS context does not sign
K=$(rand_hex 16) IV=$(rand_hex 12)
T=$("$ctl" ctx import tls --version 1.3 --cipher aes-128-gcm --tx-key "$K" --tx-iv "$IV" \
	--rx-key "$K" --rx-iv "$IV")
for way in "${ways[@]}"; do
	echo "$text" | expect_status 1 SEC_E_UNSUPPORTED_FUNCTION -- "$ctl" $way sign "$T"
	echo "$text" | expect_status 1 SEC_E_UNSUPPORTED_FUNCTION -- "$ctl" $way verify "$T" --token 00
done
# and its seal and unseal are still records
echo "$text" | "$ctl" seal "$T" | "$ctl" unseal "$T" >"$tmp/out" || fail "TLS seal | unseal"
[ "$(cat "$tmp/out")" = "$text" ] || fail "TLS round trip"
"$ctl" ctx delete "$T"

# Usage errors: exit 2, nothing imported
k=$(rand_hex 16)
expect_status 2 "unknown enctype" -- "$ctl" ctx import kerberos --enctype 16 --key "$k" --initiator
expect_status 2 "takes a 32-byte key" -- "$ctl" ctx import kerberos --enctype 18 --key "$k" --initiator
expect_status 2 "one of --initiator" -- "$ctl" ctx import kerberos --enctype 17 --key "$k"
expect_status 2 "unknown flag" -- "$ctl" ctx import kerberos --enctype 17 --key "$k" --acceptor \
	--flags replay,mutual
expect_status 2 "token HEX is required" -- "$ctl" verify 1
"$ctl" -j ctx list | json 'len(d)' | grep -qx 0 || fail "contexts left over"

echo "sspictl Kerberos ok (ioctl: $have_ioctl)"
