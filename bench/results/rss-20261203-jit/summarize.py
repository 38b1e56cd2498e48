#!/usr/bin/env python3
"""One line per run of ab.sh (the load generator's reports), then medians per setting."""
import glob, json, os, statistics
here = os.path.dirname(os.path.abspath(__file__))
rows = {}
for path in sorted(glob.glob(os.path.join(here, '*-[0-9]/streamedge-n2000-r1.json'))):
    setting, run = os.path.basename(os.path.dirname(path)).rsplit('-', 1)
    text = open(path).read()
    if not text.strip():
        continue  # a run still going
    r = json.loads(text)
    s = r['server']
    kernel = s['systemSeconds'] / s['cpuSeconds'] * s['cpuSecondsPerGb']
    rows.setdefault(setting, []).append((run, s['cpuSecondsPerGb'], kernel, s['rssBeforePlayersBytes'] / 1e6,
                                         s['rssEndBytes'] / 1e6, s['rssGrowthPerPlayerKib'], r['latencyMs']['p99'], r['firstFrameMs']['p50'],
                                         r['players']['ok']))
print('| setting | run | CPU s/GB | kernel s/GB | RSS before players MB | RSS at the end MB | growth KiB/player | p99 ms | first frame p50 ms (ramp) | players ok |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for setting in ('recommended', 'c2only', 'c1only'):
    for run in rows.get(setting, []):
        print(f'| {setting} | {run[0]} | {run[1]:.3f} | {run[2]:.3f} | {run[3]:.0f} | {run[4]:.0f} | {run[5]:.1f} | {run[6]:.1f} | {run[7]:.2f} | {run[8]} |')
print()
for setting in ('recommended', 'c2only', 'c1only'):
    runs = rows.get(setting, [])
    if runs:
        print(f'{setting}: median CPU {statistics.median(r[1] for r in runs):.3f} s/GB, user '
              f'{statistics.median(r[1] - r[2] for r in runs):.3f}, RSS at the end {statistics.median(r[4] for r in runs):.0f} MB')
