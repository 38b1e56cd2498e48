#!/bin/bash
# (2026-12-04: ab-5000-pair1, ab-1000-pair1, ab-5000-pair2, ab-1000-pair2 here are bench/run's directories; trim-<ms>-<pair>.log the JVM's trim logs. Before them, trim-1000-3rounds and trim-5000-3rounds: ROUNDS=3 NS=2000 SERVERS=streamedge bench/run with SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=<ms>" and the default.)
# Alternating single rounds at 2000 RTMP players: the recommended settings with the native heap trimmed every 5 s and every 1 s.
cd /work/main
for i in 1 2; do
  for t in 5000 1000; do
    ROUNDS=1 NS=2000 SERVERS=streamedge SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=$t -Xlog:trimnative:file=/tmp/trim-$t-$i.log:uptime" bench/run > /tmp/trimab-$t-$i.log 2>&1
    echo "trim $t pair $i: $(ls -td bench/results/[0-9]*Z | head -1)"
  done
done
