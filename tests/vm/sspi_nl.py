#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of the VM tests: the "sspi" generic netlink family through the
kernel's own ynl library and Documentation/netlink/specs/sspi.yaml, and
status and buffer numbers from <linux/sspi.h>."""

import ctypes
import os
import secrets
import shutil
import socket
import struct
import sys
import tempfile

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KTREE = os.path.join(os.environ.get('SSPI_CACHE', os.path.expanduser('~/.cache/sspi_kmod')),
                     'linux-6.12')
# The tests drop privileges: give them copies every user can read.
WORK = tempfile.mkdtemp(prefix='sspi-ynl.')
os.chmod(WORK, 0o755)
shutil.copytree(os.path.join(KTREE, 'tools/net/ynl/lib'), os.path.join(WORK, 'lib'))
SPEC = shutil.copy(os.path.join(TOP, 'Documentation/netlink/specs/sspi.yaml'), WORK)
SCHEMA = shutil.copy(os.path.join(KTREE, 'Documentation/netlink/genetlink-legacy.yaml'), WORK)
sys.path.insert(0, WORK)
import lib.ynl  # noqa: E402,F401 -- tests reset its family cache
from lib import YnlFamily, NlError  # noqa: E402

SEC_E_OK = 0
SEC_E_INVALID_HANDLE = 0x80090301
SEC_E_MESSAGE_ALTERED = 0x8009030F
SEC_E_CONTEXT_EXPIRED = 0x80090317
SEC_E_INCOMPLETE_MESSAGE = 0x80090318
SEC_E_INVALID_TOKEN = 0x80090308
SEC_I_CONTEXT_EXPIRED = 0x00090317
SEC_I_RENEGOTIATE = 0x00090321
QOP_TLS_HANDSHAKE = 0x00010000
STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY, MISSING, EXTRA = 7, 1, 6, 0, 4, 5
OOB = 0x40000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_DUMPABLE = 4

failures = []


def check(cond, what):
    print(('ok ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def family():
    return YnlFamily(SPEC, SCHEMA)


def keys(key, iv, seq=0):
    return {'key': key.hex(), 'iv': iv.hex(), 'seq': seq.to_bytes(8, 'big').hex()}


with open(SPEC) as f:
    STRUCTS = {d['name']: d for d in yaml.safe_load(f)['definitions'] if d['type'] == 'struct'}


def pack_struct(name, vals):
    """The bytes of struct NAME as sspi.yaml declares it (native endian, no
    padding: scripts/netlink-gen --check holds the header to that).  ctx-import
    takes them as bytes, the struct depending on pkg-name."""
    out = b''
    for m in STRUCTS[name]['members']:
        v = vals.get(m['name'])
        if m['type'] == 'binary':
            out += (bytes.fromhex(v) if isinstance(v, str) else bytes(v or b'')).ljust(
                m['len'], b'\0')
        else:
            out += struct.pack('=' + {'u8': 'B', 'u16': 'H', 'u32': 'I', 'u64': 'Q'}[m['type']],
                               v or 0)
    return out


def tls_import(version, cipher, tx, rx, **extra):
    imp = {'version': version, 'cipher': cipher}
    for d, k in (('tx', tx), ('rx', rx)):
        imp[d + '-key'] = k['key']
        imp[d + '-iv'] = k['iv']
        imp[d + '-rec-seq'] = k['seq']
    imp.update(extra)
    return pack_struct('tls-import', imp)


def import_pair(nl, version=0x0304, cipher=51, keylen=16):
    """Two contexts with mirrored keys: what one seals, the other opens."""
    a = keys(secrets.token_bytes(keylen), secrets.token_bytes(12))
    b = keys(secrets.token_bytes(keylen), secrets.token_bytes(12))
    h1 = nl.do('ctx-import', {'pkg-name': 'Schannel',
                              'ctx-import': tls_import(version, cipher, a, b)})
    h2 = nl.do('ctx-import', {'pkg-name': 'Schannel',
                              'ctx-import': tls_import(version, cipher, b, a)})
    return h1['ctx-handle'], h2['ctx-handle']


def seal(nl, handle, data, qop=0, hlen=5, tlen=17):
    rep = nl.do('encrypt', {'ctx-handle': handle, 'qop': qop, 'buffer': [
        {'type': STREAM_HEADER, 'len': hlen}, {'type': DATA, 'data': data.hex()},
        {'type': STREAM_TRAILER, 'len': tlen}, {'type': EMPTY, 'len': 0}]})
    if rep['status'] != SEC_E_OK:
        return rep['status'], None
    return SEC_E_OK, b''.join(bytes(b['data']) for b in rep['buffer'][:3])


def unseal(nl, handle, rec):
    rep = nl.do('decrypt', {'ctx-handle': handle, 'buffer': [
        {'type': DATA, 'data': rec.hex()}] + [{'type': EMPTY, 'len': 0}] * 3})
    return rep


def buf(rep, btype):
    for b in rep.get('buffer', []):
        if b['type'] == btype:
            return b
    return None


def errno_of(fn):
    try:
        fn()
    except NlError as e:
        return e.error, (e.nl_msg.extack or {})
    return 0, {}


def in_child(fn):
    """Run fn() in a forked child; its exit status is fn's return value."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(fn())
        except BaseException as e:  # noqa: B902 -- report anything
            print('child:', repr(e))
            os._exit(99)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


