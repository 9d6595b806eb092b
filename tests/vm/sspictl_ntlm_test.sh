#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sspictl and the NTLM and Negotiate packages end to end: NTLM contexts
# imported in mirrored pairs with the same session key and NegotiateFlags
# (one --initiator, one --acceptor); what they seal and sign checked byte
# for byte against ntlm_ref.py (MS-NLMP 3.4.4.2 in Python, itself checked
# against MS-NLMP 4.2.4.4's vector) and the vector through the kernel;
# seal on one side, unseal on the other, both ways, over netlink and
# /dev/sspi; sign and verify; altered messages refused with the context
# still usable; replays; sequence numbers from --send-seq/--recv-seq;
# sign-only and datagram contexts; 200 KB through /dev/sspi; ctx show in
# text and JSON; Negotiate contexts of either mechanism talking to plain
# contexts of that package; unknown packages and bad imports.

. "$(dirname "$0")/once.sh"
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"
ref="$top/tests/vm/ntlm_ref.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

rand_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
hex_of() { od -An -v -tx1 | tr -d ' \n'; }
is_handle() { [[ $1 =~ ^0x[0-9a-f]{16}$ ]]; }

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

# has FILE STRING: FILE (sspictl's JSON, written without spaces) has STRING
has() { grep -qF -- "$2" "$1" || fail "no $2 in $(head -c 400 "$1")"; }

# flip FILE OFFSET OUT: OUT is FILE with one bit of byte OFFSET flipped
flip() {
	cp "$1" "$3"
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $(( $(od -An -tu1 -j "$2" -N1 "$1") ^ 16 )))" |
		dd of="$3" bs=1 seek="$2" conv=notrunc status=none
}

# The extended-session-security flag sets Windows and gss-ntlmssp send:
# 0xe2088235 (128-bit, KEY_EXCH, sign and seal), MS-NLMP 4.2.4's
# 0xe28a8233, without KEY_EXCH, 56-bit, and sign only
FLAGS_WIN=0xe2088235
FLAGS_VEC=0xe28a8233
FLAGS_NOKX=0xa2088235
FLAGS_56=0xc2088235
FLAGS_SIGN=0xe2088215

# import_pair FLAGS KEY [ARGS...]: $I (initiator), $A (acceptor)
import_pair() {
	local f=$1 k=$2
	shift 2
	I=$("$ctl" ctx import ntlm --session-key "$k" --flags "$f" --initiator "$@") ||
		fail "import $f initiator $*"
	A=$("$ctl" ctx import ntlm --session-key "$k" --flags "$f" --acceptor "$@") ||
		fail "import $f acceptor $*"
	is_handle "$I" && is_handle "$A" || fail "import printed '$I' '$A'"
}

delete_pair() {
	"$ctl" ctx delete "$I" || fail "delete $I"
	"$ctl" ctx delete "$A" || fail "delete $A"
}

IOC=
if [ -c /dev/sspi ]; then
	IOC=--ioctl
else
	fail "no /dev/sspi"
fi

"$ctl" -j pkg list >"$tmp/pkgs" || fail "pkg list"
for p in NTLM Negotiate; do
	python3 -c 'import json, sys
p = [p for p in json.load(open(sys.argv[1])) if p["name"] == sys.argv[2]]
assert p and p[0]["caps"][:4] == ["encrypt", "decrypt", "sign", "verify"], p' \
		"$tmp/pkgs" "$p" || fail "pkg list: no $p with encrypt..verify: $(cat "$tmp/pkgs")"
done
python3 "$ref" selftest >/dev/null || fail "ntlm_ref.py against MS-NLMP 4.2.4.4"

# MS-NLMP 4.2.4.4 through the kernel: "Plaintext" in UTF-16LE sealed by the
# client with the ExportedSessionKey 0x55 * 16
V=55555555555555555555555555555555
I=$("$ctl" ctx import ntlm --session-key $V --flags $FLAGS_VEC --initiator)
printf 'P\0l\0a\0i\0n\0t\0e\0x\0t\0' >"$tmp/vec"
got=$("$ctl" seal "$I" <"$tmp/vec" | hex_of)
[ "$got" = 010000007fb38ec5c55d49760000000054e50165bf1936dc996020c1811b0f06fb5f ] ||
	fail "MS-NLMP 4.2.4.4 through the kernel: $got"
