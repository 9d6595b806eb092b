#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Many contexts at once through the "sspi" generic netlink family, for
tests/vm/scale_test.py and tests/bench/run_scale.py.

ynl spends far more per message than the kernel does, so requests here are
raw: a batch of up to BATCH messages goes out in one sendmsg() and their
replies are read back together, which makes a hundred thousand imports a
matter of the kernel's time.  The attribute and command numbers come from
the spec through ynl (tests/vm/sspi_nl.py), once."""

import os
import secrets
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sspi_nl  # noqa: E402

NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
SOL_NETLINK, NETLINK_CAP_ACK = 270, 10
SO_RCVBUFFORCE = 33
BATCH = 64
PARAMS = '/sys/module/sspi_kmod/parameters/'
LIMITS = ('max_contexts', 'max_contexts_per_user', 'max_contexts_total')

TLS13, AES_128_GCM = 0x0304, 51
NTLM_ESS_SEAL = 0x10 | 0x20 | 0x80000 | 0x20000000 | 0x40000000
KRB5_AES256_SHA1 = 18


def tls_blob(i):
    """A TLS 1.3 AES-128-GCM import whose send and receive keys are the
    same, so that what the context seals it opens itself; context @i has
    its own key and its record sequence numbers start at @i, which
    CTX_GET reports back."""
    k = sspi_nl.keys(struct.pack('>QQ', i, 0x5ca1e), struct.pack('>IQ', 7, i), seq=i)
    return sspi_nl.tls_import(TLS13, AES_128_GCM, k, k)


def krb5_blob(i):
    key = struct.pack('>QQQQ', i, 1, 2, 3)
    return sspi_nl.pack_struct('krb5-import', {
        'enctype': KRB5_AES256_SHA1, 'flags': 1, 'send-seq': i, 'recv-seq': i,
        'key-len': len(key), 'key': key})


def ntlm_blob(i):
    return sspi_nl.pack_struct('ntlm-import', {
        'negotiate-flags': NTLM_ESS_SEAL, 'flags': 1, 'send-seq': i, 'recv-seq': i,
        'session-key': struct.pack('>QQ', i, 0x5ca1e)})


def negotiate_blob(i):
    return sspi_nl.negotiate_blob(sspi_nl.NEGOTIATE_MECH_NTLM, ntlm_blob(i))


# package -> (its SSPI name, a distinct import structure for context i)
PACKAGES = {
    'TLS': ('Schannel', tls_blob),
    'Kerberos': ('Kerberos', krb5_blob),
    'NTLM': ('NTLM', ntlm_blob),
    'Negotiate': ('Negotiate', negotiate_blob),
}


class Raw:
    """One netlink socket to the family and the numbers of its spec."""

    def __init__(self):
        self.nl = sspi_nl.family()
        self.fid = self.nl.nlproto.family_id
        self.attr = {n: a.value for n, a in self.nl.attr_sets['sspi'].items()}
        self.names = {v: n for n, v in self.attr.items()}
        self.cmd = {n: op.req_value for n, op in self.nl.ops.items()}
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, sspi_nl.NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        # room for a whole batch of replies (each an skb of its own)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
        self.sock.bind((0, 0))
        self.seq = 0

    def _msg(self, cmd, attrs, flags):
        body = b''
        for name, v in attrs:
            body += sspi_nl._pad(sspi_nl._nla(self.attr[name], v))
        self.seq += 1
        genl = struct.pack('=BBH', self.cmd[cmd], 1, 0)
        return self.seq, struct.pack('=IHHII', 16 + len(genl) + len(body), self.fid,
                                     flags, self.seq, 0) + genl + body

    def _parse(self, payload):
        out = {}
        for t, v in sspi_nl._attrs(payload[4:]):
            out[self.names.get(t, t)] = v
        return out

    def _recv(self):
        """One read of the socket: (type, sequence number, payload) of
        each netlink message in it."""
        data = self.sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            mlen, mtype, _, mseq, _ = struct.unpack_from('=IHHII', data, off)
            yield mtype, mseq, data[off + 16:off + mlen]
            off += (mlen + 3) & ~3

    def _replies(self, want):
        """Read until every sequence number of @want is answered: a dict of
        seq -> (errno, attributes)."""
        got = {}
        while len(got) < len(want):
            for mtype, mseq, payload in self._recv():
                if mseq not in want:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from('=i', payload)[0]
                    if err or mseq not in got:
                        got[mseq] = (err, {})
                elif mtype == self.fid:
                    got[mseq] = (0, self._parse(payload))
        return got

    def batch(self, cmd, requests, ack=False):
        """Command @cmd once for each attribute list of @requests, BATCH at
        a time; (errno, attributes) of each reply, in order."""
        out = []
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        for start in range(0, len(requests), BATCH):
            seqs, msgs = [], []
            for attrs in requests[start:start + BATCH]:
                seq, msg = self._msg(cmd, attrs, flags)
                seqs.append(seq)
                msgs.append(msg)
            self.sock.sendall(b''.join(msgs))
            got = self._replies(set(seqs))
            out += [got[s] for s in seqs]
        return out

    def dump_handles(self):
        """The handle of every context a CTX_GET dump lists, in its order."""
        seq, msg = self._msg('ctx-get', [], NLM_F_REQUEST | NLM_F_DUMP)
        self.sock.sendall(msg)
        handles = []
        while True:
            for mtype, mseq, payload in self._recv():
                if mseq != seq:
                    continue
                if mtype == NLMSG_DONE:
                    return handles
                if mtype == NLMSG_ERROR:
                    raise OSError(-struct.unpack_from('=i', payload)[0], 'ctx-get dump')
                a = self._parse(payload)
                handles.append(struct.unpack('=Q', a['ctx-handle'])[0])

    def import_many(self, pkg, blob, first, n):
        """Import contexts @first .. @first + n - 1 of @pkg (its SSPI name),
        @blob(i) the import structure of context i; their handles, or
        raises OSError for the first refused."""
        name = pkg.encode() + b'\0'
        reqs = [[('pkg-name', name), ('ctx-import', blob(i))] for i in range(first, first + n)]
        handles = []
        for i, (err, a) in enumerate(self.batch('ctx-import', reqs)):
            if err:
                raise OSError(err, f'import of {pkg} context {first + i}: {os.strerror(err)}')
            handles.append(struct.unpack('=Q', a['ctx-handle'])[0])
        return handles

    def get_many(self, handles):
        """CTX_GET of each handle: (errno, attributes) each."""
        return self.batch('ctx-get', [[('ctx-handle', struct.pack('=Q', h))] for h in handles])

    def delete_many(self, handles):
        """CTX_DELETE of each handle: the errno of each."""
        return [e for e, _ in self.batch('ctx-delete',
                                         [[('ctx-handle', struct.pack('=Q', h))]
                                          for h in handles], ack=True)]


def u64(v):
    return struct.unpack('=Q', v)[0]


def read_limits():
    out = {}
    for p in LIMITS:
        with open(PARAMS + p) as f:
            out[p] = int(f.read())
    return out


def write_limits(vals):
    for p, v in vals.items():
        with open(PARAMS + p, 'w') as f:
            f.write(str(v))


def meminfo():
    """/proc/meminfo in bytes."""
    out = {}
    with open('/proc/meminfo') as f:
        for line in f:
            k, v = line.split(':')
            v = v.split()
            out[k] = int(v[0]) * (1024 if len(v) > 1 else 1)
    return out


def kernel_bytes():
    """Slab (reclaimable and not) plus kernel stacks: what the contexts cost
    the kernel, coarsely."""
    m = meminfo()
    return m['Slab'] + m['KernelStack']


def random_handle():
    return secrets.randbits(64) | 1
