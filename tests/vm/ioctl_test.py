#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""/dev/sspi: SSPI_IOC_ENCRYPT and SSPI_IOC_DECRYPT on user memory, against
contexts imported through netlink: round trips up to the package maximum,
output buffers pointing into the caller's input, struct versioning by
size, reserved fields, bad pointers, owners and network namespaces."""

import ctypes
import errno
import fcntl
import os
import secrets
import struct
import sys

from sspi_nl import (CLONE_NEWNET, DATA, EMPTY, EXTRA, KRB5_F_INITIATOR, MISSING,
                     NEGOTIATE_MECH_KERBEROS, READONLY, READONLY_WITH_CHECKSUM,
                     SEC_E_INCOMPLETE_MESSAGE, SEC_E_INVALID_HANDLE, SEC_E_INVALID_TOKEN,
                     SEC_E_MESSAGE_ALTERED, SEC_E_OK, STREAM_HEADER, STREAM_TRAILER, TOKEN,
                     check, failures, family, import_pair, in_child, krb5_import,
                     negotiate_import, pack_struct, unshare)

MSG = struct.Struct('=IIQIIIIQ16s')     # struct sspi_ioc_message, 56 bytes
BUF = struct.Struct('=IIQ')             # struct sspi_ioc_buffer, 16 bytes


def ioc(nr):
    # _IOWR(0xB9, nr, struct sspi_ioc_message)
    return (3 << 30) | (MSG.size << 16) | (0xB9 << 8) | nr


SSPI_IOC_ENCRYPT, SSPI_IOC_DECRYPT = ioc(1), ioc(2)
SEC_E_INTERNAL_ERROR = 0x80090304


class Call:
    """One ioctl: buffers in user memory, the message, the results."""

    def __init__(self, handle, bufs, qop=0, size=MSG.size, flags=0, reserved=b''):
        self.mem = [ctypes.create_string_buffer(d, len(d)) if d is not None else None
                    for _, d in bufs]
        self.arr = ctypes.create_string_buffer(BUF.size * len(bufs))
        for i, (t, _) in enumerate(bufs):
            m = self.mem[i]
            BUF.pack_into(self.arr, i * BUF.size, t, len(m.raw) if m else 0,
                          ctypes.addressof(m) if m else 0)
        self.msg = bytearray(MSG.pack(size, flags, handle, qop, 0, 0, len(bufs),
                                      ctypes.addressof(self.arr),
                                      reserved.ljust(16, b'\0')))
        self.msg += b'\0' * max(0, size - MSG.size)

    def run(self, fd, cmd):
        try:
            fcntl.ioctl(fd, cmd, self.msg)
            err = 0
        except OSError as e:
            err = e.errno
        f = MSG.unpack_from(self.msg)
        self.status, self.qop = f[5], f[3]
        return err

    def out(self, i):
        t, ln, addr = BUF.unpack_from(self.arr, i * BUF.size)
        return t, ln, addr, ctypes.string_at(addr, ln) if addr else b''

    def addr(self, i):
        return ctypes.addressof(self.mem[i])


def seal(fd, h, data, hlen=5, tlen=17, qop=0):
    c = Call(h, [(STREAM_HEADER, bytes(hlen)), (DATA, data),
                 (STREAM_TRAILER, bytes(tlen)), (EMPTY, None)], qop=qop)
    err = c.run(fd, SSPI_IOC_ENCRYPT)
    return err, c, b''.join(c.out(i)[3] for i in range(3))


def unseal(fd, h, rec):
    c = Call(h, [(DATA, rec), (EMPTY, None), (EMPTY, None), (EMPTY, None)])
    return c.run(fd, SSPI_IOC_DECRYPT), c


def negotiate(nl, fd):
    """A "Negotiate" context (Kerberos selected) through /dev/sspi, against a
    plain Kerberos context of the same key, both ways."""
    key = secrets.token_bytes(16)
    hn = negotiate_import(nl, NEGOTIATE_MECH_KERBEROS, pack_struct('krb5-import', {
        'enctype': 17, 'flags': KRB5_F_INITIATOR, 'key-len': 16, 'key': key}))
    hk = krb5_import(nl, 17, key)
    trailer = nl.do('ctx-get', {'ctx-handle': hn})['ctx-sizes']['security-trailer']
    for src, dst, what in ((hn, hk, 'Negotiate -> Kerberos'), (hk, hn, 'Kerberos -> Negotiate')):
        msg = secrets.token_bytes(3000)
        c = Call(src, [(TOKEN, bytes(trailer)), (DATA, msg)])
        err = c.run(fd, SSPI_IOC_ENCRYPT)
        tok, sealed = c.out(0)[3], c.out(1)[3]
        d = Call(dst, [(TOKEN, tok), (DATA, sealed)])
        err2 = d.run(fd, SSPI_IOC_DECRYPT)
        check(err == 0 and c.status == SEC_E_OK and sealed != msg and err2 == 0 and
              d.status == SEC_E_OK and d.out(1)[3] == msg,
              f'/dev/sspi {what}: sealed and unsealed')
        bad = bytearray(sealed)
        bad[7] ^= 1
        d = Call(dst, [(TOKEN, tok), (DATA, bytes(bad))])
        err2 = d.run(fd, SSPI_IOC_DECRYPT)
        check(err2 == errno.EBADMSG and d.status == SEC_E_MESSAGE_ALTERED,
              f'/dev/sspi {what}: altered, SEC_E_MESSAGE_ALTERED')
    nl.do('ctx-delete', {'ctx-handle': hn})
    nl.do('ctx-delete', {'ctx-handle': hk})


SSPI_IOC_MAX_BYTES = 1 << 20
PROT_NONE, PROT_READ, MAP_PRIVATE_ANON = 0, 1, 0x22
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long)
libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)


def max_size(nl, fd):
    """SSPI_IOC_MAX_BYTES: an unknown handle fails on the handle before the
    kernel allocates or copies anything -- even with the buffer in memory
    it cannot read -- and a Kerberos message of the full size seals and
    unseals (through pages, no high-order allocation)."""
    none = libc.mmap(None, SSPI_IOC_MAX_BYTES, PROT_NONE, MAP_PRIVATE_ANON, -1, 0)
    for what, addr, keep in (('unreadable', none, None),
                             ('readable', None, ctypes.create_string_buffer(SSPI_IOC_MAX_BYTES))):
        for cmd, name in ((SSPI_IOC_ENCRYPT, 'seal'), (SSPI_IOC_DECRYPT, 'unseal')):
            c = Call(0x1234, [(DATA, None)])
            BUF.pack_into(c.arr, 0, DATA, SSPI_IOC_MAX_BYTES,
                          addr if addr else ctypes.addressof(keep))
            err = c.run(fd, cmd)
            check(err == errno.ENOENT and c.status == SEC_E_INVALID_HANDLE,
                  f'{name}, unknown handle, 1 MiB {what} buffer: ENOENT, '
                  f'SEC_E_INVALID_HANDLE (errno {err}, status {c.status:#x})')
    libc.munmap(none, SSPI_IOC_MAX_BYTES)

    key = secrets.token_bytes(16)
    hi = krb5_import(nl, 17, key, KRB5_F_INITIATOR)
    ha = krb5_import(nl, 17, key)
    trailer = nl.do('ctx-get', {'ctx-handle': hi})['ctx-sizes']['security-trailer']
    msg = secrets.token_bytes(SSPI_IOC_MAX_BYTES - trailer)
    c = Call(hi, [(TOKEN, bytes(trailer)), (DATA, msg)])
    err = c.run(fd, SSPI_IOC_ENCRYPT)
    tok, sealed = c.out(0)[3], c.out(1)[3]
    d = Call(ha, [(TOKEN, tok), (DATA, sealed)])
    err2 = d.run(fd, SSPI_IOC_DECRYPT)
    check(err == 0 and c.status == SEC_E_OK and len(sealed) == len(msg) and sealed != msg and
          err2 == 0 and d.status == SEC_E_OK and d.out(1)[3] == msg and
          d.out(1)[2] == d.addr(1),
          f'Kerberos, {SSPI_IOC_MAX_BYTES} bytes in all: sealed, unsealed in place '
          f'(errno {err}/{err2})')
    c = Call(hi, [(TOKEN, bytes(trailer + 1)), (DATA, msg)])
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.E2BIG, 'one byte more: E2BIG')
    nl.do('ctx-delete', {'ctx-handle': hi})
    nl.do('ctx-delete', {'ctx-handle': ha})


READONLY = 0x80000000


def readonly(nl, fd):
    """No byte of memory described by a READONLY or READONLY_WITH_CHECKSUM
    buffer is ever written: not by an output pointing into it, not through
    a writable buffer sharing its memory.  Overlaps are refused before the
    package runs (EINVAL, SEC_E_INVALID_TOKEN, no sequence number used);
    a buffer next to a read-only one, not over it, is fine."""
    for flag, fname in ((READONLY, 'READONLY'), (READONLY_WITH_CHECKSUM, 'READONLY_WITH_CHECKSUM')):
        # the record to unseal flagged read-only: the plaintext would land in it
        h1, h2 = import_pair(nl)
        err, c, rec = seal(fd, h1, b'secret one')
        d = Call(h2, [(DATA | flag, rec), (EMPTY, None), (EMPTY, None), (EMPTY, None)])
        err2 = d.run(fd, SSPI_IOC_DECRYPT)
        check(err2 != 0 and d.mem[0].raw == rec,
              f'unseal of a {fname} DATA: refused (errno {err2}), its memory untouched')

        # a read-only buffer over the plaintext's bytes of a writable record
        err, c, rec = seal(fd, h1, b'secret two')
        for off, ln, what in ((0, len(rec), 'the whole record'), (5, 1, 'its first byte of text'),
                              (len(rec) - 1, 1, 'its last byte')):
            d = Call(h2, [(DATA, rec), (EMPTY, None), (EMPTY, None), (EMPTY, None)])
            BUF.pack_into(d.arr, 3 * BUF.size, EMPTY | flag, ln, d.addr(0) + off)
            err2 = d.run(fd, SSPI_IOC_DECRYPT)
            check(err2 == errno.EINVAL and d.status == 0x80090308 and d.mem[0].raw == rec,
                  f'unseal, a {fname} buffer over {what}: EINVAL, SEC_E_INVALID_TOKEN, '
                  f'untouched (errno {err2}, status {d.status:#x})')
        err2, d = unseal(fd, h2, rec)
        check(err2 == 0 and d.out(1)[3] == b'secret two',
              f'unseal after the {fname} overlaps: the sequence number was not used')

        # sealing: a read-only buffer over the DATA to encrypt
        msg = b'plain text'
        c = Call(h1, [(STREAM_HEADER, bytes(5)), (DATA, msg), (STREAM_TRAILER, bytes(17)),
                      (EMPTY, None)])
        BUF.pack_into(c.arr, 3 * BUF.size, EMPTY | flag, 3, c.addr(1) + 4)
        err = c.run(fd, SSPI_IOC_ENCRYPT)
        check(err == errno.EINVAL and c.mem[1].raw == msg and c.mem[0].raw == bytes(5),
              f'seal, a {fname} buffer over the DATA: EINVAL, nothing written (errno {err})')
        err, c, rec = seal(fd, h1, b'three')
        err2, d = unseal(fd, h2, rec)
        check(err == 0 and err2 == 0 and d.out(1)[3] == b'three',
              f'seal after the {fname} overlap: the sequence number was not used')

        # right next to the record, not over it: taken, and left alone
        err, c, rec = seal(fd, h1, b'four')
        blob = ctypes.create_string_buffer(rec + b'tail', len(rec) + 4)
        d = Call(h2, [(DATA, None), (EMPTY, None), (EMPTY, None), (EMPTY, None)])
        BUF.pack_into(d.arr, 0, DATA, len(rec), ctypes.addressof(blob))
        BUF.pack_into(d.arr, 3 * BUF.size, EMPTY | flag, 4, ctypes.addressof(blob) + len(rec))
        err2 = d.run(fd, SSPI_IOC_DECRYPT)
        check(err2 == 0 and d.out(1)[3] == b'four' and blob.raw[len(rec):] == b'tail',
              f'a {fname} buffer next to the record: unsealed, it untouched (errno {err2})')
        nl.do('ctx-delete', {'ctx-handle': h1})
        nl.do('ctx-delete', {'ctx-handle': h2})


def read_only_output(nl, fd):
    """An output in memory the caller cannot write (mprotect PROT_READ) is
    EFAULT before the package runs: the sequence number is not used, the
    next message seals and unseals as the next one."""
    page = 4096
    h1, h2 = import_pair(nl)
    mem = libc.mmap(None, page, PROT_READ | 2, MAP_PRIVATE_ANON, -1, 0)

    def seqs():
        return (nl.do('ctx-get', {'ctx-handle': h1})['ctx-tx-seq'],
                nl.do('ctx-get', {'ctx-handle': h2})['ctx-rx-seq'])

    def put(data):
        libc.mprotect(mem, page, PROT_READ | 2)
        ctypes.memmove(mem, data, len(data))
        libc.mprotect(mem, page, PROT_READ)

    msg = b'x' * 100
    put(msg)
    before = seqs()
    c = Call(h1, [(STREAM_HEADER, bytes(5)), (DATA, None), (STREAM_TRAILER, bytes(17)),
                  (EMPTY, None)])
    BUF.pack_into(c.arr, BUF.size, DATA, len(msg), mem)
    err = c.run(fd, SSPI_IOC_ENCRYPT)
    check(err == errno.EFAULT and c.status == SEC_E_INTERNAL_ERROR and seqs() == before and
          ctypes.string_at(mem, 100) == msg,
          f'seal, DATA in read-only memory: EFAULT, its status written, tx sequence kept '
          f'({before} -> {seqs()})')
    err, c, rec = seal(fd, h1, b'next')
    err2, d = unseal(fd, h2, rec)
    check(err == 0 and err2 == 0 and d.out(1)[3] == b'next',
          'the next seal has the expected sequence number')

    err, c, rec = seal(fd, h1, b'secret')
    put(rec)
    before = seqs()
    d = Call(h2, [(DATA, None), (EMPTY, None), (EMPTY, None), (EMPTY, None)])
    BUF.pack_into(d.arr, 0, DATA, len(rec), mem)
    err2 = d.run(fd, SSPI_IOC_DECRYPT)
    check(err2 == errno.EFAULT and d.status == SEC_E_INTERNAL_ERROR and seqs() == before and
          ctypes.string_at(mem, len(rec)) == rec,
          f'unseal of a record in read-only memory: EFAULT, its status written, rx sequence kept '
          f'({before} -> {seqs()})')
    err2, d = unseal(fd, h2, rec)
    check(err2 == 0 and d.out(1)[3] == b'secret', 'the record then unseals from writable memory')

    # a structure the results cannot be written to
    c = Call(h1, [(STREAM_HEADER, bytes(5)), (DATA, b'y'), (STREAM_TRAILER, bytes(17)),
                  (EMPTY, None)])
    put(bytes(c.arr))
    before = seqs()
    m = bytearray(c.msg)
    struct.pack_into('=Q', m, 32, mem)      # buffers -> the read-only copy
    try:
        fcntl.ioctl(fd, SSPI_IOC_ENCRYPT, m)
        err = 0
    except OSError as e:
        err = e.errno
    check(err == errno.EFAULT and seqs() == before,
          'a buffer array in read-only memory: EFAULT, tx sequence kept')
    libc.munmap(mem, page)
    nl.do('ctx-delete', {'ctx-handle': h1})
    nl.do('ctx-delete', {'ctx-handle': h2})


def main():
    nl = family()
    h1, h2 = import_pair(nl)
    fd = os.open('/dev/sspi', os.O_RDWR)

    for n in (0, 1, 64, 1024, 16384):
        msg = secrets.token_bytes(n)
        err, c, rec = seal(fd, h1, msg)
        err2, d = unseal(fd, h2, rec)
        t, ln, addr, data = d.out(1)
        check(err == 0 and c.status == SEC_E_OK and len(rec) == n + 22 and
              err2 == 0 and t == DATA and data == msg and addr == d.addr(0) + 5,
              f'{n} bytes: sealed, unsealed in place (DATA at input + 5)')

    err, c, rec = seal(fd, h1, secrets.token_bytes(16385))
    check(err == errno.EINVAL and c.status == 0x80090308,
          'over cbMaximumMessage: EINVAL, SEC_E_INVALID_TOKEN')

    err, c, rec = seal(fd, h1, b'one')
    err, c, rec2 = seal(fd, h1, b'two')
    err, d = unseal(fd, h2, rec + rec2)
    t, ln, addr, data = d.out(3)
    check(err == 0 and t == EXTRA and addr == d.addr(0) + len(rec) and data == rec2,
          'EXTRA points at the second record in the caller\'s buffer')
    err, d = unseal(fd, h2, rec2[:10])
    t, ln, addr, _ = d.out(1)
    check(err == errno.ENODATA and d.status == SEC_E_INCOMPLETE_MESSAGE and
          t == MISSING and ln == len(rec2) - 10 and addr == 0,
          'partial: ENODATA, MISSING with the bytes needed')
    bad = bytearray(rec2)
    bad[-1] ^= 0x80
    err, d = unseal(fd, h2, bytes(bad))
    check(err == errno.EBADMSG and d.status == SEC_E_MESSAGE_ALTERED and
          d.mem[0].raw[:len(bad)] == bytes(bad),
          'altered: EBADMSG, SEC_E_MESSAGE_ALTERED, the caller\'s bytes untouched')
    err, d = unseal(fd, h2, rec2)
    check(err == 0 and d.out(1)[3] == b'two', 'the sequence was not consumed')

    # layouts Schannel cannot seal into one record: refused with
    # SEC_E_INVALID_TOKEN before a byte is written or a sequence number used
    for bufs, what in (
            ([(STREAM_HEADER, bytes(5)), (DATA, b'one'), (DATA, b'two'),
              (STREAM_TRAILER, bytes(17))], 'two DATA buffers'),
            ([(STREAM_HEADER, bytes(5)), (DATA | READONLY, b'read-only'),
              (STREAM_TRAILER, bytes(17)), (EMPTY, None)], 'a read-only DATA')):
        c = Call(h1, bufs)
        err = c.run(fd, SSPI_IOC_ENCRYPT)
        check(err == errno.EINVAL and c.status == SEC_E_INVALID_TOKEN and
              [m.raw if m else None for m in c.mem] == [d for _, d in bufs],
              f'encrypt with {what}: EINVAL, SEC_E_INVALID_TOKEN, nothing written')
    err, c, rec = seal(fd, h1, b'after')
    err2, d = unseal(fd, h2, rec)
    check(err == 0 and err2 == 0 and d.out(1)[3] == b'after',
          'after the refused layouts the next record opens: no sequence number used')

    # versioning: a larger struct with zero tail works, a non-zero tail not
    c = Call(h1, [(STREAM_HEADER, bytes(5)), (DATA, b'v'), (STREAM_TRAILER, bytes(17)),
                  (EMPTY, None)], size=MSG.size + 8)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == 0, 'a larger struct with a zero tail is taken')
    c = Call(h1, [(DATA, b'v')], size=MSG.size + 8)
    c.msg[-1] = 1
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.E2BIG, 'a non-zero unknown tail: E2BIG')
    c = Call(h1, [(STREAM_HEADER, bytes(5)), (DATA, b'v'), (STREAM_TRAILER, bytes(17)),
                  (EMPTY, None)], size=MSG.size - 16)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == 0 and c.status == SEC_E_OK,
          'a struct without the reserved words is taken')
    c = Call(h1, [(DATA, b'v')], size=16)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EINVAL, 'a struct without its buffers: EINVAL')
    c = Call(h1, [(DATA, b'v')], flags=4)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EINVAL, 'an unknown flag: EINVAL')
    c = Call(h1, [(DATA, b'v')], reserved=b'\1')
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EINVAL, 'reserved set: EINVAL')
    c = Call(h1, [(DATA, b'v')] * 17)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EINVAL, '17 buffers: EINVAL')
    c = Call(h1, [(DATA, b'v')])
    BUF.pack_into(c.arr, 0, DATA, 100, 8)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EFAULT and c.status == SEC_E_INTERNAL_ERROR,
          'a bad buffer address: EFAULT, status SEC_E_INTERNAL_ERROR')
    c = Call(h1, [(DATA, b'v')])
    BUF.pack_into(c.arr, 0, DATA, (1 << 20) + 1, ctypes.addressof(c.mem[0]))
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.E2BIG and c.status == SEC_E_INTERNAL_ERROR,
          'over SSPI_IOC_MAX_BYTES: E2BIG, status SEC_E_INTERNAL_ERROR')
    c = Call(h1, [(DATA, b'v')])
    try:
        fcntl.ioctl(fd, ioc(9), c.msg)
        err = 0
    except OSError as e:
        err = e.errno
    check(err == errno.ENOTTY, 'an unknown ioctl: ENOTTY')
    err, c, _ = seal(fd, 0x1234, b'x')
    check(err == errno.ENOENT and c.status == SEC_E_INVALID_HANDLE,
          'unknown handle: ENOENT, SEC_E_INVALID_HANDLE')

    max_size(nl, fd)
    readonly(nl, fd)
    read_only_output(nl, fd)

    def as_user():
        os.setgroups([])
        os.setresgid(1000, 1000, 1000)
        os.setresuid(1000, 1000, 1000)
        ufd = os.open('/dev/sspi', os.O_RDWR)
        err, c, _ = seal(ufd, h1, b'x')
        return 0 if err == errno.ENOENT and c.status == SEC_E_INVALID_HANDLE else 1
    check(in_child(as_user) == 0, 'another user cannot use root\'s context')

    def opened_here_used_there():
        # the namespace is the opener's: an fd opened before unshare still works
        err, _, _ = seal(fd, h1, b'x')
        unshare(CLONE_NEWNET)
        nfd = os.open('/dev/sspi', os.O_RDWR)
        err2, c, _ = seal(nfd, h1, b'x')
        err3, _, _ = seal(fd, h1, b'x')
        return 0 if (err, err2, err3) == (0, errno.ENOENT, 0) else 1
    check(in_child(opened_here_used_there) == 0,
          'contexts are the opener\'s network namespace\'s')

    nl.do('ctx-delete', {'ctx-handle': h1})
    err, c, _ = seal(fd, h1, b'x')
    check(err == errno.ENOENT, 'deleted: ENOENT')
    nl.do('ctx-delete', {'ctx-handle': h2})
    negotiate(nl, fd)
    os.close(fd)
    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