"$ctl" ctx delete "$I"
echo "MS-NLMP 4.2.4.4 vector: ok"

# Each flag set: three messages and a signature from each side, the
# initiator's through netlink and the acceptor's through /dev/sspi, each
# byte for byte what ntlm_ref.py sends, and unsealed (verified) by the peer
for f in $FLAGS_WIN $FLAGS_VEC $FLAGS_NOKX $FLAGS_56 $FLAGS_SIGN; do
	k=$(rand_hex 16)
	import_pair $f "$k"
	head -c 1 /dev/urandom >"$tmp/m1"
	head -c 1000 /dev/urandom >"$tmp/m2"
	head -c 30000 /dev/urandom >"$tmp/m3"
	for side in initiator acceptor; do
		if [ $side = initiator ]; then
			S=$I R=$A T=
		else
			S=$A R=$I T=$IOC
		fi
		python3 "$ref" seal "$k" $f $side 0 "$tmp/m1" "$tmp/m2" sign:"$tmp/m2" \
			"$tmp/m3" >"$tmp/want"
		: >"$tmp/got"
		for m in m1 m2 sign m3; do
			if [ $m = sign ]; then
				sig=$("$ctl" $T sign "$S" <"$tmp/m2") || fail "$f $side: sign"
				echo "$sig" >>"$tmp/got"
				"$ctl" verify "$R" --token "$sig" <"$tmp/m2" ||
					fail "$f $side: verify"
				continue
			fi
			if [ $f = $FLAGS_SIGN ]; then
				"$ctl" $T seal "$S" --qop 0x80000001 <"$tmp/$m" >"$tmp/tok" ||
					fail "$f $side: seal $m (WRAP_NO_ENCRYPT)"
			else
				"$ctl" $T seal "$S" <"$tmp/$m" >"$tmp/tok" || fail "$f $side: seal $m"
			fi
			hex_of <"$tmp/tok" >>"$tmp/got"
			echo >>"$tmp/got"
			"$ctl" $T unseal "$R" <"$tmp/tok" >"$tmp/out" || fail "$f $side: unseal $m"
			cmp -s "$tmp/$m" "$tmp/out" || fail "$f $side: round trip $m"
		done
		cmp -s "$tmp/want" "$tmp/got" || fail "$f $side: not what MS-NLMP sends:
$(diff "$tmp/want" "$tmp/got" | cut -c1-120)"
	done
	"$ctl" -j ctx show "$I" >"$tmp/show"
	has "$tmp/show" '"package":"NTLM",'
	has "$tmp/show" '"tx_seq":4,"rx_seq":4,'
	has "$tmp/show" '"max_signature":16,"block_size":0,"security_trailer":16}'
	# the key's strength: 56 bits without NEGOTIATE_128, else 128
	bits=128
	[ $f != $FLAGS_56 ] || bits=56
	has "$tmp/show" '"key_bits":'$bits'}'
	delete_pair
	echo "flags $f: seal, unseal, sign, verify both ways: ok"
done

# Sign only: the text in the clear after the signature, pfQOP says so
import_pair $FLAGS_SIGN "$(rand_hex 16)"
text="The quick brown fox jumps over the lazy dog, signed by sspictl."
echo "$text" | "$ctl" seal "$I" --qop 0x80000001 >"$tmp/tok"
[ "$(tail -c +17 "$tmp/tok")" = "$text" ] || fail "sign-only: the text is not after the signature"
"$ctl" -j unseal "$A" <"$tmp/tok" >"$tmp/json"
has "$tmp/json" '{"qop":2147483649,"data":"'"$(echo "$text" | hex_of)"'"}'
delete_pair

