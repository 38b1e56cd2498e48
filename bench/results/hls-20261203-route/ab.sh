#!/bin/bash
# HLS serving before and after the single HLS route, alternating, one round each, 3 pairs.
# /tmp/se-before.jar: b8bd3a6 (+ the memory commit, no server change); /tmp/se-after.jar: with HlsRoute.
base=/work/main/bench/results/hls-20261203-route
mkdir -p $base
for r in 1 2 3; do
  SE_JAR=/tmp/se-before.jar ROUNDS=1 KINDS="se-ts se-ll" OUT=$base/before-r$r /work/main/bench/hls > $base/before-r$r.log 2>&1
  SE_JAR=/tmp/se-after.jar ROUNDS=1 KINDS="nginx-ts se-ts se-ll" OUT=$base/after-r$r /work/main/bench/hls > $base/after-r$r.log 2>&1
done
echo done > $base/done
