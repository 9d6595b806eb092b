#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""run_scale.py: the scale part of "make bench": what a context costs.

Run by tests/bench/run-in-vm in the guest (unless SSPI_BENCH_SCALE=none).
For each package of SSPI_BENCH_SCALE (default "TLS Kerberos NTLM
Negotiate"; Negotiate's contexts carry NTLM) it imports
SSPI_BENCH_SCALE_N contexts (default 100000), each with its own key,
through the "sspi" generic netlink family in batches of raw messages
(tests/vm/scale.py: one sendmsg per 64 imports, so the time is the
kernel's more than Python's), then deletes them, and reports:

  us_per_import      wall-clock time of the imports over their number;
  bytes_per_context  growth of the kernel's memory over the imports,
                     from /proc/meminfo: Slab (SReclaimable + SUnreclaim)
                     plus KernelStack, after minus before, over the
                     number; it includes the crypto API's transforms and
                     the context table's nodes, and is coarse (other
                     activity of the guest counts too).

The module's limits (max_contexts, max_contexts_per_user,
max_contexts_total) are raised for the run and restored.  Prints a table
and writes $BENCH_OUT/scale.json (BENCH_OUT defaults to tests/bench/out
in the repository), a list of {"package", "path", "contexts",
"us_per_import", "bytes_per_context"}.  Not a test: nothing is asserted;
exit status 1 when an import failed.
"""

import json
import os
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tests', 'vm'))
import scale  # noqa: E402


def measure(raw, pkg, n):
    name, blob = scale.PACKAGES[pkg]
    handles = []
    m0 = scale.kernel_bytes()
    t0 = time.monotonic()
    try:
        for first in range(0, n, 5000):
            handles += raw.import_many(name, blob, first, min(5000, n - first))
        t1 = time.monotonic()
        m1 = scale.kernel_bytes()
    finally:
        raw.delete_many(handles)
    return {'package': pkg, 'path': 'netlink', 'contexts': n,
            'us_per_import': round((t1 - t0) * 1e6 / n, 1),
            'bytes_per_context': round((m1 - m0) / n)}


def main():
    n = int(os.environ.get('SSPI_BENCH_SCALE_N') or 100000)
    pkgs = (os.environ.get('SSPI_BENCH_SCALE') or 'TLS Kerberos NTLM Negotiate').split()
    out = os.environ.get('BENCH_OUT') or os.path.join(TOP, 'tests', 'bench', 'out')
    raw = scale.Raw()
    there = len(raw.dump_handles())
    limits = scale.read_limits()
    records, rc = [], 0
    print(f'# scale: {n} contexts per package, imported through netlink in batches; '
          f'memory: /proc/meminfo Slab+KernelStack growth')
    print(f'{"package":<10} {"path":<8} {"contexts":>9} {"us/import":>10} {"bytes/context":>14}')
    try:
        scale.write_limits({p: max(v, there + n + 64) for p, v in limits.items()})
        for pkg in pkgs:
            if pkg not in scale.PACKAGES:
                print(f'# {pkg}: unknown package (one of {" ".join(scale.PACKAGES)})')
                rc = 1
                continue
            try:
                r = measure(raw, pkg, n)
            except OSError as e:
                print(f'# {pkg}: {e}')
                rc = 1
                continue
            records.append(r)
            print(f'{r["package"]:<10} {r["path"]:<8} {r["contexts"]:>9} '
                  f'{r["us_per_import"]:>10.1f} {r["bytes_per_context"]:>14}')
    finally:
        scale.write_limits(limits)
    try:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'scale.json'), 'w') as f:
            json.dump(records, f, indent=1)
            f.write('\n')
    except OSError as e:
        # the repository is read-only in the guest unless vm-run ran there
        print(f'# cannot write {out}/scale.json: {e}')
        return 1
    print(f'# wrote {os.path.join(out, "scale.json")}')
    return rc


if __name__ == '__main__':
    sys.exit(main())
