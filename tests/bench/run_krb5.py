#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""run_krb5.py [sspi-bench options...]: the Kerberos part of "make bench".

Run by tests/bench/run-in-vm in the guest, with the sspi_bench module
loaded.  Sets up a throw-away MIT realm on loopback (tests/interop/
krb5_realm.py: a KDC, a service per enctype, a TGT per enctype), then for
each enctype of SSPI_BENCH_ENCTYPES (default "18 20"; "none": nothing):

  - imports into sspi_kmod an initiator and an acceptor sharing a random
    key (sspictl ctx import kerberos, with replay and sequence detection,
    as MIT's contexts have them), and two more such pairs for sspi-bench's
    two threads, and prints a line per context of the first pair: its
    enctype and its sealing and unsealing drivers (sspictl ctx show, i.e.
    SSPI_CMD_CTX_GET);
  - runs sspi-bench on the pair, with --gss starting gss-bench in the
    enctype's realm environment (MIT krb5's gss_wrap/gss_unwrap on a real
    context of that enctype, initiator and acceptor in one process);
  - deletes the contexts.

Exit status 1 when something failed.
"""

import json
import os
import shlex
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tests', 'interop'))

from krb5_realm import ENCTYPES, Realm, service  # noqa: E402

CTL = os.path.join(TOP, 'userspace-tools', 'sspictl')
BENCH = os.path.join(TOP, 'tests', 'bench', 'sspi-bench')
MIT = os.path.join(TOP, 'tests', 'bench', 'gss-bench')
KEY_LEN = {17: 16, 18: 32, 19: 16, 20: 32}


def ctl(*args):
    r = subprocess.run([CTL] + list(args), capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError('sspictl %s: exit %d: %s' % (' '.join(args), r.returncode,
                                                        r.stderr.strip()))
    return r.stdout


def context_line(handle, role, enctype):
    """'# ...' saying what sspi_kmod reports of the context (CTX_GET)."""
    info = json.loads(ctl('-j', 'ctx', 'show', handle))
    if isinstance(info, list):
        info = info[0]
    return '# context %s %-9s enctype %d (%s), tx driver %s, rx driver %s' % (
        handle, role, enctype, info.get('cipher') or '?', info.get('tx_driver') or '?',
        info.get('rx_driver') or '?')


def bench(realm, enctype, args):
    key = os.urandom(KEY_LEN[enctype]).hex()
    handles = []
    try:
        # three pairs: the second and third for two threads (sspi-bench)
        for _ in range(3):
            for role in ('initiator', 'acceptor'):
                handles.append(ctl('ctx', 'import', 'kerberos', '--enctype', str(enctype),
                                   '--key', key, '--' + role,
                                   '--flags', 'replay,sequence').strip())
        for h, role in zip(handles, ('initiator', 'acceptor')):
            print(context_line(h, role, enctype), flush=True)
        mit = '%s --mech krb5 --enctype %d --service %s' % (
            shlex.quote(MIT), enctype, shlex.quote(service(enctype)))
        return subprocess.run([BENCH, '--tx', handles[0], '--rx', handles[1],
                               '--tx2', handles[2], '--rx2', handles[3],
                               '--tx3', handles[4], '--rx3', handles[5],
                               '--gss', mit] + args,
                              env=realm.env(enctype)).returncode
    finally:
        for h in handles:
            subprocess.run([CTL, 'ctx', 'delete', h], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def main():
    names = os.environ.get('SSPI_BENCH_ENCTYPES') or '18 20'
    if names == 'none':
        return 0
    enctypes = [int(e) for e in names.split()]
    for e in enctypes:
        if e not in KEY_LEN:
            sys.exit('run_krb5.py: enctype %d: one of %s' % (e, sorted(KEY_LEN)))
    rc = 0
    try:
        realm = Realm(enctypes, tmpdir='/tmp')
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        print('run_krb5.py: the realm: %s' % err, file=sys.stderr)
        return 1
    with realm:
        for e in enctypes:
            try:
                rc |= bench(realm, e, sys.argv[1:])
            except (RuntimeError, OSError) as err:
                print('run_krb5.py: enctype %d: %s' % (e, err), file=sys.stderr)
                rc = 1
    return 1 if rc else 0


if __name__ == '__main__':
    sys.exit(main())
