#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sspictl and the TLS-record package end to end: contexts imported in
# pairs with swapped keys (given, or derived from a key log), sealed by one
# and unsealed by the other, over netlink and, when /dev/sspi exists, the
# ioctls; alerts, close_notify, altered and truncated records, deleted
# contexts, key update, usage errors; ctx/pkg listings and their JSON.

. "$(dirname "$0")/once.sh"
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/userspace-tools/sspictl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

rand_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }

key_len() { case $1 in aes-128-gcm) echo 16 ;; *) echo 32 ;; esac; }

# Bytes a record adds: header (+ explicit nonce), tag (+ content type)
overhead() {
	case $1/$2 in
	1.2/chacha20-poly1305) echo 21 ;;
	1.2/*) echo 29 ;;
	1.3/*) echo 22 ;;
	esac
}

is_handle() { [[ $1 =~ ^0x[0-9a-f]{16}$ ]]; }

# import_pair VERSION CIPHER: $A and $B, each sealing for the other
import_pair() {
	local v=$1 c=$2 kl k1 k2 iv1 iv2
	kl=$(key_len "$c")
	k1=$(rand_hex "$kl") k2=$(rand_hex "$kl")
	iv1=$(rand_hex 12) iv2=$(rand_hex 12)
	A=$("$ctl" ctx import tls --version "$v" --cipher "$c" \
		--tx-key "$k1" --tx-iv "$iv1" --rx-key "$k2" --rx-iv "$iv2") ||
		fail "import $v $c"
	B=$("$ctl" ctx import tls --version "$v" --cipher "$c" \
		--tx-key "$k2" --tx-iv "$iv2" --rx-key "$k1" --rx-iv "$iv1") ||
		fail "import $v $c (peer)"
	is_handle "$A" && is_handle "$B" || fail "import printed '$A' '$B'"
}

delete_pair() {
	"$ctl" ctx delete "$A" || fail "delete $A"
	"$ctl" ctx delete "$B" || fail "delete $B"
}

# expect_status RC NAME -- COMMAND...: exits RC with NAME on stderr
expect_status() {
	local rc=$1 name=$2 got
	shift 3
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" = "$rc" ] || fail "$*: exit $got, expected $rc: $(cat "$tmp/err")"
	[ -z "$name" ] || grep -q "$name" "$tmp/err" ||
		fail "$*: no $name on stderr: $(cat "$tmp/err")"
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(($1))"; }

have_ioctl=0
if [ -c /dev/sspi ]; then
	have_ioctl=1
else
	echo "note: no /dev/sspi, the --ioctl round trips are skipped"
fi

"$ctl" -j pkg list >"$tmp/pkgs" || fail "pkg list"
json '[p["caps"] for p in d if p["name"] == "Schannel"][0]' <"$tmp/pkgs" |
	grep -q "'encrypt', 'decrypt'" || fail "pkg list: $(cat "$tmp/pkgs")"

# Round trips of 1 KiB and 100 KiB (7 records) for every version x cipher
for v in 1.2 1.3; do
	for c in aes-128-gcm aes-256-gcm chacha20-poly1305; do
		import_pair "$v" "$c"
		for size in 1024 102400; do
			head -c $size /dev/urandom >"$tmp/plain"
			"$ctl" seal "$A" <"$tmp/plain" >"$tmp/rec" ||
				fail "seal $v $c $size"
			n=$(( (size + 16383) / 16384 ))
			want=$(( size + n * $(overhead "$v" "$c") ))
			got=$(stat -c %s "$tmp/rec")
			[ "$got" = "$want" ] ||
				fail "$v $c $size: $got bytes of records, expected $want"
			"$ctl" unseal "$B" <"$tmp/rec" >"$tmp/out" ||
				fail "unseal $v $c $size"
			cmp -s "$tmp/plain" "$tmp/out" || fail "round trip $v $c $size"
			# the other way, through a pipe
			"$ctl" seal "$B" <"$tmp/plain" | "$ctl" unseal "$A" >"$tmp/out" ||
				fail "seal | unseal $v $c $size"
			cmp -s "$tmp/plain" "$tmp/out" || fail "pipe $v $c $size"
			[ $have_ioctl = 1 ] || continue
			"$ctl" --ioctl seal "$A" <"$tmp/plain" >"$tmp/rec" ||
				fail "ioctl seal $v $c $size"
			"$ctl" --ioctl unseal "$B" <"$tmp/rec" >"$tmp/out" ||
				fail "ioctl unseal $v $c $size"
			cmp -s "$tmp/plain" "$tmp/out" || fail "ioctl round trip $v $c $size"
			"$ctl" --ioctl seal "$B" <"$tmp/plain" | "$ctl" unseal "$A" >"$tmp/out" ||
				fail "ioctl seal | netlink unseal $v $c $size"
			cmp -s "$tmp/plain" "$tmp/out" || fail "ioctl/netlink $v $c $size"
		done
		# the sequence numbers moved on: 1 + 7 + (1 + 7 with ioctl)
		seq=$(( 8 * (1 + have_ioctl) ))
		"$ctl" -j ctx show "$A" >"$tmp/show" || fail "ctx show"
		[ "$(json 'd["tx_seq"], d["rx_seq"], d["protocol"], d["cipher"]' <"$tmp/show")" = \
		  "($seq, $seq, 'TLS$v', '$c')" ] || fail "ctx show: $(cat "$tmp/show")"
		bits=256
		[ $c != aes-128-gcm ] || bits=128
		[ "$(json 'd["key_bits"]' <"$tmp/show")" = $bits ] ||
			fail "ctx show key_bits of $c: $(cat "$tmp/show")"
		delete_pair
	done
done

# A record split across reads: unseal asks for the rest
import_pair 1.3 aes-128-gcm
head -c 5000 /dev/urandom >"$tmp/plain"
"$ctl" seal "$A" <"$tmp/plain" >"$tmp/rec"
{ head -c 100 "$tmp/rec"; sleep 0.3; tail -c +101 "$tmp/rec"; } |
	"$ctl" unseal "$B" >"$tmp/out" || fail "split record"
cmp -s "$tmp/plain" "$tmp/out" || fail "split record: text"

# ctx list and show
"$ctl" -j ctx list >"$tmp/list" || fail "ctx list"
json '" ".join(c["handle"] for c in d)' <"$tmp/list" | grep -q "$A" ||
	fail "ctx list lacks $A: $(cat "$tmp/list")"
"$ctl" -j ctx show "$A" >"$tmp/show" || fail "ctx show"
[ "$(json 'd["handle"], d["package"], d["sizes"]["header"], d["sizes"]["trailer"], d["sizes"]["max_message"]' <"$tmp/show")" = \
  "('$A', 'Schannel', 5, 17, 16384)" ] || fail "ctx show: $(cat "$tmp/show")"
"$ctl" ctx show "$(python3 -c "print(int('$A', 16))")" | grep -q "^handle $A package Schannel" ||
	fail "ctx show by decimal handle"

# An altered byte: refused, nothing written, the sequence number kept
head -c 1024 /dev/urandom >"$tmp/plain"
"$ctl" seal "$A" <"$tmp/plain" >"$tmp/rec.orig"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[40] ^= 1; open(sys.argv[2], "wb").write(b)' "$tmp/rec.orig" "$tmp/rec"
expect_status 1 SEC_E_MESSAGE_ALTERED -- "$ctl" unseal "$B" <"$tmp/rec"
[ ! -s "$tmp/out" ] || fail "altered record: text written"
"$ctl" unseal "$B" <"$tmp/rec.orig" >"$tmp/out" || fail "unaltered record after an altered one"
cmp -s "$tmp/plain" "$tmp/out" || fail "unaltered record: text"

delete_pair

# Alerts: one in the middle is reported, close_notify ends the stream
import_pair 1.2 aes-256-gcm
head -c 3000 /dev/urandom >"$tmp/p1"
head -c 2000 /dev/urandom >"$tmp/p2"
{
	"$ctl" seal "$A" <"$tmp/p1"
	printf '\x01\x5a' | "$ctl" seal "$A" --qop 0x40000000
	"$ctl" seal "$A" <"$tmp/p2"
	printf '\x01\x00' | "$ctl" seal "$A" --qop 0x40000000
	"$ctl" seal "$A" <"$tmp/p1"
} >"$tmp/rec" || fail "seal with alerts"
expect_status 0 SEC_I_CONTEXT_EXPIRED -- "$ctl" unseal "$B" <"$tmp/rec"
grep -q "^alert 1 90$" "$tmp/err" || fail "alert 1 90 not reported: $(cat "$tmp/err")"
cat "$tmp/p1" "$tmp/p2" | cmp -s - "$tmp/out" || fail "text around the alerts"

delete_pair

# A truncated stream
import_pair 1.3 chacha20-poly1305
head -c 20000 /dev/urandom >"$tmp/plain"
"$ctl" seal "$A" <"$tmp/plain" >"$tmp/rec"
head -c $(( $(stat -c %s "$tmp/rec") - 10 )) "$tmp/rec" >"$tmp/trunc"
expect_status 1 SEC_E_INCOMPLETE_MESSAGE -- "$ctl" unseal "$B" <"$tmp/trunc"
head -c 16384 "$tmp/plain" | cmp -s - "$tmp/out" || fail "text before the truncation"
delete_pair
import_pair 1.3 chacha20-poly1305
"$ctl" seal "$A" <"$tmp/plain" | head -c 3 >"$tmp/trunc"
expect_status 1 SEC_E_INCOMPLETE_MESSAGE -- "$ctl" unseal "$B" <"$tmp/trunc"

# Key update: new keys for A's sending and B's receiving
k=$(rand_hex 32) iv=$(rand_hex 12)
"$ctl" ctx update-keys "$A" --tx --key "$k" --iv "$iv" || fail "update-keys tx"
"$ctl" ctx update-keys "$B" --rx --key "$k" --iv "$iv" || fail "update-keys rx"
"$ctl" seal "$A" <"$tmp/plain" | "$ctl" unseal "$B" >"$tmp/out" ||
	fail "round trip after a key update"
cmp -s "$tmp/plain" "$tmp/out" || fail "text after a key update"
expect_status 2 "" -- "$ctl" ctx update-keys "$A" --tx --key "${k:2}" --iv "$iv"

# Deleted contexts
"$ctl" ctx delete "$A" || fail "delete"
expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" seal "$A" <"$tmp/plain"
echo "seal after delete: $(head -1 "$tmp/err")"
expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" ctx show "$A"
expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" ctx delete "$A"
if [ $have_ioctl = 1 ]; then
	expect_status 1 SEC_E_INVALID_HANDLE -- "$ctl" --ioctl seal "$A" <"$tmp/plain"
	echo "ioctl seal after delete: $(head -1 "$tmp/err")"
fi
"$ctl" ctx delete "$B"

# Keys from a key log, each side its role
for v in 1.2 1.3; do
	for c in aes-128-gcm aes-256-gcm chacha20-poly1305; do
		cr=$(rand_hex 32) sr=$(rand_hex 32)
		hl=32
		[ $c = aes-256-gcm ] && hl=48
		{
			echo "CLIENT_RANDOM $cr $(rand_hex 48)"
			echo "CLIENT_TRAFFIC_SECRET_0 $cr $(rand_hex $hl)"
			echo "SERVER_TRAFFIC_SECRET_0 $cr $(rand_hex $hl)"
		} >"$tmp/keylog"
		args=(--keylog "$tmp/keylog" --client-random "$cr" --version "$v"
		      --cipher "$c")
		[ $v = 1.2 ] && args+=(--server-random "$sr")
		A=$("$ctl" ctx import tls "${args[@]}" --role client) ||
			fail "keylog import $v $c client"
		B=$("$ctl" -j ctx import tls "${args[@]}" --role server |
			json 'd["handle"]') || fail "keylog import $v $c server"
		head -c 40000 /dev/urandom >"$tmp/plain"
		"$ctl" seal "$A" <"$tmp/plain" | "$ctl" unseal "$B" >"$tmp/out" ||
			fail "keylog $v $c: client to server"
		cmp -s "$tmp/plain" "$tmp/out" || fail "keylog $v $c: client to server text"
		"$ctl" seal "$B" <"$tmp/plain" | "$ctl" unseal "$A" >"$tmp/out" ||
			fail "keylog $v $c: server to client"
		cmp -s "$tmp/plain" "$tmp/out" || fail "keylog $v $c: server to client text"
		# TLS 1.2: the first application record is number 1
		seq=$("$ctl" -j ctx show "$A" | json 'd["tx_seq"], d["rx_seq"]')
		[ "$seq" = "$([ $v = 1.2 ] && echo "(4, 4)" || echo "(3, 3)")" ] ||
			fail "keylog $v $c: sequence numbers $seq"
		if [ $v = 1.3 ]; then
			# both sides to application_traffic_secret_2
			for g in 1 2; do
				"$ctl" ctx update-keys "$A" --tx --keylog "$tmp/keylog" \
					--client-random "$cr" --role client --generation $g ||
					fail "keylog update-keys $c tx $g"
				"$ctl" ctx update-keys "$B" --rx --keylog "$tmp/keylog" \
					--client-random "$cr" --role server --generation $g ||
					fail "keylog update-keys $c rx $g"
			done
			"$ctl" seal "$A" <"$tmp/plain" | "$ctl" unseal "$B" >"$tmp/out" ||
				fail "keylog $v $c: after the key update"
			cmp -s "$tmp/plain" "$tmp/out" || fail "keylog $v $c: text after the key update"
		fi
		delete_pair
	done
done

# Interop with OpenSSL (Python's ssl): keys from its key log, records
# both ways, close_notify; a TLS 1.3 NewSessionTicket is SEC_I_RENEGOTIATE
peer="$top/userspace-tools/tests/openssl_peer.py"
if command -v openssl >/dev/null && python3 -c 'import ssl' 2>/dev/null; then
	for v in 1.2 1.3; do
		for c in aes-128-gcm aes-256-gcm chacha20-poly1305; do
			python3 "$peer" "$ctl" $v $c || fail "OpenSSL interop $v $c"
			[ $have_ioctl = 0 ] ||
				python3 "$peer" "$ctl" $v $c --ioctl ||
				fail "OpenSSL interop $v $c (ioctl)"
		done
	done
	python3 "$peer" "$ctl" 1.3 aes-256-gcm --tickets || fail "NewSessionTicket"
else
	echo "note: no openssl or Python ssl, the OpenSSL interop is skipped"
fi

# RFC 8448's application records (kunit/rfc8448.h), unsealed with keys
# from its traffic secrets: the client's first record, the server's second
# (its NewSessionTicket was the first)
cr=$(rand_hex 32)
{
	echo "CLIENT_TRAFFIC_SECRET_0 $cr 9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"
	echo "SERVER_TRAFFIC_SECRET_0 $cr a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"
} >"$tmp/rfc8448.log"
rfc_record() {
	python3 -c 'import re, sys
t = open(sys.argv[1]).read()
m = re.search(sys.argv[2] + r"\[\d+\]\s*=\s*\{([^}]*)\}", t)
sys.stdout.buffer.write(bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})", m.group(1))))' \
		"$top/kunit/rfc8448.h" "$1"
}
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(50)))' >"$tmp/rfc8448.txt"
S=$("$ctl" ctx import tls --keylog "$tmp/rfc8448.log" --client-random "$cr" --role server --cipher aes-128-gcm)
C=$("$ctl" ctx import tls --keylog "$tmp/rfc8448.log" --client-random "$cr" --role client --cipher aes-128-gcm --rx-seq 1)
rfc_record rfc8448_client_record | "$ctl" unseal "$S" >"$tmp/out" || fail "RFC 8448 client record"
cmp -s "$tmp/out" "$tmp/rfc8448.txt" || fail "RFC 8448 client record: text"
rfc_record rfc8448_server_record | "$ctl" unseal "$C" >"$tmp/out" || fail "RFC 8448 server record"
cmp -s "$tmp/out" "$tmp/rfc8448.txt" || fail "RFC 8448 server record: text"
# and sealing the same text gives the same client record
"$ctl" seal "$C" <"$tmp/rfc8448.txt" | cmp -s - <(rfc_record rfc8448_client_record) ||
	fail "RFC 8448 client record sealed"
"$ctl" ctx delete "$S"
"$ctl" ctx delete "$C"

# Usage errors: exit 2
k=$(rand_hex 16) iv=$(rand_hex 12)
base=(ctx import tls --version 1.3 --cipher aes-128-gcm)
expect_status 2 "" -- "$ctl" "${base[@]}" --tx-key "${k}0" --tx-iv "$iv" --rx-key "$k" --rx-iv "$iv"
expect_status 2 "" -- "$ctl" "${base[@]}" --tx-key "zz${k:2}" --tx-iv "$iv" --rx-key "$k" --rx-iv "$iv"
expect_status 2 "" -- "$ctl" "${base[@]}" --tx-key "$k$k" --tx-iv "$iv" --rx-key "$k" --rx-iv "$iv"
expect_status 2 "" -- "$ctl" "${base[@]}" --tx-key "$k" --tx-iv "${iv:2}" --rx-key "$k" --rx-iv "$iv"
expect_status 2 "" -- "$ctl" "${base[@]}" --tx-key "$k" --tx-iv "$iv"
expect_status 2 "" -- "$ctl" seal notahandle
expect_status 2 "" -- "$ctl" seal 1 --qop banana
expect_status 2 "" -- "$ctl" ctx frobnicate
"$ctl" -j ctx list | json 'len(d)' | grep -qx 0 || fail "contexts left over"

# Without the module: a message and exit 1
rmmod sspi_kmod
expect_status 1 'no generic netlink family "sspi"' -- "$ctl" ctx list
echo record | expect_status 1 "/dev/sspi" -- "$ctl" --ioctl unseal 1
echo text | expect_status 1 "/dev/sspi" -- "$ctl" --ioctl seal 1
insmod "$SSPI_VM_MODULE" || fail "reload"
echo "sspictl TLS round trips ok (ioctl: $have_ioctl)"
