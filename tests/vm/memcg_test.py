#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The memory of contexts -- the context with its package state, and the
package's requests -- is charged to the memory cgroup of the process that
imports them (GFP_KERNEL_ACCOUNT), so that a cgroup's memory.max bounds
what its helper makes the kernel hold.  Imports 3000 contexts from a
process in a cgroup of its own and reads the cgroup's slab memory before
and after.  Runs inside the VM as root; a kernel without the memory
controller skips it."""

import os
import secrets
import subprocess
import sys

from sspi_nl import (CLONE_NEWNET, check, failures, family, in_child, keys, tls_import,
                     unshare)

CGROOT = '/sys/fs/cgroup'
N = 3000


def slab(group):
    with open(os.path.join(group, 'memory.stat')) as f:
        return dict(line.split() for line in f)['slab']


def main():
    if not os.path.exists(os.path.join(CGROOT, 'cgroup.controllers')):
        subprocess.run(['mount', '-t', 'cgroup2', 'none', CGROOT], check=False)
    try:
        with open(os.path.join(CGROOT, 'cgroup.controllers')) as f:
            controllers = f.read().split()
    except OSError:
        controllers = []
    if 'memory' not in controllers:
        print('note: no memory cgroup controller in this kernel, skipped')
        return 0
    with open(os.path.join(CGROOT, 'cgroup.subtree_control'), 'w') as f:
        f.write('+memory')
    group = os.path.join(CGROOT, 'sspi-memcg-test')
    os.mkdir(group)

    def child():
        with open(os.path.join(group, 'cgroup.procs'), 'w') as f:
            f.write(str(os.getpid()))
        unshare(CLONE_NEWNET)
        n = family()
        k = keys(secrets.token_bytes(16), secrets.token_bytes(12))
        imp = tls_import(0x0304, 51, k, k)
        n.do('ctx-import', {'pkg-name': 'Schannel', 'ctx-import': imp})
        before = int(slab(group))
        for _ in range(N):
            n.do('ctx-import', {'pkg-name': 'Schannel', 'ctx-import': imp})
        grown = int(slab(group)) - before
        print(f'{N} contexts: the cgroup\'s slab grew by {grown} bytes')
        # a context and its TLS state alone take more than 256 bytes
        return 0 if grown >= N * 256 else 1
    try:
        rc = in_child(child)
    finally:
        os.rmdir(group)
    check(rc == 0, f'{N} contexts are charged to the importer\'s memory cgroup (rc {rc})')
    print(f'{len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
