#!/usr/bin/env python3
"""One line per run of an ab.sh (this directory's, or the one given as the argument): CPU s/GB, kernel
s/GB, latency, RSS (from each run's summary.md) and the GC pauses of the whole run (its -Xlog:gc file)."""
import glob, os, re, statistics, sys
here = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rows = {}
for d in sorted(glob.glob(os.path.join(here, 'se-*-*-[0-9]'))):
    if not os.path.isdir(d):
        continue
    name = os.path.basename(d)
    kind, build, pair = name.rsplit('-', 2)
    summary = open(os.path.join(d, 'summary.md')).read()
    line = [l for l in summary.splitlines() if l.startswith('| ' + kind + ' |')][0]
    cells = [c.strip() for c in line.strip('|').split('|')]
    young = full = 0
    young_ms = full_ms = 0.0
    for l in open(d + '-gc.log'):
        m = re.search(r'Pause (Young|Full).* ([0-9.]+)ms', l)
        if m:
            if m.group(1) == 'Young':
                young += 1; young_ms += float(m.group(2))
            else:
                full += 1; full_ms += float(m.group(2))
    rows.setdefault((kind, build), []).append((pair, float(cells[2]), float(cells[3]), cells[4], cells[5], cells[7],
                                               young, young_ms, full, full_ms))
print('| kind | build | pair | CPU s/GB | kernel s/GB | p50 / p99 ms | RSS MB | young GCs (ms) | full GCs (ms) |')
print('|---|---|---:|---:|---:|---|---:|---|---|')
for (kind, build), runs in sorted(rows.items()):
    for r in runs:
        print(f'| {kind} | {build} | {r[0]} | {r[1]:.3f} | {r[2]:.3f} | {r[3]} / {r[4]} | {r[5]} | {r[6]} ({r[7]:.0f}) | {r[8]} ({r[9]:.0f}) |')
print()
for (kind, build), runs in sorted(rows.items()):
    print(f'{kind} {build}: median CPU {statistics.median(r[1] for r in runs):.3f} s/GB, kernel '
          f'{statistics.median(r[2] for r in runs):.3f}, young GCs {statistics.median(r[6] for r in runs)}, '
          f'GC ms {statistics.median(r[7] + r[9] for r in runs):.0f}')
