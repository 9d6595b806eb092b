#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Windows-named API (<sspi_kmod/sspi_user.h>) against the Schannel,
# Kerberos, NTLM and Negotiate packages: userspace-tools/tests/sspi_user_test, SSPI code as
# Windows programs are written, built against a staged "make install"
# (headers, libsspi.so, libsspi.pc) and run against that .so -- which
# tests/layer-vm.sh makes before the boot ("make -C userspace-tools
# sspi-user-test").  Mirrored context pairs exchange messages through
# EncryptMessage, DecryptMessage, MakeSignature and VerifySignature.
# Then a real peer: openssl_peer.py's OpenSSL client and server, with the
# program's Windows-style data path ("seal"/"unseal" on a context sspictl
# imported from the handshake's key log) in sspictl's place.

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
prog="$top/userspace-tools/tests/sspi_user_test"
stage="$top/userspace-tools/stage"

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$prog" ] || fail "no $prog: make -C userspace-tools sspi-user-test"
[ -e /dev/sspi ] || fail "no /dev/sspi"
# the library it runs with is the staged one
ldd "$prog" | grep -q "libsspi.so.0 => $stage/usr/lib/libsspi.so.0" ||
	fail "not linked against the staged libsspi: $(ldd "$prog" | grep libsspi)"
before=$("$top/userspace-tools/sspictl" ctx list | grep -c '^handle' || true)
# rc4-hmac contexts are imported only with allow_rc4 set (sspictl_krb5_test.sh)
rc4=/sys/module/sspi_kmod/parameters/allow_rc4
[ -w $rc4 ] || fail "no writable $rc4"
rc4_was=$(cat $rc4)
echo 1 >$rc4
set +e
out=$("$prog" 2>&1)
rc=$?
set -e
echo "$rc4_was" >$rc4
if [ $rc != 0 ]; then
	printf '%s\n' "$out" | grep -v '^ok - '
	fail "sspi_user_test failed"
fi
printf '%s\n' "$out" | grep '^#'
printf '%s\n' "$out" | grep -q '^ok - DecryptMessage \[DATA, EMPTY, EMPTY, EMPTY\]' ||
	fail "no Schannel round trip"
printf '%s\n' "$out" | grep -q '^ok - sspi_message_batch: the rest sent again' ||
	fail "no libsspi batch"
printf '%s\n' "$out" | grep -q '^ok - DecryptMessage \[TOKEN, DATA\]' ||
	fail "no Kerberos round trip"
printf '%s\n' "$out" | grep -q '^ok - DecryptMessage of the PDU' ||
	fail "no NTLM round trip"
printf '%s\n' "$out" | grep -q '^ok - NEGOTIATION_INFO: NTLM (rpcid 10), state 0' ||
	fail "no Negotiate NTLM context"
printf '%s\n' "$out" | grep -q '^ok - NEGOTIATION_INFO: Kerberos (rpcid 16), state 0' ||
	fail "no Negotiate Kerberos context"
printf '%s\n' "$out" | grep -q '^ok - SspiKmodImportContext("NTLMv2"): SEC_E_SECPKG_NOT_FOUND' ||
	fail "an unknown package imported"
printf '%s\n' "$out" | grep -q '^ok - KEY_INFO: 56 bits, signature 0xffffff76 "HMAC-MD5"' ||
	fail "no SECPKG_ATTR_KEY_INFO of a 56-bit NTLM context"

# OpenSSL's client and server on either side of the Windows API
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/ctl" <<EOS
#!/bin/sh
case \$1 in
seal|unseal) exec "$prog" "\$@" ;;
*) exec "$top/userspace-tools/sspictl" "\$@" ;;
esac
EOS
chmod +x "$tmp/ctl"
peer="$top/userspace-tools/tests/openssl_peer.py"
command -v openssl >/dev/null && python3 -c 'import ssl' ||
	fail "no openssl or Python ssl for the OpenSSL peer"
for vc in "1.3 aes-128-gcm" "1.2 aes-256-gcm" "1.3 chacha20-poly1305"; do
	# shellcheck disable=SC2086
	python3 "$peer" "$tmp/ctl" $vc || fail "OpenSSL peer $vc"
done
python3 "$peer" "$tmp/ctl" 1.3 aes-256-gcm --tickets || fail "NewSessionTicket"

after=$("$top/userspace-tools/sspictl" ctx list | grep -c '^handle' || true)
[ "$before" = "$after" ] || fail "contexts left behind: $before before, $after after"
echo "sspi_user_test: passed"
