#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""async_test.py [--unload MODULE]: the checks of tests/vm/async_test.sh
that need no peer, with tests/modules/sspi_async.ko loaded.

First, for every algorithm name the packages ask the crypto API for, the
highest-priority driver in /proc/crypto is a cryptd (or, for the AEADs
before Linux 6.3, pcrypt) instance.  Then for TLS 1.2
and 1.3 with AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, and for
Kerberos with every AES enctype, a pair of contexts with mirrored keys:
both report that driver in ctx-get, and the instances' reference counts in
/proc/crypto grow by the transforms the pair holds (Kerberos: the HMACs
under Ki and Kc, which ctx-get does not name, too); messages sealed,
unsealed, signed and verified both ways; an altered one refused
(SEC_E_MESSAGE_ALTERED), the genuine one opening after it; the counts back
where they were once the pair is deleted.  Then pairs of each package used
from several threads at once, so that requests queue up in the drivers'
workers.

With --unload MODULE, last, MODULE (sspi_async) is unloaded: no cryptd or
pcrypt instance of those algorithms is left in /proc/crypto, and new
contexts get drivers that are neither cryptd's nor pcrypt's.

"ok ..." or "FAIL ..." per check; exit status 1 if any failed.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sspi_nl  # noqa: E402
from sspi_nl import (DATA, SEC_E_MESSAGE_ALTERED, SEC_E_OK, STREAM, TOKEN,  # noqa: E402
                     check)

# What the packages ask for by name, and what sspi_async puts first: the
# AEADs get pcrypt before Linux 6.3, cryptd from then on.
WRAPPED = ('gcm(aes)', 'rfc7539(chacha20,poly1305)', 'cts(cbc(aes))', 'cbc(aes)',
           'hmac(sha1)', 'hmac(sha256)', 'hmac(sha384)')
# cryptd or pcrypt, or a template over one: without AES-NI, cryptd's
# cbc(aes) outranks aes-generic's, the kernel tears down the cts instance
# on the old one, and cts(cbc(aes)) is built anew as cts(cryptd(...))
ASYNC = re.compile(r'(\w+\()*(cryptd|pcrypt)\(.+\)')

# (name, version, cipher suite number, key length, AEAD)
TLS = [('tls%s %s' % (v, c), ver, suite, klen, alg)
       for v, ver in (('1.2', 0x0303), ('1.3', 0x0304))
       for c, suite, klen, alg in (('aes-128-gcm', 51, 16, 'gcm(aes)'),
                                   ('aes-256-gcm', 52, 32, 'gcm(aes)'),
                                   ('chacha20-poly1305', 54, 32,
                                    'rfc7539(chacha20,poly1305)'))]
# enctype: (key length, HMAC)
KRB5 = {17: (16, 'hmac(sha1)'), 18: (32, 'hmac(sha1)'), 19: (16, 'hmac(sha256)'),
        20: (32, 'hmac(sha384)')}
# transforms a pair holds: 2 contexts x 2 directions, each direction one
# AEAD (TLS) or one CTS skcipher and three HMACs (Kerberos: Ki, Kc of
# Wrap and Kc of MIC tokens; krb5_crypto.c)
TLS_AEADS, KRB5_CTS, KRB5_HMACS = 4, 4, 12


def proc_crypto():
    algs, cur = [], {}
    with open('/proc/crypto') as f:
        for line in f:
            if not line.strip():
                if cur:
                    algs.append(cur)
                cur = {}
                continue
            k, _, v = line.partition(':')
            cur[k.strip()] = v.strip()
    if cur:
        algs.append(cur)
    return algs


def best(name):
    """The entry the crypto API picks for NAME: the highest priority."""
    algs = [a for a in proc_crypto() if a['name'] == name and a.get('internal') != 'yes']
    top = max(algs, key=lambda a: int(a['priority']), default={'driver': '-', 'priority': '-'})
    ties = [a['driver'] for a in algs if a['priority'] == top['priority'] and a is not top]
    return top, ties


