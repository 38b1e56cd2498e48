#!/bin/bash
# NMT snapshots of the bench/hls server: baseline before players, diff with 1000 players playing.
kind=$1
out=/tmp/nmt-$kind-${N:-1000}
mkdir -p $out
(cd /work/main && ROUNDS=1 N=${N:-1000} KINDS="$kind" SE_JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary" OUT=$out/bench bench/hls > $out/bench.log 2>&1) &
for i in $(seq 1 200); do pid=$(pgrep -f "target/streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 4
jcmd $pid VM.native_memory baseline > $out/baseline.txt 2>&1
grep VmRSS /proc/$pid/status > $out/rss-baseline.txt
sleep 40
jcmd $pid VM.native_memory summary.diff > $out/diff.txt 2>&1
grep VmRSS /proc/$pid/status > $out/rss-end.txt
ss -tn state established "( sport = :$(ss -ltnp | grep $pid | grep -o ':[0-9]*' | head -1 | tr -d :) )" 2>/dev/null | wc -l > $out/conns.txt
wait
