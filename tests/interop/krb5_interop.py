#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Kerberos interop matrix: sspi_kmod's "Kerberos" package against MIT krb5.

A realm on loopback (krb5_realm.py) gives, per enctype (17, 18, 19, 20),
a service whose only key is of that enctype and a TGT got under a
krb5.conf that permits only it.  For each enctype and each role of the
module (initiator, acceptor) a context is made between sspi-gss
(--import-only: it runs MIT's GSSAPI, exports the lucid context and
imports it into the module) and this script, which holds the other end's
MIT context (python3-gssapi) and speaks the gss-sample framing over
loopback TCP.  Four contexts per enctype and role: mutual+replay (std),
DCE style added (dce), no mutual authentication (nosubkey), sequence
detection added (seq).

On each, every cell is one line, "ok krb5 ENCTYPE conf|integ ROLE FORM
DIRECTION" or "not ok ... # why":

wrap   module ENCRYPT [TOKEN, DATA, PADDING] -> TOKEN||DATA||PADDING is one
       token for gss_unwrap; gss_wrap -> module DECRYPT [STREAM, DATA]
iov    [TOKEN, DATA|READONLY_WITH_CHECKSUM, DATA, DATA|READONLY_WITH_CHECKSUM]
       against gss_wrap_iov / gss_unwrap_iov with [HEADER, SIGN_ONLY, DATA,
       SIGN_ONLY] and no TRAILER (so the trailer is rotated into the header)
dce    the same on the DCE-style context
mic    module SIGN -> gss_verify_mic; gss_get_mic -> module VERIFY
tamper a flipped bit in a gss_wrap token and in a MIC: SEC_E_MESSAGE_ALTERED
replay a gss_wrap token unsealed twice: SEC_E_OUT_OF_SEQUENCE
lengths/empty  plaintexts of 1 to 16000 bytes, and none, both ways
pylucid  a context exported by python3-gssapi (not sspi-gss) and imported
       with sspi_nl.krb5_import(): Wrap and MIC both ways
nosubkey-*  on a context without mutual authentication, so without an
       acceptor subkey: the context key protects every token
seq-*  on a context with sequence detection: MIT's side checks that the
       module numbers its tokens without gaps; seq-gap: a token ahead of
       its turn is taken, as MIT takes it, the skipped one coming late is
       SEC_E_OUT_OF_SEQUENCE

Then MIT's own sample programs as peers of sspi-gss (the "sample" cells):
sspi-gss --initiator against gss-server, gss-client against sspi-gss
--acceptor, each a sealed message and a MIC through the module.

