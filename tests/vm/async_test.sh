#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The suites with asynchronous crypto drivers forced: the test module
# sspi_async (tests/modules/sspi_async.c) puts cryptd in front of the TLS
# AEADs (gcm(aes), rfc7539(chacha20,poly1305); pcrypt before Linux 6.3,
# whose cryptd AEAD is broken) and of Kerberos's cts(cbc(aes)), cbc(aes)
# and hmac(sha1|sha256|sha384), so that every operation of those packages
# completes from a worker (-EINPROGRESS) and is waited for.  With it loaded:
#   - the TLS interop matrix against kTLS (interop_test.sh --peers ktls)
#     and the Kerberos one against MIT krb5 with the module as initiator,
#     aes256-cts-hmac-sha1-96 and aes256-cts-hmac-sha384-192
#     (krb5_interop_test.sh --role initiator --no-samples --enctype 18
#     --enctype 20), every context
#     checked to use the wrapped driver (--expect-driver);
#   - the example consumer sealing through sspi_submit() (consumer_test.sh
#     --async): records in flight together, ended by the driver's
#     completion, in order, and opened by the peer;
#   - a short fuzz_tokens.py pass over the TLS and Kerberos variants (NTLM
#     and rc4-hmac are synchronous by design: skipped), drivers checked
#     the same way: no altered message accepted, no genuine one lost;
#   - async_test.py: /proc/crypto puts the wrapped drivers first; TLS
#     1.2/1.3 x AES-GCM, ChaCha20-Poly1305 and every AES enctype: contexts
#     report them and hold transforms of them (reference counts), seal,
#     unseal, sign, verify both ways, altered messages refused, several
#     threads at once; then it unloads sspi_async, which unregisters its
#     instances: none left, and new contexts get unwrapped drivers again.
# run-all runs this test last all the same, should a failure leave the
# instances behind.  With --full, both interop suites run whole (OpenSSL,
# the acceptor role, every enctype and MIT's samples included).
#
# The test modules are built next to sspi_kmod with
# "scripts/build-module KIND SSPI_TEST_MODULES=m" before booting.

set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
mods="$(dirname "${SSPI_VM_MODULE:-/nonexistent/x}")/tests/modules"
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
# Kerberos: one enctype of each profile (RFC 3962, RFC 8009); async_test.py
# and the fuzzer take all four
tls=(--peers ktls) krb5=(--role initiator --no-samples --enctype 18 --enctype 20)
if [ "${1:-}" = --full ]; then
	tls=() krb5=()
fi

fail() { echo "FAIL: $*"; exit 1; }

for m in sspi_async sspi_fuzz; do
	[ -f "$mods/$m.ko" ] || fail "no $mods/$m.ko: build the test modules"
done
[ ! -d /sys/module/sspi_async ] || fail "sspi_async is already loaded"

# cryptd's AEAD corrupts the caller's request before Linux 6.3 (bookworm's
# 6.1 fails its self-test): pcrypt for the AEADs there
aead=cryptd
IFS=. read -r major minor _ <<<"$(uname -r)"
[ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "${minor%%[!0-9]*}" -ge 3 ]; } || aead=pcrypt
algs="aead:$aead(gcm(aes)),aead:$aead(rfc7539(chacha20,poly1305))"
algs="$algs,skcipher:cryptd(cts(cbc(aes))),skcipher:cryptd(cbc(aes))"
algs="$algs,ahash:cryptd(hmac(sha1)),ahash:cryptd(hmac(sha256)),ahash:cryptd(hmac(sha384))"

start=$SECONDS
insmod "$mods/sspi_async.ko" algs="$algs" || fail "insmod sspi_async"
trap 'rmmod sspi_fuzz 2>/dev/null; rmmod sspi_async 2>/dev/null' EXIT
dmesg | sed -n 's/.*\] \(sspi_async: .*\)/# \1/p'
echo "# forcing took $((SECONDS - start)) s"

# each step's output indented, so that tests/layer-vm.sh does not take the
# interop suites' lines for those of interop_test and krb5_interop_test
rc=0
step() {
	local what=$1 t=$SECONDS
	shift
	if "$@" 2>&1 | sed 's/^/  /'; then
		echo "# $what: ok ($((SECONDS - t)) s)"
	else
		echo "# $what: FAILED ($((SECONDS - t)) s)"
		rc=1
	fi
}

step "TLS interop" bash "$here/interop_test.sh" "${tls[@]}" \
	--expect-driver '(\w+\()*(cryptd|pcrypt)\(.+\)'
step "Kerberos interop" bash "$here/krb5_interop_test.sh" "${krb5[@]}" \
	--expect-driver '(\w+\()*cryptd\(.+\)'
step "consumer, sspi_submit()" bash "$here/consumer_test.sh" --async
insmod "$mods/sspi_fuzz.ko" || fail "insmod sspi_fuzz"
step "fuzz" $py "$here/fuzz_tokens.py" --count 1000 --seed 1 --max-size 1024 \
	--package Schannel --package Kerberos \
	--expect-driver '(\w+\()*(cryptd|pcrypt)\(.+\)'
rmmod sspi_fuzz
step "contexts on the wrapped drivers, then unwrapped" \
	$py "$here/async_test.py" --unload sspi_async
trap - EXIT
echo "# async: $((SECONDS - start)) s"
exit $rc
