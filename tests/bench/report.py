#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py DIR: bench.json and the plots of a "make bench" run.

Run by scripts/bench on the host after the guest is done.  Reads
DIR/bench.jsonl, the records sspi-bench --json appended (one JSON object a
line, one per figure of the table: package, cipher, path, mode, op, size,
threads, mbps, and each ratio with its anchor's name; the anchors' own
lines have "anchor": true and name the path they were measured alongside;
a skipped figure has "mbps": null and "skipped": why), and writes:

  DIR/bench.json	the same records as one JSON list
  DIR/bench-PACKAGE-CIPHER.png
			per package and cipher (or enctype, or NTLM flags), MB/s
			against the message size (log scales), sealing and
			unsealing side by side: a solid line per path (and
			number of threads), the anchors as dashed lines (each
			size's mean over the measurements it took part in)

Without python3-matplotlib, says so and writes bench.json only.  Exit
status 1 when there are no records.
"""

import json
import os
import re
import sys
from collections import defaultdict


def load(path):
    recs = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                recs.append(json.loads(line))
            except ValueError as err:
                print('report.py: %s:%d: %s' % (path, n, err), file=sys.stderr)
    return recs


def label(r):
    """A path's line: its name, and its threads and mode when 2."""
    if r.get('threads', 1) > 1:
        return '%s x%d %s' % (r['path'], r['threads'], r.get('mode') or '')
    return r['path']


def plot(recs, out):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('report.py: no matplotlib (apt-get install python3-matplotlib, '
              'scripts/setup-host): no plot, bench.json only', file=sys.stderr)
        return []
    groups = defaultdict(list)
    for r in recs:
        if r.get('mbps'):
            groups[(r['package'], r['cipher'])].append(r)
    files = []
    for (pkg, cipher), rs in sorted(groups.items()):
        ops = []
        for r in rs:
            if r['op'] not in ops:
                ops.append(r['op'])
        fig, axes = plt.subplots(1, len(ops), figsize=(9 * len(ops), 5), squeeze=False)
        for ax, op in zip(axes[0], ops):
            paths = defaultdict(dict)
            anchors = defaultdict(lambda: defaultdict(list))
            for r in rs:
                if r['op'] != op:
                    continue
                if r.get('anchor'):
                    anchors[r['path']][r['size']].append(r['mbps'])
                else:
                    paths[label(r)][r['size']] = r['mbps']
            # tab20: a colour of its own for each of up to 20 lines
            colours = iter(plt.get_cmap('tab20').colors * 2)
            for name, pts in sorted(paths.items()):
                xs = sorted(pts)
                ax.plot(xs, [pts[x] for x in xs], marker='o', label=name,
                        color=next(colours))
            for name, pts in sorted(anchors.items()):
                xs = sorted(pts)
                ax.plot(xs, [sum(pts[x]) / len(pts[x]) for x in xs], linestyle='--',
                        marker='x', label=name + ' (anchor)', color=next(colours))
            ax.set_xscale('log', base=2)
            ax.set_yscale('log')
            ax.set_xlabel('message size (bytes)')
            ax.set_ylabel('MB/s')
            ax.set_title('%s %s: %s' % (pkg, cipher, op))
            ax.grid(True, which='both', alpha=0.3)
            ax.legend(fontsize='small', loc='upper left', bbox_to_anchor=(1.01, 1))
        fig.tight_layout()
        name = 'bench-%s-%s.png' % (re.sub(r'[^A-Za-z0-9.]+', '_', pkg),
                                    re.sub(r'[^A-Za-z0-9.]+', '_', cipher))
        fig.savefig(os.path.join(out, name), dpi=90)
        plt.close(fig)
        files.append(name)
    return files


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: report.py DIR')
    out = sys.argv[1]
    src = os.path.join(out, 'bench.jsonl')
    recs = load(src) if os.path.exists(src) else []
    with open(os.path.join(out, 'bench.json'), 'w') as f:
        json.dump(recs, f, indent=1)
        f.write('\n')
    print('# %d records: %s' % (len(recs), os.path.join(out, 'bench.json')))
    if not recs:
        return 1
    for name in plot(recs, out):
        print('# plot: %s' % os.path.join(out, name))
    return 0


if __name__ == '__main__':
    sys.exit(main())
