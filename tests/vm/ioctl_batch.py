#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""SSPI_IOC_BATCH: many messages in one /dev/sspi call.  A batch seals what
single calls seal and opens it; a member that fails stops the batch there
(done, failed, the members after it untouched, its sequence number unused)
or, with SSPI_IOC_BATCH_F_CONTINUE, the others go on; members of several
contexts and an unknown handle; a malformed batch is refused before any
member is read."""

import ctypes
import errno
import fcntl
import os
import secrets
import struct
import sys

from ioctl_test import BUF, MSG, SSPI_IOC_DECRYPT, SSPI_IOC_ENCRYPT, Call
from sspi_nl import (DATA, EMPTY, KRB5_F_INITIATOR, KRB5_F_REPLAY, SEC_E_INVALID_HANDLE,
                     SEC_E_MESSAGE_ALTERED, SEC_E_OK, STREAM_HEADER, STREAM_TRAILER, TOKEN,
                     check, failures, family, import_pair, krb5_import)

BATCH = struct.Struct('=IIIIQII16s')    # struct sspi_ioc_batch, 48 bytes
SSPI_IOC_BATCH = (3 << 30) | (BATCH.size << 16) | (0xB9 << 8) | 5
OP_ENCRYPT, OP_DECRYPT, OP_SIGN, OP_VERIFY = 1, 2, 3, 4
F_CONTINUE = 0x1
UNSET = 0x5a5a5a5a      # a status no member has before the kernel writes one


class Batch:
    """Members (each a Call: its buffers and its sspi_ioc_message) in one
    array; run() makes the ioctl and reads back each member's results."""

    def __init__(self, calls, op, flags=0, count=None, size=BATCH.size, reserved=b''):
        self.calls = calls
        self.arr = ctypes.create_string_buffer(b''.join(bytes(c.msg) for c in calls))
        for i in range(len(calls)):
            struct.pack_into('=I', self.arr, i * MSG.size + 24, UNSET)   # status
        self.b = bytearray(BATCH.pack(size, flags, op,
                                      len(calls) if count is None else count,
                                      ctypes.addressof(self.arr), 0, 0,
                                      reserved.ljust(16, b'\0')))
        self.b += b'\0' * max(0, size - BATCH.size)

    def run(self, fd):
        try:
            fcntl.ioctl(fd, SSPI_IOC_BATCH, self.b)
            err = 0
        except OSError as e:
            err = e.errno
        f = BATCH.unpack_from(self.b)
        self.done, self.failed = f[5], f[6]
        for i, c in enumerate(self.calls):
            c.msg[:] = self.arr.raw[i * MSG.size:(i + 1) * MSG.size]
            fields = MSG.unpack_from(c.msg)
            c.status, c.qop = fields[5], fields[3]
        return err


def seal_call(h, data):
    return Call(h, [(STREAM_HEADER, bytes(5)), (DATA, data), (STREAM_TRAILER, bytes(17)),
                    (EMPTY, None)])


def unseal_call(h, rec):
    return Call(h, [(DATA, rec), (EMPTY, None), (EMPTY, None), (EMPTY, None)])


def record(c):
    return b''.join(c.out(i)[3] for i in range(3))


def tls(nl, fd):
    h1, h2 = import_pair(nl)
    msgs = [secrets.token_bytes(n) for n in (0, 1, 64, 1000, 16384) * 13]
    b = Batch([seal_call(h1, m) for m in msgs], OP_ENCRYPT)
    err = b.run(fd)
    check(err == 0 and b.done == len(msgs) and b.failed == 0 and
          all(c.status == SEC_E_OK for c in b.calls),
          f'TLS: {len(msgs)} records sealed in one call')
    recs = [record(c) for c in b.calls]
    u = Batch([unseal_call(h2, r) for r in recs], OP_DECRYPT)
    err = u.run(fd)
    check(err == 0 and u.done == len(msgs) and
          all(c.status == SEC_E_OK and c.out(1)[3] == m and c.out(1)[2] == c.addr(0) + 5
              for c, m in zip(u.calls, msgs)),
          f'TLS: the {len(msgs)} records unsealed in one call, each in its own buffer')

    # single calls open what a batch sealed, and a batch what single calls did
    more = [secrets.token_bytes(100) for _ in range(4)]
    b = Batch([seal_call(h1, m) for m in more], OP_ENCRYPT)
    b.run(fd)
    ok = True
    for c, m in zip(b.calls, more):
        d = unseal_call(h2, record(c))
        ok &= d.run(fd, SSPI_IOC_DECRYPT) == 0 and d.out(1)[3] == m
    singles = []
    for m in more:
        c = seal_call(h1, m)
        ok &= c.run(fd, SSPI_IOC_ENCRYPT) == 0
        singles.append(record(c))
    u = Batch([unseal_call(h2, r) for r in singles], OP_DECRYPT)
    ok &= u.run(fd) == 0 and [c.out(1)[3] for c in u.calls] == more
    check(ok, 'TLS: batches and single calls keep one sequence')

    # a failing member stops the batch: done counts it, the rest untouched,
    # its sequence number unused
    msgs = [secrets.token_bytes(50) for _ in range(6)]
    b = Batch([seal_call(h1, m) for m in msgs], OP_ENCRYPT)
    b.run(fd)
    recs = [record(c) for c in b.calls]
    bad = bytearray(recs[2])
    bad[-1] ^= 1
    u = Batch([unseal_call(h2, r) for r in recs[:2] + [bytes(bad)] + recs[3:]], OP_DECRYPT)
    err = u.run(fd)
    check(err == errno.EBADMSG and u.done == 3 and u.failed == 1 and
          [c.status for c in u.calls] == [SEC_E_OK, SEC_E_OK, SEC_E_MESSAGE_ALTERED] + [UNSET] * 3
          and u.calls[3].mem[0].raw == recs[3],
          'TLS: member 2 altered: EBADMSG, done 3, failed 1, members 3-5 untouched')
    u = Batch([unseal_call(h2, r) for r in recs[2:]], OP_DECRYPT)
    err = u.run(fd)
    check(err == 0 and u.done == 4 and [c.out(1)[3] for c in u.calls] == msgs[2:],
          'TLS: the rest, sent again, opens: the refused member used no sequence number')
    return [h1, h2]


