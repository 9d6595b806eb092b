#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""faults.py [--long] [--kmemleak] [--max-n N] [--package P]...

Allocation failures injected into every package's operations, run in the
guest (scripts/vm-run) with sspi_kmod loaded: tests/vm/faults_test.sh runs
the short pass in "make check", scripts/fuzz the long one ("make fuzz").

The kernel's fault injection (failslab and fail_page_alloc, set up here to
fail GFP_KERNEL allocations of any order too) fails the Nth allocation of
this thread from the moment N is written to /proc/thread-self/fail-nth;
reading the file back gives 0 once that allocation was failed.  For each
variant of each package (TLS 1.2 and 1.3 with AES-GCM and ChaCha20-Poly1305,
Kerberos AES with SHA-1 and SHA-2, rc4-hmac, NTLM, Negotiate over Kerberos
and NTLM) and each operation -- CTX_IMPORT, CTX_UPDATE_KEYS (TLS), and
ENCRYPT, DECRYPT, SIGN and VERIFY through netlink and through /dev/sspi,
and ENCRYPT and DECRYPT through /dev/sspi with the DATA pinned in place --
the operation is run with N = 1, 2, ... until it completes before the Nth
allocation.  Each run must end in success or in a clean allocation
failure: the errno ENOMEM (a request that failed before the package ran,
or a /dev/sspi call), ENOBUFS (the socket could not take the request or
the error reply), or a reply with SEC_E_INSUFFICIENT_MEMORY.  After each
run the pair must still work:

  import	a failed import leaves no context behind (the dump's count);
		a successful one makes a context that talks to its peer
  update	after a failed key update the old keys still work both ways;
		after a successful one the peer takes the new keys
  seal/sign	a failed seal uses no sequence number: the peer opens the
		next genuine message; a successful one opens at the peer
  unseal/verify	a failed unseal consumes nothing: the same genuine message
		opens afterwards

With --kmemleak (and --long) kmemleak is asked to scan at the end: any
unreferenced object fails the run.  The short pass leaves that to
scripts/vm-run, which has kmemleak scan when the guest's command is done
and fails the run on a leak, as on the kernel's other reports (KASAN,
UBSAN, lockdep).

