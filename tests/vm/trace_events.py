#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The trace events of events/sspi in tracefs: sspi_ctx_import (success and
refusal), sspi_msg_refused, sspi_ctx_delete, sspi_ctx_expire (an expired
context reaped by an import at max_contexts) and sspi_ctx_flush (the
namespace's end), each with the handle, package and status or reason the
operation had.  Runs inside the VM as root."""

import os
import re
import secrets
import subprocess
import sys
import time

from sspi_nl import (CLONE_NEWNET, DATA, SEC_E_MESSAGE_ALTERED, SEC_E_OK, buf, check,
                     errno_of, failures, family, import_pair, in_child, keys, seal,
                     tls_import, unseal, unshare)

TRACEFS = '/sys/kernel/tracing'
PARAMS = '/sys/module/sspi_kmod/parameters'
EVENT = re.compile(r'\s(sspi_\w+): (.*)$')


def tracefs(path, value=None):
    p = os.path.join(TRACEFS, path)
    if value is None:
        with open(p) as f:
            return f.read()
    with open(p, 'w') as f:
        f.write(value)
    return value


def events():
    """Every sspi event in the buffer: [(name, {field: value})]."""
    out = []
    for line in tracefs('trace').splitlines():
        m = EVENT.search(line)
        if m:
            out.append((m.group(1), dict(kv.split('=', 1) for kv in m.group(2).split())))
    return out


def have(evs, name, **fields):
    return [f for n, f in evs if n == name and
            all(f.get(k) == v for k, v in fields.items())]


def hx(handle):
    return f'0x{handle:016x}'


def lifetime_import(nl, **req):
    k = keys(secrets.token_bytes(16), secrets.token_bytes(12))
    return nl.do('ctx-import', dict({'pkg-name': 'Schannel',
                                     'ctx-import': tls_import(0x0304, 51, k, k)},
                                    **req))['ctx-handle']


def netns_life():
    """In a namespace of its own, with max_contexts 1: a context that
    expires, reaped by the next import, which the namespace's end flushes.
    Prints the two handles."""
    unshare(CLONE_NEWNET)
    nl = family()
    old = lifetime_import(nl, **{'ctx-lifetime': 1})
    time.sleep(2.2)
    new = lifetime_import(nl)
    # straight to the pipe: sys.stdout holds the parent's unflushed lines
    os.write(1, f'{old} {new}\n'.encode())
    return 0


def main():
    if not os.path.isdir(os.path.join(TRACEFS, 'events')):
        subprocess.run(['mount', '-t', 'tracefs', 'nodev', TRACEFS], check=True)
    check(os.path.isdir(os.path.join(TRACEFS, 'events/sspi')),
          'tracefs has events/sspi')
    if failures:
        return 1
    names = sorted(os.listdir(os.path.join(TRACEFS, 'events/sspi')))
    want = ['sspi_ctx_delete', 'sspi_ctx_expire', 'sspi_ctx_flush', 'sspi_ctx_import',
            'sspi_msg_refused']
    check(all(n in names for n in want), f'the five events are defined ({names})')
    tracefs('trace', '')
    tracefs('events/sspi/enable', '1')
    try:
        nl = family()
        h1, h2 = import_pair(nl)
        err, _ = errno_of(lambda: nl.do('ctx-import', {'pkg-name': 'NoSuchPackage',
                                                       'ctx-import': b'\0' * 8}))
        st, rec = seal(nl, h1, b'x' * 64)
        bad = bytearray(rec)
        bad[-1] ^= 1
        rep = unseal(nl, h2, bytes(bad))
        check(st == SEC_E_OK and rep['status'] == SEC_E_MESSAGE_ALTERED,
              'an altered record refused')
        rep = unseal(nl, h2, rec)
        check(rep['status'] == SEC_E_OK and bytes(buf(rep, DATA)['data']) == b'x' * 64,
              'the genuine one opens')
        nl.do('ctx-delete', {'ctx-handle': h1})
        nl.do('ctx-delete', {'ctx-handle': h2})

        saved = open(os.path.join(PARAMS, 'max_contexts')).read().strip()
        with open(os.path.join(PARAMS, 'max_contexts'), 'w') as f:
            f.write('1')
        try:
            r, w = os.pipe()
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                os.dup2(w, 1)
                try:
                    os._exit(netns_life())
                except BaseException as e:  # noqa: B902 -- report anything
                    print(f'child: {e!r}', file=sys.stderr)
                    os._exit(99)
            os.close(w)
            out = os.read(r, 4096).decode()
            os.close(r)
            _, status = os.waitpid(pid, 0)
        finally:
            with open(os.path.join(PARAMS, 'max_contexts'), 'w') as f:
                f.write(saved)
        check(os.waitstatus_to_exitcode(status) == 0 and len(out.split()) == 2,
              f'namespace child ran ({out.strip()!r})')
        old, new = (int(x) for x in out.split()) if len(out.split()) == 2 else (0, 0)
        # the namespace's end is a work item: give it time
        for _ in range(100):
            evs = events()
            if have(evs, 'sspi_ctx_flush', handle=hx(new)):
                break
            time.sleep(0.1)
    finally:
        tracefs('events/sspi/enable', '0')

    for h in (h1, h2, old, new):
        check(len(have(evs, 'sspi_ctx_import', handle=hx(h), pkg='Schannel',
                       status='SEC_E_OK')) == 1, f'sspi_ctx_import for {hx(h)}')
    check(err != 0 and len(have(evs, 'sspi_ctx_import', handle=hx(0), pkg='NoSuchPackage',
                                status='SEC_E_SECPKG_NOT_FOUND')) == 1,
          'a refused import: sspi_ctx_import with its status and no handle')
    ref = have(evs, 'sspi_msg_refused', handle=hx(h2))
    check(len(ref) == 1 and ref[0].get('op') == 'decrypt' and
          ref[0].get('status') == 'SEC_E_MESSAGE_ALTERED' and
          ref[0].get('pkg') == 'Schannel',
          f'sspi_msg_refused: the altered record, once ({ref})')
    check(not have(evs, 'sspi_msg_refused', handle=hx(h1)),
          'nothing refused on the sealing side')
    for h in (h1, h2):
        check(len(have(evs, 'sspi_ctx_delete', handle=hx(h))) == 1,
              f'sspi_ctx_delete for {hx(h)}')
    check(len(have(evs, 'sspi_ctx_expire', handle=hx(old))) == 1 and
          not have(evs, 'sspi_ctx_delete', handle=hx(old)),
          'sspi_ctx_expire: the expired context reaped by the next import')
    check(len(have(evs, 'sspi_ctx_flush', handle=hx(new))) == 1,
          "sspi_ctx_flush: the context left at the namespace's end")
    for f in failures:
        print(f'FAIL: {f}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