libc = ctypes.CDLL(None, use_errno=True)


def unshare(flags):
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), 'unshare')




# The Kerberos package (Documentation/kerberos.rst): import, and the
# message commands with SecBuffers given as (type, bytes) for input or
# (type, int) for room to fill; replies as (type, bytes).
TOKEN, PADDING, STREAM = 2, 9, 10
READONLY_WITH_CHECKSUM = 0x10000000
READONLY = 0x80000000
QOP_WRAP_NO_ENCRYPT = 0x80000001
SEC_E_OUT_OF_SEQUENCE = 0x80090310
KRB5_F_INITIATOR, KRB5_F_ACCEPTOR_SUBKEY = 0x1, 0x2
KRB5_F_REPLAY, KRB5_F_SEQUENCE, KRB5_F_DCE_STYLE = 0x4, 0x8, 0x10


def krb5_import(nl, enctype, key, flags=0, send_seq=0, recv_seq=0, expiry=None):
    """A "Kerberos" context from its parts; its handle."""
    req = {'pkg-name': 'Kerberos',
           'ctx-import': pack_struct('krb5-import', {
               'enctype': enctype, 'flags': flags, 'send-seq': send_seq,
               'recv-seq': recv_seq, 'key-len': len(key), 'key': key})}
    if expiry is not None:
        req['ctx-expiry'] = expiry
    return nl.do('ctx-import', req)['ctx-handle']


NEGOTIATE_MECH_KERBEROS, NEGOTIATE_MECH_NTLM = 1, 2
SEC_E_SECPKG_NOT_FOUND = 0x80090305


def negotiate_blob(mech, inner, extra=0):
    """struct sspi_negotiate_import: the header, then the mechanism's own
    import structure; @extra is added to the header's len (a test's lie)."""
    return pack_struct('negotiate-import', {'mech': mech, 'len': len(inner) + extra}) + inner


def negotiate_import(nl, mech, inner, expiry=None):
    """A "Negotiate" context carrying mechanism @mech's import @inner; its
    handle."""
    req = {'pkg-name': 'Negotiate', 'ctx-import': negotiate_blob(mech, inner)}
    if expiry is not None:
        req['ctx-expiry'] = expiry
    return nl.do('ctx-import', req)['ctx-handle']


def _bufs(bufs):
    return [{'type': t, 'len': v} if isinstance(v, int) else {'type': t, 'data': bytes(v)}
            for t, v in bufs]


def _reply_bufs(rep):
    # an empty buffer comes back as SSPI_BUF_LEN 0, not as empty data
    return [(b['type'], bytes(b['data']) if 'data' in b else
             b'' if not b.get('len') else b['len']) for b in rep.get('buffer', [])]


def encrypt(nl, handle, bufs, qop=0):
    """EncryptMessage: (status, buffers)."""
    rep = nl.do('encrypt', {'ctx-handle': handle, 'qop': qop, 'buffer': _bufs(bufs)})
    return rep['status'], _reply_bufs(rep)


def decrypt(nl, handle, bufs):
    """DecryptMessage: (status, qop, buffers)."""
    rep = nl.do('decrypt', {'ctx-handle': handle, 'buffer': _bufs(bufs)})
    return rep['status'], rep.get('qop', 0), _reply_bufs(rep)


def sign(nl, handle, bufs, qop=0):
    """MakeSignature on [DATA..., TOKEN(room)]: (status, buffers)."""
    rep = nl.do('sign', {'ctx-handle': handle, 'qop': qop, 'buffer': _bufs(bufs)})
    return rep['status'], _reply_bufs(rep)