# Altered messages: SEC_E_MESSAGE_ALTERED, nothing written, and the
# genuine message still unseals (the RC4 state and the sequence as they
# were), through both transports
import_pair $FLAGS_WIN "$(rand_hex 16)"
head -c 4000 /dev/urandom >"$tmp/plain"
"$ctl" seal "$I" <"$tmp/plain" >"$tmp/tok.orig"
for off in 0 5 12 16 2000 4015; do
	flip "$tmp/tok.orig" $off "$tmp/tok"
	expect_status 1 SEC_E_ -- "$ctl" unseal "$A" <"$tmp/tok"
	[ ! -s "$tmp/out" ] || fail "altered byte $off: text written"
	case $off in
	12) grep -qx SEC_E_OUT_OF_SEQUENCE "$tmp/err" ||
		fail "altered sequence number: $(cat "$tmp/err")" ;;
	*) grep -qx SEC_E_MESSAGE_ALTERED "$tmp/err" ||
		fail "altered byte $off: $(cat "$tmp/err")" ;;
	esac
done
flip "$tmp/tok.orig" 100 "$tmp/tok"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $IOC unseal "$A" <"$tmp/tok"
expect_status 1 SEC_E_ -- "$ctl" unseal "$A" <<<"short"
"$ctl" $IOC unseal "$A" <"$tmp/tok.orig" >"$tmp/out" || fail "genuine message after altered ones"
cmp -s "$tmp/plain" "$tmp/out" || fail "genuine message: text"
# replayed: out of sequence, and the next one still good
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" unseal "$A" <"$tmp/tok.orig"
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" $IOC unseal "$A" <"$tmp/tok.orig"
"$ctl" seal "$I" <"$tmp/plain" | "$ctl" unseal "$A" >"$tmp/out" || fail "the message after a replay"
cmp -s "$tmp/plain" "$tmp/out" || fail "the message after a replay: text"
# signatures: altered data, an altered signature, a replay
sig=$("$ctl" sign "$A" <"$tmp/plain")
flip "$tmp/plain" 7 "$tmp/msg"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" verify "$I" --token "$sig" <"$tmp/msg"
bad=${sig:0:10}$(printf %02x $(( 0x${sig:10:2} ^ 1 )))${sig:12}
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $IOC verify "$I" --token "$bad" <"$tmp/plain"
expect_status 1 SEC_E_ -- "$ctl" verify "$I" --token "${sig:0:30}" <"$tmp/plain"
"$ctl" $IOC verify "$I" --token "$sig" <"$tmp/plain" || fail "genuine signature after altered ones"
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" verify "$I" --token "$sig" <"$tmp/plain"
# a lost message: the next is out of sequence
"$ctl" seal "$A" <"$tmp/plain" >/dev/null
"$ctl" seal "$A" <"$tmp/plain" >"$tmp/tok"
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" unseal "$I" <"$tmp/tok"
delete_pair
echo "altered, replayed and lost messages: ok"

# Sequence numbers: the first message's is --send-seq (in the signature),
# the peer expects --recv-seq
k=$(rand_hex 16)
I=$("$ctl" ctx import ntlm --session-key "$k" --flags $FLAGS_WIN --initiator --send-seq 1000 \
	--recv-seq 77)
A=$("$ctl" ctx import ntlm --session-key "$k" --flags $FLAGS_WIN --acceptor --recv-seq 1000 \
	--send-seq 77)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
[ "$(head -c 16 "$tmp/tok" | tail -c 4 | hex_of)" = e8030000 ] || fail "--send-seq 1000: $(hex_of <"$tmp/tok")"
python3 "$ref" seal "$k" $FLAGS_WIN initiator 1000 <(echo "$text") >"$tmp/want"
[ "$(hex_of <"$tmp/tok")" = "$(cat "$tmp/want")" ] || fail "--send-seq 1000: not what MS-NLMP sends"
"$ctl" unseal "$A" <"$tmp/tok" >/dev/null || fail "--recv-seq 1000: unseal"
sig=$(echo "$text" | "$ctl" sign "$A")
[ "${sig:24:8}" = 4d000000 ] || fail "--send-seq 77: $sig"
echo "$text" | "$ctl" verify "$I" --token "$sig" || fail "--recv-seq 77: verify"
"$ctl" ctx show "$I" >"$tmp/show"
grep -q "tx seq 1001 " "$tmp/show" && grep -q "rx seq 78 " "$tmp/show" ||
	fail "ctx show sequences: $(cat "$tmp/show")"
delete_pair