Where the kernel has no fault injection (bookworm's distro kernel) the
test is skipped -- except in the debug kernel (SSPI_VM_KERNEL=debug), whose
configuration asks for it: there it fails.  Prints one line per variant
and operation with the number of runs and of faults injected (and how the
failed runs ended), and the totals per package.
"""

import argparse
import ctypes
import errno
import fcntl
import os
import secrets
import select
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sspi_nl  # noqa: E402
from fuzz_tokens import (KRB5_DCE, KRB5_INIT, KRB5_KEYLEN, KRB5_RS, KRB5_SUBKEY,  # noqa: E402
                         NTLM_128, NTLM_56, NTLM_ESS, NTLM_GSS, NTLM_KEY_EXCH, NTLM_LM_KEY,
                         NTLM_SEAL, PARAMS, QOP_WRAP_NO_ENCRYPT, ntlm_blob)
from lib.ynl import NlMsgs  # noqa: E402  (sspi_nl put the kernel's ynl on the path)

FAIL_NTH = '/proc/thread-self/fail-nth'
# /dev/sspi by copy, and with the DATA in the caller's pinned pages
IOC_FLAGS = {'ioctl': 0, 'ioctl-pin': 0x2}
DEBUGFS = '/sys/kernel/debug'
KMEMLEAK = DEBUGFS + '/kmemleak'
# what each fault type is set to for the run (restored afterwards): no
# verbose reports, GFP_KERNEL allocations and order-0 pages failed too;
# highmem (user) pages left alone, so that page faults do not fail
FAULT_ATTRS = {
    'failslab': {'verbose': '0', 'ignore-gfp-wait': 'N'},
    'fail_page_alloc': {'verbose': '0', 'ignore-gfp-wait': 'N', 'ignore-gfp-highmem': 'Y',
                        'min-order': '0'},
}
SEC_E_INSUFFICIENT_MEMORY = 0x80090300
STREAM, DATA, TOKEN, EMPTY, HEADER, TRAILER, PADDING = 10, 1, 2, 0, 7, 6, 9
NLM_F_ACK = 4

failures = []


def fail(what):
    print('FAIL ' + what, flush=True)
    failures.append(what)


# --- the variants ----------------------------------------------------------

def tls(version, cipher, keylen):
    def blobs():
        a = sspi_nl.keys(secrets.token_bytes(keylen), secrets.token_bytes(12))
        b = sspi_nl.keys(secrets.token_bytes(keylen), secrets.token_bytes(12))
        return (('Schannel', sspi_nl.tls_import(version, cipher, a, b)),
                ('Schannel', sspi_nl.tls_import(version, cipher, b, a)))
    return blobs


def krb5_blob(enctype, key, flags):
    return sspi_nl.pack_struct('krb5-import', {'enctype': enctype, 'flags': flags,
                                               'key-len': len(key), 'key': key})


def krb5(enctype, flags=0):
    def blobs():
        key = secrets.token_bytes(KRB5_KEYLEN[enctype])
        return (('Kerberos', krb5_blob(enctype, key, flags | KRB5_INIT)),
                ('Kerberos', krb5_blob(enctype, key, flags)))
    return blobs


def ntlm(flags):
    def blobs():
        key = secrets.token_bytes(16)
        return tuple(('NTLM', ntlm_blob(flags, key, i)) for i in (True, False))
    return blobs


def negotiate_krb5(enctype):
    def blobs():
        key = secrets.token_bytes(KRB5_KEYLEN[enctype])
        return tuple(('Negotiate', sspi_nl.negotiate_blob(
            sspi_nl.NEGOTIATE_MECH_KERBEROS, krb5_blob(enctype, key, f)))
            for f in (KRB5_INIT | KRB5_RS, KRB5_RS))
    return blobs


def negotiate_ntlm(flags):
    def blobs():
        key = secrets.token_bytes(16)
        return tuple(('Negotiate', sspi_nl.negotiate_blob(sspi_nl.NEGOTIATE_MECH_NTLM,
                                                          ntlm_blob(flags, key, i)))
                     for i in (True, False))
    return blobs


# (package, variant, import blobs, EncryptMessage's fQOP, in the short pass)
VARIANTS = [
    ('Schannel', 'tls1.2 aes-128-gcm', tls(0x0303, 51, 16), 0, True),
    ('Schannel', 'tls1.2 aes-256-gcm', tls(0x0303, 52, 32), 0, False),
    ('Schannel', 'tls1.2 chacha20-poly1305', tls(0x0303, 54, 32), 0, False),
    ('Schannel', 'tls1.3 aes-128-gcm', tls(0x0304, 51, 16), 0, False),
    ('Schannel', 'tls1.3 aes-256-gcm', tls(0x0304, 52, 32), 0, False),
    ('Schannel', 'tls1.3 chacha20-poly1305', tls(0x0304, 54, 32), 0, True),
    ('Kerberos', 'aes128-cts-hmac-sha1-96', krb5(17), 0, False),
    ('Kerberos', 'aes256-cts-hmac-sha1-96 subkey replay+sequence',
     krb5(18, KRB5_SUBKEY | KRB5_RS), 0, True),
    ('Kerberos', 'aes128-cts-hmac-sha256-128 dce', krb5(19, KRB5_DCE), 0, False),
    ('Kerberos', 'aes256-cts-hmac-sha384-192 replay+sequence', krb5(20, KRB5_RS), 0, False),
    ('Kerberos', 'aes256-cts-hmac-sha1-96 integrity', krb5(18), QOP_WRAP_NO_ENCRYPT, False),
    ('Kerberos', 'rc4-hmac replay+sequence', krb5(23, KRB5_RS), 0, True),
    ('Kerberos', 'rc4-hmac dce integrity', krb5(23, KRB5_DCE), QOP_WRAP_NO_ENCRYPT, False),
    ('NTLM', 'ess key-exch 128', ntlm(NTLM_GSS), 0, True),
    ('NTLM', 'ess 128', ntlm(NTLM_GSS & ~NTLM_KEY_EXCH), 0, False),
    ('NTLM', 'ess key-exch 56', ntlm(NTLM_GSS & ~NTLM_128), 0, False),
    ('NTLM', 'ess key-exch 40', ntlm(NTLM_GSS & ~(NTLM_128 | NTLM_56)), 0, False),
    ('NTLM', 'ntlmv1 key-exch 128', ntlm(NTLM_GSS & ~NTLM_ESS), 0, False),
    ('NTLM', 'ntlmv1 lm-key 56', ntlm((NTLM_GSS & ~(NTLM_ESS | NTLM_128)) | NTLM_LM_KEY), 0,
     False),
    ('NTLM', 'ess sign-only', ntlm(NTLM_GSS & ~NTLM_SEAL), QOP_WRAP_NO_ENCRYPT, False),
    ('Negotiate', 'kerberos aes256-cts-hmac-sha1-96', negotiate_krb5(18), 0, False),
    ('Negotiate', 'kerberos rc4-hmac', negotiate_krb5(23), 0, False),
    ('Negotiate', 'ntlm ess key-exch 128', negotiate_ntlm(NTLM_GSS), 0, True),
]


# --- fault injection ---------------------------------------------------------

class Faults:
    """This thread's fail-nth, and the fault types' settings."""

    def __init__(self):
        self.saved = {}
        for ftype, attrs in FAULT_ATTRS.items():
            for a, v in attrs.items():
                p = os.path.join(DEBUGFS, ftype, a)
                with open(p) as f:
                    self.saved[p] = f.read().strip()
                with open(p, 'w') as f:
                    f.write(v)
        self.fd = os.open(FAIL_NTH, os.O_RDWR)

    def arm(self, n):
        os.pwrite(self.fd, b'%d' % n, 0)

    def disarm(self):
        """True when the armed fault was injected."""
        left = int(os.pread(self.fd, 32, 0))
        os.pwrite(self.fd, b'0', 0)
        return left == 0

    def restore(self):
        os.close(self.fd)
        for p, v in self.saved.items():
            with open(p, 'w') as f:
                f.write(v)


def available():
    """None, or what the kernel lacks."""
    if not os.path.exists(FAIL_NTH):
        return 'no %s (CONFIG_FAULT_INJECTION)' % FAIL_NTH
    for ftype in FAULT_ATTRS:
        if not os.path.isdir(os.path.join(DEBUGFS, ftype)):
            return 'no %s/%s (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, ' \
                'CONFIG_FAULT_INJECTION_DEBUG_FS)' % (DEBUGFS, ftype)
    return None


# --- operations, with and without a fault ------------------------------------

class Outcome:
    """How one operation ended: ok, or the error (errno / status) it gave;
    the reply's attributes for netlink, the Call for /dev/sspi."""

    def __init__(self, err=None, rep=None, hit=False, detail=None):
        self.err, self.rep, self.hit, self.detail = err, rep, hit, detail

    @property
    def ok(self):
        return self.err is None


def clean_error(err):
    return err in ('ENOMEM', 'ENOBUFS', 'send ENOMEM', 'send ENOBUFS', 'recv ENOBUFS',
                   'SEC_E_INSUFFICIENT_MEMORY')


class Netlink:
    """Requests on a socket of their own, so that a fault is armed from
    just before sendmsg() -- where the request runs, in this thread -- to
    just after it; the reply is read unarmed.  NLM_F_ACK only for commands
    without a reply: a request gets one message, its reply, its error or
    its acknowledgement -- or, when even the error or acknowledgement could
    not be allocated, ENOBUFS from recv()."""

    def __init__(self, nl, faults):
        self.nl, self.faults = nl, faults
        self.sock = sspi_nl.socket.socket(sspi_nl.socket.AF_NETLINK, sspi_nl.socket.SOCK_RAW,
                                          sspi_nl.NETLINK_GENERIC)
        self.sock.setsockopt(sspi_nl.SOL_NETLINK, sspi_nl.NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(sspi_nl.SOL_NETLINK, sspi_nl.NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(sspi_nl.socket.SOL_SOCKET, sspi_nl.socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((0, 0))
        self.seq = 1

    def do(self, method, vals, n=0):
        op = self.nl.ops[method]
        self.seq += 1
        msg = bytearray(self.nl._encode_message(op, vals, None, self.seq))
        if op.yaml['do'].get('reply'):
            struct.pack_into('=H', msg, 6, struct.unpack_from('=H', msg, 6)[0] & ~NLM_F_ACK)
        msg = bytes(msg)
        hit = False
        if n:
            self.faults.arm(n)
        try:
            self.sock.send(msg)
            err = None
        except OSError as e:
            err = 'send ' + errno.errorcode.get(e.errno, str(e.errno))
        finally:
            if n:
                hit = self.faults.disarm()
        if err:
            return Outcome(err, hit=hit)
        while True:
            # a blocking socket (a timeout would poll() between the arming
            # and sendmsg()), but a reply that never comes is a failure
            if not select.select([self.sock], [], [], 120)[0]:
                return Outcome('no reply', hit=hit)
            try:
                data = self.sock.recv(1 << 18)
            except OSError as e:
                # the error or acknowledgement could not be allocated
                return Outcome('recv ' + errno.errorcode.get(e.errno, str(e.errno)), hit=hit)
            for m in NlMsgs(data, attr_space=op.attr_set):
                if m.nl_seq != self.seq:
                    continue
                if m.error:
                    e = errno.errorcode.get(-m.error, str(-m.error))
                    return Outcome(e, hit=hit, detail=(m.extack or {}).get('msg'))
                if m.done:
                    return Outcome(None, {}, hit)     # the acknowledgement
                decoded = self.nl.nlproto.decode(self.nl, m, op)
                rep = self.nl._decode(decoded.raw_attrs, op.attr_set.name)
                st = rep.get('status', 0)
                if st:
                    return Outcome(sspi_status_name(st), rep, hit)
                return Outcome(None, rep, hit)


STATUS_NAMES = {v: k for k, v in vars(sspi_nl).items()
                if k.startswith(('SEC_E_', 'SEC_I_')) and isinstance(v, int)}
STATUS_NAMES[SEC_E_INSUFFICIENT_MEMORY] = 'SEC_E_INSUFFICIENT_MEMORY'


def sspi_status_name(st):
    return STATUS_NAMES.get(st, '%#x' % st)


IOC_MSG = struct.Struct('=IIQIIIIQ16s')     # struct sspi_ioc_message
IOC_BUF = struct.Struct('=IIQ')             # struct sspi_ioc_buffer
STATUS_UNSET = 0x7fffffff
IOC = {'encrypt': 1, 'decrypt': 2, 'sign': 3, 'verify': 4}


class Ioctl:
    """/dev/sspi: the buffers in user memory, the fault armed around the
    ioctl() alone."""

    def __init__(self, faults):
        self.faults = faults
        self.fd = os.open('/dev/sspi', os.O_RDWR)

    def do(self, cmd, handle, bufs, qop=0, n=0, flags=0):
        mem = [ctypes.create_string_buffer(bytes(d), len(d)) if d is not None else None
               for _, d in bufs]
        arr = ctypes.create_string_buffer(IOC_BUF.size * len(bufs))
        for i, (t, _) in enumerate(bufs):
            m = mem[i]
            IOC_BUF.pack_into(arr, i * IOC_BUF.size, t, len(m.raw) if m else 0,
                              ctypes.addressof(m) if m else 0)
        # status: a value no status has, to see that it was written
        msg = bytearray(IOC_MSG.pack(IOC_MSG.size, flags, handle, qop, 0, STATUS_UNSET, len(bufs),
                                     ctypes.addressof(arr), b''))
        req = (3 << 30) | (IOC_MSG.size << 16) | (0xB9 << 8) | IOC[cmd]
        hit = False
        if n:
            self.faults.arm(n)
        try:
            fcntl.ioctl(self.fd, req, msg)
            err = None
        except OSError as e:
            err = errno.errorcode.get(e.errno, str(e.errno))
        finally:
            if n:
                hit = self.faults.disarm()
        status = IOC_MSG.unpack_from(msg)[5]
        out = []
        for i in range(len(bufs)):
            t, ln, addr = IOC_BUF.unpack_from(arr, i * IOC_BUF.size)
            out.append((t, ctypes.string_at(addr, ln) if addr and ln else b''))
        if err == 'ENOMEM' and status != SEC_E_INSUFFICIENT_MEMORY:
            # "status is written whenever the request reached a context"
            err = 'ENOMEM, status ' + ('not written' if status == STATUS_UNSET else
                                       sspi_status_name(status))
        return Outcome(err, out, hit)


class Pair:
    """A variant's two contexts, and its messages through either transport:
    what tx seals or signs, rx opens or verifies."""

    def __init__(self, t, pkg, blobs, qop):
        self.t, self.pkg, self.qop = t, pkg, qop
        self.blobs = blobs
        self.h = [self.import_(i) for i in (0, 1)]
        info = t.nl.do('ctx-get', {'ctx-handle': self.h[0]})
        self.sizes = info['ctx-sizes']
        # rc4-hmac needs a PADDING buffer; the AES enctypes take one
        self.krb5 = info.get('ctx-negotiated', pkg) == 'Kerberos'
        self.counter = 0

    def import_vals(self, i):
        pkg, blob = self.blobs[i]
        return {'pkg-name': pkg, 'ctx-import': blob}

    def import_(self, i):
        return self.t.nl.do('ctx-import', self.import_vals(i))['ctx-handle']

    def delete(self):
        for h in self.h:
            self.t.nl.do('ctx-delete', {'ctx-handle': h})

    def reset(self):
        """A new pair of the same keys, after a failure left this one out
        of step."""
        for h in self.h:
            try:
                self.t.nl.do('ctx-delete', {'ctx-handle': h})
            except sspi_nl.NlError:
                pass
        self.h = [self.import_(i) for i in (0, 1)]

    def message(self):
        self.counter += 1
        return b'%08d' % self.counter + secrets.token_bytes(secrets.randbelow(200) + 100)

    # the layouts: (type, bytes) for input, (type, int) for room
    def seal_bufs(self, data):
        s = self.sizes
        if self.pkg == 'Schannel':
            return [(HEADER, s['stream-header']), (DATA, data),
                    (TRAILER, s['stream-trailer']), (EMPTY, 0)]
        bufs = [(TOKEN, s['security-trailer']), (DATA, data)]
        if self.krb5:
            bufs.append((PADDING, max(s.get('block-size', 1), 1)))
        return bufs

    def wire(self, out):
        return b''.join(d for _, d in out)

    def unseal_bufs(self, wire):
        if self.pkg == 'Schannel':
            return [(DATA, wire), (EMPTY, 0), (EMPTY, 0), (EMPTY, 0)]
        return [(STREAM, wire), (DATA, 0)]

    def plain(self, out):
        for t, d in out:
            if t == DATA:
                return d
        return None

    def seal(self, via, data, n=0, who=0):
        if via == 'netlink':
            o = self.t.netlink.do('encrypt', {'ctx-handle': self.h[who], 'qop': self.qop,
                                              'buffer': bufs_nl(self.seal_bufs(data))}, n)
            if o.ok:
                o.rep = reply_bufs(o.rep)
        else:
            o = self.t.ioctl.do('encrypt', self.h[who], bufs_ioc(self.seal_bufs(data)),
                                self.qop, n, IOC_FLAGS[via])
        return o

    def unseal(self, via, wire, n=0, who=1):
        if via == 'netlink':
            o = self.t.netlink.do('decrypt', {'ctx-handle': self.h[who],
                                              'buffer': bufs_nl(self.unseal_bufs(wire))}, n)
            if o.ok:
                o.rep = reply_bufs(o.rep)
        else:
            o = self.t.ioctl.do('decrypt', self.h[who], bufs_ioc(self.unseal_bufs(wire)),
                                0, n, IOC_FLAGS[via])
        return o

    def sign(self, via, data, n=0):
        bufs = [(DATA, data), (TOKEN, self.sizes['max-signature'])]
        if via == 'netlink':
            o = self.t.netlink.do('sign', {'ctx-handle': self.h[0],
                                           'buffer': bufs_nl(bufs)}, n)
            if o.ok:
                o.rep = reply_bufs(o.rep)
        else:
            o = self.t.ioctl.do('sign', self.h[0], bufs_ioc(bufs), 0, n)
        return o

    def verify(self, via, data, tok, n=0):
        bufs = [(DATA, data), (TOKEN, tok)]
        if via == 'netlink':
            return self.t.netlink.do('verify', {'ctx-handle': self.h[1],
                                                'buffer': bufs_nl(bufs)}, n)
        return self.t.ioctl.do('verify', self.h[1], bufs_ioc(bufs), 0, n)

    def token(self, out):
        for t, d in out:
            if t == TOKEN:
                return d
        return None

    def roundtrip(self, via='netlink', who=0):
        """A genuine message from context @who to the other, unarmed: None,
        or what went wrong."""
        data = self.message()
        o = self.seal(via, data, who=who)
        if not o.ok:
            return 'seal: %s' % o.err
        o = self.unseal(via, self.wire(o.rep), who=1 - who)
        if not o.ok:
            return 'unseal: %s' % o.err
        if self.plain(o.rep) != data:
            return 'unseal: wrong plaintext'
        return None


def bufs_nl(bufs):
    return [{'type': t, 'len': v} if isinstance(v, int) else {'type': t, 'data': bytes(v)}
            for t, v in bufs]


def bufs_ioc(bufs):
    return [(t, bytes(v) if v else None) if isinstance(v, int) else (t, v) for t, v in bufs]


def reply_bufs(rep):
    return [(b['type'], bytes(b['data']) if 'data' in b else b'') for b in rep.get('buffer', [])]


# --- the fault loops ---------------------------------------------------------

class Transports:
    def __init__(self, nl, faults):
        self.nl = nl
        self.netlink = Netlink(nl, faults)
        self.ioctl = Ioctl(faults)


def count_contexts(nl):
    return len(nl.dump('ctx-get', {}))


def loop(what, attempt, max_n, stats, reset=None):
    """attempt(n) for n = 1, 2, ... until it ran without its fault.
    attempt returns the Outcome and None or what went wrong after it."""
    injected, ended = 0, {}
    n, before = 0, len(failures)
    while True:
        n += 1
        if n > max_n:
            fail('%s: still failing allocations after %d runs' % (what, max_n))
            break
        try:
            o, wrong = attempt(n)
        except (sspi_nl.NlError, OSError, KeyError, TypeError) as e:
            # an unfaulted request of the checks failed
            o, wrong = Outcome(hit=True), 'after it: %r' % e
        if o.hit:
            injected += 1
        if not o.ok:
            ended[o.err] = ended.get(o.err, 0) + 1
        if not o.ok and not clean_error(o.err):
            fail('%s: fault %d: %s%s%s' % (what, n, o.err, ' (%s)' % o.detail if o.detail else '',
                                            '' if o.hit else ' (none injected)'))
        elif not o.ok and not o.hit:
            fail('%s: fault %d: %s, but no fault was injected' % (what, n, o.err))
        if wrong:
            fail('%s: fault %d (%s): %s' % (what, n, o.err or 'ok', wrong))
        if wrong or not o.hit:
            if wrong and reset:
                reset()
            break
    stats['runs'] += n
    stats['injected'] += injected
    print('%s %s: %d runs, %d faults injected%s' % (
        'FAIL' if len(failures) > before else 'ok', what, n, injected,
        ''.join(', %s %d' % kv for kv in sorted(ended.items()))), flush=True)


def run_variant(t, faults, pkg, name, blobs, qop, args, stats):
    nl = t.nl
    try:
        pair = Pair(t, pkg, blobs(), qop)
    except sspi_nl.NlError as err:
        if err.error == errno.ENOPKG:
            print('skip %s %s: not available in this kernel' % (pkg, name), flush=True)
            return
        raise
    can_sign = pkg != 'Schannel'        # MakeSignature, VerifySignature
    can_update = pkg == 'Schannel'      # CTX_UPDATE_KEYS
    label = '%s %s' % (pkg, name)

    wrong = pair.roundtrip()
    if wrong:
        fail('%s: a pair that does not work unfaulted: %s' % (label, wrong))
        pair.delete()
        return

    # CTX_IMPORT of one side (of each in the long pass), against its peer
    for i in ((0, 1) if args.long else (0,)):
        def attempt(n, i=i):
            before = count_contexts(nl)
            o = t.netlink.do('ctx-import', pair.import_vals(i), n)
            if not o.ok:
                after = count_contexts(nl)
                return o, (None if after == before else
                           'contexts %d before, %d after a failed import' % (before, after))
            old = pair.h[i]
            pair.h[i] = o.rep['ctx-handle']
            # the new context takes over where the old one stood (none
            # used a sequence number since its import: fresh contexts)
            nl.do('ctx-delete', {'ctx-handle': old})
            other = pair.import_(1 - i)
            nl.do('ctx-delete', {'ctx-handle': pair.h[1 - i]})
            pair.h[1 - i] = other
            return o, pair.roundtrip(who=0) or pair.roundtrip(who=1)
        loop('%s: import (%s)' % (label, ('initiator/tx', 'acceptor/rx')[i]), attempt,
             args.max_n, stats[pkg], pair.reset)

    if can_update:
        for d, who in ((1, 0), (2, 1)):
            def attempt(n, d=d, who=who):
                # a record sequence number that tells whether the keys
                # were taken: the acknowledgement can be lost after they were
                seq = 1000000 * n
                k = sspi_nl.keys(secrets.token_bytes(keylen_of(pair)), secrets.token_bytes(12),
                                 seq)
                kvals = {'key': k['key'].ljust(64, '0'), 'iv': k['iv'], 'rec-seq': k['seq']}
                # (ynl empties the dict it encodes a struct from: copies)
                o = t.netlink.do('ctx-update-keys', {'ctx-handle': pair.h[who],
                                                     'direction': d, 'keys': dict(kvals)}, n)
                info = nl.do('ctx-get', {'ctx-handle': pair.h[who]})
                taken = info['ctx-tx-seq' if d == 1 else 'ctx-rx-seq'] == seq
                if o.ok != taken and o.err != 'recv ENOBUFS':
                    return o, 'keys %s' % ('taken' if taken else 'not taken')
                if taken:
                    # the other side takes the same keys, unfaulted
                    nl.do('ctx-update-keys', {'ctx-handle': pair.h[1 - who],
                                              'direction': 3 - d, 'keys': dict(kvals)})
                return o, pair.roundtrip(who=0)
            loop('%s: update-keys (%s)' % (label, ('tx', 'rx')[d - 1]), attempt, args.max_n,
                 stats[pkg], pair.reset)

    for via in ('netlink', 'ioctl', 'ioctl-pin'):
        def seal(n, via=via):
            data = pair.message()
            o = pair.seal(via, data, n)
            if o.ok:
                u = pair.unseal('netlink', pair.wire(o.rep))
                if not u.ok or pair.plain(u.rep) != data:
                    return o, 'its message does not open: %s' % (u.err or 'wrong plaintext')
            return o, pair.roundtrip()

        def unseal(n, via=via):
            data = pair.message()
            s = pair.seal('netlink', data)
            if not s.ok:
                return s, 'unfaulted seal: %s' % s.err
            wire = pair.wire(s.rep)
            o = pair.unseal(via, wire, n)
            if o.ok:
                return o, None if pair.plain(o.rep) == data else 'wrong plaintext'
            u = pair.unseal('netlink', wire)
            return o, (None if u.ok and pair.plain(u.rep) == data else
                       'the message does not open after the failure: %s' % (
                           u.err or 'wrong plaintext'))

        def sign(n, via=via):
            data = pair.message()
            o = pair.sign(via, data, n)
            if o.ok:
                v = pair.verify('netlink', data, pair.token(o.rep))
                if not v.ok:
                    return o, 'its signature does not verify: %s' % v.err
            data = pair.message()
            s = pair.sign('netlink', data)
            v = pair.verify('netlink', data, pair.token(s.rep or []))
            return o, None if s.ok and v.ok else 'next signature: %s' % (s.err or v.err)

        def verify(n, via=via):
            data = pair.message()
            s = pair.sign('netlink', data)
            if not s.ok:
                return s, 'unfaulted sign: %s' % s.err
            tok = pair.token(s.rep)
            o = pair.verify(via, data, tok, n)
            if o.ok:
                return o, None
            v = pair.verify('netlink', data, tok)
            return o, None if v.ok else 'the signature does not verify after the failure: %s' % \
                v.err

        ops = [('seal', seal), ('unseal', unseal)]
        if can_sign and via != 'ioctl-pin':
            ops += [('sign', sign), ('verify', verify)]
        for opname, fn in ops:
            loop('%s: %s %s' % (label, via, opname), fn, args.max_n, stats[pkg], pair.reset)
    pair.delete()


def keylen_of(pair):
    """The TLS pair's key length, from its import blob (struct tls-import:
    version, cipher, then the keys)."""
    return {51: 16, 52: 32, 54: 32}[struct.unpack_from('=HH', pair.blobs[0][1])[1]]


def kmemleak_check():
    """Unreferenced objects kmemleak finds now: None, or its report."""
    if not os.path.exists(KMEMLEAK):
        print('note: no kmemleak in this kernel, leaks are not looked for')
        return None
    # an object must be 5 s old to be reported, and is spared by the scan
    # that first checksums it: two scans (some 25 s each under TCG)
    time.sleep(5)
    for _ in range(2):
        with open(KMEMLEAK, 'w') as f:
            f.write('scan')
    with open(KMEMLEAK) as f:
        rep = f.read()
    return rep if 'unreferenced object' in rep else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--long', action='store_true',
                    help='every variant, both sides of each import (make fuzz)')
    ap.add_argument('--kmemleak', action='store_true',
                    help='have kmemleak scan at the end (--long does)')
    ap.add_argument('--max-n', type=int, default=3000,
                    help='most runs of one operation before it counts as a failure')
    ap.add_argument('--package', action='append',
                    help='only these packages (Schannel, Kerberos, NTLM, Negotiate)')
    args = ap.parse_args()
    start = time.monotonic()

    missing = available()
    if missing:
        if os.environ.get('SSPI_VM_KERNEL') == 'debug':
            print('FAIL the debug kernel has no fault injection: %s' % missing)
            return 1
        print('note: %s in this kernel, skipped' % missing)
        return 0

    saved = {}
    for p in PARAMS:
        with open(p) as f:
            saved[p] = f.read().strip()
        with open(p, 'w') as f:
            f.write('Y')        # rc4-hmac, 40-bit and NTLMv1 too
    nl = sspi_nl.family()
    faults = Faults()
    stats = {}
    try:
        t = Transports(nl, faults)
        for pkg, name, blobs, qop, short in VARIANTS:
            if args.package and pkg not in args.package:
                continue
            if not (short or args.long):
                continue
            stats.setdefault(pkg, {'runs': 0, 'injected': 0, 'start': time.monotonic()})
            run_variant(t, faults, pkg, name, blobs, qop, args, stats)
            stats[pkg]['end'] = time.monotonic()
    finally:
        faults.restore()
        for p, v in saved.items():
            with open(p, 'w') as f:
                f.write(v)
    for pkg, s in stats.items():
        print('# %s: %d runs, %d faults injected in %.0f s' % (
            pkg, s['runs'], s['injected'], s.get('end', s['start']) - s['start']))
    leaks = kmemleak_check() if args.kmemleak or args.long else None
    if leaks:
        fail('kmemleak found unreferenced objects')
        print('\n'.join('#   ' + ln for ln in leaks.splitlines()[:80]))
    print('# faults: %d runs, %d faults injected, %d failures in %.0f s' % (
        sum(s['runs'] for s in stats.values()), sum(s['injected'] for s in stats.values()),
        len(failures), time.monotonic() - start), flush=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
