#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Make kunit/krb5_rc4_vectors.h: rc4-hmac tokens from MIT krb5.

Needs no module: a realm on loopback (krb5_rc4_interop.Rc4Realm), two MIT
contexts in this process (python3-gssapi), one "std" (mutual, replay) and
one "dce" (DCE style too).  The key comes back from the initiator with
GSS_C_INQ_SSPI_SESSION_KEY; the sequence numbers of each side's first
token are read out of the tokens with the RFC 4757 formulas below, which
also check that every token is what RFC 4757 says it is.  Writes the
header to stdout.
"""

import hashlib
import hmac
import struct
import sys

from gssapi.raw import OID, inquire_sec_context_by_oid
from gssapi.raw.ext_dce import IOV, IOVBufferType, wrap_iov

import krb5_interop as ki
import krb5_rc4_interop as kr

SESSION_KEY = OID.from_int_seq('1.2.840.113554.1.2.2.5.5')

HEAD = """/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known answers for rc4-hmac (RFC 4757) tokens, for kunit/krb5_rc4_test.c,
 * made by tests/interop/krb5_rc4_vectors.py: tokens of MIT krb5 1.20.1
 * (Debian 1.20.1-2+deb12u5) through python3-gssapi on two contexts of one
 * realm (tests/interop/krb5_realm.py with an arcfour-hmac service), the
 * key read back from the initiator with GSS_C_INQ_SSPI_SESSION_KEY
 * (1.2.840.113554.1.2.2.5.5).  "std" is a context with mutual and replay,
 * "dce" one with DCE style too.  From the initiator: gss_wrap("hello
 * world") sealed, then integrity only, then gss_wrap_iov([HEADER,
 * SIGN_ONLY "SO", DATA "payload!", PADDING]) (no PADDING in DCE style),
 * then gss_get_mic("mic data"); from the acceptor gss_wrap("from the
 * acceptor").  *_INIT_SEQ and *_ACC_SEQ are the sequence numbers of each
 * side's first token.
 */
#ifndef _SSPI_KMOD_KRB5_RC4_VECTORS_H
#define _SSPI_KMOD_KRB5_RC4_VECTORS_H

#include <linux/types.h>
"""


def arc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xff
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for c in data:
        i = (i + 1) & 0xff
        j = (j + s[i]) & 0xff
        s[i], s[j] = s[j], s[i]
        out.append(c ^ s[(s[i] + s[j]) & 0xff])
    return bytes(out)


def hmd5(key, msg):
    return hmac.new(key, msg, hashlib.md5).digest()


def open_token(key, hdr, body, usage, initiator, signed=b''):
    """Check one token against RFC 4757: hdr is its 32 bytes after the
    framing (a MIC's 24), body the data and padding after them (a MIC's
    message).  Its sequence number."""
    seq = arc4(hmd5(hmd5(key, bytes(4)), hdr[16:24]), hdr[8:16])
    assert seq[4:] == (b'\x00' if initiator else b'\xff') * 4, seq.hex()
    n = struct.unpack('>I', seq[:4])[0]
    plain = hdr[24:32] + body
    if hdr[4:6] == b'\x10\x00':
        kc = hmd5(hmd5(bytes(b ^ 0xf0 for b in key), bytes(4)), seq[:4])
        plain = arc4(kc, plain)
    conf_len = len(hdr) - 24
    md = hashlib.md5(struct.pack('<I', usage) + hdr[:8] + plain[:conf_len] + signed +
                     plain[conf_len:]).digest()
    assert hmd5(hmd5(key, b'signaturekey\0'), md)[:8] == hdr[16:24], 'checksum'
    return n


def c_array(name, b):
    out = 'static const u8 %s[%d] = {\n' % (name, len(b))
    for i in range(0, len(b), 12):
        out += '\t' + ' '.join('0x%02x,' % x for x in b[i:i + 12]) + '\n'
    return out + '};\n\n'


def contexts(realm, dce):
    init = ki.peer_ctx(realm, kr.RC4, True, dce)
    acc = ki.peer_ctx(realm, kr.RC4, False, dce)
    tok = None
    while not (init.complete and acc.complete):
        tok = init.step(tok)
        if tok:
            tok = acc.step(tok)
    return init, acc


def main():
    out = HEAD + '\n'
    with kr.Rc4Realm([kr.RC4]) as realm:
        for dce in (False, True):
            n = 'dce' if dce else 'std'
            init, acc = contexts(realm, dce)
            key = inquire_sec_context_by_oid(init, SESSION_KEY)[0]
            assert len(key) == 16
            wrap = init.wrap(b'hello world', True).message
            integ = init.wrap(b'hello world', False).message
            iov = [(IOVBufferType.header, True, None),
                   (IOVBufferType.sign_only, False, b'SO'),
                   (IOVBufferType.data, False, b'payload!')]
            if not dce:
                iov.append((IOVBufferType.padding, True, None))
            iov = IOV(*iov, std_layout=False)
            wrap_iov(init, iov, confidential=True)
            mic = init.get_signature(b'mic data')
            acc_wrap = acc.wrap(b'from the acceptor', True).message

            seq = open_token(key, wrap[13:45], wrap[45:], 13, True)
            assert open_token(key, integ[13:45], integ[45:], 13, True) == seq + 1
            body = iov[2].value + (iov[3].value if not dce else b'')
            assert open_token(key, iov[0].value[13:], body, 13, True, b'SO') == seq + 2
            assert open_token(key, mic[13:], b'mic data', 15, True) == seq + 3
            aseq = open_token(key, acc_wrap[13:45], acc_wrap[45:], 13, False)

            out += c_array('rc4_%s_key' % n, key)
            out += '#define RC4_%s_INIT_SEQ %uU\n\n' % (n.upper(), seq)
            out += c_array('rc4_%s_wrap' % n, wrap)
            out += c_array('rc4_%s_integ' % n, integ)
            out += c_array('rc4_%s_iov_tok' % n, iov[0].value)
            out += c_array('rc4_%s_iov_data' % n, iov[2].value)
            if not dce:
                out += c_array('rc4_%s_iov_pad' % n, iov[3].value)
            out += c_array('rc4_%s_mic' % n, mic)
            out += '#define RC4_%s_ACC_SEQ %uU\n\n' % (n.upper(), aseq)
            out += c_array('rc4_%s_acc_wrap' % n, acc_wrap)
    sys.stdout.write(out.rstrip('\n') + '\n\n#endif /* _SSPI_KMOD_KRB5_RC4_VECTORS_H */\n')


if __name__ == '__main__':
    main()
