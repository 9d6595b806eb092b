#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fuzz_iface.py [--count N] [--seed S]

Random requests to sspi_kmod's two userspace interfaces, run in the guest
(scripts/vm-run) with the module loaded; "make fuzz" runs it with the full
count, tests/vm/fuzz_iface_test.sh briefly in "make check".

  netlink	raw generic netlink messages to the "sspi" family: random
		commands (known and unknown), flags (dump or not), and
		attributes -- known and unknown types, the nested flag, nesting
		up to three deep, payloads of every length from 0 to 66000
		bytes, integers, package names, real handles, genuine import
		structures altered -- each answered within 10 s;
  ioctl		/dev/sspi: the four ioctls and unknown ones, messages of
		every size, with bad flags and reserved fields, unknown and real
		handles, 0 to 20 buffers, arrays and buffers at NULL, unmapped,
		kernel, read-only and overlapping addresses, lengths at and
		past every limit.

Each runs N of each, interleaved, on the same contexts (its own, where
it may import them, and root's), as root in the initial network
namespace, as nobody there, as root in a new network namespace, and as
nobody in a new user and network namespace, from seed S (random.Random).
Afterwards a new pair of TLS contexts must still seal and unseal through
netlink.  The kernel's reports (KASAN, UBSAN, lockdep,
kmemleak) are judged by scripts/vm-run.  Exit status 1 on a request left
unanswered, an identity's run dying, or the module failing afterwards.
"""

import argparse
import ctypes
import errno
import mmap
import os
import random
import socket
import struct
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sspi_nl  # noqa: E402

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
NOBODY = 65534

IOC_MAGIC = 0xB9
MSG = struct.Struct('=IIQIIIIQ16s')    # struct sspi_ioc_message
BUF = struct.Struct('=IIQ')            # struct sspi_ioc_buffer
PKGS = [b'Schannel', b'Kerberos', b'NTLM', b'Negotiate', b'', b'schannel',
        b'X' * 63, b'X' * 64, b'Schannel\0junk']
BUFTYPES = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 0x10, 0xffff]
FLAGS = [0, 0, 0, 0x80000000, 0x10000000, 0x40000000, 0xf0000000]
EDGES = [0, 1, 4, 5, 16, 17, 48, 65535, 65536, 65519, 65520, 1 << 20, (1 << 20) + 1,
         0x7fffffff, 0xffffffff]

EMPTY, DATA, TOKEN, HEADER, TRAILER, STREAM = 0, 1, 2, 7, 6, 10


def spec_tables():
    """The family's attributes and operations, from its YAML spec:
    {set: {name: (number, type)}} and {op: (command, [request attrs])}."""
    with open(sspi_nl.SPEC) as f:
        spec = yaml.safe_load(f)
    sets = {}
    for aset in spec['attribute-sets']:
        n, attrs = -1, {}
        for a in aset['attributes']:
            n = a.get('value', n + 1)
            attrs[a['name']] = (n, a['type'])
        sets[aset['name']] = attrs
    ops, n = {}, 0
    for op in spec['operations']['list']:
        n = op.get('value', n + 1)
        req = (op.get('do') or op.get('dump') or {}).get('request') or {}
        ops[op['name']] = (n, req.get('attributes') or [])
    return sets, ops


libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]


def ioc_wr(nr, size):
    return (3 << 30) | (size << 16) | (IOC_MAGIC << 8) | nr


def nla(atype, payload):
    payload = payload[:65531]       # a longer one cannot be said
    out = struct.pack('=HH', 4 + len(payload), atype) + payload
    return out + b'\0' * (-len(out) % 4)


def family_id():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    body = struct.pack('=BBH', CTRL_CMD_GETFAMILY, 1, 0) + nla(CTRL_ATTR_FAMILY_NAME, b'sspi\0')
    s.send(struct.pack('=IHHII', 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + body)
    data = s.recv(65536)
    s.close()
    off = 20
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from('=HH', data, off)
        if atype == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from('=H', data, off + 4)[0]
        off += (alen + 3) & ~3
    raise RuntimeError('no "sspi" generic netlink family')


class Fuzz:
    def __init__(self, rnd, handles, blobs):
        self.r = rnd
        self.handles = handles      # real contexts' handles, may be gone
        self.blobs = blobs          # genuine import structures, by package
        self.sets, self.ops = spec_tables()

    # ---- netlink, shaped as the spec says, values at and past the edges
    def value(self, op, name, atype):
        r = self.r
        if name == 'buffer':
            buf = self.sets['buffer']
            out = nla(buf['type'][0], struct.pack('=I', r.choice(BUFTYPES) | r.choice(FLAGS)))
            if r.random() < 0.6:
                n = r.choice([0, 1, 5, 16, 100, 1000, 65519, 65520, 70000, r.randrange(2000)])
                out += nla(buf['data'][0], r.randbytes(min(n, 65531)))
            else:
                out += nla(buf['len'][0], struct.pack('=I', r.choice(EDGES + [5, 17, 16, 60])))
            return out
        if name == 'pkg-name':
            return r.choice(PKGS[:4] * 3 + PKGS) + b'\0'
        if name == 'ctx-import':
            pkg, blob = r.choice(self.blobs)
            blob = bytearray(blob)
            if r.random() < 0.5 and blob:
                blob[r.randrange(len(blob))] ^= 1 << r.randrange(8)
            if r.random() < 0.2:
                blob = blob[:r.randrange(len(blob) + 1)] + r.randbytes(r.randrange(3))
            return bytes(blob)
        if name == 'ctx-handle':
            # deleting is the end of a context: rarely a real one
            if op == 'ctx-delete' and r.random() < 0.9:
                return struct.pack('=Q', r.getrandbits(64))
            return struct.pack('=Q', r.choice(self.handles * 3 + [0, 2 ** 64 - 1,
                                                                 r.getrandbits(64)]))
        if name == 'keys':
            return r.randbytes(r.choice([0, 16, 28, 32, 44, 60, r.randrange(200)]))
        if atype == 'u64':
            now = int(time.time())
            return struct.pack('=Q', r.choice([0, now - 1, now + 2, now + 10 ** 6,
                                               2 ** 63, 2 ** 64 - 1]))
        if atype == 'u32':
            return struct.pack('=I', r.choice([0, 1, 2, 3, 0x80000001, 0xffffffff,
                                               r.getrandbits(32)]))
        return self.payload(1)

    def shaped(self):
        r = self.r
        name = r.choice(list(self.ops))
        cmd, names = self.ops[name]
        attrs = self.sets['sspi']
        body = b''
        for a in names:
            if r.random() < 0.1:
                continue
            n, atype = attrs[a]
            for _ in range(r.choice([1, 1, 1, 2, 3, 4]) if a == 'buffer' else 1):
                body += nla(n | (NLA_F_NESTED if atype == 'nest' else 0),
                            self.value(name, a, atype))
        if r.random() < 0.1:
            body += self.attr()
        return cmd, body

    # ---- netlink
    def payload(self, depth):
        r = self.r
        k = r.randrange(10)
        if k == 0:
            return b''
        if k == 1:
            return r.randbytes(r.choice([1, 2, 4, 8]))
        if k == 2:
            return r.choice(PKGS) + (b'\0' if r.random() < 0.7 else b'')
        if k == 3:
            return struct.pack('=Q', r.choice(self.handles + [0, 1, 2 ** 64 - 1]))
        if k == 4:
            blob = bytearray(r.choice(self.blobs)[1])
            for _ in range(r.randrange(4)):
                if blob:
                    blob[r.randrange(len(blob))] ^= 1 << r.randrange(8)
            return bytes(blob[:r.randrange(len(blob) + 2)])
        if k == 5 and depth < 3:
            return b''.join(self.attr(depth + 1) for _ in range(r.randrange(6)))
        if k == 6:
            return r.randbytes(r.choice(EDGES[:9] + [r.randrange(66000)]) % 66000)
        return r.randbytes(r.randrange(300))

    def attr(self, depth=0):
        r = self.r
        atype = r.randrange(32)
        if r.random() < 0.2:
            atype |= NLA_F_NESTED
        return nla(atype, self.payload(depth))

    def netlink_one(self, sock, fam, seq):
        r = self.r
        flags = NLM_F_REQUEST | (NLM_F_ACK if r.random() < 0.8 else 0)
        if r.random() < 0.7:
            cmd, attrs = self.shaped()
            if r.random() < 0.1:
                flags |= NLM_F_DUMP
        else:
            cmd = r.randrange(14)
            attrs = b''.join(self.attr() for _ in range(r.randrange(8)))
            if r.random() < 0.2:
                flags |= NLM_F_DUMP
        body = struct.pack('=BBH', cmd, 1 if r.random() < 0.9 else r.randrange(256), 0)
        body += attrs
        msg = struct.pack('=IHHII', 16 + len(body), fam, flags, seq, 0) + body
        if r.random() < 0.05:
            # a length that lies: the kernel may drop it without a word
            msg = struct.pack('=I', r.choice([16, 19, 20, len(msg) - 1])) + msg[4:]
            flags = 0
        drain(sock)
        try:
            sock.send(msg)
        except OSError as e:
            return 'send ' + errno.errorcode.get(e.errno, str(e.errno))
        if not flags & (NLM_F_ACK | NLM_F_DUMP):
            return 'no answer asked'
        while True:
            data = sock.recv(1 << 17)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, _, mseq, _ = struct.unpack_from('=IHHII', data, off)
                if mseq == seq and mtype == NLMSG_ERROR:
                    return 'errno %d' % -struct.unpack_from('=i', data, off + 16)[0]
                if mseq == seq and mtype == NLMSG_DONE:
                    return 'done'
                if mlen < 16:
                    break
                off += (mlen + 3) & ~3

    # ---- /dev/sspi
    def user_addr(self, pool):
        """An address for a buffer, and the bytes that follow it there."""
        r = self.r
        k = r.randrange(12)
        if k == 0:
            return 0, 0
        if k == 1:
            return 0x10, 0                              # unmapped
        if k == 2:
            return 0xffffffff81000000, 0                # the kernel's
        if k == 3:
            return pool['ro'], mmap.PAGESIZE            # read-only
        if k == 4:
            return pool['none'], mmap.PAGESIZE          # PROT_NONE
        if k == 5:
            return pool['end'] - 64, 64                 # 64 bytes before a hole
        # anywhere in the arena, overlapping other buffers at will
        off = r.randrange(pool['size'])
        return pool['base'] + off, pool['size'] - off

    def shaped_buffers(self, pool, nr):
        """A message's buffers as a TLS or token package wants them, in
        the arena, one field then perhaps altered; the buffer count."""
        r = self.r
        n = r.choice([0, 1, 16, 100, 1000, 16384, 16385, r.randrange(70000)])
        if nr == 1:
            shape = r.choice([[(HEADER, 5), (DATA, n), (TRAILER, 17), (EMPTY, 0)],
                              [(TOKEN, 76), (DATA, n), (9, 1)], [(TOKEN, 16), (DATA, n)]])
        elif nr == 2:
            shape = r.choice([[(DATA, n + 22), (EMPTY, 0), (EMPTY, 0), (EMPTY, 0)],
                              [(STREAM, n + 16), (DATA, 0)], [(TOKEN, 16), (DATA, n)]])
        else:
            shape = [(DATA, n), (TOKEN, r.choice([16, 28, 37, 40]))]
        at = r.randrange(pool['size'] // 2)
        for i, (t, ln) in enumerate(shape):
            BUF.pack_into(pool['array'], i * BUF.size, t, ln, pool['base'] + at)
            at += ln
        if r.random() < 0.5:
            i = r.randrange(len(shape))
            t, ln, addr = BUF.unpack_from(pool['array'], i * BUF.size)
            what = r.randrange(3)
            if what == 0:
                t = r.choice(BUFTYPES) | r.choice(FLAGS)
            elif what == 1:
                ln = r.choice(EDGES + [ln - 1, ln + 1]) & 0xffffffff
            else:
                addr = self.user_addr(pool)[0]
            BUF.pack_into(pool['array'], i * BUF.size, t, ln, addr)
        return len(shape)

    def ioctl_one(self, fd, pool):
        r = self.r
        bufs = pool['array']
        nr = r.choice([1, 2, 3, 4] * 3 + [0, 5, 9, 255])
        if r.random() < 0.6 and 1 <= nr <= 4:
            count = self.shaped_buffers(pool, nr)
        else:
            count = r.choice([0, 1, 2, 3, 4, r.randrange(21), 17, 16])
            for i in range(count):
                addr, room = self.user_addr(pool)
                ln = r.choice([room, min(room, 64), r.randrange(room + 1), r.choice(EDGES)])
                BUF.pack_into(bufs, i * BUF.size, r.choice(BUFTYPES) | r.choice(FLAGS),
                              ln & 0xffffffff, addr)
        base = ctypes.addressof(bufs)
        arr = r.choice([base] * 6 + [0, 0x10, 0xffffffff81000000, pool['ro'], base + 1])
        size = r.choice([MSG.size] * 12 + [0, 8, MSG.size - 8, MSG.size + 8, 4096])
        msg = pool['msg']
        ctypes.memset(msg, 0, len(msg))
        reserved = b'' if r.random() < 0.9 else r.randbytes(16)
        MSG.pack_into(msg, 0, size, 0 if r.random() < 0.9 else r.getrandbits(32),
                      r.choice(self.handles * 4 + [0, r.getrandbits(64)]),
                      r.choice([0, 0, 0x80000001, r.getrandbits(32)]),
                      0 if r.random() < 0.8 else r.choice([1, r.getrandbits(32)]),
                      r.getrandbits(32),
                      count, arr, reserved)
        if r.random() < 0.05:
            msg[MSG.size + r.randrange(8)] = 1          # a tail that is not zero
        cmd = ioc_wr(nr, r.choice([MSG.size] * 16 + [0, 8, 4096]))
        marg = r.choice([ctypes.addressof(msg)] * 12 + [0, 0x10, pool['ro']])
        ret = libc.ioctl(fd, cmd, marg)
        return 'ok' if ret == 0 else errno.errorcode.get(ctypes.get_errno(), '?')


def drain(sock):
    """Whatever earlier requests left unread (errors come unasked)."""
    sock.setblocking(False)
    try:
        while True:
            sock.recv(1 << 17)
    except BlockingIOError:
        pass
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise
    finally:
        sock.settimeout(10)


def anon(size, prot):
    addr = libc.mmap(None, size, prot, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
    if addr in (None, ctypes.c_void_p(-1).value):
        raise OSError(ctypes.get_errno(), 'mmap')
    return addr


def make_pool():
    """Memory the ioctls point into: an arena of 2 MiB with no access
    after it, so no length, however wrong, reaches Python's own memory;
    a read-only page; a page with no access; the message and the array."""
    size = 2 << 20
    base = anon(size + mmap.PAGESIZE, mmap.PROT_READ | mmap.PROT_WRITE)
    libc.mprotect(ctypes.c_void_p(base + size), mmap.PAGESIZE, 0)
    return {'base': base, 'size': size, 'end': base + size,
            'ro': anon(mmap.PAGESIZE, mmap.PROT_READ),
            'none': anon(mmap.PAGESIZE, 0),
            'msg': (ctypes.c_ubyte * 4096)(),
            'array': (ctypes.c_ubyte * (BUF.size * 21))()}


def run_identity(name, setup, fz, count, fam):
    """Fork; in the child enter the identity and send COUNT of each."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            setup()
            seen = {}
            own = import_own()
            fz.handles = own + fz.handles
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
            sock.settimeout(10)
            try:
                fd = os.open('/dev/sspi', os.O_RDWR)
            except OSError as e:
                print('#   %s: /dev/sspi: %s' % (name, e))
                fd = -1
            pool = make_pool()
            for i in range(2 * count):
                # the two interfaces interleaved, on the same contexts
                if fd >= 0 and fz.r.random() < 0.5:
                    what = 'ioctl ' + fz.ioctl_one(fd, pool)
                else:
                    what = fz.netlink_one(sock, fam, i + 2)
                seen[what] = seen.get(what, 0) + 1
            print('#   %s: contexts of its own: %d' % (name, len(own)))
            print('#   %s: %s' % (name, ', '.join('%s %d' % kv for kv in sorted(seen.items()))),
                  flush=True)
            os._exit(0)
        except socket.timeout:
            print('FAIL %s: a netlink request left unanswered for 10 s' % name, flush=True)
            os._exit(1)
        except BaseException as e:  # noqa: B902 -- report anything
            print('FAIL %s: %r' % (name, e), flush=True)
            os._exit(1)
    rc = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print('%s fuzz iface %s: %d netlink and ioctl requests (%.0f s)' % (
        'ok' if rc == 0 else 'FAIL', name, 2 * count, time.monotonic() - start), flush=True)
    return rc == 0


