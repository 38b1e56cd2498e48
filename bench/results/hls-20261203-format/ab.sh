#!/bin/bash
# HLS serving with the single route (7b89952) and with the playlist and name checks done without
# String.format and a regex, alternating, one round each, 3 pairs.
base=/work/main/bench/results/hls-20261203-format
mkdir -p $base
for r in 1 2 3; do
  SE_JAR=/tmp/se-route.jar ROUNDS=1 KINDS="se-ts se-ll" OUT=$base/before-r$r /work/main/bench/hls > $base/before-r$r.log 2>&1
  SE_JAR=/tmp/se-after2.jar ROUNDS=1 KINDS="se-ts se-ll" OUT=$base/after-r$r /work/main/bench/hls > $base/after-r$r.log 2>&1
done
echo done > $base/done
