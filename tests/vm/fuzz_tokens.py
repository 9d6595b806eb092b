#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fuzz_tokens.py [--count N] [--seed S] [--max-size B] [--package P]...
                [--expect-driver REGEX]

Mutation fuzzing of every package's sealed messages and signatures, run in
the guest (scripts/vm-run) with sspi_kmod loaded: "make fuzz" runs it with
the full counts in the debug kernel, tests/vm/fuzz_tokens_test.sh with a
short fixed-seed pass in "make check".

For each variant of each package (TLS 1.2 and 1.3 with every cipher;
Kerberos aes128/aes256 sha1/sha2 and rc4-hmac, with and without acceptor
subkey, replay and sequence detection, DCE style and integrity-only Wrap
tokens; NTLM with and without extended session security and key exchange,
128-, 56- and 40-bit keys, LM_KEY, sign-only; Negotiate over Kerberos and
over NTLM) it imports a pair of contexts with mirrored random keys through
the "sspi" generic netlink family and has the test module sspi_fuzz
(tests/modules/sspi_fuzz.c) seal, mutate and unseal COUNT / variants
messages through the kernel API, with seed S + the variant's index, so
every variant's inputs are reproducible from S alone.

A variant passes when every round ran, no altered message was accepted
with altered content ("forged"), the genuine message opened after every
refusal ("lost"), and a replay of the previous message (a splice can make
one) was taken only by a Kerberos context without replay detection.  One line per variant ("ok ..." or "FAIL ..."), the
module's per-mutation and per-status counts as comments, and a total per
package; exit status 1 if anything failed.  With --expect-driver REGEX
(tests/vm/async_test.sh, which forces asynchronous drivers), both
contexts of a variant must report crypto drivers matching REGEX, or the
variant fails; the variants of synchronous algorithms (NTLM, rc4-hmac: shash
and the arc4 library) are skipped then.  The kernel's own reports
(KASAN, UBSAN, lockdep, kmemleak) are judged by scripts/vm-run.
"""

import argparse
import errno
import os
import re
import secrets
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sspi_nl  # noqa: E402

RUN = '/sys/kernel/debug/sspi_fuzz/run'
PARAMS = ('/sys/module/sspi_kmod/parameters/allow_weak_ntlm',   # 40-bit, NTLMv1
          '/sys/module/sspi_kmod/parameters/allow_rc4')         # rc4-hmac
QOP_WRAP_NO_ENCRYPT = 0x80000001
ENOPKG = errno.ENOPKG

KRB5_INIT, KRB5_SUBKEY = sspi_nl.KRB5_F_INITIATOR, sspi_nl.KRB5_F_ACCEPTOR_SUBKEY
KRB5_RS = sspi_nl.KRB5_F_REPLAY | sspi_nl.KRB5_F_SEQUENCE
KRB5_DCE = sspi_nl.KRB5_F_DCE_STYLE
KRB5_KEYLEN = {17: 16, 18: 32, 19: 16, 20: 32, 23: 16}

NTLM_GSS = 0xe2088235           # what gss-ntlmssp negotiates
NTLM_KEY_EXCH, NTLM_128, NTLM_56 = 0x40000000, 0x20000000, 0x80000000
NTLM_ESS, NTLM_LM_KEY, NTLM_SEAL = 0x00080000, 0x00000080, 0x00000020


def tls(version, cipher, keylen):
    def pair(nl):
        return sspi_nl.import_pair(nl, version, cipher, keylen)
    return pair


def krb5(enctype, flags=0):
    def pair(nl):
        key = secrets.token_bytes(KRB5_KEYLEN[enctype])
        return (sspi_nl.krb5_import(nl, enctype, key, flags | KRB5_INIT),
                sspi_nl.krb5_import(nl, enctype, key, flags))
    return pair


def ntlm_blob(flags, key, initiator):
    return struct.pack('=IIII16s', flags, 1 if initiator else 0, 0, 0, key)


def ntlm(flags):
    def pair(nl):
        key = secrets.token_bytes(16)
        return tuple(nl.do('ctx-import', {'pkg-name': 'NTLM',
                                          'ctx-import': ntlm_blob(flags, key, i)})
                     ['ctx-handle'] for i in (True, False))
    return pair


def negotiate_krb5(enctype):
    def pair(nl):
        key = secrets.token_bytes(KRB5_KEYLEN[enctype])
        return tuple(sspi_nl.negotiate_import(
            nl, sspi_nl.NEGOTIATE_MECH_KERBEROS, sspi_nl.pack_struct('krb5-import', {
                'enctype': enctype, 'flags': f, 'key-len': len(key), 'key': key}))
            for f in (KRB5_INIT | KRB5_RS, KRB5_RS))
    return pair


def negotiate_ntlm(flags):
    def pair(nl):
        key = secrets.token_bytes(16)
        return tuple(sspi_nl.negotiate_import(nl, sspi_nl.NEGOTIATE_MECH_NTLM,
                                              ntlm_blob(flags, key, i))
                     for i in (True, False))
    return pair


# (package, variant, pair maker, EncryptMessage's fQOP)
VARIANTS = [
    ('Schannel', 'tls1.2 aes-128-gcm', tls(0x0303, 51, 16), 0),
    ('Schannel', 'tls1.2 aes-256-gcm', tls(0x0303, 52, 32), 0),
    ('Schannel', 'tls1.2 chacha20-poly1305', tls(0x0303, 54, 32), 0),
    ('Schannel', 'tls1.3 aes-128-gcm', tls(0x0304, 51, 16), 0),
    ('Schannel', 'tls1.3 aes-256-gcm', tls(0x0304, 52, 32), 0),
    ('Schannel', 'tls1.3 chacha20-poly1305', tls(0x0304, 54, 32), 0),
    ('Kerberos', 'aes128-cts-hmac-sha1-96', krb5(17), 0),
    ('Kerberos', 'aes256-cts-hmac-sha1-96 subkey replay+sequence',
     krb5(18, KRB5_SUBKEY | KRB5_RS), 0),
    ('Kerberos', 'aes128-cts-hmac-sha256-128 dce', krb5(19, KRB5_DCE), 0),
    ('Kerberos', 'aes256-cts-hmac-sha384-192 replay+sequence', krb5(20, KRB5_RS), 0),
    ('Kerberos', 'aes256-cts-hmac-sha1-96 integrity', krb5(18), QOP_WRAP_NO_ENCRYPT),
    ('Kerberos', 'rc4-hmac replay+sequence', krb5(23, KRB5_RS), 0),
    ('Kerberos', 'rc4-hmac dce integrity', krb5(23, KRB5_DCE), QOP_WRAP_NO_ENCRYPT),
    ('NTLM', 'ess key-exch 128', ntlm(NTLM_GSS), 0),
    ('NTLM', 'ess 128', ntlm(NTLM_GSS & ~NTLM_KEY_EXCH), 0),
    ('NTLM', 'ess key-exch 56', ntlm(NTLM_GSS & ~NTLM_128), 0),
    ('NTLM', 'ess key-exch 40', ntlm(NTLM_GSS & ~(NTLM_128 | NTLM_56)), 0),
    ('NTLM', 'ntlmv1 key-exch 128', ntlm(NTLM_GSS & ~NTLM_ESS), 0),
    ('NTLM', 'ntlmv1 lm-key 56', ntlm((NTLM_GSS & ~(NTLM_ESS | NTLM_128)) | NTLM_LM_KEY), 0),
    ('NTLM', 'ess sign-only', ntlm(NTLM_GSS & ~NTLM_SEAL), QOP_WRAP_NO_ENCRYPT),
    ('Negotiate', 'kerberos aes256-cts-hmac-sha1-96', negotiate_krb5(18), 0),
    ('Negotiate', 'kerberos rc4-hmac', negotiate_krb5(23), 0),
    ('Negotiate', 'ntlm ess key-exch 128', negotiate_ntlm(NTLM_GSS), 0),
]


def synchronous(variant):
    """NTLM and rc4-hmac: shash and the arc4 library, never asynchronous."""
    return variant[0] == 'NTLM' or 'ntlm' in variant[1] or 'rc4' in variant[1]


def run(cmd):
    with open(RUN, 'w') as f:
        f.write(cmd)
    with open(RUN) as f:
        return f.read()


def parse(result):
    """The result's first line as a dict, and the rest."""
    lines = result.splitlines()
    head = dict(kv.split('=', 1) for kv in lines[0].split()) if lines else {}
    return {k: int(v) for k, v in head.items()}, lines[1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--count', type=int, default=1000000,
                    help='rounds per package, shared by its variants')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--max-size', type=int, default=2048)
    ap.add_argument('--package', action='append',
                    help='only these packages (Schannel, Kerberos, NTLM, Negotiate)')
    ap.add_argument('--expect-driver', metavar='REGEX',
                    help='every context\'s crypto drivers must match REGEX')
    args = ap.parse_args()

    if not os.path.exists(RUN):
        sys.exit('fuzz_tokens.py: no %s: load tests/modules/sspi_fuzz.ko' % RUN)
    saved = {}
    for p in PARAMS:
        with open(p) as f:
            saved[p] = f.read().strip()
        with open(p, 'w') as f:
            f.write('Y')        # weak variants are fuzzed too
    nl = sspi_nl.family()
    pkgs = args.package or sorted({v[0] for v in VARIANTS}, key=lambda p: [
        v[0] for v in VARIANTS].index(p))
    failed = 0
    try:
        for pkg in pkgs:
            variants = [(i, v) for i, v in enumerate(VARIANTS) if v[0] == pkg]
            if not variants:
                sys.exit('fuzz_tokens.py: no package %r' % pkg)
            if args.expect_driver:
                for _, v in variants:
                    if synchronous(v):
                        print('skip fuzz %s %s: synchronous by design' % v[:2], flush=True)
                variants = [(i, v) for i, v in variants if not synchronous(v)]
                if not variants:
                    continue
            each = -(-args.count // len(variants))
            total = {'rounds': 0, 'refused': 0, 'benign': 0, 'replayed': 0, 'forged': 0,
                     'lost': 0}
            start = time.monotonic()
            for index, (_, name, pair, qop) in variants:
                seed = args.seed + index
                handles = []
                try:
                    handles = list(pair(nl))
                    if args.expect_driver:
                        for h in handles:
                            ci = nl.do('ctx-get', {'ctx-handle': h})
                            for k in ('ctx-tx-driver', 'ctx-rx-driver'):
                                if not re.fullmatch(args.expect_driver, ci.get(k, '')):
                                    raise OSError(0, '%s %r, not %s' % (
                                        k, ci.get(k), args.expect_driver))
                    t = time.monotonic()
                    result = run('tokens %x %x %d %d %d %x' % (
                        handles[0], handles[1], each, seed, args.max_size, qop))
                    took = time.monotonic() - t
                except sspi_nl.NlError as err:
                    if err.error == ENOPKG:
                        # rc4-hmac needs the kernel's hmac(md5)
                        print('skip fuzz %s %s: not available in this kernel (%s)' % (
                            pkg, name, (err.nl_msg.extack or {}).get('msg')), flush=True)
                    else:
                        print('FAIL fuzz %s %s: import: %s' % (pkg, name, err), flush=True)
                        failed += 1
                    continue
                except OSError as err:
                    print('FAIL fuzz %s %s: %s' % (pkg, name, err), flush=True)
                    failed += 1
                    continue
                finally:
                    for h in handles:
                        try:
                            nl.do('ctx-delete', {'ctx-handle': h})
                        except sspi_nl.NlError:
                            pass
                head, rest = parse(result)
                for k in total:
                    total[k] += head.get(k, 0)
                # only a Kerberos context without replay detection takes a
                # replay (a splice can make the previous message again)
                replays_ok = pkg == 'Kerberos' and 'replay' not in name
                ok = head.get('rounds') == each and not head.get('forged') and \
                    not head.get('lost') and (replays_ok or not head.get('replayed'))
                failed += not ok
                print('%s fuzz %s %s seed=%d rounds=%d refused=%d benign=%d replayed=%d '
                      'forged=%d lost=%d (%.0f s)' % (
                          'ok' if ok else 'FAIL', pkg, name, seed, head.get('rounds', 0),
                          head.get('refused', 0), head.get('benign', 0),
                          head.get('replayed', 0), head.get('forged', 0),
                          head.get('lost', 0), took), flush=True)
                for line in rest:
                    print('#   ' + line)
            print('# %s: %d rounds, %d refused, %d benign, %d replayed, %d forged, %d lost '
                  'in %.0f s' % (pkg, total['rounds'], total['refused'], total['benign'],
                                 total['replayed'], total['forged'], total['lost'],
                                 time.monotonic() - start), flush=True)
    finally:
        for p, v in saved.items():
            with open(p, 'w') as f:
                f.write(v)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