def import_own():
    """Contexts of the identity's own, where it may import them: a TLS,
    a Kerberos and an NTLM pair."""
    nl = sspi_nl.family()
    own = []
    try:
        own += sspi_nl.import_pair(nl)
        key = os.urandom(32)
        own += [sspi_nl.krb5_import(nl, 18, key, f) for f in (1, 0)]
        key = os.urandom(16)
        own += [nl.do('ctx-import', {'pkg-name': 'NTLM', 'ctx-import': struct.pack(
            '=IIII16s', 0xe2088235, i, 0, 0, key)})['ctx-handle'] for i in (1, 0)]
    except sspi_nl.NlError:
        pass
    return own


def unshare(flags):
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), 'unshare')


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def new_netns():
    unshare(CLONE_NEWNET)
    os.system('ip link set lo up')


def nobody_userns():
    as_nobody()
    unshare(CLONE_NEWUSER | CLONE_NEWNET)


def still_works(nl):
    """A new TLS pair seals and unseals through netlink."""
    h1, h2 = sspi_nl.import_pair(nl)
    try:
        data = os.urandom(1000)
        st, rec = sspi_nl.seal(nl, h1, data)
        rep = sspi_nl.unseal(nl, h2, rec) if st == 0 else {}
        b = sspi_nl.buf(rep, 1) or {}
        return st == 0 and rep.get('status') == 0 and bytes(b.get('data', b'')) == data
    finally:
        for h in (h1, h2):
            nl.do('ctx-delete', {'ctx-handle': h})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--count', type=int, default=100000,
                    help='netlink and ioctl requests per identity')
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()

    nl = sspi_nl.family()
    fam = family_id()
    handles = list(sspi_nl.import_pair(nl)) + list(sspi_nl.import_pair(nl, 0x0303, 52, 32))
    blobs = [(b'Schannel', sspi_nl.tls_import(0x0304, 51, sspi_nl.keys(b'k' * 16, b'i' * 12),
                                              sspi_nl.keys(b'K' * 16, b'I' * 12))),
             (b'Kerberos', sspi_nl.pack_struct('krb5-import', {
                 'enctype': 18, 'flags': 1, 'key-len': 32, 'key': b'k' * 32})),
             (b'NTLM', struct.pack('=IIII16s', 0xe2088235, 1, 0, 0, b'k' * 16))]
    identities = [('root', lambda: None), ('nobody', as_nobody),
                  ('root-netns', new_netns), ('nobody-userns', nobody_userns)]
    ok = True
    for i, (name, setup) in enumerate(identities):
        fz = Fuzz(random.Random(args.seed * 4 + i), handles, blobs)
        ok &= run_identity(name, setup, fz, args.count, fam)
    # the contexts the requests imported, and the pairs above
    for ctx in nl.dump('ctx-get', {}):
        try:
            nl.do('ctx-delete', {'ctx-handle': ctx['ctx-handle']})
        except sspi_nl.NlError:
            pass
    works = still_works(nl)
    print('%s fuzz iface: a new pair seals and unseals afterwards' % ('ok' if works else 'FAIL'))
    return 0 if ok and works else 1


if __name__ == '__main__':
    sys.exit(main())
