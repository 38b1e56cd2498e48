#!/bin/bash
# NMT of the bench/hls server with the recommended JVM settings: a baseline 4 s after start, a diff 40 s
# later, then a full collection (GC.run) and a second diff. Usage: N=<players> nmt.sh <kind>; writes /tmp/nmt2-<kind>-<N>/.
kind=$1
out=/tmp/nmt2-$kind-${N:-2000}
rm -rf $out; mkdir -p $out
(cd /work/main && ROUNDS=1 N=${N:-2000} KINDS="$kind" SE_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx1g -XX:NewRatio=4 -XX:TrimNativeHeapInterval=1000 -XX:NativeMemoryTracking=summary" OUT=$out/bench bench/hls > $out/bench.log 2>&1) &
for i in $(seq 1 200); do pid=$(pgrep -f "target/streamedge.jar --rtmp.host" | head -1); [ -n "$pid" ] && break; sleep 0.2; done
echo "server pid $pid"
sleep 4
jcmd $pid VM.native_memory baseline > $out/baseline.txt 2>&1
grep VmRSS /proc/$pid/status > $out/rss-baseline.txt
jcmd $pid GC.heap_info > $out/heap-baseline.txt
sleep 40
jcmd $pid VM.native_memory summary.diff > $out/diff.txt 2>&1
grep VmRSS /proc/$pid/status > $out/rss-end.txt
jcmd $pid GC.heap_info > $out/heap-end.txt
jcmd $pid GC.run > /dev/null; sleep 1; jcmd $pid VM.native_memory summary.diff > $out/diff-after-gc.txt 2>&1; grep VmRSS /proc/$pid/status > $out/rss-after-gc.txt
wait
