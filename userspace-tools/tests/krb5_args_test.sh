#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sspictl's Kerberos command lines, no kernel needed: "ctx import kerberos
# --print-keys" builds the struct sspi_krb5_import the options describe
# (enctype names, key lengths, role, subkey, flags, sequence numbers,
# endtime), and every bad option of the import, seal, unseal, sign and
# verify exits 2 with a message before anything is sent.  Builds sspictl
# first.

set -eu
dir=$(cd "$(dirname "$0")" && pwd)
tools=$(dirname "$dir")
ctl="$tools/sspictl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$tools" sspictl

pass=0
fail() { echo "FAIL: $*"; exit 1; }

K16=000102030405060708090a0b0c0d0e0f
K32=${K16}101112131415161718191a1b1c1d1e1f
S16=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
S32=${S16}e0e1e2e3e4e5e6e7e8e9eaebecedeeef

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

# keys WANT ARGS...: "ctx import kerberos ARGS --print-keys" prints WANT
keys() {
	local want=$1 got
	shift
	got=$("$ctl" ctx import kerberos "$@" --print-keys 2>&1) ||
		fail "import $*: exit $?: $got"
	[ "$got" = "$want" ] || fail "import $*: printed
$got
expected
$want"
	pass=$((pass + 1))
}

imp=(ctx import kerberos)

# Enctypes by number and by MIT's names, each with its key length
for e in "17 aes128-cts-hmac-sha1-96 $K16" "18 aes256-cts-hmac-sha1-96 $K32" \
	 "19 aes128-cts-hmac-sha256-128 $K16" "20 aes256-cts-hmac-sha384-192 $K32" \
	 "23 arcfour-hmac $K16"; do
	set -- $e
	want="enctype $1 $2
flags 0x01 initiator
send-seq 0
recv-seq 0
key $3"
	keys "$want" --enctype "$1" --key "$3" --initiator
	keys "$want" --enctype "$2" --key "$3" --initiator
	keys "$want" --enctype="${2^^}" --key="$3" --initiator
	keys "$want" --enctype "0x$(printf %x "$1")" --key "$3" --initiator
done
for a in "rc4-hmac 23 $K16" "aes128-cts 17 $K16" "aes256-cts 18 $K32" \
	 "aes128-sha2 19 $K16" "aes256-sha2 20 $K32" "arcfour-hmac-md5 23 $K16"; do
	set -- $a
	"$ctl" ctx import kerberos --enctype "$1" --key "$3" --acceptor --print-keys |
		grep -qx "enctype $2 .*" || fail "enctype alias $1"
	pass=$((pass + 1))
done

# Role, subkey, flags, sequence numbers, endtime and lifetime
keys "enctype 18 aes256-cts-hmac-sha1-96
flags 0x00
send-seq 0
recv-seq 0
key $K32" --enctype 18 --key "$K32" --acceptor
keys "enctype 18 aes256-cts-hmac-sha1-96
flags 0x03 initiator,acceptor-subkey
send-seq 0
recv-seq 0
key $S32" --enctype 18 --key "$K32" --acceptor-subkey "$S32" --initiator
keys "enctype 17 aes128-cts-hmac-sha1-96
flags 0x1e acceptor-subkey,replay,sequence,dce
send-seq 18446744073709551615
recv-seq 7
key $S16" --acceptor --flags dce,sequence,replay --enctype 17 --key "$K16" \
	--acceptor-subkey "$S16" --send-seq 0xffffffffffffffff --recv-seq 7
keys "enctype 20 aes256-cts-hmac-sha384-192
flags 0x05 initiator,replay
send-seq 0
recv-seq 0
key $K32
endtime 4102444800" --enctype 20 --key "$K32" --initiator --flags replay,replay \
	--endtime 4102444800
keys "enctype 19 aes128-cts-hmac-sha256-128
flags 0x09 initiator,sequence
send-seq 0
recv-seq 0
key $K16
lifetime 3600" --enctype 19 --key "$K16" --initiator --flags sequence --lifetime 3600
got=$("$ctl" -j ctx import kerberos --enctype 23 --key "$K16" --acceptor-subkey "$S16" \
	--initiator --flags dce --send-seq 3 --endtime 0 --print-keys)
[ "$got" = '{"enctype":23,"enctype_name":"arcfour-hmac","flags":["initiator","acceptor-subkey","dce"],"send_seq":3,"recv_seq":0,"key":"'$S16'","endtime":0}' ] ||
	fail "JSON import: $got"
pass=$((pass + 1))

# Import usage errors
usage "unknown enctype 16" "${imp[@]}" --enctype 16 --key "$K16" --initiator
usage "unknown enctype des-cbc-crc" "${imp[@]}" --enctype des-cbc-crc --key "$K16" --initiator
usage "unknown enctype 18x" "${imp[@]}" --enctype 18x --key "$K32" --initiator
usage "unknown enctype -18" "${imp[@]}" --enctype -18 --key "$K32" --initiator
usage "--enctype is required" "${imp[@]}" --key "$K16" --initiator
usage "--key is required" "${imp[@]}" --enctype 17 --initiator
usage "--key is required" "${imp[@]}" --enctype 17 --acceptor-subkey "$K16" --initiator
for e in "17 $K32 32" "18 $K16 16" "19 $K32 32" "20 $K16 16" "23 $K32 32" \
	 "18 ${K32}00 33" "17 ${K16:2} 15"; do
	set -- $e
	usage "--key: enctype $1 .* takes a $(case $1 in 18|20) echo 32 ;; *) echo 16 ;; esac)-byte key, not $3" \
		"${imp[@]}" --enctype "$1" --key "$2" --initiator