# Mirrored roles and keys matter
k=$(rand_hex 16)
I=$("$ctl" ctx import ntlm --session-key "$k" --flags $FLAGS_WIN --initiator)
A=$("$ctl" ctx import ntlm --session-key "$k" --flags $FLAGS_WIN --initiator)
echo "$text" | "$ctl" seal "$I" >"$tmp/tok"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" unseal "$A" <"$tmp/tok"
"$ctl" ctx delete "$A"
A=$("$ctl" ctx import ntlm --session-key "$(rand_hex 16)" --flags $FLAGS_WIN --acceptor)
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" unseal "$A" <"$tmp/tok"
delete_pair

# Datagram: --datagram, or the flag; ctx show says so
import_pair $FLAGS_WIN "$(rand_hex 16)" --datagram
"$ctl" -j ctx show "$I" >"$tmp/show"
has "$tmp/show" '-datagram"'
head -c 3000 /dev/urandom >"$tmp/plain"
for i in 1 2; do
	"$ctl" seal "$I" <"$tmp/plain" | "$ctl" $IOC unseal "$A" >"$tmp/out" ||
		fail "datagram: message $i"
	cmp -s "$tmp/plain" "$tmp/out" || fail "datagram: message $i text"
done
sig=$("$ctl" sign "$A" <"$tmp/plain")
"$ctl" verify "$I" --token "$sig" <"$tmp/plain" || fail "datagram: verify"
delete_pair
import_pair 0xe20882f5 "$(rand_hex 16)"
"$ctl" -j ctx show "$A" >"$tmp/show"
has "$tmp/show" '-datagram"'
echo "$text" | "$ctl" seal "$A" | "$ctl" unseal "$I" >"$tmp/out" || fail "datagram by the flag"
[ "$(cat "$tmp/out")" = "$text" ] || fail "datagram by the flag: text"
delete_pair

# 200 KB: refused over netlink before anything is sent, through /dev/sspi
# sealed, unsealed, signed and verified
import_pair $FLAGS_WIN "$(rand_hex 16)"
head -c 204800 /dev/urandom >"$tmp/plain"
expect_status 1 "use --ioctl" -- "$ctl" seal "$I" <"$tmp/plain"
"$ctl" -j ctx show "$I" >"$tmp/show"
has "$tmp/show" '"tx_seq":0,'
"$ctl" --ioctl seal "$I" <"$tmp/plain" >"$tmp/tok" || fail "ioctl seal 200 KB"
[ "$(stat -c %s "$tmp/tok")" = $((204800 + 16)) ] || fail "ioctl seal 200 KB: $(stat -c %s "$tmp/tok") bytes"
"$ctl" --ioctl unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "ioctl unseal 200 KB"
cmp -s "$tmp/plain" "$tmp/out" || fail "ioctl round trip 200 KB"
sig=$("$ctl" --ioctl sign "$A" <"$tmp/plain") || fail "ioctl sign 200 KB"
"$ctl" --ioctl verify "$I" --token "$sig" <"$tmp/plain" || fail "ioctl verify 200 KB"
echo "$text" | "$ctl" seal "$I" | "$ctl" unseal "$A" >"$tmp/out" || fail "netlink after 200 KB"
delete_pair
echo "200 KB through /dev/sspi: ok"

# ctx show: text and JSON
k=$(rand_hex 16)
import_pair $FLAGS_WIN "$k" --lifetime 600
"$ctl" ctx show "$I" >"$tmp/show"
head -1 "$tmp/show" | grep -Eq "^handle $I package NTLM owner [0-9]+ expiry [0-9]+$" ||
	fail "ctx show: $(cat "$tmp/show")"
grep -q "cipher rc4-hmac-md5-128$" "$tmp/show" || fail "ctx show cipher: $(cat "$tmp/show")"
grep -q "max-signature 16 block-size 0 security-trailer 16" "$tmp/show" ||
	fail "ctx show sizes: $(cat "$tmp/show")"
