#!/bin/bash
# (Run from /tmp/rss3 on 2026-12-04: time-adaptive = the default kind, time-at-once = SERVERS=streamedge-at-once; RssAnon in kB per second since the start in rss-anon-kb.txt, bench/run's directory as run/.)
# run.sh label: bench/run's streamedge kind (SERVERS) at 2000 players with C2's compilations logged; RssAnon every s
label=$1; out=/tmp/rss3/$label; rm -rf $out; mkdir -p $out
(cd /work/main && ROUNDS=1 NS=2000 SERVERS="${SERVERS:-streamedge}" \
  SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:TrimNativeHeapInterval=5000 -Xlog:jit+compilation=debug:file=$out/jit.log:uptime" bench/run > $out/bench.log 2>&1) &
for _ in $(seq 1 300); do pid=$(pgrep -f "streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
start=$(date +%s.%N)
while kill -0 $pid 2>/dev/null; do
  echo "$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) $(grep RssAnon /proc/$pid/status 2>/dev/null | awk '{print $2}')" >> $out/rss.txt; sleep 1
done
wait