def kerberos(nl, fd):
    """Members of two contexts and an unknown handle; with CONTINUE the
    batch goes past the failures."""
    key = secrets.token_bytes(32)
    ini = krb5_import(nl, 18, key, KRB5_F_INITIATOR | KRB5_F_REPLAY)
    acc = krb5_import(nl, 18, key, KRB5_F_REPLAY)
    trailer = nl.do('ctx-get', {'ctx-handle': ini})['ctx-sizes']['security-trailer']
    msgs = [secrets.token_bytes(n) for n in (10, 2000, 70000, 3, 64)]
    b = Batch([Call(h, [(TOKEN, bytes(trailer)), (DATA, m)])
               for h, m in zip((ini, acc, ini, 0x1234, ini), msgs)],
              OP_ENCRYPT, flags=F_CONTINUE)
    err = b.run(fd)
    check(err == errno.ENOENT and b.done == 5 and b.failed == 1 and
          [c.status for c in b.calls] == [SEC_E_OK] * 3 + [SEC_E_INVALID_HANDLE, SEC_E_OK],
          'Kerberos: CONTINUE past an unknown handle: ENOENT, done 5, failed 1')
    toks = [(c.out(0)[3], c.out(1)[3]) for c in b.calls]
    # the initiator's and the acceptor's messages go to each other; one altered
    bad = bytearray(toks[2][1])
    bad[5] ^= 1
    order = [(acc, toks[0]), (ini, toks[1]), (acc, (toks[2][0], bytes(bad))), (acc, toks[4])]
    u = Batch([Call(h, [(TOKEN, t), (DATA, d)]) for h, (t, d) in order], OP_DECRYPT,
              flags=F_CONTINUE)
    err = u.run(fd)
    check(err == errno.EBADMSG and u.done == 4 and u.failed == 1 and
          [c.status for c in u.calls] == [SEC_E_OK, SEC_E_OK, SEC_E_MESSAGE_ALTERED, SEC_E_OK]
          and u.calls[0].out(1)[3] == msgs[0] and u.calls[1].out(1)[3] == msgs[1] and
          u.calls[3].out(1)[3] == msgs[4],
          'Kerberos: CONTINUE past an altered token, both directions, others opened')
    d = Call(acc, [(TOKEN, toks[2][0]), (DATA, toks[2][1])])
    check(d.run(fd, SSPI_IOC_DECRYPT) == 0 and d.out(1)[3] == msgs[2],
          'Kerberos: the altered token, sent intact, opens afterwards')
    return [ini, acc]


def malformed(nl, fd, h):
    def one(**kw):
        return Batch([seal_call(h, b'x')], OP_ENCRYPT, **kw)

    for kw, want, what in (
            ({'op': 0}, errno.EINVAL, 'op 0'),
            ({'op': 5}, errno.EINVAL, 'op 5'),
            ({'count': 0}, errno.EINVAL, 'no members'),
            ({'count': 1025}, errno.EINVAL, '1025 members'),
            ({'flags': 2}, errno.EINVAL, 'an unknown flag'),
            ({'reserved': b'\1'}, errno.EINVAL, 'reserved set'),
            ({'size': 24}, errno.EINVAL, 'a structure without done and failed'),
            ({'size': BATCH.size + 8}, 0, 'a larger structure with a zero tail')):
        op = kw.pop('op', OP_ENCRYPT)
        b = one(**kw)
        struct.pack_into('=I', b.b, 8, op)
        err = b.run(fd)
        check(err == want and (want or b.done == 1) and (not want or b.done == 0) and
              (want == 0) == (b.calls[0].status == SEC_E_OK),
              f'batch with {what}: {errno.errorcode.get(want, "ok")}')
    # members of different sizes: the batch stops at the odd one
    b = Batch([seal_call(h, b'a'), seal_call(h, b'b')], OP_ENCRYPT)
    struct.pack_into('=I', b.arr, MSG.size, MSG.size + 8)
    err = b.run(fd)
    check(err == errno.EINVAL and b.done == 1 and b.calls[1].status == UNSET,
          'a member of another size: EINVAL, done 1')
    b = Batch([seal_call(h, b'a')], OP_ENCRYPT)
    struct.pack_into('=Q', b.b, 16, 8)
    check(b.run(fd) == errno.EFAULT and b.done == 0, 'members at a bad address: EFAULT')
    c = seal_call(h, b'a')
    BUF.pack_into(c.arr, BUF.size, DATA, 100, 8)
    b = Batch([seal_call(h, b'a'), c, seal_call(h, b'c')], OP_ENCRYPT)
    check(b.run(fd) == errno.EFAULT and b.done == 2 and b.failed == 1 and
          b.calls[1].status == 0x80090304 and b.calls[2].status == UNSET,
          'a member\'s bad buffer: EFAULT, SEC_E_INTERNAL_ERROR, done 2, failed 1')


def main():
    nl = family()
    fd = os.open('/dev/sspi', os.O_RDWR)
    handles = tls(nl, fd)
    handles += kerberos(nl, fd)
    malformed(nl, fd, handles[0])
    for h in handles:
        nl.do('ctx-delete', {'ctx-handle': h})
    os.close(fd)
    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