tail -1 "$tmp/show" | grep -qx $'\tkey-bits 128' || fail "ctx show key-bits: $(cat "$tmp/show")"
! grep -q negotiated "$tmp/show" || fail "an NTLM context negotiated: $(cat "$tmp/show")"
"$ctl" -j ctx show "$A" >"$tmp/show"
python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
assert c["package"] == "NTLM" and "negotiated" not in c, c
assert c["handle"] == sys.argv[2] and c["expiry"] > 0, c
assert c["sizes"]["max_signature"] == 16 and c["sizes"]["security_trailer"] == 16, c
assert c["sizes"]["max_token"] > 0, c' "$tmp/show" "$A" || fail "ctx show -j: $(cat "$tmp/show")"

# Negotiate, NTLM: the same key as the NTLM pair; each side talks to the
# plain NTLM context of the other role
NI=$("$ctl" ctx import negotiate --mech ntlm --session-key "$k" --flags $FLAGS_WIN --initiator)
NA=$("$ctl" ctx import negotiate --mech=ntlm --acceptor --session-key "$k" --flags $FLAGS_WIN)
"$ctl" ctx show "$NI" >"$tmp/show"
head -1 "$tmp/show" | grep -Eq "^handle $NI package Negotiate negotiated NTLM owner [0-9]+ expiry never$" ||
	fail "ctx show Negotiate NTLM: $(cat "$tmp/show")"
grep -q "cipher rc4-hmac-md5-128$" "$tmp/show" || fail "Negotiate NTLM cipher: $(cat "$tmp/show")"
"$ctl" -j ctx show "$NA" >"$tmp/show"
has "$tmp/show" '"package":"Negotiate","negotiated":"NTLM",'
has "$tmp/show" '"max_signature":16,'
head -c 5000 /dev/urandom >"$tmp/plain"
"$ctl" seal "$NI" <"$tmp/plain" >"$tmp/tok" || fail "Negotiate NTLM seal"
"$ctl" seal "$I" <"$tmp/plain" >"$tmp/tok2"
cmp -s "$tmp/tok" "$tmp/tok2" || fail "Negotiate NTLM seals otherwise than NTLM"
"$ctl" $IOC unseal "$A" <"$tmp/tok" >"$tmp/out" || fail "NTLM unseals Negotiate's"
cmp -s "$tmp/plain" "$tmp/out" || fail "NTLM unseals Negotiate's: text"
"$ctl" $IOC seal "$A" <"$tmp/plain" | "$ctl" unseal "$NI" >"$tmp/out" ||
	fail "Negotiate unseals NTLM's"
cmp -s "$tmp/plain" "$tmp/out" || fail "Negotiate unseals NTLM's: text"
sig=$("$ctl" $IOC sign "$NI" <"$tmp/plain") || fail "Negotiate NTLM sign"
"$ctl" verify "$A" --token "$sig" <"$tmp/plain" || fail "NTLM verifies Negotiate's"
"$ctl" seal "$NI" <"$tmp/plain" >"$tmp/tok.orig"
flip "$tmp/tok.orig" 300 "$tmp/tok"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" unseal "$A" <"$tmp/tok"
"$ctl" $IOC unseal "$A" <"$tmp/tok.orig" >"$tmp/out" || fail "Negotiate: genuine after altered"
cmp -s "$tmp/plain" "$tmp/out" || fail "Negotiate: genuine after altered: text"
# the Negotiate acceptor's first message, to the plain initiator
"$ctl" $IOC seal "$NA" <"$tmp/plain" | "$ctl" unseal "$I" >"$tmp/out" ||
	fail "NTLM unseals the Negotiate acceptor's"
cmp -s "$tmp/plain" "$tmp/out" || fail "NTLM unseals the Negotiate acceptor's: text"
# the plain initiator's first message (tok2), altered then genuine, to the
# Negotiate acceptor
flip "$tmp/tok2" 300 "$tmp/tok"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" $IOC unseal "$NA" <"$tmp/tok"
"$ctl" unseal "$NA" <"$tmp/tok2" >"$tmp/out" || fail "Negotiate acceptor: genuine after altered"
cmp -s "$tmp/plain" "$tmp/out" || fail "Negotiate acceptor: genuine after altered: text"
for h in "$I" "$A" "$NI" "$NA"; do "$ctl" ctx delete "$h"; done

