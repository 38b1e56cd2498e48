#!/bin/bash
# (Run from /tmp/h on 2026-12-04 against /work/main; 'before' = a build of e885656 in /tmp/exp, 'after' = 71b0ce0. Outputs copied here.)
label=$1; out=/tmp/h/$label; rm -rf $out; mkdir -p $out
(cd /work/main && ROUNDS=1 NS=${N:-2000} SERVERS=streamedge SE_JAVA_OPTS="${OPTS:--XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=1000}" bench/run > $out/bench.log 2>&1) &
for _ in $(seq 1 600); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
sleep 1
jstat -gc -t $pid 1000 > $out/jstat.txt 2>&1 &
start=$(date +%s.%N)
while kill -0 $pid 2>/dev/null; do
  echo "$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) $(grep -E 'RssAnon' /proc/$pid/status 2>/dev/null | awk '{print $2}')" >> $out/rss.txt; sleep 1
done
wait
