#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""stress.py [--seconds S] [--unload]

Many workers at once on a few contexts, run in the guest (scripts/vm-run)
with sspi_kmod and the test module sspi_fuzz loaded; tests/vm/stress_test.sh
runs it briefly in "make check", "make fuzz" longer.

For S seconds (default 20), on a TLS 1.3, a Kerberos (aes256, replay and
sequence detection) and an NTLM pair with mirrored keys:

  kernel	sspi_fuzz's "stress" command: four kernel threads on one
		pair at a time, 2 s each in turn, looking the handles up,
		sealing and unsealing (sspi_encrypt() and sspi_decrypt(),
		or, every other message each, sspi_submit())
  netlink	two processes sealing and unsealing through netlink
  ioctl		two processes sealing and unsealing through /dev/sspi
  query		CTX_GET and dumps of every context, PKG_GET
  keys		CTX_UPDATE_KEYS on the TLS pair
  churn		imports and deletes of contexts of its own, and now and then
		the deletion of a shared pair and its import anew (the others
		then find it gone, and take up the new one)
  netns		children in new network namespaces, importing and sealing,
		killed at random moments: the namespace is dismantled while
		their operations are in flight

Every operation must end with a status or errno (counted per worker and
printed); a worker that dies or hangs fails the run.  With --unload,
afterwards "rmmod sspi_kmod" is tried while netlink workers are still
sending, and the module is loaded again (SSPI_VM_MODULE).  The kernel's
reports (KASAN, lockdep, kmemleak...) are judged by scripts/vm-run.
"""

import argparse
import errno
import fcntl
import json
import multiprocessing as mp
import os
import random
import signal
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sspi_nl  # noqa: E402

RUN = '/sys/kernel/debug/sspi_fuzz/run'
STREAM, DATA, TOKEN, EMPTY, HEADER, TRAILER, PADDING = 10, 1, 2, 0, 7, 6, 9
IOC_MSG = struct.Struct('=IIQIIIIQ16s')
IOC_BUF = struct.Struct('=IIQ')
CLONE_NEWNET = 0x40000000


def ioc(nr):
    return (3 << 30) | (IOC_MSG.size << 16) | (0xB9 << 8) | nr


def pairs(nl):
    """{name: [tx, rx]}: a TLS, a Kerberos and an NTLM pair."""
    out = {'tls': list(sspi_nl.import_pair(nl))}
    key = os.urandom(32)
    rs = sspi_nl.KRB5_F_REPLAY | sspi_nl.KRB5_F_SEQUENCE
    out['krb5'] = [sspi_nl.krb5_import(nl, 18, key, rs | sspi_nl.KRB5_F_INITIATOR),
                   sspi_nl.krb5_import(nl, 18, key, rs)]
    key = os.urandom(16)
    out['ntlm'] = [nl.do('ctx-import', {'pkg-name': 'NTLM', 'ctx-import': struct.pack(
        '=IIII16s', 0xe2088235, i, 0, 0, key)})['ctx-handle'] for i in (1, 0)]
    return out


def shared_handles(path):
    with open(path) as f:
        return {k: v for k, v in json.load(f).items()}


def nl_roundtrip(nl, kind, tx, rx, data):
    """Seal through netlink and unseal; the statuses."""
    if kind == 'tls':
        st, rec = sspi_nl.seal(nl, tx, data)
        if st:
            return st
        return sspi_nl.unseal(nl, rx, rec)['status']
    tok = 76 if kind == 'krb5' else 16
    bufs = [{'type': TOKEN, 'len': tok}, {'type': DATA, 'data': data.hex()}]
    if kind == 'krb5':
        bufs.append({'type': PADDING, 'len': 1})
    rep = nl.do('encrypt', {'ctx-handle': tx, 'buffer': bufs})
    if rep['status']:
        return rep['status']
    wire = b''.join(bytes(b.get('data', b'')) for b in rep['buffer'])
    rep = nl.do('decrypt', {'ctx-handle': rx, 'buffer': [
        {'type': STREAM, 'data': wire.hex()}, {'type': DATA, 'len': 0}]})
    return rep['status']


def ioctl_roundtrip(fd, kind, tx, rx, data):
    """Seal through /dev/sspi and unseal; errno names or 'ok'."""
    import ctypes
    if kind == 'tls':
        lay = [(HEADER, 5), (DATA, len(data)), (TRAILER, 17), (EMPTY, 0)]
    elif kind == 'krb5':
        lay = [(TOKEN, 76), (DATA, len(data)), (PADDING, 1)]
    else:
        lay = [(TOKEN, 16), (DATA, len(data))]
    mem = ctypes.create_string_buffer(sum(n for _, n in lay) + 16)
    arr = ctypes.create_string_buffer(IOC_BUF.size * 4)
    at = 0
    for i, (t, n) in enumerate(lay):
        if t == DATA:
            ctypes.memmove(ctypes.addressof(mem) + at, data, n)
        IOC_BUF.pack_into(arr, i * IOC_BUF.size, t, n, ctypes.addressof(mem) + at)
        at += n
    msg = bytearray(IOC_MSG.pack(IOC_MSG.size, 0, tx, 0, 0, 0, len(lay),
                                 ctypes.addressof(arr), b''))
    try:
        fcntl.ioctl(fd, ioc(1), msg)
    except OSError as e:
        return 'seal ' + errno.errorcode.get(e.errno, '?')
    # the buffers as returned, back to back, unsealed as one
    wire = b''
    for i in range(len(lay)):
        t, n, addr = IOC_BUF.unpack_from(arr, i * IOC_BUF.size)
        wire += ctypes.string_at(addr, n) if n else b''
    rec = ctypes.create_string_buffer(wire, len(wire))
    n_out = 4 if kind == 'tls' else 2
    first = DATA if kind == 'tls' else STREAM
    IOC_BUF.pack_into(arr, 0, first, len(wire), ctypes.addressof(rec))
    for i in range(1, n_out):
        IOC_BUF.pack_into(arr, i * IOC_BUF.size, EMPTY if kind == 'tls' else DATA, 0, 0)
    msg = bytearray(IOC_MSG.pack(IOC_MSG.size, 0, rx, 0, 0, 0, n_out,
                                 ctypes.addressof(arr), b''))
    try:
        fcntl.ioctl(fd, ioc(2), msg)
    except OSError as e:
        return 'unseal ' + errno.errorcode.get(e.errno, '?')
    return 'ok'


def worker(role, idx, path, seconds, q):
    """One worker, for @seconds once it is set up (ynl takes its time
    under TCG); puts (role, idx, {outcome: count}) on q."""
    r = random.Random(idx)
    seen = {}

    def count(what):
        seen[what] = seen.get(what, 0) + 1

    nl = sspi_nl.family()
    fd = os.open('/dev/sspi', os.O_RDWR) if role == 'ioctl' else -1
    mine = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        h = shared_handles(path)
        kind = r.choice(sorted(h))
        tx, rx = h[kind]
        try:
            if role == 'netlink':
                count('%s status 0x%x' % (kind, nl_roundtrip(nl, kind, tx, rx,
                                                             os.urandom(r.randrange(2000)))))
            elif role == 'ioctl':
                count('%s %s' % (kind, ioctl_roundtrip(fd, kind, tx, rx,
                                                        os.urandom(r.randrange(2000)))))
            elif role == 'query':
                nl.do('ctx-get', {'ctx-handle': tx})
                count('dump %d' % min(len(nl.dump('ctx-get', {})), 1))
                nl.dump('pkg-get', {})
                count('get ok')
            elif role == 'keys':
                # new send keys: the peer then refuses until it has them too
                t = h['tls'][0]
                nl.do('ctx-update-keys', {'ctx-handle': t, 'direction': 1,
                                          'keys': sspi_nl.keys(os.urandom(16),
                                                               os.urandom(12))})
                count('update ok')
            elif role == 'churn':
                if mine and r.random() < 0.5:
                    nl.do('ctx-delete', {'ctx-handle': mine.pop()})
                    count('delete ok')
                else:
                    mine += sspi_nl.import_pair(nl)
                    count('import ok')
                if r.random() < 0.05:
                    # a shared pair goes, and comes back anew
                    new = pairs(nl)
                    old = shared_handles(path)
                    with open(path + '.tmp', 'w') as f:
                        json.dump(new, f)
                    os.rename(path + '.tmp', path)
                    for pair in old.values():
                        for x in pair:
                            nl.do('ctx-delete', {'ctx-handle': x})
                    count('replaced')
        except sspi_nl.NlError as e:
            count('%s errno %d' % (role, e.error))
    for x in mine:
        nl.do('ctx-delete', {'ctx-handle': x})
    q.put((role, idx, seen))


def netns_churn(until, q):
    """Children in namespaces of their own, killed mid-operation."""
    seen = {}
    while time.monotonic() < until:
        pid = os.fork()
        if pid == 0:
            try:
                if sspi_nl.libc.unshare(CLONE_NEWNET):
                    os._exit(2)
                nl = sspi_nl.family()
                h = pairs(nl)
                while True:
                    for kind, (tx, rx) in h.items():
                        nl_roundtrip(nl, kind, tx, rx, os.urandom(500))
            except BaseException:  # noqa: B902 -- killed, or netlink's
                os._exit(1)
        time.sleep(random.random() * 2)
        os.kill(pid, signal.SIGKILL)
        st = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        seen['child %d' % st] = seen.get('child %d' % st, 0) + 1
    q.put(('netns', 0, seen))


def kernel_stress(path, ms, q):
    """sspi_fuzz's kernel threads, 2 s at a time on each pair in turn,
    the handles read anew each time (the churn worker replaces them)."""
    seen = {}
    until = time.monotonic() + ms / 1000
    while time.monotonic() < until:
        for kind, (tx, rx) in sorted(shared_handles(path).items()):
            try:
                with open(RUN, 'w') as f:
                    f.write('stress %x %x 2000 4' % (tx, rx))
                with open(RUN) as f:
                    for line in f.read().splitlines():
                        words = line.split()
                        if words[0] == 'stress':
                            for kv in words[1:]:
                                k, v = kv.split('=')
                                key = '%s %s' % (kind, k)
                                seen[key] = seen.get(key, 0) + int(v)
                        else:
                            key = '%s %s' % (kind, ' '.join(words[:2]))
                            seen[key] = seen.get(key, 0) + int(words[2])
            except OSError as e:
                key = '%s %s' % (kind, errno.errorcode.get(e.errno, '?'))
                seen[key] = seen.get(key, 0) + 1
    q.put(('kernel', 0, seen))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--seconds', type=int, default=20)
    ap.add_argument('--unload', action='store_true')
    args = ap.parse_args()

    nl = sspi_nl.family()
    path = '/tmp/sspi-stress.json'
    with open(path, 'w') as f:
        json.dump(pairs(nl), f)
    until = time.monotonic() + args.seconds
    q = mp.Queue()
    procs = [mp.Process(target=worker, args=(role, i, path, args.seconds, q))
             for i, role in enumerate(['netlink', 'netlink', 'ioctl', 'ioctl', 'query',
                                       'keys', 'churn'])]
    procs.append(mp.Process(target=netns_churn, args=(until, q)))
    procs.append(mp.Process(target=kernel_stress, args=(path, args.seconds * 1000, q)))
    for p in procs:
        p.start()
    failed = 0
    results = []
    for _ in procs:
        try:
            results.append(q.get(timeout=args.seconds + 120))
        except Exception:  # noqa: B902 -- queue.Empty
            break
    for p in procs:
        p.join(5)
        if p.is_alive() or p.exitcode:
            print('FAIL stress: a worker (pid %d) %s' % (
                p.pid, 'hangs' if p.is_alive() else 'exited %d' % p.exitcode))
            p.kill()
            failed = 1
    for role, idx, seen in sorted(results, key=lambda x: (x[0], x[1])):
        # the kernel threads' counts are per outcome; their total is "ops"
        total = sum(v for k, v in seen.items() if role != 'kernel' or k.endswith(' ops'))
        print('%s stress %s %d: %d operations' % ('ok' if total else 'FAIL', role, idx, total))
        failed |= not total
        for k, v in sorted(seen.items()):
            print('#   %s: %d' % (k, v))
    if len(results) != len(procs):
        print('FAIL stress: %d of %d workers reported' % (len(results), len(procs)))
        failed = 1
    if args.unload:
        failed |= unload_under_load(nl)
    for pair in shared_handles(path).values():
        for x in pair:
            try:
                nl.do('ctx-delete', {'ctx-handle': x})
            except sspi_nl.NlError:
                pass
    return failed


def unload_under_load(nl):
    """rmmod while netlink requests are in flight, then load it again."""
    until = time.monotonic() + 30
    path = '/tmp/sspi-stress-unload.json'
    with open(path, 'w') as f:
        json.dump({'tls': list(sspi_nl.import_pair(nl))}, f)
    q = mp.Queue()
    procs = [mp.Process(target=hammer, args=(path, until, q)) for _ in range(2)]
    for p in procs:
        p.start()
    time.sleep(2)
    subprocess.run(['rmmod', 'sspi_fuzz'], capture_output=True)
    r = subprocess.run(['rmmod', 'sspi_kmod'], capture_output=True, text=True)
    print('#   rmmod sspi_kmod under load: exit %d %s' % (r.returncode, r.stderr.strip()))
    time.sleep(2)
    for p in procs:
        p.join(40)
    ok = all(p.exitcode == 0 for p in procs)
    if r.returncode == 0:
        mod = os.environ.get('SSPI_VM_MODULE', '')
        ok &= subprocess.run(['insmod', mod]).returncode == 0
    try:
        sspi_nl.lib.ynl.genl_family_name_to_id = None   # the family's new id
        nl2 = sspi_nl.family()
        h1, h2 = sspi_nl.import_pair(nl2)
        st, rec = sspi_nl.seal(nl2, h1, b'after')
        ok &= st == 0 and sspi_nl.unseal(nl2, h2, rec)['status'] == 0
        for h in (h1, h2):
            nl2.do('ctx-delete', {'ctx-handle': h})
    except Exception as e:  # noqa: B902 -- report anything
        print('#   after the unload: %r' % e)
        ok = False
    print('%s stress unload: rmmod with requests in flight, then the module works' % (
        'ok' if ok else 'FAIL'))
    return 0 if ok else 1


def hammer(path, until, q):
    nl = sspi_nl.family()
    until = max(until, time.monotonic() + 10)
    tx, rx = shared_handles(path)['tls']
    while time.monotonic() < until:
        try:
            nl_roundtrip(nl, 'tls', tx, rx, b'x' * 100)
        except sspi_nl.NlError:
            pass
        except OSError:
            pass        # the family is gone with the module
    os._exit(0)


if __name__ == '__main__':
    sys.exit(main())
