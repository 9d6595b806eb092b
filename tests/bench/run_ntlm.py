#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""run_ntlm.py [sspi-bench options...]: the NTLM part of "make bench".

Run by tests/bench/run-in-vm in the guest, with the sspi_bench module
loaded.  For each NegotiateFlags value of SSPI_BENCH_NTLM (default
"0xe2088235": extended session security, key exchange, 128-bit keys,
sealing and signing, as gss-ntlmssp negotiates them; "none": nothing):

  - imports into sspi_kmod an initiator and an acceptor sharing a random
    16-byte session key (the "ctx-import" command of the "sspi" generic
    netlink family, package "NTLM", struct sspi_ntlm_import, through
    tests/vm/sspi_nl.py), and two more such pairs for sspi-bench's two
    threads, and prints a line per context of the first pair: its sealing
    and unsealing drivers (sspictl ctx show, i.e. SSPI_CMD_CTX_GET);
  - runs sspi-bench on the pair, with --gss starting "gss-bench --mech
    ntlm" (gss-ntlmssp's gss_wrap/gss_unwrap on a context established in
    that one process, with a throw-away user of NTLM_USER_FILE);
  - deletes the contexts.

A module with no "NTLM" package (sspictl pkg list) gets a line saying so
and nothing else.  Exit status 1 when something failed.
"""

import json
import os
import secrets
import shlex
import struct
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CTL = os.path.join(TOP, 'userspace-tools', 'sspictl')
BENCH = os.path.join(TOP, 'tests', 'bench', 'sspi-bench')
GSS = os.path.join(TOP, 'tests', 'bench', 'gss-bench')
DEFAULT_FLAGS = '0xe2088235'
NTLM_F_INITIATOR = 0x01


def ctl(*args):
    r = subprocess.run([CTL] + list(args), capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError('sspictl %s: exit %d: %s' % (' '.join(args), r.returncode,
                                                        r.stderr.strip()))
    return r.stdout


def context_line(handle, role, flags):
    """'# ...' saying what sspi_kmod reports of the context (CTX_GET)."""
    info = json.loads(ctl('-j', 'ctx', 'show', handle))
    if isinstance(info, list):
        info = info[0]
    return '# context %s %-9s flags 0x%08x (%s), tx driver %s, rx driver %s' % (
        handle, role, flags, info.get('cipher') or '?', info.get('tx_driver') or '?',
        info.get('rx_driver') or '?')


def ntlm_import(nl, flags, key, initiator):
    """An "NTLM" context: struct sspi_ntlm_import, native endian."""
    imp = struct.pack('=IIII16s', flags, NTLM_F_INITIATOR if initiator else 0, 0, 0, key)
    return nl.do('ctx-import', {'pkg-name': 'NTLM', 'ctx-import': imp})['ctx-handle']


def bench(nl, flags, env, args):
    key = secrets.token_bytes(16)
    handles = []
    try:
        # three pairs: the second and third for two threads (sspi-bench)
        for _ in range(3):
            for initiator in (True, False):
                handles.append('0x%016x' % ntlm_import(nl, flags, key, initiator))
        for h, role in zip(handles, ('initiator', 'acceptor')):
            print(context_line(h, role, flags), flush=True)
        gss = '%s --mech ntlm' % shlex.quote(GSS)
        return subprocess.run([BENCH, '--tx', handles[0], '--rx', handles[1],
                               '--tx2', handles[2], '--rx2', handles[3],
                               '--tx3', handles[4], '--rx3', handles[5],
                               '--gss', gss] + args, env=env).returncode
    finally:
        for h in handles:
            subprocess.run([CTL, 'ctx', 'delete', h], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def main():
    names = os.environ.get('SSPI_BENCH_NTLM') or DEFAULT_FLAGS
    if names == 'none':
        return 0
    try:
        flag_words = [int(f, 0) for f in names.split()]
    except ValueError:
        sys.exit('run_ntlm.py: SSPI_BENCH_NTLM: NegotiateFlags words or "none", not %r'
                 % names)
    try:
        pkgs = [p.get('name') for p in json.loads(ctl('-j', 'pkg', 'list') or '[]')]
    except (RuntimeError, ValueError) as err:
        print('run_ntlm.py: the packages: %s' % err, file=sys.stderr)
        return 1
    if 'NTLM' not in pkgs:
        print('# NTLM: skipped (sspi_kmod has no "NTLM" package)', flush=True)
        return 0
    sys.path.insert(0, os.path.join(TOP, 'tests', 'vm'))
    try:
        import sspi_nl
        nl = sspi_nl.family()
    except Exception as err:  # noqa: B902 -- whatever keeps netlink away
        print('run_ntlm.py: the "sspi" netlink family: %r' % err, file=sys.stderr)
        return 1
    rc = 0
    with tempfile.TemporaryDirectory(prefix='sspi-bench-ntlm.') as tmp:
        users = os.path.join(tmp, 'users')
        with open(users, 'w') as f:
            f.write('BENCH:bench:%s\n' % secrets.token_hex(12))
        env = dict(os.environ, NTLM_USER_FILE=users)
        for flags in flag_words:
            try:
                rc |= bench(nl, flags, env, sys.argv[1:])
            except Exception as err:  # noqa: B902 -- netlink's and sspictl's
                print('run_ntlm.py: flags 0x%08x: %s' % (flags, err), file=sys.stderr)
                rc = 1
    return 1 if rc else 0


if __name__ == '__main__':
    sys.exit(main())