def refcnt(driver):
    return sum(int(a['refcnt']) for a in proc_crypto() if a['driver'] == driver)


def drivers(nl, handles):
    out = []
    for h in handles:
        ci = nl.do('ctx-get', {'ctx-handle': h})
        out += [ci.get('ctx-tx-driver', ''), ci.get('ctx-rx-driver', '')]
    return out


def flip(b, i):
    b = bytearray(b)
    b[i] ^= 0x10
    return bytes(b)


def tls_traffic(nl, a, b, what, tamper=True):
    sz = nl.do('ctx-get', {'ctx-handle': a})['ctx-sizes']
    ok = True
    for src, dst in ((a, b), (b, a)):
        for size in (1, 300, 4000):
            msg = secrets.token_bytes(size)
            st, rec = sspi_nl.seal(nl, src, msg, hlen=sz['stream-header'],
                                   tlen=sz['stream-trailer'])
            if st != SEC_E_OK:
                check(False, '%s: seal of %d bytes: status %#x' % (what, size, st))
                return False
            if tamper:
                rep = sspi_nl.unseal(nl, dst, flip(rec, len(rec) - 3))
                ok &= rep['status'] == SEC_E_MESSAGE_ALTERED
            rep = sspi_nl.unseal(nl, dst, rec)
            got = sspi_nl.buf(rep, DATA)
            ok &= rep['status'] == SEC_E_OK and got is not None and \
                bytes(got.get('data', b'')) == msg
    return ok


def krb5_traffic(nl, i, a, trailer, what, tamper=True):
    ok = True
    for src, dst in ((i, a), (a, i)):
        for size in (1, 300, 4000):
            msg = secrets.token_bytes(size)
            st, out = sspi_nl.encrypt(nl, src, [(TOKEN, trailer), (DATA, msg)])
            if st != SEC_E_OK:
                check(False, '%s: wrap of %d bytes: status %#x' % (what, size, st))
                return False
            wire = out[0][1] + out[1][1]
            if tamper:
                st2, _, _ = sspi_nl.decrypt(nl, dst, [(STREAM, flip(wire, len(wire) - 1)),
                                                      (DATA, 0)])
                ok &= st2 == SEC_E_MESSAGE_ALTERED
            st2, _, back = sspi_nl.decrypt(nl, dst, [(STREAM, wire), (DATA, 0)])
            ok &= st2 == SEC_E_OK and back[1][1] == msg
            st, out = sspi_nl.sign(nl, src, [(DATA, msg), (TOKEN, 64)])
            if tamper:
                st2, _ = sspi_nl.verify(nl, dst, [(DATA, flip(msg, 0)), (TOKEN, out[1][1])])
                ok &= st2 == SEC_E_MESSAGE_ALTERED
            st2, _ = sspi_nl.verify(nl, dst, [(DATA, msg), (TOKEN, out[1][1])])
            ok &= st == SEC_E_OK and st2 == SEC_E_OK
    return ok


def tls_pair(nl, version, suite, klen):
    return sspi_nl.import_pair(nl, version, suite, klen)


def krb5_pair(nl, enctype):
    key = secrets.token_bytes(KRB5[enctype][0])
    return (sspi_nl.krb5_import(nl, enctype, key, sspi_nl.KRB5_F_INITIATOR),
            sspi_nl.krb5_import(nl, enctype, key))


def delete(nl, handles):
    for h in handles:
        nl.do('ctx-delete', {'ctx-handle': h})