The module is driven through the "sspi" generic netlink family (the
kernel's ynl library, as tests/vm/sspi_nl.py uses it); --ioctl sends the
messages through /dev/sspi instead.

With --expect-driver REGEX, every context imported into the module must
report crypto drivers (ctx-get) matching REGEX, or its cells fail:
tests/vm/async_test.sh makes sure that the asynchronous drivers it forces
are the ones at work.

A summary follows; exit status 1 if any cell failed.  --fake-module
replaces the module (and sspi-gss) by a second MIT context made in this
process, to check the peer's side MIT against MIT.
"""

import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import traceback

import gssapi
import gssapi.exceptions as gexc
from gssapi.raw.ext_dce import IOV, IOVBufferType, wrap_iov, unwrap_iov

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import krb5_realm  # noqa: E402

# SSPI numbers (<linux/sspi.h>)
SEC_E_OK = 0
STATUS_NONE = 0xFFFFFFFF        # no status: the call never reached a context
SEC_E_MESSAGE_ALTERED = 0x8009030F
SEC_E_OUT_OF_SEQUENCE = 0x80090310
DATA, TOKEN, PADDING, STREAM = 1, 2, 9, 10
RO_CKSUM = 0x10000000
QOP_INTEG = 0x80000001
STATUS_NAMES = {0: 'SEC_E_OK', 0x80090308: 'SEC_E_INVALID_TOKEN',
                0x8009030F: 'SEC_E_MESSAGE_ALTERED', 0x80090310: 'SEC_E_OUT_OF_SEQUENCE',
                0x80090317: 'SEC_E_CONTEXT_EXPIRED', 0x80090318: 'SEC_E_INCOMPLETE_MESSAGE',
                0x80090321: 'SEC_E_BUFFER_TOO_SMALL', 0x80090330: 'SEC_E_DECRYPT_FAILURE',
                0x80090302: 'SEC_E_UNSUPPORTED_FUNCTION', 0x8009030A: 'SEC_E_QOP_NOT_SUPPORTED',
                0x80090304: 'SEC_E_INTERNAL_ERROR', 0x80090301: 'SEC_E_INVALID_HANDLE'}

# gss-sample token flags (gss-misc.h)
T_NOOP, T_CONTEXT, T_DATA, T_MIC = 1, 2, 4, 8
T_CONTEXT_NEXT, T_WRAPPED, T_ENCRYPTED, T_SEND_MIC = 16, 32, 64, 128

F = gssapi.RequirementFlag
KRB5 = gssapi.MechType.kerberos
TIMEOUT = 60


def sname(status):
    return STATUS_NAMES.get(status, '0x%08X' % status)


class CheckFailed(Exception):
    """A cell's expectation was not met."""


# --expect-driver: what every context's ctx-tx-driver and ctx-rx-driver match
EXPECT_DRIVER = None


def expect_drivers(ci):
    if EXPECT_DRIVER:
        for k in ('ctx-tx-driver', 'ctx-rx-driver'):
            expect(re.fullmatch(EXPECT_DRIVER, ci.get(k, '')),
                   '%s %r, not %s' % (k, ci.get(k), EXPECT_DRIVER))


def expect(cond, why):
    if not cond:
        raise CheckFailed(why)


# ---------------------------------------------------------------------------
# gss-sample framing

def recv_exact(sock, n):
    out = b''
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise CheckFailed('peer closed the connection')
        out += chunk
    return out


def send_tok(sock, flags, data=b''):
    sock.sendall(struct.pack('>BI', flags, len(data)) + data)


def recv_tok(sock):
    flags = recv_exact(sock, 1)[0]
    if flags == 0:
        n = int.from_bytes(recv_exact(sock, 3), 'big')
    else:
        n = int.from_bytes(recv_exact(sock, 4), 'big')
    return flags, recv_exact(sock, n)


def accept_steps(sock, ctx):
    """The sample server's side of the establishment on sock."""
    flags, _ = recv_tok(sock)
    expect(flags & T_NOOP and flags & T_CONTEXT_NEXT, 'first token flags 0x%x' % flags)
    while not ctx.complete:
        flags, tok = recv_tok(sock)
        expect(flags & T_CONTEXT, 'context token flags 0x%x' % flags)
        out = ctx.step(tok)
        if out:
            send_tok(sock, T_CONTEXT, out)


def init_steps(sock, ctx):
    """The sample client's side of the establishment on sock."""
    send_tok(sock, T_NOOP | T_CONTEXT_NEXT)
    tok = None
    while True:
        out = ctx.step(tok)
        if out:
            send_tok(sock, T_CONTEXT, out)
        if ctx.complete:
            return
        flags, tok = recv_tok(sock)
        expect(flags & T_CONTEXT, 'context token flags 0x%x' % flags)


def set_env(env):
    """MIT reads KRB5_CONFIG and friends when it makes a krb5 context."""
    for k in ('KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME', 'KRB5_KTNAME',
              'KRB5RCACHEDIR'):
        os.environ[k] = env[k]


def peer_ctx(realm, enctype, initiate, dce, mutual=True, seq=False):
    """This script's end of a context (not yet established)."""
    env = realm.env(enctype)
    set_env(env)
    if initiate:
        flags = F.replay_detection | F.integrity | F.confidentiality
        if mutual:
            flags |= F.mutual_authentication
        if seq:
            flags |= F.out_of_sequence_detection
        if dce:
            flags |= F.dce_style
        creds = gssapi.Credentials(usage='initiate',
                                   store={'ccache': env['KRB5CCNAME']})
        name = gssapi.Name(krb5_realm.service(enctype),
                           gssapi.NameType.hostbased_service)
        return gssapi.SecurityContext(name=name, creds=creds, usage='initiate',
                                      flags=flags, mech=KRB5)
    creds = gssapi.Credentials(usage='accept', store={'keytab': env['KRB5_KTNAME']})
    return gssapi.SecurityContext(creds=creds, usage='accept')


# ---------------------------------------------------------------------------
# The module's side: netlink (ynl), or a stand-in MIT context

class NlModule:
    """The module's Kerberos contexts through the "sspi" family: ynl, with
    tests/vm/sspi_nl.py's helpers."""

    def __init__(self):
        sys.path.insert(0, os.path.join(TOP, 'tests/vm'))
        import sspi_nl
        self.sn = sspi_nl
        self.nl = sspi_nl.family()

    def sizes(self, h):
        return self.info(h)['ctx-sizes']

    def info(self, h):
        return self.nl.do('ctx-get', {'ctx-handle': h})

    def encrypt(self, h, bufs, qop=0):
        return self.sn.encrypt(self.nl, h, bufs, qop)

    def decrypt(self, h, bufs):
        return self.sn.decrypt(self.nl, h, bufs)

    def sign(self, h, bufs):
        return self.sn.sign(self.nl, h, bufs)

    def verify(self, h, bufs):
        return self.sn.verify(self.nl, h, bufs)

    def delete(self, h):
        self.nl.do('ctx-delete', {'ctx-handle': h})


class IocModule(NlModule):
    """The messages through /dev/sspi (contexts still through netlink)."""

    MSG = struct.Struct('=IIQIIIIQ16s')     # struct sspi_ioc_message
    BUF = struct.Struct('=IIQ')             # struct sspi_ioc_buffer

    def __init__(self):
        super().__init__()
        self.fd = os.open('/dev/sspi', os.O_RDWR | os.O_CLOEXEC)

    def _call(self, nr, h, bufs, qop=0):
        import ctypes
        import fcntl
        mem = [None if isinstance(v, int) and not v else
               ctypes.create_string_buffer(bytes(v) if isinstance(v, int) else v,
                                           v if isinstance(v, int) else len(v))
               for _, v in bufs]
        arr = ctypes.create_string_buffer(self.BUF.size * len(bufs))
        for i, (t, _) in enumerate(bufs):
            m = mem[i]
            self.BUF.pack_into(arr, i * self.BUF.size, t, len(m.raw) if m else 0,
                               ctypes.addressof(m) if m else 0)
        # status starts as no status at all: only the kernel can make it one
        msg = bytearray(self.MSG.pack(self.MSG.size, 0, h, qop, 0, STATUS_NONE,
                                      len(bufs), ctypes.addressof(arr), bytes(16)))
        cmd = (3 << 30) | (self.MSG.size << 16) | (0xB9 << 8) | nr
        try:
            fcntl.ioctl(self.fd, cmd, msg)
        except OSError:
            # a refused SSPI call still reports its status; anything else
            # never reached a context
            if self.MSG.unpack_from(msg)[5] == STATUS_NONE:
                raise
        f = self.MSG.unpack_from(msg)
        status, qop = f[5], f[3]
        out = []
        for i in range(len(bufs)):
            t, ln, addr = self.BUF.unpack_from(arr, i * self.BUF.size)
            out.append((t, ctypes.string_at(addr, ln) if addr else b''))
        return status, qop, out if status == SEC_E_OK else []

    def encrypt(self, h, bufs, qop=0):
        st, _, out = self._call(1, h, bufs, qop)
        return st, out

    def decrypt(self, h, bufs):
        return self._call(2, h, bufs)

    def sign(self, h, bufs):
        st, _, out = self._call(3, h, bufs)
        return st, out

    def verify(self, h, bufs):
        st, qop, _ = self._call(4, h, bufs)
        return st, qop


def gss_status(e):
    if isinstance(e, (gexc.DuplicateTokenError, gexc.TokenOutOfSequenceError,
                      gexc.TokenTooLateError, gexc.TokenTooEarlyError)):
        return SEC_E_OUT_OF_SEQUENCE
    if isinstance(e, gexc.BadMICError):
        return SEC_E_MESSAGE_ALTERED
    return 0x80090308


class FakeModule:
    """SSPI buffers over a second MIT context: what the module should do."""

    def __init__(self):
        self.ctxs = {}

    def add(self, ctx):
        h = len(self.ctxs) + 1
        self.ctxs[h] = ctx
        return h

    def sizes(self, h):
        return {'security-trailer': 76, 'block-size': 1, 'max-signature': 40}

    def info(self, h):
        return {}

    def encrypt(self, h, bufs, qop=0):
        iov, idx = [], []
        for i, (t, v) in enumerate(bufs):
            if t == TOKEN:
                iov.append((IOVBufferType.header, True, None))
                idx.append(i)
            elif t == DATA:
                iov.append((IOVBufferType.data, False, v))
                idx.append(i)
            elif t == DATA | RO_CKSUM:
                iov.append((IOVBufferType.sign_only, False, v))
                idx.append(i)
        iov = IOV(*iov, std_layout=False)
        try:
            wrap_iov(self.ctxs[h], iov, confidential=qop != QOP_INTEG)
        except gexc.GSSError as e:
            return gss_status(e), []
        out = [(t, b'' if isinstance(v, int) else v) for t, v in bufs]
        for j, i in enumerate(idx):
            out[i] = (bufs[i][0], iov[j].value)
        return SEC_E_OK, out

    def decrypt(self, h, bufs):
        ctx = self.ctxs[h]
        try:
            if bufs[0][0] == STREAM:
                r = ctx.unwrap(bufs[0][1])
                return (SEC_E_OK, 0 if r.encrypted else QOP_INTEG,
                        [bufs[0], (DATA, r.message)])
            iov = []
            for t, v in bufs:
                iov.append((IOVBufferType.header if t == TOKEN else
                            IOVBufferType.sign_only if t & RO_CKSUM else
                            IOVBufferType.data, False, v))
            iov = IOV(*iov, std_layout=False)
            r = unwrap_iov(ctx, iov)
        except gexc.GSSError as e:
            return gss_status(e), 0, []
        return (SEC_E_OK, 0 if r.encrypted else QOP_INTEG,
                [(bufs[i][0], iov[i].value) for i in range(len(bufs))])

    def sign(self, h, bufs):
        msg = b''.join(v for t, v in bufs if t & 0xfff == DATA)
        return SEC_E_OK, [(t, v) if t != TOKEN else (t, self.ctxs[h].get_signature(msg))
                          for t, v in bufs]

    def verify(self, h, bufs):
        msg = b''.join(v for t, v in bufs if t & 0xfff == DATA)
        tok = [v for t, v in bufs if t == TOKEN][0]
        try:
            self.ctxs[h].verify_signature(msg, tok)
        except gexc.GSSError as e:
            return gss_status(e), 0
        return SEC_E_OK, 0

    def delete(self, h):
        del self.ctxs[h]


# ---------------------------------------------------------------------------
# Contexts between sspi-gss and this script

def listen_socket():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(1)
    s.settimeout(TIMEOUT)
    return s


def connect_retry(port, proc):
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            s = socket.create_connection(('127.0.0.1', port), 2)
            s.settimeout(TIMEOUT)
            return s
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed('sspi-gss does not listen: %s' % proc_err(proc))
            time.sleep(0.1)


def proc_err(proc):
    try:
        out, err = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return 'exit %s: %s' % (proc.returncode, (err or '').strip())


def sspi_gss_context(args, realm, enctype, module_role, dce, mutual=True, seq=False):
    """sspi-gss --import-only against this script: (handle, info, peer ctx)."""
    env = realm.env(enctype)
    pctx = peer_ctx(realm, enctype, module_role == 'acceptor', dce, mutual, seq)
    flags = 'replay' + (',dce' if dce else '') + (',sequence' if seq else '')
    if module_role == 'initiator':
        ls = listen_socket()
        port = ls.getsockname()[1]
        argv = [args.sspi_gss, '--initiator', '--connect', '127.0.0.1:%d' % port,
                '--service', krb5_realm.service(enctype), '--flags', flags,
                '--import-only', '-j'] + (['--mutual'] if mutual else [])
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
            accept_steps(sock, pctx)
            flags_, _ = recv_tok(sock)
            expect(flags_ & T_NOOP, 'sspi-gss ended with flags 0x%x' % flags_)
        except (CheckFailed, OSError, gexc.GSSError) as e:
            raise CheckFailed('%s; sspi-gss %s' % (e, proc_err(proc)))
        finally:
            sock.close()
    else:
        port = krb5_realm.free_port()
        argv = [args.sspi_gss, '--acceptor', '--listen', str(port),
                '--keytab', realm.keytab, '--import-only', '-j']
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        sock = connect_retry(port, proc)
        try:
            init_steps(sock, pctx)
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
    expect(info['enctype'] == enctype, 'the lucid context has enctype %s' % info['enctype'])
    want = 0x4 | (0x1 if module_role == 'initiator' else 0) | (0x10 if dce else 0) | \
        (0x8 if seq else 0)
    expect(info['flags'] & 0x1d == want,
           'import flags 0x%x, expected 0x%x' % (info['flags'], want))
    # MIT's acceptor makes a subkey when it answers (mutual, DCE)
    expect(info['acceptor_subkey'] == ('yes' if mutual else 'no'),
           'acceptor subkey %s' % info['acceptor_subkey'])
    expect(bool(info['flags'] & 0x2) == mutual, 'import flags 0x%x' % info['flags'])
    expect(info['mit_context'] == 'deleted', 'MIT\'s context %s' % info['mit_context'])
    return int(info['handle'], 16), info, pctx


def fake_context(module, realm, enctype, module_role, dce, mutual=True, seq=False):
    """Both ends here: the module's is a second MIT context."""
    init = peer_ctx(realm, enctype, True, dce, mutual, seq)
    acc = peer_ctx(realm, enctype, False, dce, mutual, seq)
    tok = None
    while True:
        tok = init.step(tok)
        if tok:
            tok = acc.step(tok)
        if init.complete and acc.complete:
            break
    mine, peer = (init, acc) if module_role == 'initiator' else (acc, init)
    return module.add(mine), {'enctype': enctype, 'acceptor_subkey': '?'}, peer


# ---------------------------------------------------------------------------
# The cells

def msg_for(*what):
    return ('sspi_kmod krb5 interop %s' % ' '.join(map(str, what))).encode()


def cat(bufs):
    return b''.join(v for t, v in bufs if not isinstance(v, int))


def module_seal(mod, h, sz, msg, conf, split):
    qop = 0 if conf else QOP_INTEG
    if split:
        bufs = [(TOKEN, sz['security-trailer']), (DATA | RO_CKSUM, b'sign-only head'),
                (DATA, msg), (DATA | RO_CKSUM, b'sign-only tail')]
    else:
        bufs = [(TOKEN, sz['security-trailer']), (DATA, msg), (PADDING, sz['block-size'])]
    st, out = mod.encrypt(h, bufs, qop)
    expect(st == SEC_E_OK, 'ENCRYPT: %s' % sname(st))
    expect([t for t, _ in out] == [t for t, _ in bufs],
           'ENCRYPT returned buffer types %s' % [t for t, _ in out])
    return out


def hexdump(b, n=64):
    return b[:n].hex() + ('...' if len(b) > n else '')


def check_header(tok, conf, dce, mac_len, initiator, subkey):
    """The module's Wrap token header (RFC 4121 4.2.6.2) as MIT writes it
    in the same layout: EC 0 (16 in DCE style) and RRC 16 + checksum when
    sealed, EC = RRC = checksum when not."""
    expect(len(tok) >= 16, 'TOKEN of %d bytes' % len(tok))
    tok_id, flags, filler, ec, rrc = struct.unpack('>HBBHH', tok[:8])
    expect(tok_id == 0x0504 and filler == 0xff, 'header %s' % tok[:16].hex())
    want = (0 if initiator else 1) | (2 if conf else 0) | (4 if subkey else 0)
    expect(flags == want, 'header flags 0x%02x, expected 0x%x: %s' % (
        flags, want, tok[:16].hex()))
    want_ec = (16 if dce else 0) if conf else mac_len
    want_rrc = 16 + mac_len if conf else mac_len
    expect((ec, rrc) == (want_ec, want_rrc), 'header EC %d RRC %d, MIT writes EC %d RRC %d: %s' % (
        ec, rrc, want_ec, want_rrc, tok[:16].hex()))
    rot = rrc + (ec if dce and conf else 0)
    want_len = 16 + rot + (16 if conf else 0)
    return want_len


MAC_LEN = {17: 12, 18: 12, 19: 16, 20: 24}


def cell_module_to_mit(mod, h, sz, pctx, msg, conf, split, hdr_check=None):
    out = module_seal(mod, h, sz, msg, conf, split)
    if hdr_check:
        enctype, dce, initiator, subkey = hdr_check
        want_len = check_header(out[0][1], conf, dce, MAC_LEN[enctype], initiator, subkey)
        expect(len(out[0][1]) == want_len, 'TOKEN of %d bytes, MIT\'s header has %d' % (
            len(out[0][1]), want_len))
    if not split:
        tok = cat(out)
        try:
            r = pctx.unwrap(tok)
        except gexc.GSSError as e:
            raise CheckFailed('gss_unwrap: %s; token %s' % (e.gen_message(), hexdump(tok)))
        expect(r.message == msg, 'gss_unwrap gave %r' % r.message)
        expect(r.encrypted == conf, 'gss_unwrap says conf_state %s' % r.encrypted)
        return
    hdr = out[0][1]
    iov = IOV((IOVBufferType.header, False, hdr),
              (IOVBufferType.sign_only, False, out[1][1]),
              (IOVBufferType.data, False, out[2][1]),
              (IOVBufferType.sign_only, False, out[3][1]), std_layout=False)
    try:
        r = unwrap_iov(pctx, iov)
    except gexc.GSSError as e:
        raise CheckFailed('gss_unwrap_iov: %s; TOKEN %s DATA %s' % (
            e.gen_message(), hexdump(hdr), hexdump(out[2][1])))
    expect(iov[2].value == msg, 'gss_unwrap_iov gave %r' % iov[2].value)
    expect(iov[1].value == b'sign-only head' and iov[3].value == b'sign-only tail',
           'sign-only buffers changed')
    expect(r.encrypted == conf, 'gss_unwrap_iov says conf_state %s' % r.encrypted)


def mit_seal(pctx, msg, conf, split):
    if not split:
        return pctx.wrap(msg, conf).message
    iov = IOV((IOVBufferType.header, True, None),
              (IOVBufferType.sign_only, False, b'sign-only head'),
              (IOVBufferType.data, False, msg),
              (IOVBufferType.sign_only, False, b'sign-only tail'), std_layout=False)
    wrap_iov(pctx, iov, confidential=conf)
    return [iov[i].value for i in range(4)]


def module_unseal(mod, h, tok, split):
    if not split:
        st, qop, out = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
        return st, qop, out
    return mod.decrypt(h, [(TOKEN, tok[0]), (DATA | RO_CKSUM, tok[1]), (DATA, tok[2]),
                           (DATA | RO_CKSUM, tok[3])])


def cell_mit_to_module(mod, h, pctx, msg, conf, split):
    tok = mit_seal(pctx, msg, conf, split)
    st, qop, out = module_unseal(mod, h, tok, split)
    shown = hexdump(tok) if not split else 'TOKEN %s DATA %s' % (hexdump(tok[0]), hexdump(tok[2]))
    expect(st == SEC_E_OK, 'DECRYPT: %s; MIT token %s' % (sname(st), shown))
    data = [v for t, v in out if t == DATA]
    expect(data and data[0] == msg, 'DECRYPT gave DATA %r' % (data[:1],))
    expect(qop == (0 if conf else QOP_INTEG), 'DECRYPT says qop 0x%x' % qop)


def cell_mic_module_to_mit(mod, h, sz, pctx, msg):
    st, out = mod.sign(h, [(DATA, msg), (TOKEN, sz['max-signature'])])
    expect(st == SEC_E_OK, 'SIGN: %s' % sname(st))
    mic = [v for t, v in out if t == TOKEN][0]
    try:
        pctx.verify_signature(msg, mic)
    except gexc.GSSError as e:
        raise CheckFailed('gss_verify_mic: %s; MIC %s' % (e.gen_message(), mic.hex()))


def cell_mic_mit_to_module(mod, h, pctx, msg):
    mic = pctx.get_signature(msg)
    st, _ = mod.verify(h, [(DATA, msg), (TOKEN, mic)])
    expect(st == SEC_E_OK, 'VERIFY: %s; MIT MIC %s' % (sname(st), mic.hex()))


def cell_tamper(mod, h, pctx, msg, kind):
    if kind == 'wrap':
        tok = bytearray(pctx.wrap(msg, True).message)
        tok[-3] ^= 0x04
        st, _, _ = mod.decrypt(h, [(STREAM, bytes(tok)), (DATA, 0)])
        expect(st == SEC_E_MESSAGE_ALTERED, 'DECRYPT of a flipped bit: %s' % sname(st))
    else:
        mic = bytearray(pctx.get_signature(msg))
        mic[-1] ^= 0x80
        st, _ = mod.verify(h, [(DATA, msg), (TOKEN, bytes(mic))])
        expect(st == SEC_E_MESSAGE_ALTERED, 'VERIFY of a flipped bit: %s' % sname(st))


def cell_replay(mod, h, pctx, msg):
    tok = pctx.wrap(msg, True).message
    st, _, _ = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
    expect(st == SEC_E_OK, 'DECRYPT (first time): %s' % sname(st))
    st, _, _ = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
    expect(st == SEC_E_OUT_OF_SEQUENCE, 'DECRYPT of a replay: %s' % sname(st))


class Matrix:
    def __init__(self, verbose, label='krb5'):
        self.verbose = verbose
        self.label = label
        self.passed = self.failed = 0

    def cell(self, name, fn, *a):
        try:
            fn(*a)
        except Exception as e:  # noqa: B902 -- one cell's failure is one line
            self.failed += 1
            print('not ok %s %s # %s: %s' % (self.label, name, type(e).__name__, e),
                  flush=True)
            if self.verbose and not isinstance(e, CheckFailed):
                traceback.print_exc()
            return False
        self.passed += 1
        print('ok %s %s' % (self.label, name), flush=True)
        return True


# plaintext lengths around the AES block and CTS edges, and a long one
LENGTHS = (1, 15, 16, 17, 31, 32, 33, 1000, 16000)


def cell_lengths(mod, h, sz, pctx, conf, hdr_check):
    for n in LENGTHS:
        msg = bytes((i * 7 + n) & 0xff for i in range(n))
        try:
            cell_module_to_mit(mod, h, sz, pctx, msg, conf, False, hdr_check)
            cell_mit_to_module(mod, h, pctx, msg, conf, False)
        except CheckFailed as e:
            raise CheckFailed('%d bytes: %s' % (n, e))


def cell_empty(mod, h, sz, pctx, conf, hdr_check):
    cell_module_to_mit(mod, h, sz, pctx, b'', conf, False, hdr_check)
    cell_mit_to_module(mod, h, pctx, b'', conf, False)


def cell_gap(mod, h, pctx, msg):
    """With sequence detection: a token after a gap is taken, as MIT takes
    it (GSS_S_GAP_TOKEN), and the stream goes on; the skipped token, coming
    late, and a replay are SEC_E_OUT_OF_SEQUENCE and change nothing."""
    t1 = pctx.wrap(msg + b' 1', True).message
    t2 = pctx.wrap(msg + b' 2', True).message
    t3 = pctx.wrap(msg + b' 3', True).message
    st, _, out = mod.decrypt(h, [(STREAM, t2), (DATA, 0)])
    expect(st == SEC_E_OK, 'DECRYPT of a token after a gap: %s' % sname(st))
    for t, what in ((t1, 'the skipped token, late'), (t2, 'a replay')):
        st, _, out = mod.decrypt(h, [(STREAM, t), (DATA, 0)])
        expect(st == SEC_E_OUT_OF_SEQUENCE, 'DECRYPT of %s: %s' % (what, sname(st)))
    st, _, out = mod.decrypt(h, [(STREAM, t3), (DATA, 0)])
    expect(st == SEC_E_OK, 'DECRYPT of the token after them: %s' % sname(st))


# The contexts of each enctype and role: (kind, DCE style, mutual, sequence)
KINDS = (('std', False, True, False), ('dce', True, True, False),
         ('nosubkey', False, False, False), ('seq', False, True, True))


def context_cells(m, mod, args, realm, enctype, role, kind, dce, mutual, seq):
    what = '%d %s %s' % (enctype, role, kind)
    try:
        if args.fake_module:
            h, info, pctx = fake_context(mod, realm, enctype, role, dce, mutual, seq)
        else:
            h, info, pctx = sspi_gss_context(args, realm, enctype, role, dce, mutual, seq)
        sz = mod.sizes(h)
        if not args.fake_module:
            ci = mod.info(h)
            expect(ci.get('ctx-expiry') == info['expiry'],
                   'ctx-get says expiry %s, the lucid endtime is %s' % (
                       ci.get('ctx-expiry'), info['expiry']))
            expect(ci.get('pkg-name') == 'Kerberos', 'package %s' % ci.get('pkg-name'))
            expect_drivers(ci)
            if args.verbose:
                print('# context %s: cipher %s, drivers %s / %s, seq %s / %s (lucid %s / %s)' % (
                    what, ci.get('ctx-cipher'), ci.get('ctx-tx-driver'), ci.get('ctx-rx-driver'),
                    ci.get('ctx-tx-seq'), ci.get('ctx-rx-seq'), info['send_seq'],
                    info['recv_seq']), flush=True)
    except Exception as e:  # noqa: B902
        m.failed += 1
        print('not ok krb5 %d - %s %s context # %s: %s' % (
            enctype, role, kind, type(e).__name__, e), flush=True)
        if args.verbose:
            traceback.print_exc()
        return
    if args.verbose:
        print('# context %s: handle 0x%x, acceptor subkey %s, sizes %s' % (
            what, h, info.get('acceptor_subkey'), sz), flush=True)
    hdr_check = (enctype, dce, role == 'initiator', mutual)
    forms = {'std': [('wrap', False), ('iov', True)], 'dce': [('dce', True)],
             'nosubkey': [('nosubkey-wrap', False), ('nosubkey-iov', True)],
             'seq': [('seq-wrap', False)]}[kind]
    for form, split in forms:
        for conf in (True, False):
            c = 'conf' if conf else 'integ'
            name = '%d %s %s %s' % (enctype, c, role, form)
            m.cell(name + ' module->mit', cell_module_to_mit, mod, h, sz, pctx,
                   msg_for(name, 'm2p'), conf, split, hdr_check)
            m.cell(name + ' mit->module', cell_mit_to_module, mod, h, pctx,
                   msg_for(name, 'p2m'), conf, split)
    name = '%d integ %s %s' % (enctype, role, 'mic' if kind == 'std' else kind + '-mic')
    m.cell(name + ' module->mit', cell_mic_module_to_mit, mod, h, sz, pctx,
           msg_for(name, 'm2p'))
    m.cell(name + ' mit->module', cell_mic_mit_to_module, mod, h, pctx, msg_for(name, 'p2m'))
    if kind == 'seq' and not args.fake_module:
        # MIT takes a token after a gap (GSS_S_GAP_TOKEN, supplementary):
        # the stand-in cannot say what SSPI says
        m.cell('%d conf %s seq-gap mit->module' % (enctype, role), cell_gap, mod, h, pctx,
               msg_for('gap'))
    if kind == 'std':
        for conf in (True, False):
            c = 'conf' if conf else 'integ'
            m.cell('%d %s %s wrap lengths both' % (enctype, c, role), cell_lengths,
                   mod, h, sz, pctx, conf, hdr_check)
        m.cell('%d conf %s wrap empty both' % (enctype, role), cell_empty,
               mod, h, sz, pctx, True, hdr_check)
        # last: they leave gaps in the peer's sequence numbers
        m.cell('%d conf %s wrap tamper mit->module' % (enctype, role), cell_tamper, mod, h,
               pctx, msg_for('tamper'), 'wrap')
        m.cell('%d integ %s mic tamper mit->module' % (enctype, role), cell_tamper, mod, h,
               pctx, msg_for('tamper'), 'mic')
        m.cell('%d conf %s wrap replay mit->module' % (enctype, role), cell_replay, mod, h,
               pctx, msg_for('replay'))
    try:
        mod.delete(h)
    except Exception as e:  # noqa: B902
        print('# deleting 0x%x: %s' % (h, e))


def cell_pylucid(mod, realm, enctype):
    """The hand-over without sspi-gss: python3-gssapi's lucid export of an
    initiator imported with sspi_nl.krb5_import(), against MIT's acceptor."""
    from gssapi.raw.ext_krb5 import krb5_export_lucid_sec_context
    sn = mod.sn
    init = peer_ctx(realm, enctype, True, False)
    acc = peer_ctx(realm, enctype, False, False)
    tok = None
    while not (init.complete and acc.complete):
        tok = init.step(tok)
        if tok:
            tok = acc.step(tok)
    replay = sn.KRB5_F_REPLAY if init.actual_flags & F.replay_detection else 0
    lc = krb5_export_lucid_sec_context(init, 1)
    kd = lc.cfx_kd
    expect(lc.protocol == 1 and kd is not None, 'lucid protocol %s' % lc.protocol)
    if kd.acceptor_subkey:
        et, key, flags = kd.acceptor_subkey_type, kd.acceptor_subkey, sn.KRB5_F_ACCEPTOR_SUBKEY
    else:
        et, key, flags = kd.ctx_key_type, kd.ctx_key, 0
    expect(et == enctype, 'lucid enctype %d' % et)
    h = sn.krb5_import(mod.nl, et, key, flags | sn.KRB5_F_INITIATOR | replay,
                       lc.send_seq, lc.recv_seq, lc.endtime)
    try:
        expect_drivers(mod.info(h))
        sz = mod.sizes(h)
        msg = msg_for('pylucid', enctype)
        cell_module_to_mit(mod, h, sz, acc, msg, True, False,
                           (enctype, False, True, bool(flags)))
        cell_mit_to_module(mod, h, acc, msg, True, False)
        cell_mic_module_to_mit(mod, h, sz, acc, msg)
        cell_mic_mit_to_module(mod, h, acc, msg)
    finally:
        mod.delete(h)


# ---------------------------------------------------------------------------
# MIT's sample programs as peers

def sample_initiator(args, realm, enctype, conf):
    """sspi-gss --initiator against gss-server."""
    env = realm.env(enctype)
    port = krb5_realm.free_port()
    srv = subprocess.Popen(['gss-server', '-port', str(port), '-once', '-keytab',
                            realm.keytab, krb5_realm.service(enctype)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        msg = 'hello gss-server %d %s' % (enctype, 'conf' if conf else 'integ')
        argv = [args.sspi_gss, '--initiator', '--connect', '127.0.0.1:%d' % port,
                '--service', krb5_realm.service(enctype), '--mutual',
                '--flags', 'replay', '--message', msg, '-j']
        if not conf:
            argv.append('--integrity')
        for _ in range(50):
            r = subprocess.run(argv, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT)
            if 'Connection refused' not in r.stderr:
                break
            time.sleep(0.1)
        try:
            sout, _ = srv.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            srv.kill()
            sout, _ = srv.communicate()
        expect(r.returncode == 0, 'sspi-gss exit %d: %s; gss-server: %s' % (
            r.returncode, r.stderr.strip(), sout.strip()))
        expect('GSS-API error' not in sout, 'gss-server: %s' % sout.strip())
        info = json.loads(r.stdout.splitlines()[0])
        expect(info['enctype'] == enctype, 'enctype %s' % info['enctype'])
        expect('verified the server' in r.stdout, 'sspi-gss: %s' % r.stdout.strip())
        expect(msg in sout, 'gss-server did not print the message: %s' % sout.strip())
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()


def sample_acceptor(args, realm, enctype, conf):
    """gss-client against sspi-gss --acceptor."""
    env = realm.env(enctype)
    port = krb5_realm.free_port()
    acc = subprocess.Popen([args.sspi_gss, '--acceptor', '--listen', str(port),
                            '--keytab', realm.keytab, '-j'],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        msg = 'hello sspi-gss %d %s' % (enctype, 'conf' if conf else 'integ')
        argv = ['gss-client', '-port', str(port)] + ([] if conf else ['-nx']) + \
            ['127.0.0.1', krb5_realm.service(enctype), msg]
        deadline = time.monotonic() + TIMEOUT
        while True:
            r = subprocess.run(argv, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT)
            if r.returncode == 0 or 'onnection refused' not in r.stdout + r.stderr:
                break
            if acc.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed('sspi-gss does not listen: %s' % proc_err(acc))
            time.sleep(0.1)
        try:
            out, err = acc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            acc.kill()
            out, err = acc.communicate()
        expect(r.returncode == 0, 'gss-client exit %d: %s; sspi-gss: %s' % (
            r.returncode, (r.stdout + r.stderr).strip(), err.strip()))
        expect(acc.returncode == 0, 'sspi-gss exit %d: %s' % (acc.returncode, err.strip()))
        info = json.loads(out.splitlines()[0])
        expect(info['enctype'] == enctype, 'enctype %s' % info['enctype'])
        expect(msg in out and 'sent a' in out, 'sspi-gss: %s' % out.strip())
        want = 'encrypted' if conf else 'integrity only'
        expect('(%s)' % want in out, 'sspi-gss: %s' % out.strip())
    finally:
        if acc.poll() is None:
            acc.kill()
            acc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sspi-gss', default=os.path.join(TOP, 'userspace-tools/sspi-gss'))
    ap.add_argument('--enctype', type=int, action='append',
                    choices=sorted(krb5_realm.ENCTYPES))
    ap.add_argument('--role', action='append', choices=('initiator', 'acceptor'))
    ap.add_argument('--no-samples', action='store_true',
                    help='skip the gss-server / gss-client runs')
    ap.add_argument('--fake-module', action='store_true',
                    help='a second MIT context instead of the module (no samples)')
    ap.add_argument('--ioctl', action='store_true',
                    help='messages through /dev/sspi instead of netlink')
    ap.add_argument('--expect-driver', metavar='REGEX',
                    help='every context\'s crypto drivers must match REGEX')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    global EXPECT_DRIVER
    EXPECT_DRIVER = args.expect_driver
    enctypes = args.enctype or sorted(krb5_realm.ENCTYPES)
    roles = args.role or ['initiator', 'acceptor']
    m = Matrix(args.verbose, 'krb5-ioctl' if args.ioctl else 'krb5')
    start = time.monotonic()
    mod = FakeModule() if args.fake_module else IocModule() if args.ioctl else NlModule()
    with krb5_realm.Realm(enctypes) as realm:
        for e in enctypes:
            for role in roles:
                for kind, dce, mutual, seq in KINDS:
                    context_cells(m, mod, args, realm, e, role, kind, dce, mutual, seq)
        if not args.fake_module:
            for e in enctypes:
                m.cell('%d conf initiator pylucid both' % e, cell_pylucid, mod, realm, e)
        if not args.fake_module and not args.no_samples:
            for e in enctypes:
                for conf in (True, False):
                    c = 'conf' if conf else 'integ'
                    m.cell('%d %s initiator sample sspi-gss->gss-server' % (e, c),
                           sample_initiator, args, realm, e, conf)
                    m.cell('%d %s acceptor sample gss-client->sspi-gss' % (e, c),
                           sample_acceptor, args, realm, e, conf)
    print('%s interop: %d cells: %d passed, %d failed (%.0f s)' % (
        m.label, m.passed + m.failed, m.passed, m.failed, time.monotonic() - start), flush=True)
    return 1 if m.failed else 0


if __name__ == '__main__':
    sys.exit(main())