# Negotiate, Kerberos: against plain Kerberos contexts of the same key
k=$(rand_hex 32)
KI=$("$ctl" ctx import kerberos --enctype 18 --key "$k" --initiator)
KA=$("$ctl" ctx import kerberos --enctype 18 --key "$k" --acceptor)
NI=$("$ctl" ctx import negotiate --mech kerberos --enctype aes256-cts --key "$k" --initiator \
	--flags replay)
NA=$("$ctl" ctx import negotiate --mech krb5 --enctype 18 --key "$k" --acceptor --lifetime 600)
"$ctl" ctx show "$NA" >"$tmp/show"
head -1 "$tmp/show" | grep -Eq "^handle $NA package Negotiate negotiated Kerberos owner [0-9]+ expiry [0-9]+$" ||
	fail "ctx show Negotiate Kerberos: $(cat "$tmp/show")"
"$ctl" -j ctx show "$NI" >"$tmp/show"
has "$tmp/show" '"package":"Negotiate","negotiated":"Kerberos",'
"$ctl" seal "$NI" <"$tmp/plain" | "$ctl" $IOC unseal "$KA" >"$tmp/out" ||
	fail "Kerberos unseals Negotiate's"
cmp -s "$tmp/plain" "$tmp/out" || fail "Kerberos unseals Negotiate's: text"
"$ctl" $IOC seal "$KA" <"$tmp/plain" >"$tmp/tok"
"$ctl" unseal "$NI" <"$tmp/tok" >"$tmp/out" || fail "Negotiate unseals Kerberos'"
cmp -s "$tmp/plain" "$tmp/out" || fail "Negotiate unseals Kerberos': text"
expect_status 1 SEC_E_OUT_OF_SEQUENCE -- "$ctl" unseal "$NI" <"$tmp/tok"
"$ctl" seal "$KI" <"$tmp/plain" | "$ctl" unseal "$NA" >"$tmp/out" || fail "Negotiate acceptor"
sig=$("$ctl" sign "$NA" <"$tmp/plain") || fail "Negotiate Kerberos sign"
"$ctl" $IOC verify "$KI" --token "$sig" <"$tmp/plain" || fail "Kerberos verifies Negotiate's"
for h in "$KI" "$KA" "$NI" "$NA"; do "$ctl" ctx delete "$h"; done
echo "Negotiate (NTLM, Kerberos) against plain contexts: ok"

# Unknown packages and mechanisms; imports the kernel refuses
expect_status 2 "SEC_E_SECPKG_NOT_FOUND: unknown package ntlmssp" -- "$ctl" ctx import ntlmssp \
	--session-key "$V" --flags 1
expect_status 2 "SEC_E_SECPKG_NOT_FOUND: no mechanism spnego" -- "$ctl" ctx import negotiate \
	--mech spnego
# (the kernel's answer to an unknown name: netlink_test.py, sspi_user_test.sh)
# no SIGN or SEAL: nothing to protect with
expect_status 1 "refused the import structure" -- "$ctl" ctx import ntlm --session-key "$V" \
	--flags 0x00088205 --initiator
# NTLMv1 without extended session security: only with allow_weak_ntlm
weak=/sys/module/sspi_kmod/parameters/allow_weak_ntlm
[ -w $weak ] || fail "no writable $weak"
[ "$(cat $weak)" = N ] || fail "allow_weak_ntlm is on by default"
expect_status 1 SEC_E_CRYPTO_SYSTEM_INVALID -- "$ctl" ctx import ntlm --session-key "$V" \
	--flags 0xe2008235 --initiator
echo 1 >$weak
I=$("$ctl" ctx import ntlm --session-key "$V" --flags 0xe2008235 --initiator) ||
	{ echo N >$weak; fail "NTLMv1 import with allow_weak_ntlm"; }
A=$("$ctl" ctx import ntlm --session-key "$V" --flags 0xe2008235 --acceptor)
echo N >$weak
echo "$text" | "$ctl" seal "$I" | "$ctl" $IOC unseal "$A" >"$tmp/out" || fail "NTLMv1 round trip"
[ "$(cat "$tmp/out")" = "$text" ] || fail "NTLMv1 round trip: text"
delete_pair
# the refused imports left nothing
left=$("$ctl" ctx list) || fail "ctx list"
[ -z "$left" ] || fail "contexts left over: $left"

echo "sspictl NTLM and Negotiate ok"
