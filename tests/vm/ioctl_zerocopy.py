#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""/dev/sspi in place: DATA buffers sealed and unsealed in the caller's own
pages (SSPI_IOC_F_PIN, and EncryptMessage's default from SSPI_IOC_PIN_MIN
bytes) give what the copy (SSPI_IOC_F_COPY) gives, for every package; a
refused in-place unseal uses no sequence number; and pages the caller
unmaps, remaps or writes while the kernel works on them break nothing:
every call ends with a status, and the contexts work afterwards (the
debug kernel's KASAN, lockdep and kmemleak watch the rest)."""

import ctypes
import errno
import os
import secrets
import sys
import threading

from fuzz_tokens import NTLM_GSS, ntlm_blob
from ioctl_test import BUF, SSPI_IOC_DECRYPT, SSPI_IOC_ENCRYPT, Call
from sspi_nl import (DATA, EMPTY, KRB5_F_INITIATOR, KRB5_F_REPLAY, PADDING, READONLY, SEC_E_MESSAGE_ALTERED,
                     SEC_E_OK, STREAM, STREAM_HEADER, STREAM_TRAILER, TOKEN, check, failures,
                     family, keys, krb5_import, tls_import)

F_COPY, F_PIN = 0x1, 0x2
PIN_MIN = 4096
libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long)
libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
PROT_RW, MAP_PRIVATE_ANON, MAP_FIXED = 3, 0x22, 0x10


def tls_pairs(nl, n):
    """@n senders with the same keys and one receiver per sender: what any
    sender seals as its k-th record, its receiver opens."""
    a = keys(secrets.token_bytes(16), secrets.token_bytes(12))
    b = keys(secrets.token_bytes(16), secrets.token_bytes(12))
    imp = [tls_import(0x0304, 51, a, b), tls_import(0x0304, 51, b, a)]
    return [tuple(nl.do('ctx-import', {'pkg-name': 'Schannel', 'ctx-import': i})['ctx-handle']
                  for i in imp) for _ in range(n)]


def tls_seal(fd, h, data, flags):
    c = Call(h, [(STREAM_HEADER, bytes(5)), (DATA, data), (STREAM_TRAILER, bytes(17)),
                 (EMPTY, None)], flags=flags)
    err = c.run(fd, SSPI_IOC_ENCRYPT)
    return err, c, b''.join(c.out(i)[3] for i in range(3))


def tls_unseal(fd, h, rec, flags):
    c = Call(h, [(DATA, rec), (EMPTY, None), (EMPTY, None), (EMPTY, None)], flags=flags)
    return c.run(fd, SSPI_IOC_DECRYPT), c


def tls(nl, fd):
    """Three senders with the same keys seal the same plaintexts by copy, in
    place by default and in place by flag: the records must be identical;
    each opens in place and by copy."""
    pairs = tls_pairs(nl, 3)
    for n in (1, 64, PIN_MIN - 1, PIN_MIN, 16384):
        msg = secrets.token_bytes(n)
        recs = []
        for (tx, _), flags in zip(pairs, (F_COPY, 0, F_PIN)):
            err, c, rec = tls_seal(fd, tx, msg, flags)
            check(err == 0 and c.status == SEC_E_OK, f'TLS {n} bytes: sealed, flags {flags}')
            recs.append(rec)
        check(recs[0] == recs[1] == recs[2] and len(recs[0]) == n + 22,
              f'TLS {n} bytes: in place and by copy, the same record')
        for (_, rx), flags in zip(pairs, (F_PIN, 0, F_COPY)):
            err, d = tls_unseal(fd, rx, recs[0], flags)
            t, ln, addr, data = d.out(1)
            check(err == 0 and t == DATA and data == msg and addr == d.addr(0) + 5 and
                  d.mem[0].raw[5:5 + n] == msg,
                  f'TLS {n} bytes: unsealed in the caller\'s buffer, flags {flags}')

    # refused in place: EBADMSG, the sequence number unused, the record
    # opens once it arrives unaltered
    tx, rx = pairs[0]
    msg = secrets.token_bytes(8000)
    _, _, rec = tls_seal(fd, tx, msg, F_PIN)
    bad = bytearray(rec)
    bad[100] ^= 1
    err, d = tls_unseal(fd, rx, bytes(bad), F_PIN)
    check(err == errno.EBADMSG and d.status == SEC_E_MESSAGE_ALTERED,
          'TLS in place, altered: EBADMSG, SEC_E_MESSAGE_ALTERED')
    err, d = tls_unseal(fd, rx, rec, F_PIN)
    check(err == 0 and d.out(1)[3] == msg, 'TLS in place: the refused record used no sequence number')

    # a large DATA flagged read-only, or sharing memory with another buffer,
    # is not worked on in place: refused as the copy refuses it
    c = Call(tx, [(STREAM_HEADER, bytes(5)), (DATA | READONLY, bytes(8000)),
                  (STREAM_TRAILER, bytes(17)), (EMPTY, None)], flags=F_PIN)
    check(c.run(fd, SSPI_IOC_ENCRYPT) == errno.EINVAL and c.mem[1].raw == bytes(8000),
          'TLS F_PIN on a read-only DATA: refused as by copy, nothing written')

    # flags: both, or unknown, refused
    for flags in (F_COPY | F_PIN, 0x4, 0x80000000):
        err, c, _ = tls_seal(fd, tx, b'x', flags)
        check(err == errno.EINVAL, f'flags {flags:#x}: EINVAL')
    err, c, rec = tls_seal(fd, tx, b'after', 0)
    err2, d = tls_unseal(fd, rx, rec, 0)
    check(err == 0 and err2 == 0 and d.out(1)[3] == b'after', 'TLS: the pair still in step')
    return [h for p in pairs for h in p]