def forced(nl):
    top = {}
    for name in WRAPPED:
        a, ties = best(name)
        top[name] = a['driver']
        check(ASYNC.fullmatch(a['driver']) and not ties,
              '/proc/crypto: %s: %s first, priority %s%s' % (
                  name, a['driver'], a['priority'],
                  ', tied with ' + ' '.join(ties) if ties else ''))

    for what, version, suite, klen, alg in TLS:
        drv = top[alg]
        before = refcnt(drv)
        h = tls_pair(nl, version, suite, klen)
        got = drivers(nl, h)
        held = refcnt(drv) - before
        check(ASYNC.fullmatch(drv) and all(d == drv for d in got) and held == TLS_AEADS,
              '%s: drivers %s, %d transforms of it held' % (what, ' '.join(sorted(set(got))),
                                                            held))
        check(tls_traffic(nl, h[0], h[1], what),
              '%s: sealed and unsealed both ways, altered records refused' % what)
        delete(nl, h)
        check(refcnt(drv) == before, '%s: its transforms freed with the contexts' % what)

    for enctype, (_, hmac) in KRB5.items():
        what = 'kerberos %d' % enctype
        cts, mac = top['cts(cbc(aes))'], top[hmac]
        before = (refcnt(cts), refcnt(mac))
        h = krb5_pair(nl, enctype)
        got = drivers(nl, h)
        held = (refcnt(cts) - before[0], refcnt(mac) - before[1])
        check(ASYNC.fullmatch(cts) and ASYNC.fullmatch(mac) and all(d == cts for d in got) and
              held == (KRB5_CTS, KRB5_HMACS),
              '%s: drivers %s, %d transforms of it and %d of %s held' % (
                  what, ' '.join(sorted(set(got))), held[0], held[1], mac))
        trailer = nl.do('ctx-get', {'ctx-handle': h[0]})['ctx-sizes']['security-trailer']
        check(krb5_traffic(nl, h[0], h[1], trailer, what),
              '%s: wrapped, unwrapped, signed and verified both ways, altered tokens refused'
              % what)
        delete(nl, h)
        check((refcnt(cts), refcnt(mac)) == before,
              '%s: its transforms freed with the contexts' % what)

    # several threads at once, each on its own socket and pair
    results = []

    def worker(n):
        wnl = sspi_nl.family()
        ok = True
        for r in range(3):
            if n % 2:
                h = tls_pair(wnl, 0x0304, (51, 54)[r % 2], (16, 32)[r % 2])
                ok &= tls_traffic(wnl, h[0], h[1], 'thread %d' % n, tamper=False)
            else:
                h = krb5_pair(wnl, 17 + r)
                t = wnl.do('ctx-get', {'ctx-handle': h[0]})['ctx-sizes']['security-trailer']
                ok &= krb5_traffic(wnl, h[0], h[1], t, 'thread %d' % n, tamper=False)
            delete(wnl, h)
        results.append(ok)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(results == [True] * len(threads),
          '%d threads at once: %d of them saw every message through' % (
              len(threads), results.count(True)))


def restored(nl, module):
    rc = subprocess.run(['rmmod', module]).returncode
    check(rc == 0, 'rmmod %s' % module)
    left = ['%s %s' % (a['name'], a['driver']) for a in proc_crypto()
            if a['name'] in WRAPPED and ASYNC.fullmatch(a['driver'])]
    check(not left, 'no cryptd or pcrypt instance left after unloading%s' % (
        ': ' + ', '.join(left) if left else ''))
    for what, pair in (('tls1.3 aes-128-gcm', lambda: tls_pair(nl, 0x0304, 51, 16)),
                       ('tls1.2 chacha20-poly1305', lambda: tls_pair(nl, 0x0303, 54, 32)),
                       ('kerberos 20', lambda: krb5_pair(nl, 20))):
        h = pair()
        got = drivers(nl, h)
        delete(nl, h)
        check(got and not any(ASYNC.fullmatch(d) for d in got),
              '%s after unloading: drivers %s' % (what, ' '.join(sorted(set(got)))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--unload', metavar='MODULE',
                    help='unload MODULE last, and check that nothing is wrapped then')
    args = ap.parse_args()
    nl = sspi_nl.family()
    forced(nl)
    if args.unload:
        restored(nl, args.unload)
    return 1 if sspi_nl.failures else 0


if __name__ == '__main__':
    sys.exit(main())
