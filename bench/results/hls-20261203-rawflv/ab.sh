#!/bin/bash
# HTTP-FLV chunked through Vert.x's response (f79adce) against the unframed body (7c2f777), beside RTMP,
# 2000 players, alternating, one round each, 3 pairs.
base=/work/main/bench/results/hls-20261203-rawflv
mkdir -p $base
cp "$0" $base/ab.sh
for r in 1 2 3; do
  SE_JAR=/tmp/se-chunked.jar N=2000 ROUNDS=1 KINDS="se-flv" OUT=$base/before-r$r /work/main/bench/hls > $base/before-r$r.log 2>&1
  SE_JAR=/tmp/se-rawflv.jar N=2000 ROUNDS=1 KINDS="se-rtmp se-flv" OUT=$base/after-r$r /work/main/bench/hls > $base/after-r$r.log 2>&1
done
echo done > $base/done