def token_pair(nl, name):
    """A Kerberos (aes256-cts-hmac-sha1-96, replay detection) or NTLM
    (GSS flags, key exchange, 128-bit) initiator and its acceptor."""
    if name == 'Kerberos':
        key = secrets.token_bytes(32)
        return (krb5_import(nl, 18, key, KRB5_F_INITIATOR | KRB5_F_REPLAY),
                krb5_import(nl, 18, key, KRB5_F_REPLAY))
    key = secrets.token_bytes(16)
    return tuple(nl.do('ctx-import', {'pkg-name': 'NTLM', 'ctx-import':
                                      ntlm_blob(NTLM_GSS, key, init)})['ctx-handle']
                 for init in (True, False))


def token_seal(nl, fd, h, data, flags):
    trailer = nl.do('ctx-get', {'ctx-handle': h})['ctx-sizes']
    bufs = [(TOKEN, bytes(trailer['security-trailer'])), (DATA, data)]
    if trailer.get('block-size', 1) > 1:
        bufs.append((PADDING, bytes(trailer['block-size'])))
    c = Call(h, bufs, flags=flags)
    err = c.run(fd, SSPI_IOC_ENCRYPT)
    return err, c


def token_packages(nl, fd, name):
    """The package's seal in place and by copy; the acceptor opens each in
    place ([TOKEN, DATA]) and as one stream by copy."""
    init, acc = token_pair(nl, name)
    for n in (100, PIN_MIN, 65536, 500000):
        msg = secrets.token_bytes(n)
        for flags in (0, F_PIN, F_COPY):
            err, c = token_seal(nl, fd, init, msg, flags)
            tok, sealed = c.out(0)[3], c.out(1)[3]
            check(err == 0 and c.status == SEC_E_OK and sealed != msg and len(sealed) == n and
                  c.mem[1].raw == sealed,
                  f'{name} {n} bytes, flags {flags}: sealed in the caller\'s buffer')
            if flags == F_COPY:
                d = Call(acc, [(STREAM, tok + sealed), (DATA, None)])
            else:
                d = Call(acc, [(TOKEN, tok), (DATA, sealed)], flags=F_PIN)
            err = d.run(fd, SSPI_IOC_DECRYPT)
            check(err == 0 and d.status == SEC_E_OK and d.out(1)[3] == msg,
                  f'{name} {n} bytes, flags {flags}: unsealed')
    return [init, acc]


def hammer(nl, fd, name):
    """Another thread unmaps and maps again, or writes, the DATA the kernel
    seals in place; every call must end with a status (success or EFAULT),
    and the pair must work afterwards."""
    init, acc = token_pair(nl, name)
    size = 256 * 1024
    trailer = nl.do('ctx-get', {'ctx-handle': init})['ctx-sizes']['security-trailer']
    results = {}
    for mode in ('remap', 'write'):
        addr = libc.mmap(None, size, PROT_RW, MAP_PRIVATE_ANON, -1, 0)
        ctypes.memset(addr, 0x41, size)
        stop = threading.Event()

        def other():
            while not stop.is_set():
                if mode == 'remap':
                    libc.munmap(addr, size)
                    libc.mmap(addr, size, PROT_RW, MAP_PRIVATE_ANON | MAP_FIXED, -1, 0)
                else:
                    ctypes.memset(addr + secrets.randbelow(size), 0x42, 4096)
        t = threading.Thread(target=other)
        t.start()
        seen = {}
        for _ in range(60):
            c = Call(init, [(TOKEN, bytes(trailer)), (DATA, None)], flags=F_PIN)
            # DATA: the mapping the other thread changes, not a Python buffer
            BUF.pack_into(c.arr, BUF.size, DATA, size, addr)
            buf = (ctypes.c_char * len(c.msg)).from_buffer(c.msg)
            ret = libc.ioctl(fd, SSPI_IOC_ENCRYPT, ctypes.addressof(buf))
            err = 0 if ret == 0 else ctypes.get_errno()
            del buf
            seen[err] = seen.get(err, 0) + 1
        stop.set()
        t.join()
        libc.munmap(addr, size)
        results[mode] = seen
        check(set(seen) <= {0, errno.EFAULT} and seen.get(0),
              f'{name} in place, the pages {mode} meanwhile: '
              f'{sorted(seen.items())} (errno: calls)')
    msg = secrets.token_bytes(70000)
    err, c = token_seal(nl, fd, init, msg, F_PIN)
    d = Call(acc, [(TOKEN, c.out(0)[3]), (DATA, c.out(1)[3])], flags=F_PIN)
    check(err == 0 and d.run(fd, SSPI_IOC_DECRYPT) == 0 and d.out(1)[3] == msg,
          f'{name}: after the pages changed under it, the pair works')
    return [init, acc]


def main():
    nl = family()
    fd = os.open('/dev/sspi', os.O_RDWR)
    handles = tls(nl, fd)
    handles += token_packages(nl, fd, 'Kerberos')
    handles += token_packages(nl, fd, 'NTLM')
    handles += hammer(nl, fd, 'Kerberos')
    for h in handles:
        nl.do('ctx-delete', {'ctx-handle': h})
    os.close(fd)
    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
