#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""NTLM session security with extended session security (MS-NLMP 3.4.4.2,
connection mode), in Python, as a reference for tests/vm/sspictl_ntlm_test.sh:

    ntlm_ref.py selftest
    ntlm_ref.py seal KEYHEX FLAGS initiator|acceptor SEQ [sign:]FILE...

"seal" prints, one line of hex per FILE, what the side sends for each file
in turn starting at sequence number SEQ, with one RC4 stream for all of
them: for FILE, EncryptMessage's output (the 16-byte signature, then the
sealed text); for sign:FILE, MakeSignature's (the signature).  "selftest"
checks the code against MS-NLMP 4.2.4.4's vector.
"""
import hashlib
import hmac
import struct
import sys

NEGOTIATE_KEY_EXCH = 0x40000000
NEGOTIATE_128 = 0x20000000
NEGOTIATE_56 = 0x80000000
NEGOTIATE_ESS = 0x00080000
NEGOTIATE_SEAL = 0x20


class RC4:
    def __init__(self, key):
        s = list(range(256))
        j = 0
        for i in range(256):
            j = (j + s[i] + key[i % len(key)]) & 255
            s[i], s[j] = s[j], s[i]
        self.s, self.i, self.j = s, 0, 0

    def __call__(self, data):
        s, i, j = self.s, self.i, self.j
        out = bytearray(len(data))
        for n, b in enumerate(data):
            i = (i + 1) & 255
            j = (j + s[i]) & 255
            s[i], s[j] = s[j], s[i]
            out[n] = b ^ s[(s[i] + s[j]) & 255]
        self.i, self.j = i, j
        return bytes(out)


def magic(direction, what):
    return ('session key to %s %s key magic constant\0' % (direction, what)).encode()


class Sender:
    def __init__(self, key, flags, initiator, seq=0):
        d = 'client-to-server' if initiator else 'server-to-client'
        self.sign_key = hashlib.md5(key + magic(d, 'signing')).digest()
        if flags & NEGOTIATE_128:
            seal = key
        elif flags & NEGOTIATE_56:
            seal = key[:7]
        else:
            seal = key[:5]
        self.rc4 = RC4(hashlib.md5(seal + magic(d, 'sealing')).digest())
        self.flags, self.seq = flags, seq

    def seal(self, msg, sign_only=False):
        seq = struct.pack('<I', self.seq)
        self.seq += 1
        sealed = msg
        if self.flags & NEGOTIATE_SEAL and not sign_only:
            sealed = self.rc4(msg)
        cks = hmac.new(self.sign_key, seq + msg, hashlib.md5).digest()[:8]
        if self.flags & NEGOTIATE_KEY_EXCH:
            cks = self.rc4(cks)
        sig = struct.pack('<I', 1) + cks + seq
        return sig if sign_only else sig + sealed


def selftest():
    s = Sender(bytes([0x55] * 16), 0xe28a8233, True)
    got = s.seal('Plaintext'.encode('utf-16-le')).hex()
    want = '010000007fb38ec5c55d497600000000' + '54e50165bf1936dc996020c1811b0f06fb5f'
    if got != want:
        sys.exit('MS-NLMP 4.2.4.4: %s, expected %s' % (got, want))
    print(got)


def main():
    if sys.argv[1:] == ['selftest']:
        return selftest()
    key, flags, role, seq = sys.argv[2:6]
    s = Sender(bytes.fromhex(key), int(flags, 0), role == 'initiator', int(seq, 0))
    for f in sys.argv[6:]:
        sign = f.startswith('sign:')
        with open(f[5:] if sign else f, 'rb') as fh:
            print(s.seal(fh.read(), sign).hex())


main()
