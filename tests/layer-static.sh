# SPDX-License-Identifier: GPL-2.0
# tests/run layer "static": each static check is one test.  Sourced.

for check in checkpatch kernel-doc sparse w1-test w1-distro w1-compat-7.2 tools netlink-spec; do
	t_cmd "static/$check" "$SSPI_TOP/scripts/static-check" "$check"
done

# sspictl's key derivation (NSS key log -> TLS keys) against python3's
# "cryptography" and RFC 8448, and its Kerberos command lines (the import
# structure they build, usage errors): userspace only.
t_cmd "tools/check" make -s -C "$SSPI_TOP/userspace-tools" check
