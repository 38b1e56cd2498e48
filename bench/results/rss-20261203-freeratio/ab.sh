#!/bin/bash
# RSS at 2000 RTMP players: the recommended JVM settings against the same with tighter heap free ratios
# (-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20), nginx-rtmp in each run, alternating, 2 pairs.
base=/work/main/bench/results/rss-20261203-freeratio
mkdir -p $base
cp "$0" $base/ab.sh
REC="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000"
for r in 1 2; do
  SE_JAVA_OPTS="$REC" NS=2000 ROUNDS=1 SERVERS="nginx streamedge" OUT=$base/recommended-r$r /work/main/bench/run > $base/recommended-r$r.log 2>&1
  SE_JAVA_OPTS="$REC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20" NS=2000 ROUNDS=1 SERVERS="nginx streamedge" OUT=$base/tight-r$r /work/main/bench/run > $base/tight-r$r.log 2>&1
done
echo done > $base/done
