#!/bin/bash
# LL-HLS and MPEG-TS HLS, 1000 players: Vert.x's per-request HTTP server metrics on (head) and off (scratch), alternating.
base=/work/main/bench/results/hls-20261203-httpmetrics
mkdir -p $base
cp "$0" $base/ab.sh
for r in 1 2; do
  SE_JAR=/tmp/se-head.jar ROUNDS=1 KINDS="se-ll se-ts" OUT=$base/on-r$r /work/main/bench/hls > $base/on-r$r.log 2>&1
  SE_JAR=/tmp/se-nohttpmetrics.jar ROUNDS=1 KINDS="se-ll se-ts" OUT=$base/off-r$r /work/main/bench/hls > $base/off-r$r.log 2>&1
done
echo done > $base/done
