#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""NTLM and Negotiate interop matrix: sspi_kmod's "NTLM" and "Negotiate"
packages against gss-ntlmssp and MIT's SPNEGO (python3-gssapi).

Credentials: a user file (NTLM_USER_FILE, "DOMAIN:user:password") under a
temporary directory; gss-ntlmssp reads it on both ends.

Flag variants (gss-ntlmssp negotiates each of them: the initiator's and
the acceptor's NegotiateFlags are set with the GSS_NTLMSSP_NEG_FLAGS_OID
credential option, NTLMv1 with LM_COMPAT_LEVEL=1):

ess-kx-128  extended session security, KEY_EXCH, 128-bit (the default)
ess-128     without KEY_EXCH (the acceptor does not offer it)
ess-kx-56   56-bit seal keys; ess-56 the same without KEY_EXCH
ess-kx-40   40-bit (weak: allow_weak_ntlm=1); ess-40 without KEY_EXCH
sign-only   SIGN without SEAL: MICs only (gss-ntlmssp's gss_wrap seals
            with the seal key even then: no Wrap cells)
v1-128      NTLMv1 session security, no extended session security
            (weak); v1-56, v1-40 and v1-lmkey (LM_KEY) likewise

For each variant and each role of the module a context is made here by
two gss-ntlmssp contexts talking to each other; one of them is handed to
the module as sspi-gss does it (Documentation/ntlm-handover.rst): the
ExportedSessionKey (GSS_C_INQ_SSPI_SESSION_KEY), the NegotiateFlags of the
AUTHENTICATE message, the role, sequence numbers 0.  The other stays the
peer.  Cells, one line each ("ok ntlm VARIANT ROLE CELL" or "not ok ...
# why"):

seal      module ENCRYPT [TOKEN(16), DATA] -> TOKEN||DATA is gss_unwrap'ed
unseal    gss_wrap -> module DECRYPT [STREAM, DATA] and [TOKEN, DATA]
mic       module SIGN -> gss_verify_mic; gss_get_mic -> module VERIFY
lengths   1 to 16000 bytes (and none for MICs) both ways
mixed     seal, unseal, sign and verify interleaved in both directions
tamper    a flipped bit in a gss_wrap token and in a MIC:
          SEC_E_MESSAGE_ALTERED, then the genuine one is still taken
replay    a gss_wrap token unsealed twice, a MIC verified twice:
          SEC_E_OUT_OF_SEQUENCE (NTLMv1 encrypts its sequence number:
          SEC_E_MESSAGE_ALTERED is what it can say), then the next is taken
info      ctx-get: package NTLM, sizes 16/16
weak      with allow_weak_ntlm=0 a weak variant's import is refused

Then sspi-gss as the module's side against a python3-gssapi peer over the
gss-sample framing (--import-only): raw NTLM, SPNEGO choosing NTLM with a
mechListMIC (sequence numbers 1/1), SPNEGO choosing NTLM without one
(LM_COMPAT_LEVEL=1: 0/0), SPNEGO choosing Kerberos (a KDC on loopback,
krb5_realm.py); and MIT's gss-server / gss-client as sspi-gss's peers
(-spnego, -mech NTLM), a sealed message and a MIC through the module.
Last, 200 KB sealed and unsealed through /dev/sspi both ways.

A summary follows; exit status 1 if any cell failed.  --fake-module
replaces the module by the other gss-ntlmssp context (the peer's side
checked against itself: no sspi-gss, samples, weak or /dev/sspi cells).
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

import gssapi
import gssapi.exceptions as gexc
import gssapi.raw as graw

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import krb5_realm  # noqa: E402
from krb5_interop import (  # noqa: E402
    CheckFailed, expect, sname, Matrix, NlModule, IocModule, recv_tok, send_tok,
    accept_steps, init_steps, listen_socket, connect_retry, proc_err, set_env,
    SEC_E_OK, SEC_E_MESSAGE_ALTERED, SEC_E_OUT_OF_SEQUENCE, DATA, TOKEN, STREAM,
    T_NOOP, TIMEOUT)

NTLM = gssapi.OID.from_int_seq('1.3.6.1.4.1.311.2.2.10')
SPNEGO = gssapi.OID.from_int_seq('1.3.6.1.5.5.2')
KRB5 = gssapi.MechType.kerberos
SESSION_KEY_OID = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2.5.5')
NEG_FLAGS_OID = gssapi.OID.from_int_seq('1.3.6.1.4.1.7165.655.1.5')
DOMAIN, USER, PASSWORD = 'SSPITEST', 'alice', 'ntlm-interop-pw'
SERVICE = 'host@localhost'

# NegotiateFlags (MS-NLMP 2.2.2.5)
SIGN, SEAL, DATAGRAM, LM_KEY = 0x10, 0x20, 0x40, 0x80
ESS, F128, KEY_EXCH, F56 = 0x80000, 0x20000000, 0x40000000, 0x80000000
NTLM_F_INITIATOR = 0x1
NEGOTIATE_MECH_KERBEROS, NEGOTIATE_MECH_NTLM = 1, 2
SIG_LEN = 16

# name: (initiator NegotiateFlags, acceptor's, LM_COMPAT_LEVEL, GSS flags,
#        weak, flags the AUTHENTICATE message must have, must not have)
NOKX = 0xe28a8235 & ~KEY_EXCH
VARIANTS = {
    'ess-kx-128': (None, None, 3, 0x30, False, ESS | KEY_EXCH | F128 | SEAL, 0),
    'ess-128': (None, NOKX, 3, 0x30, False, ESS | F128 | SEAL, KEY_EXCH),
    'ess-kx-56': (0xc2088235, None, 3, 0x30, False, ESS | KEY_EXCH | F56 | SEAL, F128),
    'ess-56': (0xc2088235, NOKX, 3, 0x30, False, ESS | F56 | SEAL, F128 | KEY_EXCH),
    'ess-kx-40': (0x42088235, None, 3, 0x30, True, ESS | KEY_EXCH | SEAL, F128 | F56),
    'ess-40': (0x42088235, NOKX, 3, 0x30, True, ESS | SEAL, F128 | F56 | KEY_EXCH),
    'sign-only': (0xe2088215, None, 3, 0, False, ESS | SIGN, SEAL),
    'v1-128': (0xe2008235, None, 1, 0, True, F128 | SEAL, ESS | LM_KEY),
    'v1-56': (0xc2008235, None, 1, 0, True, F56 | SEAL, ESS | F128 | LM_KEY),
    'v1-40': (0x42008235, None, 1, 0, True, SEAL, ESS | F128 | F56 | LM_KEY),
    'v1-lmkey': (0xe20082b5, None, 1, 0, True, LM_KEY | SEAL, ESS),
}
WEAK_PARAM = '/sys/module/sspi_kmod/parameters/allow_weak_ntlm'


def msg_for(*what):
    return ('sspi_kmod ntlm interop %s' % ' '.join(map(str, what))).encode()


def hexdump(b, n=48):
    return b[:n].hex() + ('...' if len(b) > n else '')


def gss_status(e):
    if isinstance(e, (gexc.DuplicateTokenError, gexc.TokenOutOfSequenceError,
                      gexc.TokenTooLateError, gexc.TokenTooEarlyError)):
        return SEC_E_OUT_OF_SEQUENCE
    if isinstance(e, gexc.BadMICError):
        return SEC_E_MESSAGE_ALTERED
    return 0x80090308


# ---------------------------------------------------------------------------
# gss-ntlmssp contexts

class Creds:
    """The user file and the environment gss-ntlmssp reads."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='sspi-ntlm.')
        self.user_file = os.path.join(self.dir, 'ntlm-users')
        with open(self.user_file, 'w') as f:
            f.write('%s:%s:%s\n' % (DOMAIN, USER, PASSWORD))
        os.chmod(self.dir, 0o755)
        os.chmod(self.user_file, 0o644)
        os.environ['NTLM_USER_FILE'] = self.user_file

    def env(self, lm_level=3, base=None):
        env = dict(base or os.environ)
        env['NTLM_USER_FILE'] = self.user_file
        env['LM_COMPAT_LEVEL'] = str(lm_level)
        return env

    def close(self):
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        os.rmdir(self.dir)


class GssCtx:
    """A raw gss-ntlmssp (or SPNEGO) context with the SecurityContext
    methods the cells use."""

    def __init__(self, ctx):
        self.ctx = ctx

    def wrap(self, msg, conf=True):
        return graw.wrap(self.ctx, msg, conf)

    def unwrap(self, tok):
        return graw.unwrap(self.ctx, tok)

    def get_signature(self, msg):
        return graw.get_mic(self.ctx, msg)

    def verify_signature(self, msg, mic):
        return graw.verify_mic(self.ctx, msg, mic)


def ntlm_pair(variant):
    """Two gss-ntlmssp contexts of the variant: (initiator, acceptor, the
    AUTHENTICATE message's NegotiateFlags, ExportedSessionKey)."""
    init_flags, acc_flags, lm, gflags = VARIANTS[variant][:4]
    os.environ['LM_COMPAT_LEVEL'] = str(lm)
    user = graw.import_name(('%s\\%s' % (DOMAIN, USER)).encode(), gssapi.NameType.user)
    ic = graw.acquire_cred(user, mechs=[NTLM], usage='initiate').creds
    ac = graw.acquire_cred(None, mechs=[NTLM], usage='accept').creds
    if init_flags is not None:
        ic = graw.set_cred_option(NEG_FLAGS_OID, ic, struct.pack('<I', init_flags))
    if acc_flags is not None:
        ac = graw.set_cred_option(NEG_FLAGS_OID, ac, struct.pack('<I', acc_flags))
    srv = graw.import_name(SERVICE.encode(), gssapi.NameType.hostbased_service)
    r1 = graw.init_sec_context(srv, creds=ic, mech=NTLM, flags=gflags)
    r2 = graw.accept_sec_context(r1.token, acceptor_creds=ac)
    r3 = graw.init_sec_context(srv, creds=ic, context=r1.context, mech=NTLM, flags=gflags,
                               input_token=r2.token)
    r4 = graw.accept_sec_context(r3.token, acceptor_creds=ac, context=r2.context)
    expect(not r3.more_steps and not r4.more_steps, 'the handshake did not complete')
    auth = r3.token
    expect(auth[:12] == b'NTLMSSP\0\3\0\0\0', 'no AUTHENTICATE message: %s' % hexdump(auth))
    flags = struct.unpack_from('<I', auth, 60)[0]
    k1 = graw.inquire_sec_context_by_oid(r3.context, SESSION_KEY_OID)[0]
    k2 = graw.inquire_sec_context_by_oid(r4.context, SESSION_KEY_OID)[0]
    expect(k1 == k2 and len(k1) == 16, 'session keys %s / %s' % (k1.hex(), k2.hex()))
    return GssCtx(r3.context), GssCtx(r4.context), flags, k1


def ntlm_import_bytes(flags, initiator, key, send_seq=0, recv_seq=0):
    """struct sspi_ntlm_import (<linux/sspi.h>)."""
    return struct.pack('=IIII16s', flags, NTLM_F_INITIATOR if initiator else 0,
                       send_seq, recv_seq, key)


def negotiate_import_bytes(mech, inner):
    """struct sspi_negotiate_import: the header, then the mechanism's import."""
    return struct.pack('=II', mech, len(inner)) + inner


# ---------------------------------------------------------------------------
# The module's side

class NtlmNl(NlModule):
    def import_ctx(self, pkg, blob):
        return self.nl.do('ctx-import', {'pkg-name': pkg, 'ctx-import': blob})['ctx-handle']


class NtlmIoc(IocModule, NtlmNl):
    pass


class FakeModule:
    """SSPI buffers over the other gss-ntlmssp context."""

    def __init__(self):
        self.ctxs = {}

    def add(self, ctx):
        h = len(self.ctxs) + 1
        self.ctxs[h] = ctx
        return h

    def info(self, h):
        return {'pkg-name': 'NTLM',
                'ctx-sizes': {'max-signature': 16, 'security-trailer': 16, 'block-size': 0}}

    def sizes(self, h):
        return self.info(h)['ctx-sizes']

    def encrypt(self, h, bufs, qop=0):
        msg = b''.join(v for t, v in bufs if t == DATA)
        try:
            tok = self.ctxs[h].wrap(msg, True).message
        except gexc.GSSError as e:
            return gss_status(e), []
        return SEC_E_OK, [(TOKEN, tok[:SIG_LEN]) if t == TOKEN else
                          (DATA, tok[SIG_LEN:]) if t == DATA else (t, b'') for t, _ in bufs]

    def decrypt(self, h, bufs):
        tok = b''.join(v for t, v in bufs if t in (STREAM, TOKEN, DATA) and
                       not isinstance(v, int))
        try:
            r = self.ctxs[h].unwrap(tok)
        except gexc.GSSError as e:
            return gss_status(e), 0, []
        return SEC_E_OK, 0, [(t, r.message) if t == DATA else (t, v) for t, v in bufs]

    def sign(self, h, bufs):
        msg = b''.join(v for t, v in bufs if t == DATA)
        return SEC_E_OK, [(t, self.ctxs[h].get_signature(msg)) if t == TOKEN else (t, v)
                          for t, v in bufs]

    def verify(self, h, bufs):
        msg = b''.join(v for t, v in bufs if t == DATA)
        tok = [v for t, v in bufs if t == TOKEN][0]
        try:
            self.ctxs[h].verify_signature(msg, tok)
        except gexc.GSSError as e:
            return gss_status(e), 0
        return SEC_E_OK, 0

    def delete(self, h):
        del self.ctxs[h]


def set_weak(on):
    if os.path.exists(WEAK_PARAM):
        with open(WEAK_PARAM, 'w') as f:
            f.write('1' if on else '0')


# ---------------------------------------------------------------------------
# The cells

def module_seal(mod, h, msg):
    st, out = mod.encrypt(h, [(TOKEN, SIG_LEN), (DATA, msg)])
    expect(st == SEC_E_OK, 'ENCRYPT: %s' % sname(st))
    tok = dict(out)
    expect(len(tok.get(TOKEN, b'')) == SIG_LEN, 'ENCRYPT gave TOKEN %r' % tok.get(TOKEN))
    return tok[TOKEN] + tok.get(DATA, b'')


def module_to_peer(mod, h, peer, msg):
    tok = module_seal(mod, h, msg)
    try:
        r = peer.unwrap(tok)
    except gexc.GSSError as e:
        raise CheckFailed('gss_unwrap: %s; module token %s' % (e.gen_message(), hexdump(tok)))
    expect(r.message == msg, 'gss_unwrap gave %r' % r.message[:40])


def peer_to_module(mod, h, peer, msg, split=False):
    tok = peer.wrap(msg, True).message
    if split:
        bufs = [(TOKEN, tok[:SIG_LEN]), (DATA, tok[SIG_LEN:])]
    else:
        bufs = [(STREAM, tok), (DATA, 0)]
    st, qop, out = mod.decrypt(h, bufs)
    expect(st == SEC_E_OK, 'DECRYPT%s: %s; gss_wrap token %s' % (
        ' [TOKEN, DATA]' if split else '', sname(st), hexdump(tok)))
    data = [v for t, v in out if t == DATA]
    expect(data and data[0] == msg, 'DECRYPT gave DATA %r' % (data[:1],))
    expect(qop == 0, 'DECRYPT says qop 0x%x' % qop)


def mic_module_to_peer(mod, h, peer, msg):
    st, out = mod.sign(h, [(DATA, msg), (TOKEN, SIG_LEN)])
    expect(st == SEC_E_OK, 'SIGN: %s' % sname(st))
    mic = [v for t, v in out if t == TOKEN][0]
    expect(len(mic) == SIG_LEN, 'SIGN gave a %d-byte signature' % len(mic))
    try:
        peer.verify_signature(msg, mic)
    except gexc.GSSError as e:
        raise CheckFailed('gss_verify_mic: %s; module MIC %s' % (e.gen_message(), mic.hex()))


def mic_peer_to_module(mod, h, peer, msg):
    mic = peer.get_signature(msg)
    st, _ = mod.verify(h, [(DATA, msg), (TOKEN, mic)])
    expect(st == SEC_E_OK, 'VERIFY: %s; gss_get_mic %s' % (sname(st), mic.hex()))


def cell_seal(mod, h, peer, name):
    module_to_peer(mod, h, peer, msg_for(name, 'seal'))


def cell_unseal(mod, h, peer, name):
    peer_to_module(mod, h, peer, msg_for(name, 'unseal stream'))
    peer_to_module(mod, h, peer, msg_for(name, 'unseal token'), split=True)


def cell_mic(mod, h, peer, name):
    mic_module_to_peer(mod, h, peer, msg_for(name, 'sign'))
    mic_peer_to_module(mod, h, peer, msg_for(name, 'verify'))


LENGTHS = (1, 15, 16, 17, 255, 1000, 16000)


def cell_lengths(mod, h, peer, seal):
    for n in LENGTHS:
        msg = bytes((i * 7 + n) & 0xff for i in range(n))
        try:
            if seal:
                module_to_peer(mod, h, peer, msg)
                peer_to_module(mod, h, peer, msg)
            else:
                mic_module_to_peer(mod, h, peer, msg)
                mic_peer_to_module(mod, h, peer, msg)
        except CheckFailed as e:
            raise CheckFailed('%d bytes: %s' % (n, e))


def cell_mixed(mod, h, peer, seal):
    """Both directions interleaved, in an order that is not ping-pong."""
    ops = ('seal', 'sign', 'unseal', 'unseal', 'verify', 'seal', 'seal', 'verify', 'sign',
           'unseal', 'sign', 'verify')
    for i, op in enumerate(ops):
        if not seal and op in ('seal', 'unseal'):
            op = 'sign' if op == 'seal' else 'verify'
        msg = msg_for('mixed', i, op)
        try:
            {'seal': module_to_peer, 'unseal': peer_to_module, 'sign': mic_module_to_peer,
             'verify': mic_peer_to_module}[op](mod, h, peer, msg)
        except CheckFailed as e:
            raise CheckFailed('step %d (%s): %s' % (i, op, e))


def tamper_spots(ess):
    """(byte, the statuses that refusal may have): with extended session
    security the checksum (4..11) and the sequence number in the clear
    (12..15); NTLMv1 encrypts RandomPad (4..7, which no peer agrees on:
    not judged), the CRC32 (8..11) and the sequence number (12..15)."""
    alt, oos = (SEC_E_MESSAGE_ALTERED,), (SEC_E_OUT_OF_SEQUENCE,)
    if ess:
        return ((4, alt), (11, alt), (12, oos))
    return ((8, alt), (11, alt), (12, alt + oos))


def cell_tamper(mod, h, peer, kind, ess):
    msg = msg_for('tamper', kind)
    if kind == 'wrap':
        tok = peer.wrap(msg, True).message
        for pos, want in tamper_spots(ess) + ((SIG_LEN + 2, (SEC_E_MESSAGE_ALTERED,)),):
            bad = bytearray(tok)
            bad[pos] ^= 0x04
            st, _, _ = mod.decrypt(h, [(STREAM, bytes(bad)), (DATA, 0)])
            expect(st in want, 'DECRYPT with byte %d flipped: %s' % (pos, sname(st)))
        st, _, out = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
        expect(st == SEC_E_OK, 'DECRYPT of the genuine token after the refusals: %s' % sname(st))
        expect([v for t, v in out if t == DATA] == [msg], 'DECRYPT gave %r' % out)
    else:
        mic = peer.get_signature(msg)
        for pos, want in tamper_spots(ess):
            bad = bytearray(mic)
            bad[pos] ^= 0x80
            st, _ = mod.verify(h, [(DATA, msg), (TOKEN, bytes(bad))])
            expect(st in want, 'VERIFY with byte %d flipped: %s' % (pos, sname(st)))
        st, _ = mod.verify(h, [(DATA, msg + b'!'), (TOKEN, mic)])
        expect(st == SEC_E_MESSAGE_ALTERED, 'VERIFY of other data: %s' % sname(st))
        st, _ = mod.verify(h, [(DATA, msg), (TOKEN, mic)])
        expect(st == SEC_E_OK, 'VERIFY of the genuine MIC after the refusals: %s' % sname(st))


def cell_replay(mod, h, peer, seal, ess):
    ok = (SEC_E_OUT_OF_SEQUENCE,) if ess else (SEC_E_OUT_OF_SEQUENCE, SEC_E_MESSAGE_ALTERED)
    msg = msg_for('replay')
    if seal:
        tok = peer.wrap(msg, True).message
        st, _, _ = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
        expect(st == SEC_E_OK, 'DECRYPT (first time): %s' % sname(st))
        st, _, _ = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
        expect(st in ok, 'DECRYPT of a replay: %s' % sname(st))
    mic = peer.get_signature(msg)
    st, _ = mod.verify(h, [(DATA, msg), (TOKEN, mic)])
    expect(st == SEC_E_OK, 'VERIFY (first time): %s' % sname(st))
    st, _ = mod.verify(h, [(DATA, msg), (TOKEN, mic)])
    expect(st in ok, 'VERIFY of a replay: %s' % sname(st))
    # the refusals changed nothing: the next ones are taken
    mic_peer_to_module(mod, h, peer, msg_for('after replay'))
    if seal:
        peer_to_module(mod, h, peer, msg_for('after replay'))


def cell_info(mod, h, pkg, negotiated=None):
    ci = mod.info(h)
    expect(ci.get('pkg-name') == pkg, 'ctx-get says package %s' % ci.get('pkg-name'))
    sz = ci.get('ctx-sizes', {})
    if negotiated != 'Kerberos':
        expect(sz.get('max-signature') == 16 and sz.get('security-trailer') == 16,
               'ctx-get sizes %s' % sz)
    if negotiated:
        got = ci.get('ctx-negotiated')
        expect(got == negotiated, 'ctx-get says negotiated %s' % got)


def cell_weak_refused(mod, variant):
    init, acc, flags, key = ntlm_pair(variant)
    set_weak(False)
    try:
        h = mod.import_ctx('NTLM', ntlm_import_bytes(flags, True, key))
    except Exception:  # noqa: B902 -- the refusal, as netlink reports it
        return
    finally:
        set_weak(True)
    mod.delete(h)
    raise CheckFailed('allow_weak_ntlm=0 took NegotiateFlags 0x%08x' % flags)


def context_cells(m, mod, args, variant, role):
    init_f, acc_f, lm, gflags, weak, must, mustnt = VARIANTS[variant]
    what = '%s %s' % (variant, role)
    try:
        init, acc, flags, key = ntlm_pair(variant)
        expect(flags & must == must and not flags & mustnt,
               'gss-ntlmssp negotiated 0x%08x (wanted bits 0x%08x, not 0x%08x)' % (
                   flags, must, mustnt))
        mine, peer = (init, acc) if role == 'initiator' else (acc, init)
        if args.fake_module:
            h = mod.add(mine)
        else:
            h = mod.import_ctx('NTLM', ntlm_import_bytes(flags, role == 'initiator', key))
        if args.verbose:
            print('# context %s: NegotiateFlags 0x%08x, handle 0x%x' % (what, flags, h),
                  flush=True)
    except Exception as e:  # noqa: B902
        m.failed += 1
        print('not ok %s %s context # %s: %s' % (m.label, what, type(e).__name__, e),
              flush=True)
        return
    seal = bool(flags & SEAL)
    if not args.fake_module:
        m.cell(what + ' info', cell_info, mod, h, 'NTLM')
    if seal:
        m.cell(what + ' seal module->peer', cell_seal, mod, h, peer, what)
        m.cell(what + ' unseal peer->module', cell_unseal, mod, h, peer, what)
    m.cell(what + ' mic both', cell_mic, mod, h, peer, what)
    m.cell(what + ' mixed both', cell_mixed, mod, h, peer, seal)
    if seal:
        m.cell(what + ' lengths wrap both', cell_lengths, mod, h, peer, True)
    m.cell(what + ' lengths mic both', cell_lengths, mod, h, peer, False)
    if not args.fake_module:
        # gss-ntlmssp checks neither sequence nor replays: the stand-in
        # cannot say what SSPI says
        if seal:
            m.cell(what + ' tamper wrap peer->module', cell_tamper, mod, h, peer, 'wrap',
                   bool(flags & ESS))
        m.cell(what + ' tamper mic peer->module', cell_tamper, mod, h, peer, 'mic',
               bool(flags & ESS))
        m.cell(what + ' replay peer->module', cell_replay, mod, h, peer, seal,
               bool(flags & ESS))
    try:
        mod.delete(h)
    except Exception as e:  # noqa: B902
        print('# deleting 0x%x: %s' % (h, e))


# ---------------------------------------------------------------------------
# sspi-gss against this script

def spnego_peer(initiate, mech, env):
    """This script's SPNEGO end, with the default credentials of @env:
    MIT's SPNEGO offers Kerberos first when it has a ticket, NTLM (from
    NTLM_USER_FILE) otherwise."""
    set_env(env)
    for k in ('NTLM_USER_FILE', 'LM_COMPAT_LEVEL'):
        os.environ[k] = env[k]
    if initiate:
        name = gssapi.Name(krb5_realm.service(18) if mech == KRB5 else SERVICE,
                           gssapi.NameType.hostbased_service)
        return gssapi.SecurityContext(name=name, usage='initiate', mech=SPNEGO,
                                      flags=gssapi.RequirementFlag.confidentiality |
                                      gssapi.RequirementFlag.integrity |
                                      gssapi.RequirementFlag.mutual_authentication)
    return gssapi.SecurityContext(usage='accept')


def raw_ntlm_peer(initiate):
    if initiate:
        user = gssapi.Name('%s\\%s' % (DOMAIN, USER), gssapi.NameType.user)
        creds = gssapi.Credentials(name=user, usage='initiate', mechs=[NTLM])
        name = gssapi.Name(SERVICE, gssapi.NameType.hostbased_service)
        return gssapi.SecurityContext(name=name, creds=creds, usage='initiate', mech=NTLM,
                                      flags=gssapi.RequirementFlag.confidentiality |
                                      gssapi.RequirementFlag.integrity)
    return gssapi.SecurityContext(usage='accept')


def sspi_gss_context(args, mech, module_role, env, peer, service, keytab):
    """sspi-gss --import-only --mech MECH against @peer: (handle, JSON)."""
    if module_role == 'initiator':
        ls = listen_socket()
        port = ls.getsockname()[1]
        argv = [args.sspi_gss, '--initiator', '--mech', mech, '--connect',
                '127.0.0.1:%d' % port, '--service', service, '--mutual',
                '--import-only', '-j']
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            sock, _ = ls.accept()
        except OSError:
            raise CheckFailed('sspi-gss did not connect: %s' % proc_err(proc))
        finally:
            ls.close()
        sock.settimeout(TIMEOUT)
        try:
            accept_steps(sock, peer)
            flags_, _ = recv_tok(sock)
            expect(flags_ & T_NOOP, 'sspi-gss ended with flags 0x%x' % flags_)
        except (CheckFailed, OSError, gexc.GSSError) as e:
            raise CheckFailed('%s; sspi-gss %s' % (e, proc_err(proc)))
        finally:
            sock.close()
    else:
        port = krb5_realm.free_port()
        argv = [args.sspi_gss, '--acceptor', '--mech', mech, '--listen', str(port),
                '--import-only', '-j']
        if keytab:
            argv += ['--keytab', env['KRB5_KTNAME']]
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        sock = connect_retry(port, proc)
        try:
            init_steps(sock, peer)
        except (CheckFailed, OSError, gexc.GSSError) as e:
            raise CheckFailed('%s; sspi-gss %s' % (e, proc_err(proc)))
        finally:
            sock.close()
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    if proc.returncode:
        raise CheckFailed('sspi-gss exit %d: %s' % (proc.returncode, err.strip()))
    info = json.loads(out)
    expect(info['mit_context'] == 'deleted', 'MIT\'s context %s' % info['mit_context'])
    return int(info['handle'], 16), info


# name: (sspi-gss --mech, peer maker, LM_COMPAT_LEVEL, package, negotiated,
#        send_seq/recv_seq after the handshake, Kerberos: 'none', 'both' or
#        'initiator' -- a ticket but no keytab, so the acceptor counters
#        the initiator's Kerberos with NTLM and asks for a mechListMIC)
HANDOVERS = {
    'ntlm': ('ntlm', lambda i, e: raw_ntlm_peer(i), 3, 'NTLM', None, (0, 0), 'none'),
    'spnego-ntlm-mic': ('spnego', lambda i, e: spnego_peer(i, NTLM, e), 3, 'Negotiate',
                        'NTLM', (1, 1), 'none'),
    'spnego-ntlm-nomic': ('spnego', lambda i, e: spnego_peer(i, NTLM, e), 1, 'Negotiate',
                          'NTLM', (0, 0), 'none'),
    'spnego-ntlm-reselect': ('spnego', lambda i, e: spnego_peer(i, KRB5, e), 3, 'Negotiate',
                             'NTLM', (1, 1), 'initiator'),
    'spnego-v1-reselect': ('spnego', lambda i, e: spnego_peer(i, KRB5, e), 0, 'Negotiate',
                           'NTLM', (2, 2), 'initiator'),
    'spnego-krb5': ('spnego', lambda i, e: spnego_peer(i, KRB5, e), 3, 'Negotiate',
                    'Kerberos', None, 'both'),
}


def handover_cells(m, mod, args, creds, realm, name, role):
    mech, make_peer, lm, pkg, negotiated, seqs, krb5 = HANDOVERS[name]
    what = 'sspi-gss %s %s' % (name, role)
    try:
        env = creds.env(lm, realm.env(18))
        service = krb5_realm.service(18) if krb5 != 'none' else SERVICE
        # 'none': MIT's SPNEGO offers NTLM alone
        for k in {'none': ('KRB5CCNAME', 'KRB5_KTNAME'), 'initiator': ('KRB5_KTNAME',),
                  'both': ()}[krb5]:
            env[k] = 'FILE:' + os.path.join(creds.dir, 'none')
        for k in ('NTLM_USER_FILE', 'LM_COMPAT_LEVEL'):
            os.environ[k] = env[k]
        peer = make_peer(role == 'acceptor', env)
        h, info = sspi_gss_context(args, mech, role, env, peer, service, krb5 == 'both')
        expect(info.get('package', 'Kerberos') == pkg, 'sspi-gss says package %s' %
               info.get('package'))
        expect(info.get('negotiated') == negotiated, 'sspi-gss says negotiated %s' %
               info.get('negotiated'))
        if seqs:
            expect((info['send_seq'], info['recv_seq']) == seqs,
                   'sspi-gss imported sequence numbers %d/%d, wanted %d/%d' % (
                       info['send_seq'], info['recv_seq'], seqs[0], seqs[1]))
            expect(bool(info['flags'] & NTLM_F_INITIATOR) == (role == 'initiator'),
                   'import flags 0x%x' % info['flags'])
        if args.verbose:
            print('# context %s: %s' % (what, info), flush=True)
    except Exception as e:  # noqa: B902
        m.failed += 1
        print('not ok %s %s context # %s: %s' % (m.label, what, type(e).__name__, e),
              flush=True)
        return
    m.cell(what + ' info', cell_info, mod, h, pkg, negotiated)
    if negotiated == 'Kerberos':
        # the Kerberos package's own matrix is krb5_interop.py: here the
        # delegation, a sealed message and MICs both ways
        m.cell(what + ' wrap both', cell_krb5_wrap, mod, h, peer)
    else:
        m.cell(what + ' seal module->peer', cell_seal, mod, h, peer, what)
        m.cell(what + ' unseal peer->module', cell_unseal, mod, h, peer, what)
    m.cell(what + ' mic both', cell_mic_any, mod, h, peer, what)
    if negotiated != 'Kerberos':
        m.cell(what + ' mixed both', cell_mixed, mod, h, peer, True)
        m.cell(what + ' replay peer->module', cell_replay, mod, h, peer, True,
               bool(info['negotiate_flags'] & ESS))
    try:
        mod.delete(h)
    except Exception as e:  # noqa: B902
        print('# deleting 0x%x: %s' % (h, e))


def cell_krb5_wrap(mod, h, peer):
    sz = mod.sizes(h)
    msg = msg_for('negotiate kerberos')
    st, out = mod.encrypt(h, [(TOKEN, sz['security-trailer']), (DATA, msg),
                              (9, sz['block-size'])])
    expect(st == SEC_E_OK, 'ENCRYPT: %s' % sname(st))
    tok = b''.join(v for _, v in out if not isinstance(v, int))
    try:
        r = peer.unwrap(tok)
    except gexc.GSSError as e:
        raise CheckFailed('gss_unwrap: %s' % e.gen_message())
    expect(r.message == msg, 'gss_unwrap gave %r' % r.message)
    tok = peer.wrap(msg, True).message
    st, _, out = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
    expect(st == SEC_E_OK, 'DECRYPT: %s' % sname(st))
    expect([v for t, v in out if t == DATA] == [msg], 'DECRYPT gave %r' % out)


def cell_mic_any(mod, h, peer, name):
    sz = mod.sizes(h)
    msg = msg_for(name, 'sign')
    st, out = mod.sign(h, [(DATA, msg), (TOKEN, sz['max-signature'])])
    expect(st == SEC_E_OK, 'SIGN: %s' % sname(st))
    mic = [v for t, v in out if t == TOKEN][0]
    try:
        peer.verify_signature(msg, mic)
    except gexc.GSSError as e:
        raise CheckFailed('gss_verify_mic: %s; MIC %s' % (e.gen_message(), mic.hex()))
    mic_peer_to_module(mod, h, peer, msg_for(name, 'verify'))


# ---------------------------------------------------------------------------
# MIT's sample programs as sspi-gss's peers

def run_retry(argv, env, ready):
    deadline = time.monotonic() + TIMEOUT
    while True:
        r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode == 0 or 'onnection refused' not in r.stdout + r.stderr:
            return r
        if not ready() or time.monotonic() > deadline:
            return r
        time.sleep(0.1)


def finish(proc):
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err


def sample_env(creds, realm, krb5):
    """NTLM alone (no ticket, no keytab), or Kerberos from the realm"""
    env = creds.env(3, realm.env(18))
    if not krb5:
        for k in ('KRB5CCNAME', 'KRB5_KTNAME'):
            env[k] = 'FILE:' + os.path.join(creds.dir, 'none')
    return env, krb5_realm.service(18) if krb5 else SERVICE


def sample_initiator(args, creds, realm, mech, krb5):
    """sspi-gss --initiator --mech MECH against gss-server (any mechanism)."""
    env, service = sample_env(creds, realm, krb5)
    port = krb5_realm.free_port()
    srv = subprocess.Popen(['gss-server', '-port', str(port), '-once'] +
                           (['-keytab', env['KRB5_KTNAME']] if krb5 else []) + [service],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        msg = 'hello gss-server %s' % mech
        r = run_retry([args.sspi_gss, '--initiator', '--mech', mech, '--connect',
                       '127.0.0.1:%d' % port, '--service', service, '--mutual',
                       '--message', msg, '-j'], env, lambda: srv.poll() is None)
        sout, _ = finish(srv)
        expect(r.returncode == 0, 'sspi-gss exit %d: %s; gss-server: %s' % (
            r.returncode, r.stderr.strip(), sout.strip()))
        expect('GSS-API error' not in sout, 'gss-server: %s' % sout.strip())
        info = json.loads(r.stdout.splitlines()[0])
        expect(info.get('package') == ('NTLM' if mech == 'ntlm' else 'Negotiate'),
               'package %s' % info.get('package'))
        if mech == 'spnego':
            want = 'Kerberos' if krb5 else 'NTLM'
            expect(info.get('negotiated') == want, 'negotiated %s' % info.get('negotiated'))
        expect('verified the server' in r.stdout, 'sspi-gss: %s' % r.stdout.strip())
        expect(msg in sout, 'gss-server did not print the message: %s' % sout.strip())
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()


def sample_acceptor(args, creds, realm):
    """gss-client -spnego (Kerberos) against sspi-gss --acceptor --mech
    spnego.  gss-client cannot talk NTLM to the end: once the context is
    made it asks gss_inquire_names_for_mech(), which gss-ntlmssp lacks, and
    gives up."""
    env, service = sample_env(creds, realm, True)
    port = krb5_realm.free_port()
    acc = subprocess.Popen([args.sspi_gss, '--acceptor', '--mech', 'spnego', '--listen',
                            str(port), '--keytab', env['KRB5_KTNAME'], '-j'], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        msg = 'hello sspi-gss spnego'
        r = run_retry(['gss-client', '-port', str(port), '-spnego', '127.0.0.1', service, msg],
                      env, lambda: acc.poll() is None)
        out, err = finish(acc)
        expect(r.returncode == 0, 'gss-client exit %d: %s; sspi-gss: %s' % (
            r.returncode, (r.stdout + r.stderr).strip(), err.strip()))
        expect(acc.returncode == 0, 'sspi-gss exit %d: %s' % (acc.returncode, err.strip()))
        info = json.loads(out.splitlines()[0])
        expect(info.get('package') == 'Negotiate' and info.get('negotiated') == 'Kerberos',
               'package %s, negotiated %s' % (info.get('package'), info.get('negotiated')))
        expect(msg in out and 'sent a' in out, 'sspi-gss: %s' % out.strip())
    finally:
        if acc.poll() is None:
            acc.kill()
            acc.wait()


# ---------------------------------------------------------------------------
# 200 KB through /dev/sspi

def cell_big(ioc, role):
    init, acc, flags, key = ntlm_pair('ess-kx-128')
    mine, peer = (init, acc) if role == 'initiator' else (acc, init)
    h = ioc.import_ctx('NTLM', ntlm_import_bytes(flags, role == 'initiator', key))
    try:
        msg = bytes((i * 31 + 7) & 0xff for i in range(200 * 1024))
        module_to_peer(ioc, h, peer, msg)
        peer_to_module(ioc, h, peer, msg)
        mic_module_to_peer(ioc, h, peer, msg)
        mic_peer_to_module(ioc, h, peer, msg)
    finally:
        ioc.delete(h)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sspi-gss', default=os.path.join(TOP, 'userspace-tools/sspi-gss'))
    ap.add_argument('--variant', action='append', choices=sorted(VARIANTS))
    ap.add_argument('--role', action='append', choices=('initiator', 'acceptor'))
    ap.add_argument('--no-samples', action='store_true',
                    help='skip sspi-gss and MIT\'s gss-server / gss-client')
    ap.add_argument('--fake-module', action='store_true',
                    help='the other gss-ntlmssp context instead of the module')
    ap.add_argument('--ioctl', action='store_true',
                    help='messages through /dev/sspi instead of netlink')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    variants = args.variant or list(VARIANTS)
    roles = args.role or ['initiator', 'acceptor']
    m = Matrix(args.verbose, 'ntlm-ioctl' if args.ioctl else 'ntlm')
    start = time.monotonic()
    mod = FakeModule() if args.fake_module else NtlmIoc() if args.ioctl else NtlmNl()
    creds = Creds()
    weak_was = None
    if not args.fake_module and os.path.exists(WEAK_PARAM):
        with open(WEAK_PARAM) as f:
            weak_was = f.read().strip()
    try:
        for v in variants:
            if VARIANTS[v][4] and not args.fake_module:
                m.cell('%s weak refused' % v, cell_weak_refused, mod, v)
                set_weak(True)
            for role in roles:
                context_cells(m, mod, args, v, role)
            if VARIANTS[v][4] and not args.fake_module:
                set_weak(False)
        if not args.fake_module and not args.no_samples:
            with krb5_realm.Realm([18]) as realm:
                for name in HANDOVERS:
                    # NTLMv1 without extended session security is weak
                    set_weak(HANDOVERS[name][2] < 3)
                    for role in roles:
                        handover_cells(m, mod, args, creds, realm, name, role)
                set_weak(False)
                for mech, krb5 in (('ntlm', False), ('spnego', False), ('spnego', True)):
                    m.cell('sample %s%s sspi-gss->gss-server' % (mech, '-krb5' if krb5 else
                                                                 ''),
                           sample_initiator, args, creds, realm, mech, krb5)
                m.cell('sample spnego-krb5 gss-client->sspi-gss', sample_acceptor, args,
                       creds, realm)
        if not args.fake_module:
            ioc = mod if args.ioctl else NtlmIoc()
            for role in roles:
                m.cell('ess-kx-128 %s 200k /dev/sspi both' % role, cell_big, ioc, role)
    finally:
        if weak_was is not None:
            with open(WEAK_PARAM, 'w') as f:
                f.write(weak_was)
        creds.close()
    print('%s interop: %d cells: %d passed, %d failed (%.0f s)' % (
        m.label, m.passed + m.failed, m.passed, m.failed, time.monotonic() - start), flush=True)
    return 1 if m.failed else 0


if __name__ == '__main__':
    sys.exit(main())
