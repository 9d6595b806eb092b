#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The context table at scale (tests/vm/scale_test.sh): import N TLS
contexts through netlink (tests/vm/scale.py sends them in batches), with
the module's three limits raised for the test and put back after it, and
check that they all work:

- the handles are distinct and non-zero;
- a sample (every 997th, or more often for fewer than 99,700; the first
  and the last) is found by its handle
  and is the right context (CTX_GET reports the handle and the record
  sequence number each was imported with), and some of it seals and opens
  a record (each context's send and receive keys are the same);
- handles never issued find nothing;
- one CTX_GET dump lists every one of them exactly once, and nothing else
  new;
- deleting them all brings the dump back to what it was, the sample is
  gone, and the kernel's slab memory comes back (coarsely: at least half
  of what the imports took, since KASAN's quarantine holds freed objects
  back for a while).

N is SSPI_SCALE_N, or 100,000, but 2,000 on a kernel with KASAN (the debug
kernel): under TCG an import there costs about 11 ms (2.5 ms on the distro
kernel; allocating and keying the two AEAD transforms is most of it), and
a delete 8 ms, so 100,000 would take hours.  No timing is asserted; the
import time and memory per context are printed."""

import collections
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402
import sspi_nl  # noqa: E402
from sspi_nl import check  # noqa: E402


def kasan():
    with open('/proc/kallsyms') as f:
        return any(line.rstrip().endswith(' kasan_report') for line in f)


def main():
    n = int(os.environ.get('SSPI_SCALE_N') or (2000 if kasan() else 100000))
    raw = scale.Raw()
    before = raw.dump_handles()
    limits = scale.read_limits()
    handles = []
    try:
        scale.write_limits({p: max(v, len(before) + n + 64) for p, v in limits.items()})
        print(f'# {n} contexts, {len(before)} there before; limits {limits} raised')
        m0 = scale.kernel_bytes()
        t0 = time.monotonic()
        chunk, per_chunk = 5000, []
        for first in range(0, n, chunk):
            tc = time.monotonic()
            handles += raw.import_many('Schannel', scale.tls_blob, first, min(chunk, n - first))
            per_chunk.append((time.monotonic() - tc) * 1e6 / min(chunk, n - first))
        t1 = time.monotonic()
        m1 = scale.kernel_bytes()
        print(f'# import: {(t1 - t0) * 1e6 / n:.0f} us each, {t1 - t0:.1f} s in all '
              f'(first {min(chunk, n)}: {per_chunk[0]:.0f} us each, last: {per_chunk[-1]:.0f}); '
              f'Slab+KernelStack +{(m1 - m0) / n:.0f} bytes per context')
        check(len(handles) == n and len(set(handles)) == n and 0 not in handles,
              f'{n} imports give {n} distinct non-zero handles')

        # every 997th, or more often for fewer contexts: 100 at least
        sample = sorted(set(range(0, n, max(1, min(997, n // 100)))) | {0, n - 1})
        tc = time.monotonic()
        got = raw.get_many([handles[i] for i in sample])
        print(f'# ctx-get: {(time.monotonic() - tc) * 1e6 / len(sample):.0f} us each '
              f'among {n} contexts')
        bad = [(i, e) for i, (e, a) in zip(sample, got)
               if e or scale.u64(a['ctx-handle']) != handles[i] or
               scale.u64(a['ctx-tx-seq']) != i or scale.u64(a['ctx-rx-seq']) != i]
        check(not bad, f'ctx-get: {len(sample)} sampled contexts found, each the one '
              f'imported with its handle ({bad[:5]})')

        nl = raw.nl
        sealed = 0
        for i in sample[::4] + [n - 1]:
            data = struct.pack('>Q', i) * 8
            st, rec = sspi_nl.seal(nl, handles[i], data)
            if st != sspi_nl.SEC_E_OK:
                continue
            rep = sspi_nl.unseal(nl, handles[i], rec)
            b = sspi_nl.buf(rep, sspi_nl.DATA)
            sealed += rep['status'] == sspi_nl.SEC_E_OK and b is not None and \
                bytes(b['data']) == data
        want = len(sample[::4]) + 1
        check(sealed == want, f'encrypt/decrypt: {sealed} of {want} sampled contexts '
              f'seal a record and open it')

        ours = set(handles)
        strangers = [h for h in (scale.random_handle() for _ in range(256)) if h not in ours]
        got = raw.get_many(strangers)
        check(all(e == 2 for e, _ in got),
              f'ctx-get: {len(strangers)} handles never issued find nothing (ENOENT)')

        t0 = time.monotonic()
        dumped = raw.dump_handles()
        t1 = time.monotonic()
        count = collections.Counter(dumped)
        twice = [h for h in ours if count[h] != 1]
        new = set(dumped) - ours - set(before)
        check(not twice and not new and len(dumped) == len(before) + n,
              f'dump: {len(dumped)} contexts listed in {t1 - t0:.1f} s, each of the '
              f'{n} exactly once ({len(twice)} not, {len(new)} unknown)')

        t0 = time.monotonic()
        errs = raw.delete_many(handles)
        t1 = time.monotonic()
        failed = sum(1 for e in errs if e)
        check(not failed, f'ctx-delete: all {n} deleted in {t1 - t0:.1f} s ({failed} failed)')
        if not failed:
            handles = []
        after = raw.dump_handles()
        check(sorted(after) == sorted(before),
              f'dump: back to the {len(before)} contexts there were ({len(after)})')
        got = raw.get_many([h for h in ours][:64])
        check(all(e == 2 for e, _ in got), 'ctx-get: deleted contexts are not found')

        # freeing goes through RCU and, under KASAN, a quarantine
        grew = m1 - m0
        for _ in range(30):
            m2 = scale.kernel_bytes()
            if m2 - m0 < grew / 2:
                break
            time.sleep(1)
        check(grew > 0 and m2 - m0 < grew / 2,
              f'memory: Slab+KernelStack grew {grew >> 10} KiB with the contexts, '
              f'{(m2 - m0) >> 10} KiB above the start after deleting them')
    finally:
        if handles:
            raw.delete_many(handles)
        scale.write_limits(limits)
        check(scale.read_limits() == limits, f'limits restored {limits}')
    return 1 if sspi_nl.failures else 0


if __name__ == '__main__':
    sys.exit(main())
