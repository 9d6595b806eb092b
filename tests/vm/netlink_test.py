#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The "sspi" generic netlink family, driven by the kernel's own ynl
library from Documentation/netlink/specs/sspi.yaml: packages, import,
query, seal/unseal, strict policies and extack, CAP_NET_ADMIN, owners and
network namespaces, delete while another thread seals, and unloading the
module with live contexts.  Runs inside the VM as root."""

import errno
import os
import secrets
import socket
import struct
import subprocess
import sys
import threading
import time

from sspi_nl import (CLONE_NEWNET, CLONE_NEWUSER, DATA, EMPTY, EXTRA, KRB5_F_INITIATOR,
                     KRB5_F_REPLAY, KRB5_F_SEQUENCE, MISSING, NEGOTIATE_MECH_KERBEROS,
                     NEGOTIATE_MECH_NTLM, OOB, PADDING, PR_SET_DUMPABLE, QOP_TLS_HANDSHAKE,
                     READONLY, READONLY_WITH_CHECKSUM, SEC_E_CONTEXT_EXPIRED,
                     SEC_E_INCOMPLETE_MESSAGE, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
                     SEC_E_MESSAGE_ALTERED, SEC_E_OK, SEC_E_OUT_OF_SEQUENCE,
                     SEC_I_CONTEXT_EXPIRED, SEC_I_RENEGOTIATE, STREAM, STREAM_HEADER,
                     STREAM_TRAILER, TOKEN, buf, check, decrypt, encrypt, errno_of, failures,
                     family, import_pair, in_child, keys, krb5_import, lib, libc,
                     negotiate_blob, negotiate_import, pack_struct, raw_message, seal, sign,
                     tls_import, unseal, unshare, verify)
from sspi_nl import NlError


def negotiate(nl, pkgs):
    """A "Negotiate" context carrying a Kerberos import against a plain
    "Kerberos" one of the same key: query, seal, sign, both ways, and the
    imports Negotiate refuses."""
    neg = [p for p in pkgs if p['pkg-name'] == 'Negotiate']
    check(len(neg) == 1 and neg[0]['pkg-caps'] == 0xf,
          f'pkg-get lists Negotiate with encrypt, decrypt, sign, verify ({neg})')
    key = secrets.token_bytes(32)
    krb = {'enctype': 18, 'flags': KRB5_F_INITIATOR | KRB5_F_REPLAY, 'send-seq': 5,
           'recv-seq': 70, 'key-len': 32, 'key': key}
    hn = negotiate_import(nl, NEGOTIATE_MECH_KERBEROS, pack_struct('krb5-import', krb))
    hk = krb5_import(nl, 18, key, KRB5_F_REPLAY, send_seq=70, recv_seq=5)
    ni = nl.do('ctx-get', {'ctx-handle': hn})
    ki = nl.do('ctx-get', {'ctx-handle': hk})
    check(ni['pkg-name'] == 'Negotiate' and ni.get('ctx-negotiated') == 'Kerberos' and
          ni['ctx-tx-seq'] == 5 and ni['ctx-rx-seq'] == 70,
          f'ctx-get: Negotiate, negotiated {ni.get("ctx-negotiated")}')
    check(ki['pkg-name'] == 'Kerberos' and 'ctx-negotiated' not in ki,
          'ctx-get of a plain Kerberos context: no ctx-negotiated')
    check(ni['ctx-sizes'] == ki['ctx-sizes'] and ni['ctx-cipher'] == ki['ctx-cipher'],
          f'Negotiate reports Kerberos\'s sizes and cipher ({ni["ctx-cipher"]})')
    check(ni.get('ctx-key-bits') == 256 and ki.get('ctx-key-bits') == 256,
          f'ctx-key-bits of aes256 through Negotiate and plain: '
          f'{ni.get("ctx-key-bits")}, {ki.get("ctx-key-bits")}')
    listed = {c['ctx-handle']: c for c in nl.dump('ctx-get', {})}
    check(listed.get(hn, {}).get('ctx-negotiated') == 'Kerberos',
          'the ctx-get dump carries ctx-negotiated too')
    check(listed.get(hn, {}).get('ctx-key-bits') == 256,
          'the ctx-get dump carries ctx-key-bits too')
    trailer = ni['ctx-sizes']['security-trailer']
    for src, dst, what in ((hn, hk, 'Negotiate -> Kerberos'), (hk, hn, 'Kerberos -> Negotiate')):
        msg = secrets.token_bytes(1000)
        st, out = encrypt(nl, src, [(TOKEN, trailer), (DATA, msg)])
        wire = out[0][1] + out[1][1]
        st2, qop, back = decrypt(nl, dst, [(STREAM, wire), (DATA, 0)])
        check(st == SEC_E_OK and st2 == SEC_E_OK and back[1][1] == msg,
              f'{what}: sealed and unsealed')
        st2, qop, back = decrypt(nl, dst, [(STREAM, wire), (DATA, 0)])
        check(st2 == SEC_E_OUT_OF_SEQUENCE, f'{what}: the replay is SEC_E_OUT_OF_SEQUENCE')
        st, out = sign(nl, src, [(DATA, msg), (TOKEN, 64)])
        st2, qop = verify(nl, dst, [(DATA, msg), (TOKEN, out[1][1])])
        check(st == SEC_E_OK and st2 == SEC_E_OK, f'{what}: signed and verified')

    # what Negotiate refuses: the status and the attribute in the extack
    good = pack_struct('krb5-import', krb)
    for blob, what in ((negotiate_blob(NEGOTIATE_MECH_KERBEROS, good, 1), 'len too long'),
                       (negotiate_blob(NEGOTIATE_MECH_KERBEROS, good, -1), 'len too short'),
                       (negotiate_blob(NEGOTIATE_MECH_KERBEROS, good)[:7], 'header cut'),
                       (negotiate_blob(7, good), 'unknown mech 7')):
        err, ext = errno_of(lambda: nl.do('ctx-import', {'pkg-name': 'Negotiate',
                                                         'ctx-import': blob}))
        check(err == errno.EINVAL and ext.get('bad-attr') == '.ctx-import',
              f'Negotiate import, {what}: EINVAL, extack {ext}')
    if 'NTLM' not in [p['pkg-name'] for p in pkgs]:
        err, ext = errno_of(lambda: negotiate_import(nl, NEGOTIATE_MECH_NTLM, bytes(40)))
        check(err == errno.EPROTONOSUPPORT and
              ext.get('msg', '').startswith('SEC_E_SECPKG_NOT_FOUND') and
              ext.get('bad-attr') == '.ctx-import',
              f'Negotiate selecting NTLM without NTLM: EPROTONOSUPPORT, extack {ext}')
    nl.do('ctx-delete', {'ctx-handle': hn})
    nl.do('ctx-delete', {'ctx-handle': hk})


def layouts(nl):
    """EncryptMessage layouts Schannel cannot seal into one record: a
    second DATA (it would go out in the clear), a read-only DATA (sealed
    but never copied back).  Refused with SEC_E_INVALID_TOKEN, no buffers
    back, and no sequence number used: the next record still opens."""
    h1, h2 = import_pair(nl)
    for bufs, what in (
            ([(STREAM_HEADER, 5), (DATA, b'one'), (DATA, b'two'), (STREAM_TRAILER, 17)],
             'two DATA buffers'),
            ([(STREAM_HEADER, 5), (DATA | READONLY, b'read-only'), (STREAM_TRAILER, 17),
              (EMPTY, 0)], 'a read-only DATA'),
            ([(STREAM_HEADER, 5), (DATA | READONLY_WITH_CHECKSUM, b'signed'),
              (STREAM_TRAILER, 17), (EMPTY, 0)], 'a READONLY_WITH_CHECKSUM DATA')):
        st, out = encrypt(nl, h1, bufs)
        check(st == SEC_E_INVALID_TOKEN and out == [],
              f'encrypt with {what}: SEC_E_INVALID_TOKEN ({st:#x}), no buffers back')
    info = nl.do('ctx-get', {'ctx-handle': h1})
    check(info['ctx-tx-seq'] == 0, f'refused layouts used no sequence number '
          f'(tx-seq {info["ctx-tx-seq"]})')
    st, rec = seal(nl, h1, b'next')
    rep = unseal(nl, h2, rec)
    check(st == SEC_E_OK and rep['status'] == SEC_E_OK and
          bytes(buf(rep, DATA)['data']) == b'next',
          'after the refusals the next record carries sequence 0 and opens')
    nl.do('ctx-delete', {'ctx-handle': h1})
    nl.do('ctx-delete', {'ctx-handle': h2})


def tls12_renegotiate(nl):
    """TLS 1.2 handshake records after the handshake: a forged one (a
    HelloRequest that no key sealed) is SEC_E_MESSAGE_ALTERED and leaves
    the receive sequence where it was; an authentic one comes back
    decrypted in DATA as SEC_I_RENEGOTIATE and takes its sequence number."""
    h1, h2 = import_pair(nl, 0x0303, 51, 16)
    forged = bytes.fromhex('1603030028') + b'\xa5' * 40
    rep = unseal(nl, h2, forged)
    check(rep['status'] == SEC_E_MESSAGE_ALTERED and 'buffer' not in rep,
          f'TLS 1.2 forged handshake record: SEC_E_MESSAGE_ALTERED ({rep["status"]:#x})')
    info = nl.do('ctx-get', {'ctx-handle': h2})
    check(info['ctx-rx-seq'] == 0, f'the forged record used no sequence number '
          f'(rx-seq {info["ctx-rx-seq"]})')
    st, rec = seal(nl, h1, b'\x00\x00\x00\x00', qop=QOP_TLS_HANDSHAKE, hlen=13, tlen=16)
    rep = unseal(nl, h2, rec)
    data = buf(rep, DATA)
    check(st == SEC_E_OK and rec[0] == 22 and rep['status'] == SEC_I_RENEGOTIATE and
          data and bytes(data['data']) == bytes(4),
          f'TLS 1.2 HelloRequest: SEC_I_RENEGOTIATE ({rep["status"]:#x}), decrypted in DATA')
    st, rec = seal(nl, h1, b'after', hlen=13, tlen=16)
    rep = unseal(nl, h2, rec)
    info = nl.do('ctx-get', {'ctx-handle': h2})
    check(rep['status'] == SEC_E_OK and bytes(buf(rep, DATA)['data']) == b'after' and
          info['ctx-rx-seq'] == 2, f'the next record opens (rx-seq {info["ctx-rx-seq"]})')
    nl.do('ctx-delete', {'ctx-handle': h1})
    nl.do('ctx-delete', {'ctx-handle': h2})


def sealed_wire(nl, h, enctype, msg):
    """A Kerberos Wrap token of @msg sealed by context @h, as one byte
    string (TOKEN | DATA | PADDING)."""
    trailer = nl.do('ctx-get', {'ctx-handle': h})['ctx-sizes']['security-trailer']
    bufs = [(TOKEN, trailer), (DATA, msg)] + ([(PADDING, 1)] if enctype == 23 else [])
    st, out = encrypt(nl, h, bufs)
    check(st == SEC_E_OK, f'enctype {enctype}: sealed {msg!r}')
    return b''.join(b for _, b in out if isinstance(b, bytes))


def rx_seq(nl, h):
    return nl.do('ctx-get', {'ctx-handle': h})['ctx-rx-seq']


def krb5_streams(nl):
    """Kerberos with replay and sequence detection, AES and rc4-hmac: a
    token is authenticated before its number is judged, and a stream with
    a hole goes on -- message 2 tampered (refused, nothing used up), 3
    taken after the gap; 2 genuine, late, and a replay of 3 are
    SEC_E_OUT_OF_SEQUENCE; 4 is taken.  rc4-hmac's number is outside its
    checksum, so there 3 after the gap is refused and 2 genuine opens."""
    rc4p = '/sys/module/sspi_kmod/parameters/allow_rc4'
    with open(rc4p) as f:
        was = f.read().strip()
    with open(rc4p, 'w') as f:
        f.write('Y')
    try:
        for enctype, keylen in ((18, 32), (23, 16)):
            key = secrets.token_bytes(keylen)
            fl = KRB5_F_REPLAY | KRB5_F_SEQUENCE
            hi = krb5_import(nl, enctype, key, fl | KRB5_F_INITIATOR, send_seq=100,
                             recv_seq=7000)
            ha = krb5_import(nl, enctype, key, fl, send_seq=7000, recv_seq=100)
            w = [sealed_wire(nl, hi, enctype, b'message %d' % i) for i in range(1, 5)]

            def unseal_k(wire):
                st, _, out = decrypt(nl, ha, [(STREAM, wire), (DATA, 0)])
                return st, out[1][1] if st == SEC_E_OK else None
            st, pt = unseal_k(w[0])
            check(st == SEC_E_OK and pt == b'message 1', f'enctype {enctype}: message 1')
            bad = bytearray(w[1])
            bad[-2] ^= 1
            st, _ = unseal_k(bytes(bad))
            check(st == SEC_E_MESSAGE_ALTERED and rx_seq(nl, ha) == 101,
                  f'enctype {enctype}: message 2 tampered: {st:#x}, nothing used up')
            if enctype == 23:
                # rc4-hmac's number is outside its checksum: under SEQUENCE
                # a gap is refused, changing nothing, and the genuine 2 opens
                st, _ = unseal_k(w[2])
                check(st == SEC_E_OUT_OF_SEQUENCE and rx_seq(nl, ha) == 101,
                      f'enctype 23: message 3 after the gap refused: {st:#x}')
                st, pt = unseal_k(w[1])
                check(st == SEC_E_OK and pt == b'message 2',
                      f'enctype 23: then message 2 genuine: {st:#x}')
                st, pt = unseal_k(w[2])
                check(st == SEC_E_OK and pt == b'message 3' and rx_seq(nl, ha) == 103,
                      f'enctype 23: and message 3: {st:#x}')
            else:
                st, pt = unseal_k(w[2])
                check(st == SEC_E_OK and pt == b'message 3' and rx_seq(nl, ha) == 103,
                      f'enctype {enctype}: message 3 after the gap taken: {st:#x}')
                st, _ = unseal_k(w[1])
                check(st == SEC_E_OUT_OF_SEQUENCE,
                      f'enctype {enctype}: message 2 genuine but late: {st:#x}')
            st, _ = unseal_k(w[2])
            check(st == SEC_E_OUT_OF_SEQUENCE, f'enctype {enctype}: replay of 3: {st:#x}')
            st, pt = unseal_k(w[3])
            check(st == SEC_E_OK and pt == b'message 4', f'enctype {enctype}: message 4')
            if enctype == 18:
                # RFC 4121 carries the number in the clear: forge it
                wire = sealed_wire(nl, hi, enctype, b'message 5')
                for seq in (2 ** 64 - 1, 101, 2 ** 40):
                    bad = bytearray(wire)
                    bad[8:16] = seq.to_bytes(8, 'big')
                    st, _ = unseal_k(bytes(bad))
                    check(st == SEC_E_MESSAGE_ALTERED and rx_seq(nl, ha) == 104,
                          f'forged sequence number {seq:#x}: {st:#x}, nothing changed')
                st, pt = unseal_k(wire)
                check(st == SEC_E_OK and pt == b'message 5', 'then message 5 genuine')
            nl.do('ctx-delete', {'ctx-handle': hi})
            nl.do('ctx-delete', {'ctx-handle': ha})
    finally:
        with open(rc4p, 'w') as f:
            f.write(was)


def stats_of(nl, h):
    """The ctx-stats of context @h: (tx-messages, tx-bytes, {status: n}),
    and the same for rx."""
    st = nl.do('ctx-get', {'ctx-handle': h})['ctx-stats']

    def failed(key):
        return {f['status']: f['count'] for f in st.get(key, [])}
    return ((st['tx-messages'], st['tx-bytes'], failed('tx-failed')),
            (st['rx-messages'], st['rx-bytes'], failed('rx-failed')))


def ctx_stats(nl):
    """The counters of ctx-get: messages and DATA bytes each way, failures
    by status, in the direction of the operation, whatever refused it (the
    package, the core's checks, the context's end); a dump has them too."""
    key = secrets.token_bytes(32)
    fl = KRB5_F_REPLAY | KRB5_F_SEQUENCE
    hi = krb5_import(nl, 18, key, fl | KRB5_F_INITIATOR)
    ha = krb5_import(nl, 18, key, fl)
    check(stats_of(nl, hi) == ((0, 0, {}), (0, 0, {})), 'ctx-stats: all 0 after import')
    w1 = sealed_wire(nl, hi, 18, b'a' * 100)
    w2 = sealed_wire(nl, hi, 18, b'b' * 7)
    sig = sign(nl, hi, [(DATA, b'c' * 50), (TOKEN, 64)])
    check(sig[0] == SEC_E_OK, 'ctx-stats: signed')
    # a TOKEN too small to seal into: the package refuses it
    st, _ = encrypt(nl, hi, [(TOKEN, 4), (DATA, b'd' * 10)])
    check(st != SEC_E_OK, f'ctx-stats: a token too small refused ({st:#x})')
    tx = stats_of(nl, hi)
    check(tx[0][:2] == (3, 157) and tx[0][2] == {st: 1} and tx[1] == (0, 0, {}),
          f'ctx-stats: the sender counts 3 messages, 157 bytes, 1 failure ({tx})')

    def unseal_k(wire):
        return decrypt(nl, ha, [(STREAM, wire), (DATA, 0)])[0]
    check(unseal_k(w1) == SEC_E_OK, 'ctx-stats: first token opens')
    bad = bytearray(w2)
    bad[-1] ^= 1
    check(unseal_k(bytes(bad)) == SEC_E_MESSAGE_ALTERED, 'ctx-stats: altered token refused')
    check(unseal_k(w1) == SEC_E_OUT_OF_SEQUENCE, 'ctx-stats: replay refused')
    check(unseal_k(w2) == SEC_E_OK, 'ctx-stats: second token opens')
    vst, _ = verify(nl, ha, [(DATA, b'c' * 50), (TOKEN, sig[1][1][1])])
    check(vst == SEC_E_OK, f'ctx-stats: signature verified ({vst:#x})')
    rx = stats_of(nl, ha)
    check(rx[1] == (3, 157, {SEC_E_MESSAGE_ALTERED: 1, SEC_E_OUT_OF_SEQUENCE: 1}) and
          rx[0] == (0, 0, {}),
          f'ctx-stats: the receiver counts 3 messages, 157 bytes, 2 refusals ({rx})')
    dumped = [c for c in nl.dump('ctx-get', {}) if c['ctx-handle'] == ha]
    check(len(dumped) == 1 and dumped[0]['ctx-stats']['rx-messages'] == 3,
          'ctx-stats: in a dump too')
    nl.do('ctx-delete', {'ctx-handle': hi})
    nl.do('ctx-delete', {'ctx-handle': ha})


NTLM_ESS_SEAL = 0x10 | 0x20 | 0x80000 | 0x20000000 | 0x40000000


def ntlm_import(nl, initiator, key, send_seq=0, recv_seq=0):
    return nl.do('ctx-import', {'pkg-name': 'NTLM', 'ctx-import': pack_struct(
        'ntlm-import', {'negotiate-flags': NTLM_ESS_SEAL, 'flags': 1 if initiator else 0,
                        'send-seq': send_seq, 'recv-seq': recv_seq,
                        'session-key': key})})['ctx-handle']


def ntlm_streams(nl):
    """NTLM connection mode is strict by design (MS-NLMP: the number the
    receiver expects and the RC4 stream run on): a tampered message is
    refused and uses up nothing, the next one in its place is
    SEC_E_OUT_OF_SEQUENCE, and the genuine one resynchronises."""
    key = secrets.token_bytes(16)
    hi = ntlm_import(nl, True, key)
    ha = ntlm_import(nl, False, key)
    w = []
    for i in range(1, 4):
        st, out = encrypt(nl, hi, [(TOKEN, 16), (DATA, b'ntlm %d' % i)])
        check(st == SEC_E_OK, f'NTLM: sealed {i}')
        w.append(out[0][1] + out[1][1])

    def unseal_n(wire):
        st, _, out = decrypt(nl, ha, [(STREAM, wire), (DATA, 0)])
        return st, out[1][1] if st == SEC_E_OK else None
    st, pt = unseal_n(w[0])
    check(st == SEC_E_OK and pt == b'ntlm 1', 'NTLM: message 1')
    bad = bytearray(w[1])
    bad[-1] ^= 1
    st, _ = unseal_n(bytes(bad))
    check(st == SEC_E_MESSAGE_ALTERED, f'NTLM: message 2 tampered: {st:#x}')
    st, _ = unseal_n(w[2])
    check(st == SEC_E_OUT_OF_SEQUENCE, f'NTLM: message 3 in place of 2: {st:#x}')
    st, pt = unseal_n(w[1])
    check(st == SEC_E_OK and pt == b'ntlm 2', f'NTLM: message 2 genuine: {st:#x}')
    st, pt = unseal_n(w[2])
    check(st == SEC_E_OK and pt == b'ntlm 3', f'NTLM: then message 3: {st:#x}')
    nl.do('ctx-delete', {'ctx-handle': hi})
    nl.do('ctx-delete', {'ctx-handle': ha})


def seq_limits(nl, pkgs):
    """Tokens of 32-bit sequence numbers: rc4-hmac (its data key comes from
    the number) and NTLM send number 0xffffffff, then are spent
    (SEC_E_CONTEXT_EXPIRED, the counter unchanged) rather than wrap; an
    rc4-hmac import whose send-seq does not fit is EINVAL."""
    rc4p = '/sys/module/sspi_kmod/parameters/allow_rc4'
    with open(rc4p) as f:
        was = f.read().strip()
    with open(rc4p, 'w') as f:
        f.write('Y')
    try:
        key = secrets.token_bytes(16)
        hi = krb5_import(nl, 23, key, KRB5_F_INITIATOR | KRB5_F_REPLAY,
                         send_seq=0xffffffff, recv_seq=9)
        ha = krb5_import(nl, 23, key, KRB5_F_REPLAY, send_seq=9, recv_seq=0xffffffff)
        wire = sealed_wire(nl, hi, 23, b'the last rc4 token')
        st, _, out = decrypt(nl, ha, [(STREAM, wire), (DATA, 0)])
        check(st == SEC_E_OK and out[1][1] == b'the last rc4 token',
              'rc4-hmac: number 0xffffffff sealed and unsealed')
        st, _ = encrypt(nl, hi, [(TOKEN, 64), (DATA, b'one more'), (PADDING, 1)])
        st2, _ = sign(nl, hi, [(DATA, b'one more'), (TOKEN, 64)])
        tx = nl.do('ctx-get', {'ctx-handle': hi})['ctx-tx-seq']
        check(st == SEC_E_CONTEXT_EXPIRED and st2 == SEC_E_CONTEXT_EXPIRED and
              tx == 0x100000000,
              f'rc4-hmac past 0xffffffff: seal {st:#x}, sign {st2:#x}, tx-seq {tx:#x}')
        wire = sealed_wire(nl, ha, 23, b'the other way')
        st, _, out = decrypt(nl, hi, [(STREAM, wire), (DATA, 0)])
        check(st == SEC_E_OK, 'rc4-hmac: the other direction goes on')
        err, ext = errno_of(lambda: krb5_import(nl, 23, key, KRB5_F_INITIATOR,
                                                send_seq=0x100000000))
        check(err == errno.EINVAL, f'rc4-hmac import with send-seq 2^32: EINVAL ({err})')
        for h in (hi, ha):
            nl.do('ctx-delete', {'ctx-handle': h})
    finally:
        with open(rc4p, 'w') as f:
            f.write(was)
    if 'NTLM' not in [p['pkg-name'] for p in pkgs]:
        return
    key = secrets.token_bytes(16)
    hi = ntlm_import(nl, True, key, send_seq=0xffffffff)
    ha = ntlm_import(nl, False, key, recv_seq=0xffffffff)
    st, out = encrypt(nl, hi, [(TOKEN, 16), (DATA, b'the last ntlm message')])
    st2, _, back = decrypt(nl, ha, [(STREAM, out[0][1] + out[1][1]), (DATA, 0)])
    check(st == SEC_E_OK and st2 == SEC_E_OK and back[1][1] == b'the last ntlm message',
          'NTLM: number 0xffffffff sealed and unsealed')
    st, _ = encrypt(nl, hi, [(TOKEN, 16), (DATA, b'one more')])
    st2, _ = sign(nl, hi, [(DATA, b'one more'), (TOKEN, 16)])
    tx = nl.do('ctx-get', {'ctx-handle': hi})['ctx-tx-seq']
    check(st == SEC_E_CONTEXT_EXPIRED and st2 == SEC_E_CONTEXT_EXPIRED and
          tx == 0x100000000,
          f'NTLM past 0xffffffff: seal {st:#x}, sign {st2:#x}, tx-seq {tx:#x}')
    for h in (hi, ha):
        nl.do('ctx-delete', {'ctx-handle': h})


# The most bytes one buffer carries: its reply nest (header 4, type 8, data
# header 4, the data padded to 4) must fit a u16 attribute length.
NL_MAX_BUF = (0xffff - 16) & ~3


def max_buf(nl):
    """nl-max-buf to the byte, every size from 4 under to 4 over, through a
    TLS context and a Kerberos one: the largest accepted size seals and
    unseals, a reply nest never wraps (ynl would loop forever on it: the
    requests go through raw_message()), the next size up is ERANGE with an
    extack and consumes no sequence number."""
    check(nl.consts['nl-max-buf']['value'] == NL_MAX_BUF,
          f'nl-max-buf is {NL_MAX_BUF}, what a reply nest holds with its padding '
          f'(spec: {nl.consts["nl-max-buf"]["value"]})')
    sizes = range(NL_MAX_BUF - 4, NL_MAX_BUF + 5)
    # data: the most a nest's u16 length lets a request carry, max + 3
    dsizes = [n for n in sizes if n <= 0xffff - 16]

    def seqs(h):
        i = nl.do('ctx-get', {'ctx-handle': h})
        return i['ctx-tx-seq'], i['ctx-rx-seq']

    def raw(*args):
        try:
            return raw_message(nl, *args)
        except ValueError as e:
            return -1, f'malformed reply: {e}', None

    def size(v):
        return len(v) if isinstance(v, bytes) else v

    def refused(r, h, before, what):
        check(r[0] == errno.ERANGE and r[1] and seqs(h) == before,
              f'{what}: ERANGE ({r[0]}, extack "{r[1]}"), sequence numbers kept')

    # TLS, sealing with an output buffer of n bytes: the reply carries it
    h1, h2 = import_pair(nl)
    for n in sizes:
        msg = secrets.token_bytes(100)
        before = seqs(h1)
        r = raw('encrypt', h1, [(STREAM_HEADER, 5), (DATA, msg), (STREAM_TRAILER, 17),
                                (EMPTY, n)])
        what = f'TLS seal with a {n}-byte EMPTY buffer'
        if n > NL_MAX_BUF:
            refused(r, h1, before, what)
            continue
        ok = r[0] == 0 and r[1] == SEC_E_OK and len(r[2]) == 4 and size(r[2][3][1]) == n
        rep = unseal(nl, h2, b''.join(v for _, v in r[2][:3])) if ok else {}
        check(ok and rep.get('status') == SEC_E_OK and bytes(buf(rep, DATA)['data']) == msg,
              f'{what}: {r[1]}, {n} bytes back, unsealed')
    # TLS, unsealing a buffer of n bytes: a record and n - len(record) more
    for n in dsizes:
        msg = secrets.token_bytes(1000)
        st, rec = seal(nl, h1, msg)
        more = secrets.token_bytes(n - len(rec))
        before = seqs(h2)
        r = raw('decrypt', h2, [(DATA, rec + more), (EMPTY, 0), (EMPTY, 0), (EMPTY, 0)])
        what = f'TLS unseal of a {n}-byte DATA buffer'
        if n > NL_MAX_BUF:
            refused(r, h2, before, what)
            rep = unseal(nl, h2, rec)
            check(rep['status'] == SEC_E_OK and bytes(buf(rep, DATA)['data']) == msg,
                  f'{what}: the record alone unseals next')
            continue
        got = dict(r[2] or [])
        check(r[0] == 0 and r[1] == SEC_E_OK and got.get(DATA) == msg and
              got.get(EXTRA) == more, f'{what}: {r[1]}, the plaintext and {len(more)} EXTRA')
    check(seqs(h1)[0] == 5 + len(dsizes) and seqs(h2)[1] == 5 + len(dsizes),
          f'TLS: a sequence number for each message accepted ({seqs(h1)}, {seqs(h2)})')
    nl.do('ctx-delete', {'ctx-handle': h1})
    nl.do('ctx-delete', {'ctx-handle': h2})

    # Kerberos: n bytes of DATA sealed, then unsealed
    key = secrets.token_bytes(32)
    ki = krb5_import(nl, 18, key, KRB5_F_INITIATOR | KRB5_F_REPLAY)
    ka = krb5_import(nl, 18, key, KRB5_F_REPLAY)
    trailer = nl.do('ctx-get', {'ctx-handle': ki})['ctx-sizes']['security-trailer']
    for n in dsizes:
        msg = secrets.token_bytes(n)
        before = seqs(ki)
        r = raw('encrypt', ki, [(TOKEN, trailer), (DATA, msg)])
        what = f'Kerberos seal of {n} bytes'
        if n > NL_MAX_BUF:
            refused(r, ki, before, what)
            continue
        ok = r[0] == 0 and r[1] == SEC_E_OK and len(r[2]) == 2 and size(r[2][1][1]) == n
        d = raw('decrypt', ka, r[2]) if ok else (r[0], r[1], None)
        check(ok and d[0] == 0 and d[1] == SEC_E_OK and dict(d[2]).get(DATA) == msg,
              f'{what}: {r[1]}, unsealed: {d[1]}')
    st, out = encrypt(nl, ki, [(TOKEN, trailer), (DATA, b'after')])
    st2, qop, back = decrypt(nl, ka, out)
    check(st == SEC_E_OK and st2 == SEC_E_OK and back[1][1] == b'after' and
          seqs(ki)[0] == 6 and seqs(ka)[1] == 6,
          f'Kerberos: the message after sealed with the next number ({seqs(ki)}, {seqs(ka)})')
    nl.do('ctx-delete', {'ctx-handle': ki})
    nl.do('ctx-delete', {'ctx-handle': ka})


MAX_CONTEXTS = '/sys/module/sspi_kmod/parameters/max_contexts'


def max_contexts(n=None, which='max_contexts'):
    """A limit's module parameter (max_contexts, max_contexts_per_user,
    max_contexts_total): read it, or set it to n."""
    path = os.path.join(os.path.dirname(MAX_CONTEXTS), which)
    if n is None:
        with open(path) as f:
            return int(f.read())
    with open(path, 'w') as f:
        f.write(str(n))
    return n


def user_limits():
    """max_contexts_per_user bounds a user across the network namespaces
    of its own user namespaces (where it has CAP_NET_ADMIN) and
    max_contexts_total all contexts; deleting one makes room again."""
    def per_user():
        os.setgroups([])
        os.setresgid(1000, 1000, 1000)
        os.setresuid(1000, 1000, 1000)
        libc.prctl(PR_SET_DUMPABLE, 1)
        unshare(CLONE_NEWUSER | CLONE_NEWNET)
        with open('/proc/self/uid_map', 'w') as f:
            f.write('0 1000 1')
        first = family()            # its socket keeps the namespace
        mine = [tls_lifetime(first) for _ in range(2)]
        unshare(CLONE_NEWNET)
        second = family()
        tls_lifetime(second)
        err, ext = errno_of(lambda: tls_lifetime(second))
        if err != errno.EDQUOT or 'max_contexts_per_user' not in ext.get('msg', ''):
            print(f'child: a fourth context of the user, in a second netns: {err} {ext}')
            return 60
        first.do('ctx-delete', {'ctx-handle': mine[0]})
        try:
            tls_lifetime(second)
        except NlError as e:
            print(f'child: after a delete in the first netns: {e}')
            return 61
        err, _ = errno_of(lambda: tls_lifetime(first))
        return 0 if err == errno.EDQUOT else 62

    def total():
        unshare(CLONE_NEWNET)
        n = family()
        mine = [tls_lifetime(n) for _ in range(3)]
        err, ext = errno_of(lambda: tls_lifetime(n))
        if err != errno.ENFILE or 'max_contexts_total' not in ext.get('msg', ''):
            print(f'child: a fourth context of all: {err} {ext}')
            return 70
        n.do('ctx-delete', {'ctx-handle': mine[1]})
        try:
            tls_lifetime(n)
        except NlError as e:
            print(f'child: after a delete: {e}')
            return 71
        return 0 if errno_of(lambda: tls_lifetime(n))[0] == errno.ENFILE else 72

    saved = {w: max_contexts(None, w) for w in ('max_contexts_per_user', 'max_contexts_total')}
    try:
        # first of all tests: a namespace a test left is flushed later,
        # by the kernel's cleanup work, and its contexts count meanwhile
        check(not family().dump('ctx-get', {}), 'no contexts before the limits\' tests')
        max_contexts(3, 'max_contexts_total')
        rc = in_child(total)
        check(rc == 0, f'max_contexts_total 3: ENFILE, room again after a delete (rc {rc})')
        max_contexts(saved['max_contexts_total'], 'max_contexts_total')
        # uid 1000's contexts only: root's, still being flushed, do not count
        max_contexts(3, 'max_contexts_per_user')
        rc = in_child(per_user)
        check(rc == 0, f'max_contexts_per_user 3 over two network namespaces: EDQUOT, '
              f'room again after a delete (rc {rc})')
    finally:
        for w, v in saved.items():
            max_contexts(v, w)


def tls_lifetime(nl, lifetime=None, expiry=None):
    """A Schannel context, living lifetime seconds or until the
    CLOCK_REALTIME second expiry if given; its handle."""
    k = keys(secrets.token_bytes(16), secrets.token_bytes(12))
    req = {'pkg-name': 'Schannel', 'ctx-import': tls_import(0x0304, 51, k, k)}
    if lifetime is not None:
        req['ctx-lifetime'] = lifetime
    if expiry is not None:
        req['ctx-expiry'] = expiry
    return nl.do('ctx-import', req)['ctx-handle']


def expired_reaped():
    """Expired contexts are listed as expired and hold no quota: with
    max_contexts at 4, four contexts that expire within seconds fill a
    fresh namespace, and once expired they are listed with ctx-expired
    until an import at the limit reaps them."""
    def child():
        unshare(CLONE_NEWNET)
        n = family()
        # 15 s: time for the fifth import even in a loaded VM under KASAN
        expiry = int(time.time()) + 15
        old = [tls_lifetime(n, expiry=expiry) for _ in range(4)]
        err, ext = errno_of(lambda: tls_lifetime(n))
        if time.time() >= expiry - 1:
            print('child: the fifth import came too late to tell')
            return 48
        if err != errno.EMFILE or 'max_contexts' not in ext.get('msg', ''):
            print(f'child: a fifth live context: {err} {ext}')
            return 40
        time.sleep(max(0, expiry + 1 - time.time()))
        listed = {c['ctx-handle']: c for c in n.dump('ctx-get', {})}
        if set(listed) != set(old) or not all(c.get('ctx-expired') and 'ctx-cipher' not in c
                                              for c in listed.values()):
            print(f'child: expired contexts listed as {listed}')
            return 41
        one = n.do('ctx-get', {'ctx-handle': old[0]})
        if not one.get('ctx-expired') or one['ctx-handle'] != old[0] or \
                one['pkg-name'] != 'Schannel' or one['status'] != SEC_E_OK:
            print(f'child: ctx-get of an expired context: {one}')
            return 42
        if seal(n, old[0], b'late')[0] != SEC_E_CONTEXT_EXPIRED:
            return 43
        try:
            new = [tls_lifetime(n) for _ in range(4)]
        except NlError as e:
            print(f'child: import after expiry: {e}')
            return 44
        listed = n.dump('ctx-get', {})
        if sorted(c['ctx-handle'] for c in listed) != sorted(new) or \
                any(c.get('ctx-expired') for c in listed):
            print(f'child: after reaping: {listed}')
            return 45
        err, _ = errno_of(lambda: n.do('ctx-get', {'ctx-handle': old[1]}))
        if err != errno.ENOENT:
            return 46
        err, _ = errno_of(lambda: tls_lifetime(n))
        if err != errno.EMFILE:
            return 47
        return 0
    saved = max_contexts()
    max_contexts(4)
    try:
        rc = in_child(child)
    finally:
        max_contexts(saved)
    check(rc == 0, f'expired contexts: listed as expired, reaped at max_contexts (rc {rc})')


NLM_F_REQUEST, NLM_F_DUMP, NLMSG_ERROR, NLMSG_DONE = 1, 0x300, 2, 3
NETLINK_GENERIC = 16


def dump_deleting(n, between):
    """A CTX_GET dump read one part at a time, between(first part's
    handles) called after the first part; the handles of all parts, in
    order, and how many parts there were."""
    hattr = n.attr_sets['sspi'].attrs['ctx-handle'].value
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))

    def request(cmd, seq):
        s.send(struct.pack('=IHHII', 20, n.nlproto.family_id, NLM_F_REQUEST | NLM_F_DUMP,
                           seq, 0) + struct.pack('BBH', cmd, 1, 0))

    def part():
        """(handles, done) of one recv."""
        data, out, off = s.recv(65536), [], 0
        while off < len(data):
            ln, typ = struct.unpack_from('=IH', data, off)
            if typ == NLMSG_DONE:
                return out, True
            if typ == NLMSG_ERROR:
                raise OSError(-struct.unpack_from('=i', data, off + 16)[0], 'dump')
            a = off + 20
            while a < off + ln:
                alen, atype = struct.unpack_from('=HH', data, a)
                if atype == hattr:
                    out.append(struct.unpack_from('=Q', data, a + 4)[0])
                a += (alen + 3) & ~3
            off += (ln + 3) & ~3
        return out, False

    # a first dump of the packages: a recv of 64 KiB has told the kernel
    # how large the parts of the next dump may be, so that they are alike
    request(n.ops['pkg-get'].req_value, 1)
    while not part()[1]:
        pass
    request(n.ops['ctx-get'].req_value, 2)
    got, parts, done = [], 0, False
    while not done:
        handles, done = part()
        got += handles
        parts += 1
        if parts == 1:
            between(handles)
    s.close()
    return got, parts


def dump_with_deletes():
    """Contexts deleted between the parts of a CTX_GET dump -- one the
    dump listed already, and those around where a later part starts --
    cut no other context out of it."""
    def child():
        unshare(CLONE_NEWNET)
        n = family()
        handles = [tls_lifetime(n) for _ in range(600)]
        order = [c['ctx-handle'] for c in n.dump('ctx-get', {})]
        if sorted(order) != sorted(handles):
            print('child: the dump before any delete is not every context')
            return 50
        gone = set()

        def between(first):
            # reading the first part made the kernel fill the second:
            # the third starts about two parts in
            k = len(first)
            gone.update([order[0]] + order[2 * k - 3:2 * k + 3])
            for h in gone:
                n.do('ctx-delete', {'ctx-handle': h})
        got, parts = dump_deleting(n, between)
        missing = set(order) - gone - set(got)
        if parts < 4 or missing or len(got) != len(set(got)) or set(got) - set(order):
            print(f'child: {parts} parts, {len(got)} listed, {len(missing)} missing, '
                  f'{len(got) - len(set(got))} twice')
            return 51
        return 0
    rc = in_child(child)
    check(rc == 0, f'a dump with contexts deleted between its parts lists every other one '
          f'(rc {rc})')


def main():
    nl = family()
    user_limits()
    expired_reaped()
    dump_with_deletes()

    pkgs = nl.dump('pkg-get', {})
    names = [p['pkg-name'] for p in pkgs]
    check('Schannel' in names, 'pkg-get lists Schannel')
    negotiate(nl, pkgs)
    krb5_streams(nl)
    ctx_stats(nl)
    if 'NTLM' in names:
        ntlm_streams(nl)
    seq_limits(nl, pkgs)


    max_buf(nl)

    # every version x cipher: import, query, round trip both ways
    for version, vname in ((0x0303, '1.2'), (0x0304, '1.3')):
        for cipher, cname, keylen, bits in ((51, 'aes-128-gcm', 16, 128),
                                            (52, 'aes-256-gcm', 32, 256),
                                            (54, 'chacha20-poly1305', 32, 256)):
            h1, h2 = import_pair(nl, version, cipher, keylen)
            info = nl.do('ctx-get', {'ctx-handle': h1})
            sz = info['ctx-sizes']
            explicit = version == 0x0303 and cipher != 54
            check(info['ctx-cipher'] == cname and info['ctx-protocol'] == version and
                  sz['stream-header'] == (13 if explicit else 5) and
                  sz['stream-trailer'] == (17 if version == 0x0304 else 16) and
                  sz['max-message'] == 16384 and info['ctx-tx-driver'] != '' and
                  info.get('ctx-key-bits') == bits,
                  f'ctx-get TLS {vname} {cname}: {sz["stream-header"]}/'
                  f'{sz["stream-trailer"]}/{sz["max-message"]} '
                  f'driver {info["ctx-tx-driver"]} key-bits {info.get("ctx-key-bits")}')
            for src, dst in ((h1, h2), (h2, h1)):
                msg = secrets.token_bytes(3000)
                st, rec = seal(nl, src, msg, hlen=sz['stream-header'],
                               tlen=sz['stream-trailer'])
                rep = unseal(nl, dst, rec)
                check(st == SEC_E_OK and rep['status'] == SEC_E_OK and
                      bytes(buf(rep, DATA)['data']) == msg,
                      f'TLS {vname} {cname} round trip {src:#x} -> {dst:#x}')
            nl.do('ctx-delete', {'ctx-handle': h1})
            nl.do('ctx-delete', {'ctx-handle': h2})

    h1, h2 = import_pair(nl)
    st, rec = seal(nl, h1, b'x' * 100)
    bad = bytearray(rec)
    bad[20] ^= 1
    rep = unseal(nl, h2, bytes(bad))
    check(rep['status'] == SEC_E_MESSAGE_ALTERED and 'buffer' not in rep,
          'altered record: SEC_E_MESSAGE_ALTERED, no buffers back')
    rep = unseal(nl, h2, rec[:50])
    missing = buf(rep, MISSING)
    check(rep['status'] == SEC_E_INCOMPLETE_MESSAGE and missing and
          missing['len'] == len(rec) - 50,
          'partial record: SEC_E_INCOMPLETE_MESSAGE, MISSING gives the bytes needed')
    st2, rec2 = seal(nl, h1, b'second')
    rep = unseal(nl, h2, rec + rec2)
    check(rep['status'] == SEC_E_OK and bytes(buf(rep, EXTRA)['data']) == rec2,
          'two records: the second comes back in EXTRA')
    rep = unseal(nl, h2, rec2)
    check(rep['status'] == SEC_E_OK and bytes(buf(rep, DATA)['data']) == b'second',
          'EXTRA unseals next')
    layouts(nl)
    tls12_renegotiate(nl)
    st, rec = seal(nl, h1, b'\x01\x00', qop=OOB)
    rep = unseal(nl, h2, rec)
    check(rep['status'] == SEC_I_CONTEXT_EXPIRED and rep['qop'] == OOB,
          'close_notify: SEC_I_CONTEXT_EXPIRED with the OOB qop')
    info = nl.do('ctx-get', {'ctx-handle': h1})
    check(info['ctx-tx-seq'] == 3 and info['ctx-owner'] == 0,
          f'sequence numbers and owner reported (tx-seq {info["ctx-tx-seq"]})')

    # key update: new send keys for h1, new receive keys for h2
    new = keys(secrets.token_bytes(16), secrets.token_bytes(12))
    kstruct = {'key': new['key'].ljust(64, '0'), 'iv': new['iv'], 'rec-seq': new['seq']}
    nl.do('ctx-update-keys', {'ctx-handle': h1, 'direction': 1, 'keys': dict(kstruct)})
    st, rec = seal(nl, h1, b'rekeyed')
    check(unseal(nl, h2, rec)['status'] == SEC_E_MESSAGE_ALTERED,
          'after a send key update the old receive keys fail')
    nl.do('ctx-update-keys', {'ctx-handle': h2, 'direction': 2, 'keys': dict(kstruct)})
    st, rec = seal(nl, h1, b'rekeyed')
    rep = unseal(nl, h2, rec)
    check(rep['status'] == SEC_E_MESSAGE_ALTERED,
          'the receive side counts from the sequence number the keys give')
    nl.do('ctx-update-keys', {'ctx-handle': h2, 'direction': 2,
                              'keys': dict(kstruct, **{'rec-seq': (1).to_bytes(8, 'big').hex()})})
    rep = unseal(nl, h2, rec)
    check(rep['status'] == SEC_E_OK and bytes(buf(rep, DATA)['data']) == b'rekeyed',
          'with the sequence number right, records flow again')

    # strict policies and extack
    err, ext = errno_of(lambda: nl.do('ctx-get', {}))
    check(err == 22 and 'miss-type' in ext, f'missing handle: EINVAL, extack {ext}')
    err, ext = errno_of(lambda: nl.do('ctx-import', {'pkg-name': 'Kerberos-nope',
                                                     'ctx-import': tls_import(0x304, 51, new, new)}))
    check(err == errno.EPROTONOSUPPORT and 'SEC_E_SECPKG_NOT_FOUND' in ext.get('msg', '') and
          ext.get('bad-attr') == '.pkg-name',
          f'unknown package: EPROTONOSUPPORT, extack {ext.get("msg")}')
    bad_imp = tls_import(0x304, 51, new, new, reserved=1)
    err, ext = errno_of(lambda: nl.do('ctx-import', {'pkg-name': 'Schannel',
                                                     'ctx-import': bad_imp}))
    check(err == 22 and 'bad-attr' in ext, f'reserved field set: EINVAL, extack {ext}')
    err, ext = errno_of(lambda: nl.do('ctx-update-keys', {'ctx-handle': h1, 'direction': 3,
                                                          'keys': dict(kstruct)}))
    check(err == 34 and ext.get('bad-attr') == '.direction',
          f'direction 3: ERANGE, extack {ext}')
    err, ext = errno_of(lambda: nl.do('encrypt', {'ctx-handle': h1, 'buffer': [
        {'type': DATA, 'data': '00', 'len': 1}]}))
    check(err == 22 and 'either data or a length' in ext.get('msg', ''),
          f'buffer with data and length: EINVAL, extack {ext.get("msg")}')
    err, ext = errno_of(lambda: nl.do('encrypt', {'ctx-handle': h1, 'buffer': [
        {'type': DATA, 'data': '00'}, {'type': 0, 'len': 70000}]}))
    check(err == 34 and 'bad-attr' in ext,
          f'an output buffer over what a reply attribute holds: ERANGE, extack {ext}')
    rep = nl.do('encrypt', {'ctx-handle': 0x1234, 'buffer': [{'type': DATA, 'data': '00'}]})
    check(rep['status'] == SEC_E_INVALID_HANDLE, 'unknown handle: SEC_E_INVALID_HANDLE')

    # each command takes only the attributes sspi.yaml lists for it
    err, ext = errno_of(lambda: nl.do('encrypt', {'ctx-handle': h1, 'ctx-import': bytes(4096),
                                                  'buffer': [{'type': DATA, 'data': '00'}]}))
    check(err == 22 and ext.get('bad-attr') == '.ctx-import' and
          'Unsupported attribute' in ext.get('msg', ''),
          f'encrypt with a ctx-import: EINVAL, extack {ext}')
    err, ext = errno_of(lambda: nl.do('decrypt', {'ctx-handle': h1, 'qop': OOB,
                                                  'buffer': [{'type': DATA, 'data': '00'}]}))
    check(err == 22 and ext.get('bad-attr') == '.qop',
          f'decrypt with a qop: EINVAL, extack {ext}')
    err, ext = errno_of(lambda: nl.do('ctx-delete', {'ctx-handle': h1, 'seqno': 1}))
    check(err == 22 and ext.get('bad-attr') == '.seqno',
          f'ctx-delete with a seqno: EINVAL, extack {ext}')
    # and the limits it sets: nl-max-import bytes of import structure
    err, ext = errno_of(lambda: nl.do('ctx-import', {'pkg-name': 'Schannel',
                                                     'ctx-import': bytes(4097)}))
    check(err == 34 and ext.get('bad-attr') == '.ctx-import',
          f'an import structure over nl-max-import: ERANGE, extack {ext}')

    # permissions: an unprivileged user can neither import nor see root's
    def as_user():
        os.setgroups([])
        os.setresgid(1000, 1000, 1000)
        os.setresuid(1000, 1000, 1000)
        u = family()
        err, _ = errno_of(lambda: import_pair(u))
        if err != 1:
            return 10
        err, _ = errno_of(lambda: u.do('ctx-delete', {'ctx-handle': h1}))
        if err != 1:
            return 11
        err, _ = errno_of(lambda: u.do('ctx-get', {'ctx-handle': h1}))
        if err != 2:
            return 12
        if u.dump('ctx-get', {}):
            return 13
        if seal(u, h1, b'mine?')[0] != SEC_E_INVALID_HANDLE:
            return 14
        if not u.dump('pkg-get', {}):
            return 15
        return 0
    rc = in_child(as_user)
    check(rc == 0, f'uid 1000: import/delete EPERM, root\'s context unreachable (rc {rc})')

    # another network namespace does not see this one's contexts
    def other_netns():
        unshare(CLONE_NEWNET)
        n = family()
        err, _ = errno_of(lambda: n.do('ctx-get', {'ctx-handle': h1}))
        if err != 2 or n.dump('ctx-get', {}):
            return 20
        a, b = import_pair(n)
        if seal(n, a, b'here')[0] != SEC_E_OK:
            return 21
        return 0
    rc = in_child(other_netns)
    check(rc == 0, f'other netns: handle unreachable, own imports work (rc {rc})')

    # a user namespace's owner imports in its own netns; contexts are its own
    def userns():
        os.setgroups([])
        os.setresgid(1000, 1000, 1000)
        os.setresuid(1000, 1000, 1000)
        libc.prctl(PR_SET_DUMPABLE, 1)  # else /proc/self stays root's
        unshare(CLONE_NEWUSER | CLONE_NEWNET)
        with open('/proc/self/uid_map', 'w') as f:
            f.write('0 1000 1')
        n = family()
        a, b = import_pair(n)
        info = n.do('ctx-get', {'ctx-handle': a})
        if info['ctx-owner'] != 0:
            return 30
        st, rec = seal(n, a, b'userns')
        if bytes(buf(unseal(n, b, rec), DATA)['data']) != b'userns':
            return 31
        return 0
    rc = in_child(userns)
    check(rc == 0, f'user namespace: CAP_NET_ADMIN over its netns imports (rc {rc})')
    check(nl.dump('ctx-get', {}) and all(c['ctx-owner'] == 0 for c in nl.dump('ctx-get', {})),
          'the init netns lists none of the user namespace\'s contexts')

    # delete while other threads seal and unseal
    h1, h2 = import_pair(nl)
    seen = set()

    def worker(handle):
        w = family()
        for _ in range(1000000):
            st, rec = seal(w, handle, b'z' * 1000)
            seen.add(st)
            if st != SEC_E_OK:
                break
    threads = [threading.Thread(target=worker, args=(h,)) for h in (h1, h1, h2)]
    for t in threads:
        t.start()
    nl.do('ctx-delete', {'ctx-handle': h1})
    nl.do('ctx-delete', {'ctx-handle': h2})
    for t in threads:
        t.join()
    check(seen <= {SEC_E_OK, SEC_E_INVALID_HANDLE, SEC_E_CONTEXT_EXPIRED} and
          seen - {SEC_E_OK}, f'delete while sealing: {sorted(hex(s) for s in seen)}')

    # unload with live contexts, then load again
    import_pair(nl)
    import_pair(nl)
    del nl
    rc = subprocess.run(['rmmod', 'sspi_kmod']).returncode
    check(rc == 0, 'rmmod with live contexts')
    rc = subprocess.run(['insmod', os.environ['SSPI_VM_MODULE']]).returncode
    lib.ynl.genl_family_name_to_id = None    # the family has a new id
    check(rc == 0 and family().dump('ctx-get', {}) == [], 'reloaded module starts empty')

    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