def verify(nl, handle, bufs):
    """VerifySignature on [DATA..., TOKEN]: (status, qop)."""
    rep = nl.do('verify', {'ctx-handle': handle, 'buffer': _bufs(bufs)})
    return rep['status'], rep.get('qop', 0)


# Buffers at the edge of what one attribute holds.  ynl pads every
# attribute and counts a nest up to its padded end, so it cannot send a
# buffer of 65517 to 65519 bytes, and it parses a reply nest whose length
# wrapped to 0 forever.  raw_message() sends and reads the message itself:
# each SSPI_A_BUFFER nest ends at its last attribute's unpadded end (the
# most a u16 length lets a request carry), and a malformed reply is an
# exception, not a hang.
NLA_F_NESTED = 0x8000
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_ACK, NLM_F_ACK_TLVS = 0x1, 0x4, 0x200
NETLINK_GENERIC, SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 16, 270, 10, 11
NLMSGERR_ATTR_MSG = 1


def _nla(atype, payload):
    return struct.pack('=HH', 4 + len(payload), atype) + payload


def _pad(b):
    return b + bytes(-len(b) % 4)


def _attrs(data):
    """(type, payload) of each attribute in @data; ValueError for a length
    that does not fit, as a wrapped one."""
    out, off = [], 0
    while off < len(data):
        if len(data) - off < 4:
            raise ValueError(f'attribute header cut at {off}')
        alen, atype = struct.unpack_from('=HH', data, off)
        if alen < 4 or off + alen > len(data):
            raise ValueError(f'attribute at {off} with length {alen} of {len(data) - off}')
        out.append((atype & 0x3fff, data[off + 4:off + alen]))
        off += (alen + 3) & ~3
    return out


def raw_message(nl, cmd, handle, bufs, seqno=None):
    """Command @cmd ('encrypt', 'decrypt', ...) on @handle with @bufs as
    (type, bytes) for data or (type, int) for room.  Returns (0, status,
    buffers) -- the reply's buffers as (type, bytes) or (type, int) for a
    length -- or (errno, extack message, None) for a refused request.
    ValueError for a reply that does not parse."""
    a = nl.attr_sets['sspi']
    b = nl.attr_sets['buffer']
    body = _pad(_nla(a['ctx-handle'].value, struct.pack('=Q', handle)))
    if seqno is not None:
        body += _nla(a['seqno'].value, struct.pack('=I', seqno))
    for t, v in bufs:
        inner = _nla(b['type'].value, struct.pack('=I', t))
        if isinstance(v, int):
            inner += _nla(b['len'].value, struct.pack('=I', v))
        else:
            inner += _nla(b['data'].value, bytes(v))   # unpadded: the nest's end
        body += _pad(_nla(a['buffer'].value | NLA_F_NESTED, inner))
    seq = secrets.randbelow(1 << 30) + 1
    genl = struct.pack('=BBH', nl.ops[cmd].req_value, 1, 0)
    msg = struct.pack('=IHHII', 16 + len(genl) + len(body), nl.nlproto.family_id,
                      NLM_F_REQUEST | NLM_F_ACK, seq, 0) + genl + body
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        sock.sendall(msg)
        reply = None
        while True:
            data = sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from('=IHHII', data, off)
                if mlen < 16 or off + mlen > len(data):
                    raise ValueError(f'netlink message length {mlen}')
                payload = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from('=i', payload)[0]
                    ext = ''
                    if mflags & NLM_F_ACK_TLVS:
                        for t, v in _attrs(payload[4 + 16:]):
                            if t == NLMSGERR_ATTR_MSG:
                                ext = v.rstrip(b'\0').decode()
                    if err:
                        return err, ext, None
                    if reply is None:
                        raise ValueError('an ack without a reply')
                    return reply
                if mtype != nl.nlproto.family_id:
                    continue
                status, out = None, []
                for t, v in _attrs(payload[4:]):
                    if t == a['status'].value:
                        status = struct.unpack('=I', v)[0]
                    elif t == a['buffer'].value:
                        bt, bv = None, None
                        for it, iv in _attrs(v):
                            if it == b['type'].value:
                                bt = struct.unpack('=I', iv)[0]
                            elif it == b['data'].value:
                                bv = iv
                            elif it == b['len'].value:
                                bv = struct.unpack('=I', iv)[0]
                        out.append((bt, bv))
                reply = (0, status, out)
    finally:
        sock.close()