done
usage "--acceptor-subkey: enctype 18 .* takes a 32-byte key, not 16" \
	"${imp[@]}" --enctype 18 --key "$K32" --acceptor-subkey "$S16" --initiator
usage "--key: not a hex string" "${imp[@]}" --enctype 17 --key "zz${K16:2}" --initiator
usage "--key: not a hex string" "${imp[@]}" --enctype 17 --key "${K16}0" --initiator
usage "--key: enctype 18 .* takes a 32-byte key, not 64" "${imp[@]}" --enctype 18 --key "$K32$K32" --initiator
usage "--key: not a hex string" "${imp[@]}" --enctype 17 --key "" --initiator
usage "--acceptor-subkey: not a hex string" "${imp[@]}" --enctype 17 --key "$K16" \
	--acceptor-subkey "${S16}x" --acceptor
usage "one of --initiator and --acceptor is required" "${imp[@]}" --enctype 17 --key "$K16"
usage "one of --initiator and --acceptor is required" "${imp[@]}" --enctype 17 --key "$K16" \
	--flags replay
usage "--initiator or --acceptor, not both" "${imp[@]}" --enctype 17 --key "$K16" \
	--initiator --acceptor
usage 'unknown flag "bogus"' "${imp[@]}" --enctype 17 --key "$K16" --initiator \
	--flags replay,bogus
usage 'unknown flag "initiator"' "${imp[@]}" --enctype 17 --key "$K16" --initiator \
	--flags initiator
usage 'unknown flag "Replay"' "${imp[@]}" --enctype 17 --key "$K16" --initiator --flags Replay
usage 'unknown flag ""' "${imp[@]}" --enctype 17 --key "$K16" --initiator --flags replay,
usage 'unknown flag ""' "${imp[@]}" --enctype 17 --key "$K16" --initiator --flags ""
usage "--send-seq: not a number: -1" "${imp[@]}" --enctype 17 --key "$K16" --initiator --send-seq -1
usage "--recv-seq: not a number: x" "${imp[@]}" --enctype 17 --key "$K16" --initiator --recv-seq x
usage "--recv-seq: not a number" "${imp[@]}" --enctype 17 --key "$K16" --initiator \
	--recv-seq 18446744073709551616
usage "--endtime: not a number" "${imp[@]}" --enctype 17 --key "$K16" --initiator --endtime tomorrow
usage "--lifetime: not a number" "${imp[@]}" --enctype 17 --key "$K16" --initiator --lifetime 4294967296
usage "--endtime or --lifetime, not both" "${imp[@]}" --enctype 17 --key "$K16" --initiator \
	--endtime 4102444800 --lifetime 10
usage "--initiator takes no value" "${imp[@]}" --enctype 17 --key "$K16" --initiator=yes
usage "--enctype given twice" "${imp[@]}" --enctype 17 --enctype 18 --key "$K16" --initiator
usage "--enctype needs a value" "${imp[@]}" --key "$K16" --initiator --enctype
usage "unknown option --role" "${imp[@]}" --enctype 17 --key "$K16" --role client
usage "unexpected argument extra" "${imp[@]}" --enctype 17 --key "$K16" --initiator extra
usage "unknown package kerberos5" ctx import kerberos5 --enctype 17

# seal, unseal, sign, verify: usage errors before anything is sent
usage "one HANDLE" seal
usage "bad handle nothandle" seal nothandle
usage "--qop: not a number: banana" seal 1 --qop banana
usage "--qop: not a number" seal 1 --qop 0x100000000
usage "one HANDLE" unseal
usage "unknown option --qop" unseal 1 --qop 1
usage "one HANDLE" sign
usage "bad handle 0xg" sign 0xg
usage "--qop: not a number: -1" sign 1 --qop -1
usage "unexpected argument 2" sign 1 2
usage "unknown option --token" sign 1 --token 00
usage "--token HEX is required" verify 1
usage "one HANDLE" verify --token 00
usage "--token: not a hex string" verify 1 --token 0
usage "--token: not a hex string" verify 1 --token xy
usage "--token: not a hex string" verify 1 --token ""
usage "unknown option --qop" verify 1 --token 00 --qop 1

# Help: exit 0, on stdout
for c in "ctx import kerberos" seal unseal sign verify; do
	# shellcheck disable=SC2086
	"$ctl" $c --help >"$tmp/out" 2>&1 || fail "$c --help: exit $?"
	grep -q '^Usage: ' "$tmp/out" || fail "$c --help: no usage"
	pass=$((pass + 1))
done
"$ctl" help sign | grep -q "MakeSignature" || fail "help sign"
"$ctl" help | grep -q "ctx import kerberos" || fail "help: no kerberos import"

echo "krb5_args_test: $pass checks passed"
