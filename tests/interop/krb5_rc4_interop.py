#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""rc4-hmac interop: sspi_kmod's "Kerberos" package with enctype 23 against MIT.

The realm of krb5_realm.py with one more service, sspi23/localhost, whose
only key is arcfour-hmac, and a krb5.conf permitting only arcfour-hmac:
the contexts MIT makes with it are RFC 1964 (lucid protocol 0) contexts
with RFC 4757 tokens.  MIT 1.20's KDC gives a TGT an RC4 session key only
when krbtgt's session_enctypes string attribute names it; 1.21 also wants
allow_rc4 in [libdefaults].  Both are set here.

sspi-gss --import-only makes each context with MIT and imports it into the
module (allow_rc4 is set first, through sysfs); this script holds the
other end (python3-gssapi).  Per role of the module (initiator, acceptor)
and kind of context (std: mutual + replay; dce: DCE style added), each
cell is one line "ok rc4 ..." or "not ok rc4 ... # why":

wrap     ENCRYPT [TOKEN, DATA, PADDING] -> gss_unwrap of TOKEN|DATA|PADDING;
         gss_wrap -> DECRYPT [STREAM, DATA]; sealed and integrity only
lengths  the same for 0 to 60000 bytes (DER lengths of 1, 2 and 3 bytes)
iov      [TOKEN, DATA|RO_CKSUM, DATA, DATA|RO_CKSUM, PADDING] against
         gss_wrap_iov / gss_unwrap_iov with HEADER, SIGN_ONLY, DATA,
         SIGN_ONLY, PADDING (DCE style: no PADDING)
mic      SIGN -> gss_verify_mic; gss_get_mic -> VERIFY
tamper   a flipped bit in a gss_wrap token and in a MIC: MESSAGE_ALTERED
replay   a gss_wrap token unsealed twice: OUT_OF_SEQUENCE
refused  with allow_rc4=0 the import fails: ENOPKG (SEC_E_CRYPTO_SYSTEM_INVALID)

then MIT's gss-server and gss-client as peers of sspi-gss.  Exit status 1
if any cell failed.  Run in the VM: tests/vm/krb5_rc4_interop_test.sh.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import gssapi.exceptions as gexc
from gssapi.raw.ext_dce import IOV, IOVBufferType, wrap_iov, unwrap_iov

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import krb5_realm  # noqa: E402
import krb5_interop as ki  # noqa: E402
from krb5_interop import (CheckFailed, expect, sname, SEC_E_OK, DATA,  # noqa: E402
                          TOKEN, PADDING, STREAM, RO_CKSUM, QOP_INTEG, hexdump)

RC4 = 23
krb5_realm.ENCTYPES[RC4] = 'arcfour-hmac'
PARAM = '/sys/module/sspi_kmod/parameters/allow_rc4'
OID = bytes.fromhex('06092a864886f712010202')


class Rc4Realm(krb5_realm.Realm):
    """krb5_realm.Realm with RC4 session keys allowed."""

    _krbtgt_done = False

    def _krb5_conf(self, name, enctypes):
        path = super()._krb5_conf(name, enctypes)
        with open(path) as f:
            text = f.read()
        with open(path, 'w') as f:
            f.write(text.replace('[libdefaults]\n', '[libdefaults]\n\tallow_rc4 = true\n', 1))
        return path

    def run(self, argv, env=None, stdin=None):
        # before the first TGT: krbtgt may have RC4 session keys
        if os.path.basename(argv[0]) == 'kinit' and not self._krbtgt_done:
            self._krbtgt_done = True
            self.kadmin('setstr krbtgt/%s@%s session_enctypes arcfour-hmac' %
                        (krb5_realm.REALM, krb5_realm.REALM))
        return super().run(argv, env, stdin)


def set_allow(on):
    with open(PARAM, 'w') as f:
        f.write('1' if on else '0')


