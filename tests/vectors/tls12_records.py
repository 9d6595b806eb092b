#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Provenance of the TLS 1.2 record vectors in kunit/tls_record_test.c.

Computed with Python's "cryptography" (OpenSSL), independently of the
kernel: RFC 5288 AES-128-GCM (4-byte salt, 8-byte explicit nonce carried in
the record; kTLS counts the explicit nonce up from the imported one) and
RFC 7905 ChaCha20-Poly1305 (nonce = IV XOR sequence number).  Keys and IVs
are arbitrary test values.  Run it to print the records as C arrays."""

import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def carray(b):
    return ", ".join("0x%02x" % x for x in b)


def main():
    pt = bytes((i * 7 + 3) & 0xFF for i in range(40))

    key = bytes(range(0x10, 0x20))
    salt, expl, seq = bytes.fromhex("a0a1a2a3"), bytes.fromhex("0001020304050607"), 5
    aad = struct.pack(">Q", seq) + bytes([23, 3, 3]) + struct.pack(">H", len(pt))
    ct = AESGCM(key).encrypt(salt + expl, pt, aad)
    rec = bytes([23, 3, 3]) + struct.pack(">H", 8 + len(ct)) + expl + ct
    print("tls12_gcm_record (seq %d):" % seq, carray(rec))

    key = bytes(range(0x40, 0x60))
    iv, seq = bytes.fromhex("b0b1b2b3b4b5b6b7b8b9babb"), 7
    nonce = bytes(a ^ b for a, b in zip(iv, b"\0" * 4 + struct.pack(">Q", seq)))
    aad = struct.pack(">Q", seq) + bytes([23, 3, 3]) + struct.pack(">H", len(pt))
    ct = ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    rec = bytes([23, 3, 3]) + struct.pack(">H", len(ct)) + ct
    print("tls12_chacha_record (seq %d):" % seq, carray(rec))


if __name__ == "__main__":
    main()