def rc4_context(args, realm, module_role, dce):
    """sspi-gss --import-only against this script: (handle, info, peer).

    krb5_interop.sspi_gss_context() less its checks of CFX acceptor
    subkeys: an RC4 lucid context (protocol 0) has one key, the subkey
    if the acceptor made one, and no flag for it."""
    env = realm.env(RC4)
    pctx = ki.peer_ctx(realm, RC4, module_role == 'acceptor', dce)
    flags = 'replay' + (',dce' if dce else '')
    if module_role == 'initiator':
        ls = ki.listen_socket()
        argv = [args.sspi_gss, '--initiator', '--connect',
                '127.0.0.1:%d' % ls.getsockname()[1], '--service', krb5_realm.service(RC4),
                '--flags', flags, '--import-only', '-j', '--mutual']
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            sock, _ = ls.accept()
        except OSError:
            raise CheckFailed('sspi-gss did not connect: %s' % ki.proc_err(proc))
        finally:
            ls.close()
        sock.settimeout(ki.TIMEOUT)
        try:
            ki.accept_steps(sock, pctx)
            f, _ = ki.recv_tok(sock)
            expect(f & ki.T_NOOP, 'sspi-gss ended with flags 0x%x' % f)
        except (CheckFailed, OSError, gexc.GSSError) as e:
            raise CheckFailed('%s; sspi-gss %s' % (e, ki.proc_err(proc)))
        finally:
            sock.close()
    else:
        port = krb5_realm.free_port()
        argv = [args.sspi_gss, '--acceptor', '--listen', str(port),
                '--keytab', realm.keytab, '--import-only', '-j']
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        sock = ki.connect_retry(port, proc)
        try:
            ki.init_steps(sock, pctx)
        except (CheckFailed, OSError, gexc.GSSError) as e:
            raise CheckFailed('%s; sspi-gss %s' % (e, ki.proc_err(proc)))
        finally:
            sock.close()
    try:
        out, err = proc.communicate(timeout=ki.TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    if proc.returncode:
        raise CheckFailed('sspi-gss exit %d: %s' % (proc.returncode, err.strip()))
    info = json.loads(out)
    expect(info['enctype'] == RC4, 'the lucid context has enctype %s' % info['enctype'])
    want = 0x4 | (0x1 if module_role == 'initiator' else 0) | (0x10 if dce else 0)
    expect(info['flags'] & 0x1f == want,
           'import flags 0x%x, expected 0x%x' % (info['flags'], want))
    return int(info['handle'], 16), info, pctx


def frame_len(tok):
    """Bytes of the framing (0x60, DER length, OID) and the DER length."""
    expect(tok[0] == 0x60, 'no 0x60 tag: %s' % hexdump(tok))
    if tok[1] < 0x80:
        n, der = 2, tok[1]
    else:
        k = tok[1] & 0x7f
        n, der = 2 + k, int.from_bytes(tok[2:2 + k], 'big')
    expect(tok[n:n + 11] == OID, 'no krb5 OID: %s' % hexdump(tok))
    return n + 11, der


def check_token(tok, conf, initiator, dce, dlen):
    """The module's TOKEN: framing, TOK_ID, algorithms, filler."""
    hl, der = frame_len(tok)
    expect(len(tok) == hl + 32, 'TOKEN of %d bytes, framing %d' % (len(tok), hl))
    want = 11 + 32 + (0 if dce else dlen + 1)
    expect(der == want, 'DER length %d, expected %d' % (der, want))
    h = tok[hl:]
    expect(h[:4] == b'\x02\x01\x11\x00' and h[6:8] == b'\xff\xff',
           'header %s' % h[:8].hex())
    expect(h[4:6] == (b'\x10\x00' if conf else b'\xff\xff'), 'SEAL_ALG %s' % h[4:6].hex())


def cell_wrap_m2p(mod, h, sz, pctx, msg, conf, role, dce):
    bufs = [(TOKEN, sz['security-trailer']), (DATA, msg)]
    if not dce:
        bufs.append((PADDING, sz['block-size']))
    st, out = mod.encrypt(h, bufs, 0 if conf else QOP_INTEG)
    expect(st == SEC_E_OK, 'ENCRYPT: %s' % sname(st))
    tok = out[0][1]
    check_token(tok, conf, role == 'initiator', dce, len(msg))
    if dce:
        iov = IOV((IOVBufferType.header, False, tok), (IOVBufferType.data, False, out[1][1]),
                  std_layout=False)
        try:
            r = unwrap_iov(pctx, iov)
        except gexc.GSSError as e:
            raise CheckFailed('gss_unwrap_iov: %s; token %s' % (e.gen_message(), hexdump(tok)))
        got = iov[1].value
    else:
        expect(out[2][1] == (b'\x01' if not conf else out[2][1]) and len(out[2][1]) == 1,
               'PADDING %r' % (out[2][1],))
        wire = ki.cat(out)
        try:
            r = pctx.unwrap(wire)
        except gexc.GSSError as e:
            raise CheckFailed('gss_unwrap: %s; token %s' % (e.gen_message(), hexdump(wire)))
        got = r.message
    expect(got == msg, 'MIT unwrapped %r' % got[:40])
    expect(r.encrypted == conf, 'MIT says conf_state %s' % r.encrypted)


def cell_wrap_p2m(mod, h, pctx, msg, conf):
    tok = pctx.wrap(msg, conf).message
    st, qop, out = mod.decrypt(h, [(STREAM, tok), (DATA, 0)])
    expect(st == SEC_E_OK, 'DECRYPT: %s; MIT token %s' % (sname(st), hexdump(tok)))
    data = [v for t, v in out if t == DATA]
    expect(data and data[0] == msg, 'DECRYPT gave %r' % (data[:1],))
    expect(qop == (0 if conf else QOP_INTEG), 'DECRYPT says qop 0x%x' % qop)


# each size of DER length a netlink attribute can carry
LENGTHS = (0, 1, 83, 84, 211, 212, 1000, 16000, 60000)


def cell_lengths(mod, h, sz, pctx, conf, role, dce):
    for n in LENGTHS:
        msg = bytes((i * 7 + n) & 0xff for i in range(n))
        try:
            cell_wrap_m2p(mod, h, sz, pctx, msg, conf, role, dce)
            cell_wrap_p2m(mod, h, pctx, msg, conf)
        except CheckFailed as e:
            raise CheckFailed('%d bytes: %s' % (n, e))


def cell_iov_m2p(mod, h, sz, pctx, msg, conf, dce):
    bufs = [(TOKEN, sz['security-trailer']), (DATA | RO_CKSUM, b'sign-only head'),
            (DATA, msg), (DATA | RO_CKSUM, b'sign-only tail')]
    if not dce:
        bufs.append((PADDING, 1))
    st, out = mod.encrypt(h, bufs, 0 if conf else QOP_INTEG)
    expect(st == SEC_E_OK, 'ENCRYPT: %s' % sname(st))
    iov = [(IOVBufferType.header, False, out[0][1]),
           (IOVBufferType.sign_only, False, out[1][1]),
           (IOVBufferType.data, False, out[2][1]),
           (IOVBufferType.sign_only, False, out[3][1])]
    if not dce:
        iov.append((IOVBufferType.padding, False, out[4][1]))
    iov = IOV(*iov, std_layout=False)
    try:
        r = unwrap_iov(pctx, iov)
    except gexc.GSSError as e:
        raise CheckFailed('gss_unwrap_iov: %s; TOKEN %s DATA %s' % (
            e.gen_message(), hexdump(out[0][1]), hexdump(out[2][1])))
    expect(iov[2].value == msg, 'gss_unwrap_iov gave %r' % iov[2].value)
    expect(r.encrypted == conf, 'conf_state %s' % r.encrypted)


def cell_iov_p2m(mod, h, pctx, msg, conf, dce):
    iov = [(IOVBufferType.header, True, None),
           (IOVBufferType.sign_only, False, b'sign-only head'),
           (IOVBufferType.data, False, msg),
           (IOVBufferType.sign_only, False, b'sign-only tail')]
    if not dce:
        iov.append((IOVBufferType.padding, True, None))
    iov = IOV(*iov, std_layout=False)
    wrap_iov(pctx, iov, confidential=conf)
    bufs = [(TOKEN, iov[0].value), (DATA | RO_CKSUM, iov[1].value), (DATA, iov[2].value),
            (DATA | RO_CKSUM, iov[3].value)]
    if not dce:
        bufs.append((PADDING, iov[4].value))
    st, qop, out = mod.decrypt(h, bufs)
    expect(st == SEC_E_OK, 'DECRYPT: %s; MIT TOKEN %s DATA %s' % (
        sname(st), hexdump(iov[0].value), hexdump(iov[2].value)))
    expect(out[2][1] == msg, 'DECRYPT gave %r' % (out[2][1],))
    expect(qop == (0 if conf else QOP_INTEG), 'qop 0x%x' % qop)


def cell_mic_m2p(mod, h, sz, pctx, msg):
    st, out = mod.sign(h, [(DATA, msg), (TOKEN, sz['max-signature'])])
    expect(st == SEC_E_OK, 'SIGN: %s' % sname(st))
    mic = [v for t, v in out if t == TOKEN][0]
    expect(len(mic) == 37 and mic[13:21] == bytes.fromhex('01011100ffffffff'),
           'MIC %s' % mic.hex())
    try:
        pctx.verify_signature(msg, mic)
    except gexc.GSSError as e:
        raise CheckFailed('gss_verify_mic: %s; MIC %s' % (e.gen_message(), mic.hex()))


def cell_sizes(mod, h, dce):
    sz = mod.sizes(h)
    want = {'security-trailer': 45 if dce else 49, 'max-signature': 37, 'block-size': 1}
    got = {k: sz.get(k) for k in want}
    expect(got == want, 'sizes %s, expected %s' % (got, want))
    ci = mod.info(h)
    expect(ci.get('ctx-cipher') == 'arcfour-hmac', 'cipher %s' % ci.get('ctx-cipher'))


def cell_refused(args, realm, role):
    set_allow(False)
    try:
        try:
            h, _, _ = rc4_context(args, realm, role, False)
        except CheckFailed as e:
            # netlink refuses the import with the errno (extack), ENOPKG
            expect('CTX_IMPORT' in str(e) and 'ENOPKG' in str(e),
                   'sspi-gss failed otherwise: %s' % e)
            return
        mod_delete(h)
        raise CheckFailed('the import succeeded with allow_rc4=0')
    finally:
        set_allow(True)


MOD = None


class Matrix(ki.Matrix):
    """krb5_interop's cells, printed as "ok rc4 ..."."""

    def cell(self, name, fn, *a):
        try:
            fn(*a)
        except Exception as e:  # noqa: B902 -- one cell's failure is one line
            self.failed += 1
            print('not ok rc4 %s # %s: %s' % (name, type(e).__name__, e), flush=True)
            return False
        self.passed += 1
        print('ok rc4 %s' % name, flush=True)
        return True


def mod_delete(h):
    try:
        MOD.delete(h)
    except Exception as e:  # noqa: B902
        print('# deleting 0x%x: %s' % (h, e))


def context_cells(m, args, realm, role, kind):
    dce = kind == 'dce'
    try:
        h, info, pctx = rc4_context(args, realm, role, dce)
    except Exception as e:  # noqa: B902
        m.failed += 1
        print('not ok rc4 %s %s context # %s: %s' % (role, kind, type(e).__name__, e),
              flush=True)
        return
    sz = MOD.sizes(h)
    if args.verbose:
        print('# context %s %s: handle 0x%x, flags 0x%x, seq %s/%s, sizes %s' % (
            role, kind, h, info['flags'], info['send_seq'], info['recv_seq'], sz), flush=True)
    pre = '%s %s' % (role, kind)
    m.cell(pre + ' sizes', cell_sizes, MOD, h, dce)
    for conf in (True, False):
        c = 'conf' if conf else 'integ'
        name = '%s %s wrap' % (pre, c)
        m.cell(name + ' module->mit', cell_wrap_m2p, MOD, h, sz, pctx,
               ki.msg_for('rc4', name), conf, role, dce)
        m.cell(name + ' mit->module', cell_wrap_p2m, MOD, h, pctx, ki.msg_for('rc4', name),
               conf)
        name = '%s %s iov' % (pre, c)
        m.cell(name + ' module->mit', cell_iov_m2p, MOD, h, sz, pctx,
               ki.msg_for('rc4', name), conf, dce)
        m.cell(name + ' mit->module', cell_iov_p2m, MOD, h, pctx, ki.msg_for('rc4', name),
               conf, dce)
        m.cell('%s %s lengths both' % (pre, c), cell_lengths, MOD, h, sz, pctx, conf, role,
               dce)
    m.cell(pre + ' mic module->mit', cell_mic_m2p, MOD, h, sz, pctx, ki.msg_for('rc4 mic'))
    m.cell(pre + ' mic mit->module', ki.cell_mic_mit_to_module, MOD, h, pctx,
           ki.msg_for('rc4 mic'))
    if kind == 'std':
        m.cell(pre + ' wrap tamper mit->module', ki.cell_tamper, MOD, h, pctx,
               ki.msg_for('tamper'), 'wrap')
        m.cell(pre + ' mic tamper mit->module', ki.cell_tamper, MOD, h, pctx,
               ki.msg_for('tamper'), 'mic')
        m.cell(pre + ' wrap replay mit->module', ki.cell_replay, MOD, h, pctx,
               ki.msg_for('replay'))
    mod_delete(h)


def main():
    global MOD
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sspi-gss', default=os.path.join(ki.TOP, 'userspace-tools/sspi-gss'))
    ap.add_argument('--role', action='append', choices=('initiator', 'acceptor'))
    ap.add_argument('--no-samples', action='store_true')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    roles = args.role or ['initiator', 'acceptor']
    m = Matrix(args.verbose)
    start = time.monotonic()
    set_allow(True)
    MOD = ki.NlModule()
    with Rc4Realm([RC4]) as realm:
        for role in roles:
            for kind in ('std', 'dce'):
                context_cells(m, args, realm, role, kind)
            m.cell('%s refused without allow_rc4' % role, cell_refused, args, realm, role)
        if not args.no_samples:
            for conf in (True, False):
                c = 'conf' if conf else 'integ'
                m.cell('%s initiator sample sspi-gss->gss-server' % c,
                       ki.sample_initiator, args, realm, RC4, conf)
                m.cell('%s acceptor sample gss-client->sspi-gss' % c,
                       ki.sample_acceptor, args, realm, RC4, conf)
    print('rc4 interop: %d cells: %d passed, %d failed (%.0f s)' % (
        m.passed + m.failed, m.passed, m.failed, time.monotonic() - start), flush=True)
    return 1 if m.failed else 0


if __name__ == '__main__':
    sys.exit(main())
